// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers for assertion messages.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "tvm_test_util.h"

const char *tvm_errno_name(int err)
{
	static __thread char buf[24];
	const char *name = strerrorname_np(err);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

const char *tvm_result_name(long ret, int err)
{
	static __thread char buf[48];

	if (ret == -1)
		return tvm_errno_name(err);
	snprintf(buf, sizeof(buf), "success (%ld)", ret);
	return buf;
}

int tvm_try_mmap(int fd, unsigned long long offset, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);

	if (p == MAP_FAILED)
		return -1;
	munmap(p, len);
	return 0;
}
