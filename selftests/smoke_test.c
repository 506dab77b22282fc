// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test: the device exists, speaks the API version this tree was
 * built for, and rejects what it does not know.
 */
#include <errno.h>
#include <sys/ioctl.h>

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

TEST_F(dev, unknown_ioctl_is_enotty)
{
	ASSERT_EQ(-1, ioctl(self->fd, _IO(TINYVMXIO, 0x7f), 0));
	ASSERT_EQ(ENOTTY, errno);
	/* Another driver's command number must not be mistaken for ours. */
	ASSERT_EQ(-1, ioctl(self->fd, _IO(0xAE, 0x00), 0));
	ASSERT_EQ(ENOTTY, errno);
}

TEST_HARNESS_MAIN
