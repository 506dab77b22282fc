// SPDX-License-Identifier: GPL-2.0
/*
 * libtinyvmx: exits by name, for traces, error messages and test failures.
 */
#include <stdarg.h>
#include <stdio.h>

#include "tvm.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const exit_names[] = {
	[TINYVMX_EXIT_NONE]		= "NONE",
	[TINYVMX_EXIT_IO]		= "IO",
	[TINYVMX_EXIT_MMIO]		= "MMIO",
	[TINYVMX_EXIT_HLT]		= "HLT",
	[TINYVMX_EXIT_SHUTDOWN]		= "SHUTDOWN",
	[TINYVMX_EXIT_FAIL_ENTRY]	= "FAIL_ENTRY",
	[TINYVMX_EXIT_UNEXPECTED]	= "UNEXPECTED",
	[TINYVMX_EXIT_INTR]		= "INTR",
};

const char *tvm_exit_name(__u32 exit_reason)
{
	static __thread char buf[24];

	if (exit_reason < ARRAY_LEN(exit_names) && exit_names[exit_reason])
		return exit_names[exit_reason];
	snprintf(buf, sizeof(buf), "exit-%u", exit_reason);
	return buf;
}

/* Basic exit reasons, SDM Vol. 3D Appendix C "VMX Basic Exit Reasons". */
static const char *const vmx_exit_names[] = {
	[0]  = "EXCEPTION_NMI",		[1]  = "EXTERNAL_INTERRUPT",
	[2]  = "TRIPLE_FAULT",		[3]  = "INIT",
	[4]  = "SIPI",			[5]  = "IO_SMI",
	[6]  = "OTHER_SMI",		[7]  = "INTERRUPT_WINDOW",
	[8]  = "NMI_WINDOW",		[9]  = "TASK_SWITCH",
	[10] = "CPUID",			[11] = "GETSEC",
	[12] = "HLT",			[13] = "INVD",
	[14] = "INVLPG",		[15] = "RDPMC",
	[16] = "RDTSC",			[17] = "RSM",
	[18] = "VMCALL",		[19] = "VMCLEAR",
	[20] = "VMLAUNCH",		[21] = "VMPTRLD",
	[22] = "VMPTRST",		[23] = "VMREAD",
	[24] = "VMRESUME",		[25] = "VMWRITE",
	[26] = "VMXOFF",		[27] = "VMXON",
	[28] = "CR_ACCESS",		[29] = "DR_ACCESS",
	[30] = "IO_INSTRUCTION",	[31] = "RDMSR",
	[32] = "WRMSR",			[33] = "INVALID_GUEST_STATE",
	[34] = "MSR_LOADING",		[36] = "MWAIT",
	[37] = "MONITOR_TRAP_FLAG",	[39] = "MONITOR",
	[40] = "PAUSE",			[41] = "MACHINE_CHECK",
	[43] = "TPR_BELOW_THRESHOLD",	[44] = "APIC_ACCESS",
	[45] = "VIRTUALIZED_EOI",	[46] = "GDTR_IDTR",
	[47] = "LDTR_TR",		[48] = "EPT_VIOLATION",
	[49] = "EPT_MISCONFIG",		[50] = "INVEPT",
	[51] = "RDTSCP",		[52] = "PREEMPTION_TIMER",
	[53] = "INVVPID",		[54] = "WBINVD",
	[55] = "XSETBV",		[56] = "APIC_WRITE",
	[57] = "RDRAND",		[58] = "INVPCID",
	[59] = "VMFUNC",		[60] = "ENCLS",
	[61] = "RDSEED",		[62] = "PML_FULL",
	[63] = "XSAVES",		[64] = "XRSTORS",
	[65] = "PCONFIG",		[66] = "SPP",
	[67] = "UMWAIT",		[68] = "TPAUSE",
	[69] = "LOADIWKEY",		[70] = "ENCLV",
	[72] = "ENQCMD_PASID",		[73] = "ENQCMDS_PASID",
	[74] = "BUS_LOCK",		[75] = "NOTIFY",
};

const char *tvm_vmx_exit_name(__u32 basic_reason)
{
	if (basic_reason < ARRAY_LEN(vmx_exit_names))
		return vmx_exit_names[basic_reason];
	return NULL;
}

/* SDM Vol. 3C 31.4 "VM Instruction Error Numbers", shortened. */
static const char *const vmx_insn_errors[] = {
	[1]  = "VMCALL in VMX root operation",
	[2]  = "VMCLEAR with invalid physical address",
	[3]  = "VMCLEAR with VMXON pointer",
	[4]  = "VMLAUNCH with non-clear VMCS",
	[5]  = "VMRESUME with non-launched VMCS",
	[6]  = "VMRESUME after VMXOFF",
	[7]  = "VM entry with invalid control fields",
	[8]  = "VM entry with invalid host-state fields",
	[9]  = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with wrong VMCS revision",
	[12] = "VMREAD/VMWRITE of unsupported VMCS field",
	[13] = "VMWRITE to read-only VMCS field",
	[15] = "VMXON in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with wrong MSEG revision",
	[23] = "VMXOFF under dual-monitor treatment",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid execution controls in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *tvm_vmx_insn_error_name(__u32 error)
{
	if (error < ARRAY_LEN(vmx_insn_errors))
		return vmx_insn_errors[error];
	return NULL;
}

static const char *or_unknown(const char *name)
{
	return name ? name : "unknown";
}

/* A string being built in a fixed buffer; output past the end is dropped. */
struct strbuf {
	char *buf;
	size_t len, used;
};

__attribute__((format(printf, 2, 3)))
static void sb_add(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->used + 1 >= sb->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->used, sb->len - sb->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->used += (size_t)n < sb->len - sb->used ? (size_t)n : sb->len - sb->used - 1;
}

static void mmio_str(struct strbuf *sb, const struct tinyvmx_exit_mmio *m)
{
	unsigned int i;

	if (m->flags & TINYVMX_MMIO_DECODED) {
		sb_add(sb, " %s gpa %#llx len %u data %#llx",
		       m->direction == TINYVMX_IO_IN ? "read" : "write",
		       (unsigned long long)m->gpa, m->len,
		       (unsigned long long)m->data);
		return;
	}
	sb_add(sb, " not decoded gpa %#llx insn", (unsigned long long)m->gpa);
	for (i = 0; i < m->insn_len && i < sizeof(m->insn); i++)
		sb_add(sb, " %02x", m->insn[i]);
}

char *tvm_exit_str(const struct tinyvmx_run *run, char *buf, size_t len)
{
	const struct tinyvmx_exit_io *io = &run->io;
	const struct tinyvmx_exit_fail_entry *fe = &run->fail_entry;
	const struct tinyvmx_exit_unexpected *ue = &run->unexpected;
	struct strbuf sb = { .buf = buf, .len = len };

	if (!len)
		return buf;
	buf[0] = '\0';
	sb_add(&sb, "%s", tvm_exit_name(run->exit_reason));
	switch (run->exit_reason) {
	case TINYVMX_EXIT_IO:
		sb_add(&sb, " %s port %#x size %u data %#llx%s%s count %u",
		       io->direction == TINYVMX_IO_IN ? "in" : "out",
		       io->port, io->size, (unsigned long long)io->data,
		       io->string ? " string" : "", io->rep ? " rep" : "",
		       io->count);
		if (io->string)
			sb_add(&sb, " at +%u", io->data_offset);
		break;
	case TINYVMX_EXIT_MMIO:
		mmio_str(&sb, &run->mmio);
		break;
	case TINYVMX_EXIT_FAIL_ENTRY:
		if (fe->kind == TINYVMX_FAIL_VMINSTR)
			sb_add(&sb, " VM-instruction error %u (%s)",
			       fe->hardware_reason,
			       or_unknown(tvm_vmx_insn_error_name(fe->hardware_reason)));
		else
			sb_add(&sb, " kind %u reason %#x (%s) qualification %#llx",
			       fe->kind, fe->hardware_reason,
			       or_unknown(tvm_vmx_exit_name(fe->hardware_reason & 0xffff)),
			       (unsigned long long)fe->qualification);
		break;
	case TINYVMX_EXIT_UNEXPECTED:
		sb_add(&sb, " reason %u (%s) qualification %#llx intr_info %#llx",
		       ue->reason, or_unknown(tvm_vmx_exit_name(ue->reason)),
		       (unsigned long long)ue->qualification,
		       (unsigned long long)ue->intr_info);
		break;
	}
	sb_add(&sb, " rip %#llx (exit %llu)", (unsigned long long)run->rip,
	       (unsigned long long)run->exit_count);
	return buf;
}
