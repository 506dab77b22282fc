// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test: the device exists, speaks the API version this tree was
 * built for, and rejects what it does not know.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "tvm_ioctls.h"
#include "tvm_test.h"

TVM_DEV_FIXTURE(dev)

TEST_F(dev, api_version)
{
	ASSERT_EQ(TINYVMX_API_VERSION, tvm_api_version(self->fd))
		TH_LOG("%s", tvm_strerror());
}

/* The version ioctl takes no argument; a stray one is a caller bug. */
TEST_F(dev, api_version_rejects_argument)
{
	ASSERT_EQ(-1, ioctl(self->fd, TINYVMX_GET_API_VERSION, 1));
	ASSERT_EQ(EINVAL, errno);
}

/*
 * Unknown numbers, another driver's command, our numbers with another
 * size: none is mistaken for a command of ours.
 */
TEST_F(dev, unknown_ioctl_is_enotty)
{
	ASSERT_IOCTLS_REFUSED(self->fd, TVM_FD_DEV, TVM_FD_NONE);
}

/* The VM's and the vCPU's commands are not the device's. */
TEST_F(dev, vm_and_vcpu_ioctls_on_dev_fd)
{
	ASSERT_IOCTLS_REFUSED(self->fd, TVM_FD_DEV, TVM_FD_VM | TVM_FD_VCPU);
}

TEST_HARNESS_MAIN
