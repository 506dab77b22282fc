// SPDX-License-Identifier: GPL-2.0
/*
 * The host half of GUEST_ASSERT (guest/snippet.h): recognize the report of
 * a failed guest check and say where it failed, with the values of the
 * registers the check compared.
 */
#include <stdio.h>
#include <string.h>

#include "tvm_guest.h"

#define RECORD_MAGIC	"TVMA"
#define RECORD_CODE	5	/* out %al, $port; hlt; jmp back to the hlt */
#define RECORD_TEXT	(RECORD_CODE + 4 + 4)	/* magic, line */
#define TEXT_MAX	128

/* The guest's bytes at guest-physical @gpa, or NULL outside its RAM. */
static const char *guest_bytes(struct tvm_vcpu *vcpu, __u64 gpa, __u64 len)
{
	return tvm_vm_hva(vcpu->vm, gpa, len);
}

/* A NUL-terminated string of the record at @gpa into @buf; its size or 0. */
static size_t guest_string(struct tvm_vcpu *vcpu, __u64 gpa, char *buf)
{
	size_t i;

	for (i = 0; i < TEXT_MAX; i++) {
		const char *c = guest_bytes(vcpu, gpa + i, 1);

		if (!c)
			return 0;
		buf[i] = *c;
		if (!*c)
			return i + 1;
	}
	return 0;
}

/* The general registers by every name an operand may give them. */
static const struct {
	const char *name[4];	/* 64-, 32-, 16-, 8-bit */
	size_t offset;
} gprs[] = {
	{ { "rax", "eax", "ax", "al" }, TVM_REG(rax) },
	{ { "rbx", "ebx", "bx", "bl" }, TVM_REG(rbx) },
	{ { "rcx", "ecx", "cx", "cl" }, TVM_REG(rcx) },
	{ { "rdx", "edx", "dx", "dl" }, TVM_REG(rdx) },
	{ { "rsi", "esi", "si", "sil" }, TVM_REG(rsi) },
	{ { "rdi", "edi", "di", "dil" }, TVM_REG(rdi) },
	{ { "rsp", "esp", "sp", "spl" }, TVM_REG(rsp) },
	{ { "rbp", "ebp", "bp", "bpl" }, TVM_REG(rbp) },
	{ { "r8", "r8d", "r8w", "r8b" }, TVM_REG(r8) },
	{ { "r9", "r9d", "r9w", "r9b" }, TVM_REG(r9) },
	{ { "r10", "r10d", "r10w", "r10b" }, TVM_REG(r10) },
	{ { "r11", "r11d", "r11w", "r11b" }, TVM_REG(r11) },
	{ { "r12", "r12d", "r12w", "r12b" }, TVM_REG(r12) },
	{ { "r13", "r13d", "r13w", "r13b" }, TVM_REG(r13) },
	{ { "r14", "r14d", "r14w", "r14b" }, TVM_REG(r14) },
	{ { "r15", "r15d", "r15w", "r15b" }, TVM_REG(r15) },
};

/* Append ", name = value" for the register %@name, if it is one. */
static void reg_value(const struct tinyvmx_regs *regs, const char *name,
		      size_t len, char *out, size_t out_len)
{
	static const unsigned int bits[4] = { 64, 32, 16, 8 };
	unsigned int i, w;
	__u64 v;

	for (i = 0; i < sizeof(gprs) / sizeof(gprs[0]); i++) {
		for (w = 0; w < 4; w++) {
			if (strlen(gprs[i].name[w]) != len ||
			    strncmp(gprs[i].name[w], name, len))
				continue;
			memcpy(&v, (const char *)regs + gprs[i].offset, sizeof(v));
			if (bits[w] < 64)
				v &= (1ull << bits[w]) - 1;
			snprintf(out + strlen(out), out_len - strlen(out),
				 "%s%.*s = %#llx", out[0] ? ", " : "",
				 (int)len, name, (unsigned long long)v);
			return;
		}
	}
}

/* "rax = 0x1, r9 = 0x2": the registers @insn names, as the check saw them. */
static void reg_values(struct tvm_vcpu *vcpu, const char *insn, char *out,
		       size_t out_len)
{
	struct tinyvmx_regs regs;
	const char *p;
	size_t len;

	out[0] = '\0';
	if (tvm_vcpu_get_regs(vcpu, &regs))
		return;
	for (p = strchr(insn, '%'); p; p = strchr(p, '%')) {
		p++;
		len = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		reg_value(&regs, p, len, out, out_len);
	}
}

const char *tvm_guest_assert_failure(struct tvm_vcpu *vcpu)
{
	static __thread char buf[3 * TEXT_MAX + 128];
	static const __u8 code[RECORD_CODE] = {
		0xe6, PORT_GUEST_ASSERT, 0xf4, 0xeb, 0xfd,
	};
	const struct tinyvmx_run *run = vcpu->run;
	char file[TEXT_MAX], cc[TEXT_MAX], insn[TEXT_MAX], values[TEXT_MAX];
	struct tinyvmx_sregs sregs;
	const char *rec;
	size_t n1, n2, n3;
	__u32 line;
	__u64 at;

	if (run->exit_reason != TINYVMX_EXIT_IO ||
	    run->io.port != PORT_GUEST_ASSERT ||
	    run->io.direction != TINYVMX_IO_OUT || run->io.string)
		return NULL;
	/*
	 * The snippets run with paging off or identity-mapped (tvm_guest.h),
	 * so CS.base + RIP is also the guest-physical address of the OUT.
	 */
	if (tvm_vcpu_get_sregs(vcpu, &sregs))
		return "guest assertion failed, but its record is unreadable (GET_SREGS failed)";
	at = sregs.cs.base + run->rip;
	rec = guest_bytes(vcpu, at, RECORD_TEXT);
	if (!rec || memcmp(rec, code, sizeof(code)) ||
	    memcmp(rec + RECORD_CODE, RECORD_MAGIC, 4)) {
		snprintf(buf, sizeof(buf),
			 "OUT to the guest-assertion port %#x without GUEST_ASSERT's record at %#llx",
			 PORT_GUEST_ASSERT, (unsigned long long)at);
		return buf;
	}
	memcpy(&line, rec + RECORD_CODE + 4, sizeof(line));
	n1 = guest_string(vcpu, at + RECORD_TEXT, file);
	n2 = n1 ? guest_string(vcpu, at + RECORD_TEXT + n1, cc) : 0;
	n3 = n2 ? guest_string(vcpu, at + RECORD_TEXT + n1 + n2, insn) : 0;
	if (!n3) {
		snprintf(buf, sizeof(buf), "guest assertion failed at %#llx, line %u (its record is cut short)",
			 (unsigned long long)at, line);
		return buf;
	}
	reg_values(vcpu, insn, values, sizeof(values));
	snprintf(buf, sizeof(buf), "guest assertion failed at %s:%u: %s then %s is false%s%s%s",
		 file, line, insn, cc, values[0] ? " (" : "", values,
		 values[0] ? ")" : "");
	return buf;
}
