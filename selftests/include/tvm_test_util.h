/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers for assertion messages (lib/util.c).
 */
#ifndef TVM_TEST_UTIL_H
#define TVM_TEST_UTIL_H

/* "EINVAL", "ENOTTY", ...; "errno N" for numbers libc cannot name. */
const char *tvm_errno_name(int err);
/* What a syscall-style call returned: its errno's name, or "success (N)". */
const char *tvm_result_name(long ret, int err);

#endif /* TVM_TEST_UTIL_H */
