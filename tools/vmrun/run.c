// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: the RUN loop. Each return of TINYVMX_RUN is one exit; port I/O
 * goes to the devices and the guest runs again, everything else ends the
 * run with a message on stderr and an exit status (vmrun.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmrun.h"

#define RFLAGS_IF	(1ull << 9)

void vmrun__msg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "vmrun: %s\n", buf);
}

/* The message waits until the last trace line is out (main.c prints it). */
void vmrun__stop(struct vmrun *vr, int status, const char *fmt, ...)
{
	va_list ap;

	if (vr->done)
		return;
	va_start(ap, fmt);
	vsnprintf(vr->end_msg, sizeof(vr->end_msg), fmt, ap);
	va_end(ap);
	vr->done = true;
	vr->status = status;
}

/*
 * IN/OUT carry one value in the exit; INS/OUTS carry e->count elements in
 * the run mapping's data page, each handled as one access, in order.
 */
static void exit_io(struct vmrun *vr, struct tinyvmx_exit_io *e)
{
	struct io_access io = {
		.port = e->port, .size = e->size,
		.out = e->direction == TINYVMX_IO_OUT, .data = (uint32_t)e->data,
	};
	uint8_t *elem = (uint8_t *)vr->vcpu.run + e->data_offset;
	uint32_t i;

	if (e->size != 1 && e->size != 2 && e->size != 4) {
		vmrun__stop(vr, VMRUN_HOST_ERROR, "port %#x: access of %u bytes",
			    e->port, e->size);
		return;
	}
	if (!e->string) {
		devices__io(vr, &io);
		if (!io.out)
			e->data = io.data;
		return;
	}
	if (e->data_offset + (uint64_t)e->count * e->size > vr->vcpu.run_size) {
		vmrun__stop(vr, VMRUN_HOST_ERROR, "string I/O data outside the run mapping");
		return;
	}
	for (i = 0; i < e->count && !vr->done; i++, elem += e->size) {
		io.data = 0;
		if (io.out)
			memcpy(&io.data, elem, e->size);
		devices__io(vr, &io);
		if (!io.out)
			memcpy(elem, &io.data, e->size);
	}
}

/*
 * Writes the module coalesced into the output ring (the UART's transmit
 * register, port 0xe9) happened before the exit being returned: replay
 * them first, in order.
 */
static void drain_ring(struct vmrun *vr)
{
	struct tinyvmx_ring *ring =
		(void *)((char *)vr->vcpu.run + TINYVMX_RUN_RING_OFFSET);
	uint32_t head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);

	while (ring->tail != head && !vr->done) {
		struct tinyvmx_ring_entry *e = &ring->entries[ring->tail % ring->nent];
		struct io_access io = {
			.port = e->port, .size = e->size, .out = true, .data = e->data,
		};

		devices__io(vr, &io);
		__atomic_store_n(&ring->tail, ring->tail + 1, __ATOMIC_RELEASE);
	}
}

static void exit_hlt(struct vmrun *vr, __u64 rip)
{
	struct tinyvmx_regs regs;

	if (tvm_vcpu_get_regs(&vr->vcpu, &regs)) {
		vmrun__stop(vr, VMRUN_HOST_ERROR, "%s", tvm_strerror());
		return;
	}
	/*
	 * Nothing can wake a halted vCPU yet: there is no interrupt source
	 * (issue 5). With IF=1 the guest waits for an interrupt that never
	 * comes, so stop rather than hang, with a status of its own.
	 */
	if (regs.rflags & RFLAGS_IF)
		vmrun__stop(vr, VMRUN_HLT_IF,
			    "the guest halted with interrupts enabled at rip %#llx; vmrun has no interrupt sources yet, so it would wait forever: stopping",
			    (unsigned long long)rip);
	else
		vmrun__stop(vr, VMRUN_OK,
			    "the guest halted (HLT with interrupts disabled) at rip %#llx",
			    (unsigned long long)rip);
}

/* SDM "VM-Entry Failures During or After Loading Guest State". */
static const char *guest_state_detail(__u32 basic, __u64 qual)
{
	static char buf[64];

	if (basic == EXIT_REASON_INVALID_STATE) {
		switch (qual) {
		case 2: return "PDPTEs could not be loaded";
		case 3: return "NMI injection with NMIs blocked";
		case 4: return "invalid VMCS link pointer";
		default: return "a guest-state field failed the SDM's checks";
		}
	}
	if (basic == EXIT_REASON_MSR_LOAD_FAIL) {
		snprintf(buf, sizeof(buf), "entry %llu of the MSR-load area",
			 (unsigned long long)qual);
		return buf;
	}
	return "";
}

static void exit_fail_entry(struct vmrun *vr, struct tinyvmx_exit_fail_entry *f)
{
	const char *name;
	__u32 basic = f->hardware_reason & 0xffff;

	if (f->kind == TINYVMX_FAIL_VMINSTR) {
		name = tvm_vmx_insn_error_name(f->hardware_reason);
		vmrun__stop(vr, VMRUN_FAIL_ENTRY,
			    "VM entry failed: VM-instruction error %u (%s)",
			    f->hardware_reason, name ? name : "unknown");
	} else {
		name = tvm_vmx_exit_name(basic);
		vmrun__stop(vr, VMRUN_FAIL_ENTRY,
			    "VM entry failed: exit reason %u (%s), qualification %#llx: %s",
			    basic, name ? name : "unknown",
			    (unsigned long long)f->qualification,
			    guest_state_detail(basic, f->qualification));
	}
	vr->dump_regs = true;
}

static void exit_unexpected(struct vmrun *vr, struct tinyvmx_exit_unexpected *u,
			    __u64 rip)
{
	const char *name = tvm_vmx_exit_name(u->reason);
	char vec[48] = "";

	/* SDM "VM-Exit Information Fields": bit 31 valid, bits 7:0 vector. */
	if (u->intr_info & (1u << 31))
		snprintf(vec, sizeof(vec), " (vector %llu)",
			 (unsigned long long)(u->intr_info & 0xff));
	vmrun__stop(vr, VMRUN_GUEST_ERROR,
		    "unexpected exit: VMX exit reason %u (%s) at rip %#llx, qualification %#llx, interruption info %#llx%s; the module does not handle it",
		    u->reason, name ? name : "unknown", (unsigned long long)rip,
		    (unsigned long long)u->qualification,
		    (unsigned long long)u->intr_info, vec);
}

static void exit_intr(struct vmrun *vr, __u64 rip)
{
	struct tinyvmx_run *run = vr->vcpu.run;
	int sig;

	/* Clear first: a signal landing after the check sets it again. */
	run->immediate_exit = 0;
	sig = term__stop_signal();
	if (sig == SIGALRM)
		vmrun__stop(vr, VMRUN_TIMEOUT,
			    "timeout: the guest ran for %g s (--timeout); stopped at rip %#llx",
			    vr->opts.timeout, (unsigned long long)rip);
	else if (sig)
		vmrun__stop(vr, VMRUN_SIGNAL, "stopped by %s at rip %#llx",
			    sig == SIGINT ? "Ctrl-C (SIGINT)" : strsignal(sig),
			    (unsigned long long)rip);
}

static void handle_exit(struct vmrun *vr)
{
	struct tinyvmx_run *run = vr->vcpu.run;

	switch (run->exit_reason) {
	case TINYVMX_EXIT_IO:
		exit_io(vr, &run->io);
		break;
	case TINYVMX_EXIT_MMIO:
		devices__mmio(vr, &run->mmio);
		break;
	case TINYVMX_EXIT_HLT:
		exit_hlt(vr, run->rip);
		break;
	case TINYVMX_EXIT_SHUTDOWN:
		vmrun__stop(vr, VMRUN_TRIPLE_FAULT,
			    "triple fault (SHUTDOWN) at rip %#llx", (unsigned long long)run->rip);
		vr->dump_regs = true;
		break;
	case TINYVMX_EXIT_FAIL_ENTRY:
		exit_fail_entry(vr, &run->fail_entry);
		break;
	case TINYVMX_EXIT_UNEXPECTED:
		exit_unexpected(vr, &run->unexpected, run->rip);
		break;
	case TINYVMX_EXIT_INTR:
		exit_intr(vr, run->rip);
		break;
	default:
		vmrun__stop(vr, VMRUN_HOST_ERROR,
			    "exit %s from the module: this vmrun does not know it",
			    tvm_exit_name(run->exit_reason));
		break;
	}
}

int run__loop(struct vmrun *vr)
{
	struct tinyvmx_run *run = vr->vcpu.run;
	int r;

	while (!vr->done) {
		r = tvm_vcpu_run(&vr->vcpu);
		if (r == -EINTR)
			run->exit_reason = TINYVMX_EXIT_INTR;
		else if (r) {
			vmrun__stop(vr, VMRUN_HOST_ERROR, "%s", tvm_strerror());
			break;
		}
		if (vr->coalesced)
			drain_ring(vr);
		if (!vr->done)
			handle_exit(vr);
		if (vr->opts.trace)
			trace__exit(vr);
	}
	return vr->status;
}
