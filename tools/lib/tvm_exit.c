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

struct reason_name {
	__u32 reason;
	const char *name;
};

/* Basic exit reasons, SDM Vol. 3D Appendix C "VMX Basic Exit Reasons". */
static const struct reason_name vmx_exit_reasons[] = { VMX_EXIT_REASONS };

/*
 * The reasons <asm/vmx.h> does not name (it lists those KVM handles), by
 * their SDM numbers. A newer header that names one wins: it is searched
 * first.
 */
static const struct reason_name vmx_exit_reasons_more[] = {
	{ 5, "IO_SMI" },		{ 6, "OTHER_SMI" },
	{ 11, "GETSEC" },		{ 17, "RSM" },
	{ 65, "PCONFIG" },		{ 66, "SPP" },
	{ 69, "LOADIWKEY" },		{ 70, "ENCLV" },
	{ 72, "ENQCMD_PASID" },		{ 73, "ENQCMDS_PASID" },
};

static const char *reason_lookup(const struct reason_name *t, size_t n,
				 __u32 reason)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].reason == reason)
			return t[i].name;
	return NULL;
}

const char *tvm_vmx_exit_name(__u32 basic_reason)
{
	const char *name;

	name = reason_lookup(vmx_exit_reasons, ARRAY_LEN(vmx_exit_reasons),
			     basic_reason);
	if (!name)
		name = reason_lookup(vmx_exit_reasons_more,
				     ARRAY_LEN(vmx_exit_reasons_more), basic_reason);
	return name;
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
