// SPDX-License-Identifier: GPL-2.0
/*
 * The uapi's ioctls by owner, and the check that a fd refuses the ones
 * it does not own with ENOTTY (the uapi header's promise for unknown
 * commands).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "tvm.h"
#include "tvm_ioctls.h"
#include "tvm_test_util.h"

#define CMD(cmd, owner)	{ #cmd, cmd, owner }

static const struct {
	const char *name;
	unsigned long cmd;
	unsigned int owner;
} ioctls[] = {
	CMD(TINYVMX_GET_API_VERSION, TVM_FD_DEV),
	CMD(TINYVMX_CHECK_CAP, TVM_FD_DEV),
	CMD(TINYVMX_CREATE_VM, TVM_FD_DEV),
	CMD(TINYVMX_GET_RUN_SIZE, TVM_FD_DEV),
	CMD(TINYVMX_GET_SUPPORTED_CPUID, TVM_FD_DEV),
	CMD(TINYVMX_CREATE_MEM_REGION, TVM_FD_VM),
	CMD(TINYVMX_DELETE_MEM_REGION, TVM_FD_VM),
	CMD(TINYVMX_GET_MEM_REGION, TVM_FD_VM),
	CMD(TINYVMX_REGISTER_COALESCED_PORT, TVM_FD_VM),
	CMD(TINYVMX_UNREGISTER_COALESCED_PORT, TVM_FD_VM),
	CMD(TINYVMX_CREATE_VCPU, TVM_FD_VM),
	CMD(TINYVMX_GET_REGS, TVM_FD_VCPU),
	CMD(TINYVMX_SET_REGS, TVM_FD_VCPU),
	CMD(TINYVMX_GET_SREGS, TVM_FD_VCPU),
	CMD(TINYVMX_SET_SREGS, TVM_FD_VCPU),
	CMD(TINYVMX_RUN, TVM_FD_VCPU),
	CMD(TINYVMX_GET_STATS, TVM_FD_VCPU),
	CMD(TINYVMX_SET_CPUID, TVM_FD_VCPU),
	CMD(TINYVMX_GET_CPUID, TVM_FD_VCPU),
	CMD(TINYVMX_GET_MSRS, TVM_FD_VCPU),
	CMD(TINYVMX_SET_MSRS, TVM_FD_VCPU),
	CMD(TINYVMX_INJECT, TVM_FD_VCPU),
	CMD(TINYVMX_GET_FPU, TVM_FD_VCPU),
	CMD(TINYVMX_SET_FPU, TVM_FD_VCPU),
	CMD(TINYVMX_KICK, TVM_FD_VCPU),
	/* A number no command uses, and KVM's KVM_GET_API_VERSION. */
	{ "_IO(TINYVMXIO, 0x7f)", _IO(TINYVMXIO, 0x7f), TVM_FD_NONE },
	{ "_IO(0xAE, 0x00)", _IO(0xAE, 0x00), TVM_FD_NONE },
};

static const char *kind_name(unsigned int kind)
{
	return kind == TVM_FD_DEV ? "the device fd" :
	       kind == TVM_FD_VM ? "a VM fd" : "a vCPU fd";
}

/*
 * The same type and number with another size: a command of its own, which
 * no fd owns (ioctl numbers encode the argument's size).
 */
static unsigned long resized(unsigned long cmd)
{
	return _IOC(_IOC_READ | _IOC_WRITE, _IOC_TYPE(cmd), _IOC_NR(cmd),
		    _IOC_SIZE(cmd) == 8 ? 4 : 8);
}

/* @cmd on @fd: NULL when it failed with ENOTTY, else what happened. */
static const char *refused(int fd, unsigned int kind, const char *name,
			   unsigned long cmd, const char *how)
{
	static __thread char buf[160];
	static __thread __u8 arg[8192];
	long r;

	errno = 0;
	r = ioctl(fd, cmd, arg);
	if (r == -1 && errno == ENOTTY)
		return NULL;
	snprintf(buf, sizeof(buf), "%s%s on %s: %s", name, how,
		 kind_name(kind), tvm_result_name(r, errno));
	return buf;
}

const char *tvm_ioctls_refused(int fd, unsigned int kind, unsigned int owners)
{
	const char *e = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]) && !e; i++) {
		if ((owners & TVM_FD_NONE) && ioctls[i].owner != TVM_FD_NONE) {
			e = refused(fd, kind, ioctls[i].name,
				    resized(ioctls[i].cmd), " resized");
			n++;
		}
		if (e || !(ioctls[i].owner & owners) || ioctls[i].owner == kind)
			continue;
		e = refused(fd, kind, ioctls[i].name, ioctls[i].cmd, "");
		n++;
	}
	if (!e && !n)
		return "no command to check";
	return e;
}
