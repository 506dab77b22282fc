/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INS and OUTS in every width, with and without REP, per mode
 * (string_modes_test.c): sm_<mode>_<insn> is the instruction at MARK
 * insn, then HLT. The test sets RSI/RDI/RCX/RDX, the segments and DF.
 */
#include "snippet.h"

#define STR(n, ...)	INSN_SNIPPET(n, __VA_ARGS__)

#define ALL_FORMS(m)				\
	STR(sm_##m##_outsb, outsb)		\
	STR(sm_##m##_outsw, outsw)		\
	STR(sm_##m##_outsl, outsl)		\
	STR(sm_##m##_insb, insb)		\
	STR(sm_##m##_insw, insw)		\
	STR(sm_##m##_insl, insl)		\
	STR(sm_##m##_rep_outsb, rep outsb)	\
	STR(sm_##m##_rep_outsw, rep outsw)	\
	STR(sm_##m##_rep_outsl, rep outsl)	\
	STR(sm_##m##_rep_insb, rep insb)	\
	STR(sm_##m##_rep_insw, rep insw)	\
	STR(sm_##m##_rep_insl, rep insl)

	.code16
ALL_FORMS(real)
/* The 0x67 prefix: 32-bit addressing (ESI/EDI/ECX) in real mode. */
STR(sm_real_a32_rep_outsw, addr32 rep outsw)
STR(sm_real_a32_rep_insb, addr32 rep insb)
/* A segment override for OUTS. */
STR(sm_real_fs_rep_outsb, rep outsb %fs:(%si), (%dx))

	.code32
ALL_FORMS(prot)
/* The 0x67 prefix: 16-bit addressing (SI/DI/CX) in 32-bit code. */
STR(sm_prot_a16_rep_outsb, addr16 rep outsb)
STR(sm_prot_a16_rep_insw, addr16 rep insw)
STR(sm_prot_fs_rep_outsl, rep outsl %fs:(%esi), (%dx))

	.code64
ALL_FORMS(long)
/* The 0x67 prefix: 32-bit addressing in 64-bit mode. */
STR(sm_long_a32_rep_outsl, addr32 rep outsl)
STR(sm_long_a32_rep_insw, addr32 rep insw)
STR(sm_long_fs_rep_outsb, rep outsb %fs:(%rsi), (%dx))
STR(sm_long_gs_outsw, outsw %gs:(%rsi), (%dx))
