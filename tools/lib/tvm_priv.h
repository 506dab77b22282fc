/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libtinyvmx internals shared by its source files; not installed.
 */
#ifndef TVM_PRIV_H
#define TVM_PRIV_H

/* Record "what: strerror(err)" for tvm_strerror() and return -err. */
__attribute__((format(printf, 2, 3)))
int tvm_fail(int err, const char *fmt, ...);

#endif /* TVM_PRIV_H */
