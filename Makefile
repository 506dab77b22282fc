# SPDX-License-Identifier: GPL-2.0
#
# tinyvmx top-level Makefile.
#
#   make                 module for KDIR, vmrun, the example guests, the selftests
#   make KVER=6.12       the same against the test machine's 6.12 headers;
#                        the module lands in build/6.12/tinyvmx.ko
#   make check           the test command (see README)
#   make unit            the host-side unit tests of vmrun's loaders
#   make demo            the main job: boot the test machine and run a guest
#   make bench           exit costs of tinyvmx against KVM, in the test machine
#                        with 6.1 and 6.12 (KVERS= narrows; see scripts/bench)
#   make vm CMD='...'    boot the test machine and run CMD in it (VM=, KVER=,
#                        FILES=dir to put in the guest's /files)
#   make lint            checkpatch --strict, sparse (C=2) and W=1, warnings fatal
#   make deb             the Debian packages tinyvmx-dkms and tinyvmx-tools, in
#                        build/deb (lintian-checked; see README "Install")
#   make deps            install what the above need (Debian packages)

SHELL	:= /bin/bash
TOP	:= $(CURDIR)
export TVM_TOP := $(TOP)
CACHE	:= $(TOP)/.cache
VERSION	:= $(shell cat $(TOP)/VERSION)

# KDIR: the kernel to build the module for. Without KVER it is the running
# kernel's build tree when there is one, else the test machine's 6.1
# headers that scripts/deps unpacks.
KVERS_OK := $(shell . $(TOP)/scripts/kernels.sh && echo $$TVM_KVERS)
ifneq ($(KVER),)
ifneq ($(KVER),$(firstword $(filter $(KVER),$(KVERS_OK))))
$(error unknown KVER '$(KVER)'; supported: $(KVERS_OK))
endif
KDIR	:= $(shell . $(TOP)/scripts/kernels.sh && kver_check $(KVER) && kver_kdir $(KVER))
MODDIR	:= $(TOP)/build/$(KVER)
else
KDIR	?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		$(shell . $(TOP)/scripts/kernels.sh && kver_kdir 6.1 2>/dev/null))
MODDIR	:= $(TOP)
endif

# Userspace is linked statically: the same binaries run on the host and in
# the test machine's initramfs, which carries no libc.
HARNESS	:= $(CACHE)/linux-source/tools/testing/selftests
export CC	?= gcc
export TVM_CFLAGS := -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
		     -I$(TOP)/include/uapi -I$(TOP)/tools/lib
export TVM_LDFLAGS := -static

.PHONY: all module tools selftests check unit demo bench vm lint deps deb clean help

all: module tools selftests

help:
	@sed -n '3,/^$$/{s/^# \{0,1\}//p}' Makefile

module:
	@test -n "$(KDIR)" && test -d "$(KDIR)" || { echo "error: no kernel build tree;" \
		"install your kernel's headers, set KDIR=, or run 'make deps'" >&2; exit 1; }
ifneq ($(MODDIR),$(TOP))
	@mkdir -p $(MODDIR)
	@cp -a --update Kbuild VERSION kmod include $(MODDIR)/
endif
	$(MAKE) -C $(KDIR) M=$(MODDIR) modules

tools:
	$(MAKE) -C tools/lib
	$(MAKE) -C tools/vmrun
	$(MAKE) -C tools/bench
	$(MAKE) -C tests

selftests: tools $(HARNESS)/kselftest_harness.h
	$(MAKE) -C selftests HARNESS=$(HARNESS)

$(HARNESS)/kselftest_harness.h:
	@echo "The kselftest harness comes from Debian's linux-source package."
	scripts/deps

check:
	scripts/check

deb:
	scripts/deps >/dev/null
	scripts/deb

# The host-side unit tests of vmrun's loaders (no VMX needed).
unit:
	$(MAKE) -s -C tests run

demo:
	scripts/demo

bench:
	scripts/bench

# CMD goes to the guest's shell as one word, unexpanded by make: quote it
# for ours.
guest_cmd = '$(subst ','\'',$(value CMD))'
vm:
	@test -n $(guest_cmd) || { echo "usage: make vm CMD='...' [VM=bochs|qemu|tcg]" \
		"[KVER=one of: $(KVERS_OK)] [FILES=dir]" >&2; exit 2; }
	scripts/vm $(if $(VM),--vm $(VM)) $(if $(KVER),--kver $(KVER)) \
		$(if $(FILES),--files '$(FILES)') -- $(guest_cmd)

lint:
	scripts/lint

deps:
	scripts/deps

clean:
	-$(MAKE) -C tools/lib clean
	-$(MAKE) -C selftests clean
	-test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf build
