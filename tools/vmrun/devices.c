// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: the port registry. Each device claims a range of ports with one
 * call and handles them with one function (io_handler_fn). Ports nobody
 * claims behave like an empty ISA bus: reads return all ones and writes
 * are dropped. --verbose names each such port once, and --strict stops
 * the guest at the first one. Guest-physical addresses outside RAM get
 * the same policy (there are no MMIO devices yet).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmrun.h"
#include "hw/pc.h"

#define MAX_DEVS	32
#define MAX_MMIO_SEEN	64

static struct io_dev devs[MAX_DEVS];
static unsigned int nr_devs;
static uint8_t port_seen[65536 / 8];
static uint64_t mmio_seen[MAX_MMIO_SEEN];
static unsigned int nr_mmio_seen;

int devices__register(const char *name, uint16_t base, uint16_t len,
		      io_handler_fn *io, void *priv)
{
	unsigned int i;

	if (!len || base + len > 0x10000 || nr_devs >= MAX_DEVS) {
		vmrun__msg("device %s: cannot claim ports %#x+%u", name, base, len);
		return -1;
	}
	for (i = 0; i < nr_devs; i++) {
		if (base < devs[i].base + devs[i].len && devs[i].base < base + len) {
			vmrun__msg("device %s: ports %#x+%u overlap %s's", name,
				   base, len, devs[i].name);
			return -1;
		}
	}
	devs[nr_devs++] = (struct io_dev){ name, base, len, io, priv };
	return 0;
}

static struct io_dev *find(uint16_t port)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++)
		if (port >= devs[i].base && port - devs[i].base < devs[i].len)
			return &devs[i];
	return NULL;
}

static bool first_time(uint16_t port)
{
	uint8_t bit = 1u << (port % 8);
	bool first = !(port_seen[port / 8] & bit);

	port_seen[port / 8] |= bit;
	return first;
}

void devices__io(struct vmrun *vr, struct io_access *io)
{
	struct io_dev *dev = find(io->port);

	if (dev) {
		dev->io(vr, dev, io);
		return;
	}
	if (vr->opts.strict) {
		vmrun__stop(vr, VMRUN_GUEST_ERROR,
			    "--strict: the guest %s port %#x (%u byte%s), which no device claims",
			    io->out ? "wrote" : "read", io->port, io->size,
			    io->size > 1 ? "s" : "");
		return;
	}
	if (first_time(io->port) && vr->opts.verbose)
		vmrun__msg("unclaimed port %#x: %s of %u byte%s; reads give all ones, writes are dropped (said once per port)",
			   io->port, io->out ? "write" : "read", io->size,
			   io->size > 1 ? "s" : "");
	if (!io->out)
		io->data = 0xffffffffu >> (32 - 8 * io->size);
}

void devices__mmio(struct vmrun *vr, struct tinyvmx_exit_mmio *m)
{
	uint64_t page = m->gpa & ~0xfffull;
	char bytes[16 * 3 + 1] = "";
	unsigned int i;

	if (!(m->flags & TINYVMX_MMIO_DECODED)) {
		for (i = 0; i < m->insn_len && i < sizeof(m->insn); i++)
			snprintf(bytes + 3 * i, sizeof(bytes) - 3 * i, " %02x", m->insn[i]);
		vmrun__stop(vr, VMRUN_GUEST_ERROR,
			    "access to %#llx, outside guest RAM, by an instruction the module does not decode (bytes%s)",
			    (unsigned long long)m->gpa, bytes);
		return;
	}
	if (vr->opts.strict) {
		vmrun__stop(vr, VMRUN_GUEST_ERROR,
			    "--strict: the guest %s %#llx (%u bytes), outside guest RAM",
			    m->direction == TINYVMX_IO_IN ? "read" : "wrote",
			    (unsigned long long)m->gpa, m->len);
		return;
	}
	for (i = 0; i < nr_mmio_seen && mmio_seen[i] != page; i++)
		;
	if (i == nr_mmio_seen && nr_mmio_seen < MAX_MMIO_SEEN) {
		mmio_seen[nr_mmio_seen++] = page;
		if (vr->opts.verbose)
			vmrun__msg("nothing at %#llx (outside guest RAM): reads give all ones, writes are dropped (said once per page)",
				   (unsigned long long)m->gpa);
	}
	if (m->direction == TINYVMX_IO_IN)
		m->data = m->len >= 8 ? ~0ull : (1ull << (8 * m->len)) - 1;
}

void devices__putc(uint8_t c)
{
	/* Unbuffered: guest output and vmrun's messages stay in order. */
	while (write(STDOUT_FILENO, &c, 1) < 0 && errno == EINTR)
		;
}

/*
 * The UART's transmit register and ports 0xe9 and 0x402 only take writes:
 * when the module can coalesce them, their OUTs wait in the output ring
 * instead of costing a return to userspace each (run.c replays them in
 * order). Not with --trace, which shows every exit. The UART takes THR
 * out of the ring while its THRE interrupt is on (dev_uart.c).
 */
static void coalesce(struct vmrun *vr)
{
	if (vr->opts.trace || tvm_check_cap(vr->dev_fd, TINYVMX_CAP_COALESCED_IO) <= 0)
		return;
	if (tvm_vm_coalesce_port(&vr->vm, UART_BASE, 1) ||
	    tvm_vm_coalesce_port(&vr->vm, E9_PORT, 1) ||
	    tvm_vm_coalesce_port(&vr->vm, DEBUGCON_PORT, 1)) {
		vmrun__msg("%s; every write exits", tvm_strerror());
		return;
	}
	vr->coalesced = true;
}

int devices__init(struct vmrun *vr)
{
	static struct pc pc;

	if (pc__init(vr, &pc) || uart__init(vr) || debugexit__init(vr) ||
	    e9__init(vr))
		return -1;
	coalesce(vr);
	return 0;
}

void devices__exit(struct vmrun *vr)
{
	(void)vr;
	term__restore();
}
