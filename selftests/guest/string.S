/* SPDX-License-Identifier: GPL-2.0 */
/*
 * String port I/O (string_io_test.c), real mode, DS = ES = 0, DF = 0.
 *
 *   str_real:  OUTSB of [0x600] to port 0x40; REP OUTSB of the 16 bytes
 *              after it; REP INSW of 8 words to [0x700]; HLT
 *   str_big_real: REP OUTSB of 6000 bytes from [0x2000] to port 0x41
 *              (more than one exit's worth of data); HLT
 */
#include "snippet.h"

	.code16
SNIPPET(str_real)
	mov	$0x40, %dx
	mov	$0x600, %si
MARK(str_real, outsb)
	outsb
	mov	$16, %cx
MARK(str_real, rep_outsb)
	rep outsb
	mov	$0x700, %di
	mov	$8, %cx
MARK(str_real, rep_insw)
	rep insw
	hlt
END_SNIPPET(str_real)

SNIPPET(str_big_real)
	mov	$0x41, %dx
	mov	$0x2000, %si
	mov	$6000, %cx
MARK(str_big_real, rep_outsb)
	rep outsb
	hlt
END_SNIPPET(str_big_real)
