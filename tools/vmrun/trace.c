// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: what --trace, --stats and --regs print, on stderr.
 *
 * --trace prints one line per exit that reaches vmrun, after bhyve's
 * vmx_exit_trace(): the exit's number, its VMX reason by name, RIP, and
 * the decoded exit qualification (for port I/O: port, size, direction,
 * string, rep, as SDM "Exit Qualification for I/O Instructions" lays them
 * out, and the data). Exits the module handles itself never reach vmrun;
 * --stats counts those too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmrun.h"

static const char *vmx_name(__u32 reason)
{
	const char *name = tvm_vmx_exit_name(reason);

	return name ? name : "unknown";
}

void trace__exit(struct vmrun *vr)
{
	const struct tinyvmx_run *run = vr->vcpu.run;
	const struct tinyvmx_exit_io *io = &run->io;
	const struct tinyvmx_exit_mmio *m = &run->mmio;
	char d[160];

	switch (run->exit_reason) {
	case TINYVMX_EXIT_IO:
		snprintf(d, sizeof(d), "%s port %#x size %u %s string %u rep %u data %#llx",
			 vmx_name(EXIT_REASON_IO_INSTRUCTION), io->port, io->size,
			 io->direction == TINYVMX_IO_IN ? "in" : "out",
			 io->string, io->rep, (unsigned long long)io->data);
		break;
	case TINYVMX_EXIT_MMIO:
		if (m->flags & TINYVMX_MMIO_DECODED)
			snprintf(d, sizeof(d), "MMIO gpa %#llx size %u %s data %#llx",
				 (unsigned long long)m->gpa, m->len,
				 m->direction == TINYVMX_IO_IN ? "read" : "write",
				 (unsigned long long)m->data);
		else
			snprintf(d, sizeof(d), "MMIO gpa %#llx not decoded",
				 (unsigned long long)m->gpa);
		break;
	case TINYVMX_EXIT_HLT:
		snprintf(d, sizeof(d), "%s", vmx_name(EXIT_REASON_HLT));
		break;
	case TINYVMX_EXIT_SHUTDOWN:
		snprintf(d, sizeof(d), "%s", vmx_name(EXIT_REASON_TRIPLE_FAULT));
		break;
	case TINYVMX_EXIT_FAIL_ENTRY:
		if (run->fail_entry.kind == TINYVMX_FAIL_VMINSTR)
			snprintf(d, sizeof(d), "FAIL_ENTRY VM-instruction error %u",
				 run->fail_entry.hardware_reason);
		else
			snprintf(d, sizeof(d), "FAIL_ENTRY %s qualification %#llx",
				 vmx_name(run->fail_entry.hardware_reason & 0xffff),
				 (unsigned long long)run->fail_entry.qualification);
		break;
	case TINYVMX_EXIT_UNEXPECTED:
		snprintf(d, sizeof(d), "%s (reason %u) qualification %#llx",
			 vmx_name(run->unexpected.reason), run->unexpected.reason,
			 (unsigned long long)run->unexpected.qualification);
		break;
	case TINYVMX_EXIT_INTR:
		snprintf(d, sizeof(d), "INTR (a signal or immediate_exit)");
		break;
	default:
		snprintf(d, sizeof(d), "%s", tvm_exit_name(run->exit_reason));
		break;
	}
	fprintf(stderr, "vmrun: trace: exit %llu rip %#llx %s\n",
		(unsigned long long)run->exit_count,
		(unsigned long long)run->rip, d);
}

void trace__stats(struct vmrun *vr)
{
	struct tinyvmx_vcpu_stats st = { 0 };
	unsigned int i;

	if (vr->vcpu.fd < 0)
		return;
	if (ioctl(vr->vcpu.fd, TINYVMX_GET_STATS, &st)) {
		vmrun__msg("stats: TINYVMX_GET_STATS: %s", strerror(errno));
		return;
	}
	fprintf(stderr, "vmrun: stats: %llu VM exits, %llu returned to vmrun, %llu failed entries\n",
		(unsigned long long)st.exits,
		(unsigned long long)st.userspace_exits,
		(unsigned long long)st.failed_entries);
	fprintf(stderr, "vmrun: stats: %llu RAM pages mapped on the guest's first touch\n",
		(unsigned long long)st.ram_faults);
	for (i = 0; i < TINYVMX_NR_VMX_EXIT_REASONS; i++) {
		if (!st.by_reason[i])
			continue;
		fprintf(stderr, "vmrun: stats: %4u %-22s %llu\n", i, vmx_name(i),
			(unsigned long long)st.by_reason[i]);
	}
}

static void seg(const char *name, const struct tinyvmx_segment *s)
{
	fprintf(stderr, "vmrun:   %-3s sel 0x%04x base 0x%016llx limit 0x%08x type %#x s %u dpl %u p %u db %u l %u g %u%s\n",
		name, s->selector, (unsigned long long)s->base, s->limit,
		s->type, s->s, s->dpl, s->present, s->db, s->l, s->g,
		s->unusable ? " unusable" : "");
}

#define R(x)	((unsigned long long)(x))

void trace__regs(struct vmrun *vr)
{
	struct tinyvmx_regs r;
	struct tinyvmx_sregs s;

	if (vr->vcpu.fd < 0)
		return;
	if (tvm_vcpu_get_regs(&vr->vcpu, &r) || tvm_vcpu_get_sregs(&vr->vcpu, &s)) {
		vmrun__msg("registers: %s", tvm_strerror());
		return;
	}
	fprintf(stderr, "vmrun: registers:\n");
	fprintf(stderr, "vmrun:   rax 0x%016llx rbx 0x%016llx rcx 0x%016llx rdx 0x%016llx\n",
		R(r.rax), R(r.rbx), R(r.rcx), R(r.rdx));
	fprintf(stderr, "vmrun:   rsi 0x%016llx rdi 0x%016llx rsp 0x%016llx rbp 0x%016llx\n",
		R(r.rsi), R(r.rdi), R(r.rsp), R(r.rbp));
	fprintf(stderr, "vmrun:   r8  0x%016llx r9  0x%016llx r10 0x%016llx r11 0x%016llx\n",
		R(r.r8), R(r.r9), R(r.r10), R(r.r11));
	fprintf(stderr, "vmrun:   r12 0x%016llx r13 0x%016llx r14 0x%016llx r15 0x%016llx\n",
		R(r.r12), R(r.r13), R(r.r14), R(r.r15));
	fprintf(stderr, "vmrun:   rip 0x%016llx rflags %#llx\n", R(r.rip), R(r.rflags));
	seg("cs", &s.cs);
	seg("ds", &s.ds);
	seg("es", &s.es);
	seg("fs", &s.fs);
	seg("gs", &s.gs);
	seg("ss", &s.ss);
	seg("tr", &s.tr);
	seg("ldt", &s.ldt);
	fprintf(stderr, "vmrun:   gdt base %#llx limit %#x, idt base %#llx limit %#x\n",
		R(s.gdt.base), s.gdt.limit, R(s.idt.base), s.idt.limit);
	fprintf(stderr, "vmrun:   cr0 %#llx cr2 %#llx cr3 %#llx cr4 %#llx efer %#llx\n",
		R(s.cr0), R(s.cr2), R(s.cr3), R(s.cr4), R(s.efer));
}
