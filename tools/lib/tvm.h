/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libtinyvmx: thin wrappers over the /dev/tinyvmx ioctls.
 *
 * Every call returns 0 (or a file descriptor) on success and -errno on
 * failure, and leaves a message with the failing call and its context in
 * tvm_strerror() so that tools can say more than "Invalid argument".
 */
#ifndef TVM_H
#define TVM_H

#include <linux/tinyvmx.h>

#define TVM_DEV_PATH	"/dev/tinyvmx"

/* The message describing the last failed call of this thread. */
const char *tvm_strerror(void);

/* Open /dev/tinyvmx read-write, close-on-exec. */
int tvm_open_dev(void);

/* TINYVMX_GET_API_VERSION on the device fd. */
int tvm_api_version(int dev_fd);

#endif /* TVM_H */
