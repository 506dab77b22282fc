// SPDX-License-Identifier: GPL-2.0
/*
 * libtinyvmx: thin wrappers over the /dev/tinyvmx ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "tvm.h"

static __thread char tvm_msg[256];

const char *tvm_strerror(void)
{
	return tvm_msg;
}

/* Record "what: strerror(err)" and return -err. */
static int tvm_fail(int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tvm_msg, sizeof(tvm_msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(tvm_msg))
		snprintf(tvm_msg + n, sizeof(tvm_msg) - n, ": %s", strerror(err));
	return -err;
}

int tvm_open_dev(void)
{
	int fd = open(TVM_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return tvm_fail(errno, "open %s%s", TVM_DEV_PATH,
				errno == ENOENT ? " (is the tinyvmx module loaded?)" : "");
	return fd;
}

int tvm_api_version(int dev_fd)
{
	int r = ioctl(dev_fd, TINYVMX_GET_API_VERSION, 0);

	return r < 0 ? tvm_fail(errno, "TINYVMX_GET_API_VERSION") : r;
}
