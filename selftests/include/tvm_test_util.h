/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers for assertion messages (lib/util.c).
 */
#ifndef TVM_TEST_UTIL_H
#define TVM_TEST_UTIL_H

#include <stddef.h>

/* "EINVAL", "ENOTTY", ...; "errno N" for numbers libc cannot name. */
const char *tvm_errno_name(int err);
/* What a syscall-style call returned: its errno's name, or "success (N)". */
const char *tvm_result_name(long ret, int err);

/* A read-write shared mmap of @fd: 0 (and unmapped again) or -1 with errno. */
int tvm_try_mmap(int fd, unsigned long long offset, size_t len);

#endif /* TVM_TEST_UTIL_H */
