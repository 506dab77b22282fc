// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers for assertion messages.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

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
