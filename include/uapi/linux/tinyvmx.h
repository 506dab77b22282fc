/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tinyvmx: the userspace API of /dev/tinyvmx.
 */
#ifndef _UAPI_LINUX_TINYVMX_H
#define _UAPI_LINUX_TINYVMX_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TINYVMX_API_VERSION	1

#define TINYVMXIO		0xAF

/* /dev/tinyvmx: returns TINYVMX_API_VERSION. */
#define TINYVMX_GET_API_VERSION	_IO(TINYVMXIO, 0x00)

#endif /* _UAPI_LINUX_TINYVMX_H */
