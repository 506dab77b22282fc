// SPDX-License-Identifier: GPL-2.0
/*
 * Coalesced port output: OUTs to registered output-only ports go into the
 * vCPU's ring instead of back to userspace (KVM's coalesced I/O is the
 * model). See the uapi header for the contract.
 */
#include <linux/mm.h>

#include "tinyvmx.h"

/* The ring's slots: the third page, less its header, rounded down to 2^n. */
#define TVM_RING_NENT	rounddown_pow_of_two((PAGE_SIZE - sizeof(struct tinyvmx_ring)) / \
					     sizeof(struct tinyvmx_ring_entry))

void tvm_ring_init(struct tvm_vcpu *vcpu)
{
	struct tinyvmx_ring *ring = vcpu->run_ring;

	ring->nent = TVM_RING_NENT;
	vcpu->ring_head = 0;
}

unsigned int tvm_ring_nent(void)
{
	return TVM_RING_NENT;
}

static bool tvm_coalesced_valid(const struct tinyvmx_coalesced_port *c)
{
	return !c->flags && !c->reserved && c->len && c->port + c->len <= 0x10000;
}

int tvm_coalesced_register(struct tvm_vm *vm, const struct tinyvmx_coalesced_port *c)
{
	unsigned int i;
	int ret = 0;

	if (!tvm_coalesced_valid(c))
		return -EINVAL;
	/* The exit path reads the ranges without a lock: no vCPU may run. */
	if (down_write_killable(&vm->mem_lock))
		return -EINTR;
	for (i = 0; i < vm->ncoalesced; i++) {
		const struct tvm_port_range *r = &vm->coalesced[i];

		if (c->port < r->port + r->len && r->port < c->port + c->len) {
			ret = -EEXIST;
			goto out;
		}
	}
	if (vm->ncoalesced == ARRAY_SIZE(vm->coalesced)) {
		ret = -ENOSPC;
		goto out;
	}
	vm->coalesced[vm->ncoalesced].port = c->port;
	vm->coalesced[vm->ncoalesced].len = c->len;
	vm->ncoalesced++;
out:
	up_write(&vm->mem_lock);
	return ret;
}

int tvm_coalesced_unregister(struct tvm_vm *vm, const struct tinyvmx_coalesced_port *c)
{
	unsigned int i;
	int ret = -ENOENT;

	if (!tvm_coalesced_valid(c))
		return -EINVAL;
	if (down_write_killable(&vm->mem_lock))
		return -EINTR;
	for (i = 0; i < vm->ncoalesced; i++) {
		if (vm->coalesced[i].port == c->port && vm->coalesced[i].len == c->len) {
			vm->coalesced[i] = vm->coalesced[--vm->ncoalesced];
			ret = 0;
			break;
		}
	}
	up_write(&vm->mem_lock);
	return ret;
}

/*
 * On an OUT exit: append it to the ring when the port is coalesced and
 * the ring has room. Returns true when the guest can simply go on.
 */
bool tvm_coalesced_out(struct tvm_vcpu *vcpu, u16 port, u8 size, u32 data)
{
	struct tvm_vm *vm = vcpu->vm;
	struct tinyvmx_ring *ring = vcpu->run_ring;
	struct tinyvmx_ring_entry *e;
	unsigned int i;
	u32 head = vcpu->ring_head;

	for (i = 0; i < vm->ncoalesced; i++)
		if (port >= vm->coalesced[i].port &&
		    port + size <= vm->coalesced[i].port + vm->coalesced[i].len)
			break;
	if (i == vm->ncoalesced)
		return false;
	/* Userspace owns tail: a value that makes no sense reads as full. */
	if (head - READ_ONCE(ring->tail) >= TVM_RING_NENT)
		return false;
	e = &ring->entries[head & (TVM_RING_NENT - 1)];
	e->port = port;
	e->size = size;
	e->padding = 0;
	e->data = data;
	vcpu->ring_head = ++head;
	/* The entry is complete before userspace can see the new head. */
	smp_store_release(&ring->head, head);
	return true;
}
