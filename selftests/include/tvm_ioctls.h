/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every ioctl of the uapi header by the kind of fd that owns it, for the
 * tests that each kind refuses the others' commands, and commands nobody
 * owns, with ENOTTY (lib/ioctls.c).
 */
#ifndef TVM_IOCTLS_H
#define TVM_IOCTLS_H

#define TVM_FD_DEV	(1u << 0)	/* /dev/tinyvmx */
#define TVM_FD_VM	(1u << 1)
#define TVM_FD_VCPU	(1u << 2)
/*
 * Commands of no fd: an unused number, another driver's command, and
 * each uapi command's number with another size (a different command).
 */
#define TVM_FD_NONE	(1u << 3)

/*
 * Send @fd, a fd of @kind, every command owned by one of @owners (but
 * not by @kind) with a zeroed buffer as argument. NULL when each failed
 * with ENOTTY; otherwise the first that did not, e.g. "TINYVMX_RUN on a
 * VM fd: EINVAL".
 */
const char *tvm_ioctls_refused(int fd, unsigned int kind, unsigned int owners);

/* The check above as an assertion, with the culprit in the message. */
#define ASSERT_IOCTLS_REFUSED(fd, kind, owners)				\
	ASSERT_STREQ("ENOTTY for each",					\
		     ({ const char *__e = tvm_ioctls_refused(fd, kind, owners); \
			__e ? __e : "ENOTTY for each"; }))

#endif /* TVM_IOCTLS_H */
