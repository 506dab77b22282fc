/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the tinyvmx selftests.
 */
#ifndef TVM_TEST_H
#define TVM_TEST_H

#include <fcntl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "tvm.h"

/*
 * Open /dev/tinyvmx or skip the test, saying what is missing. The device
 * is absent when the module refused to load (no VMX, or VMX disabled by
 * the firmware): the module's own log line says which.
 */
#define TVM_OPEN_DEV_OR_SKIP(fd)					\
	do {								\
		(fd) = tvm_open_dev();					\
		if ((fd) < 0)						\
			SKIP(return, "%s; the kernel log says why the "	\
			     "module is not loaded (no VMX?)",		\
			     tvm_strerror());				\
	} while (0)

#endif /* TVM_TEST_H */
