# SPDX-License-Identifier: GPL-2.0
#
# tinyvmx top-level Makefile. Plain make builds and never installs anything.
#
#   make                 module for the running kernel (KDIR=/path for another
#                        build tree), vmrun, the example guests, the selftests
#   make KVER=6.12       the same against the test machine's 6.1 or 6.12
#                        headers; the module lands in build/6.12/tinyvmx.ko
#   make module          only the module (KDIR= or KVER= as above)
#   make modules_install the module into /lib/modules/ABI/extra through the
#                        kernel's modules_install (INSTALL_MOD_PATH=,
#                        INSTALL_MOD_DIR= honoured)
#   make tools           libtinyvmx, vmrun, bench, the guests, the unit tests
#   make selftests       the selftests (needs the kselftest harness: make deps)
#   make clean           remove everything the above built, and build/
#   make deps            install what building and testing need (Debian
#                        packages, with apt) and unpack the test kernels
#   make check           the test command (see README); runs scripts/deps
#   make unit            the host-side unit tests of vmrun's loaders
#   make demo            the main job: boot the test machine and run a guest
#   make bench           exit costs of tinyvmx against KVM, in the test machine
#                        with 6.1 and 6.12 (KVERS= narrows; see scripts/bench)
#   make vm CMD='...'    boot the test machine and run CMD in it (VM=, KVER=,
#                        FILES=dir to put in the guest's /files)
#   make lint            checkpatch --strict, sparse (C=2) and W=1, warnings fatal
#   make deb             the Debian packages tinyvmx-dkms and tinyvmx-tools, in
#                        build/deb (lintian-checked; see README "Install")
#   make help            this list

SHELL	:= /bin/bash
TOP	:= $(CURDIR)
export TVM_TOP := $(TOP)
CACHE	:= $(TOP)/.cache
VERSION	:= $(shell cat $(TOP)/VERSION)

# KDIR: the kernel to build the module for. Without KVER it is the running
# kernel's build tree, as for any out-of-tree module; KVER= picks one of the
# test machine's kernels, whose headers scripts/deps unpacks into .cache.
# Both are looked at only by the targets that build the module.
KVERS_OK := $(shell . $(TOP)/scripts/kernels.sh && echo $$TVM_KVERS)
KVERS_BAR := $(subst $() ,|,$(KVERS_OK))
ifneq ($(KVER),)
ifneq ($(KVER),$(firstword $(filter $(KVER),$(KVERS_OK))))
$(error unknown KVER '$(KVER)'; supported: $(KVERS_OK))
endif
KDIR	= $(shell . $(TOP)/scripts/kernels.sh && kver_kdir $(KVER) 2>/dev/null)
MODDIR	:= $(TOP)/build/$(KVER)
KDIR_MISSING = the test machine's $(KVER) headers are not unpacked in .cache/kernels/$(KVER); run 'make deps'
else
KDIR	?= /lib/modules/$(shell uname -r)/build
MODDIR	:= $(TOP)
ifeq ($(origin KDIR),file)
KDIR_MISSING = no headers for the running kernel $(shell uname -r) ($(KDIR)); install linux-headers-$(shell uname -r), or use KDIR=/path or KVER=$(KVERS_BAR) for the test machine's kernels
else
KDIR_MISSING = KDIR=$(KDIR) is not a kernel build tree (no Makefile there)
endif
endif
need_kdir = $(if $(wildcard $(KDIR)/Makefile),,$(error $(KDIR_MISSING)))

# Userspace is linked statically: the same binaries run on the host and in
# the test machine's initramfs, which carries no libc.
HARNESS	:= $(CACHE)/linux-source/tools/testing/selftests
export CC	?= gcc
export TVM_CFLAGS := -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
		     -I$(TOP)/include/uapi -I$(TOP)/tools/lib
export TVM_LDFLAGS := -static

.PHONY: all module modules_install tools selftests check unit demo bench vm lint deps deb \
	clean help

all: module tools selftests

help:
	@sed -n '3,/^$$/{s/^# \{0,1\}//p}' Makefile

module:
	$(need_kdir)
ifneq ($(MODDIR),$(TOP))
	@mkdir -p $(MODDIR)
	@cp -a --update Kbuild VERSION kmod include $(MODDIR)/
endif
	$(MAKE) -C $(KDIR) M=$(MODDIR) modules

# The kernel's own modules_install: /lib/modules/ABI/extra (or what
# INSTALL_MOD_DIR says), under INSTALL_MOD_PATH when set, then depmod.
# A distribution's headers carry no signing key (Debian signs its own
# modules elsewhere): then the module is installed unsigned rather than
# sign-file failing on the missing key.
modules_install: module
	$(MAKE) -C $(KDIR) M=$(MODDIR) modules_install \
		$(if $(wildcard $(KDIR)/certs/signing_key.pem),,CONFIG_MODULE_SIG_ALL=)

tools:
	$(MAKE) -C tools/lib
	$(MAKE) -C tools/vmrun
	$(MAKE) -C tools/bench
	$(MAKE) -C tests

selftests: tools $(HARNESS)/kselftest_harness.h
	$(MAKE) -C selftests HARNESS=$(HARNESS)

# Plain make installs nothing: the harness comes with Debian's
# linux-source package, which make deps installs and unpacks.
$(HARNESS)/kselftest_harness.h:
	$(error the kselftest harness is missing ($(HARNESS)); run 'make deps')

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

# Everything the targets above build: the module for KDIR through kbuild
# (and by name when that tree is gone), build/ (KVER builds, packages,
# test output), the tools, guests, unit tests and selftests. build/ may
# hold the packaging test's chroot: never remove it while something is
# mounted there.
KBUILD_OUT := *.ko *.ko.* *.mod *.mod.c *.o *.symtypes .*.cmd Module.symvers \
	modules.order .tmp_versions
clean:
	@! grep -q ' $(TOP)/build/' /proc/self/mounts || { echo "make clean: something is" \
		"still mounted under build/ (a killed scripts/pkgtest?): umount it first" >&2; exit 1; }
	-$(if $(wildcard $(KDIR)/Makefile),$(MAKE) -C $(KDIR) M=$(TOP) clean)
	rm -rf $(KBUILD_OUT)
	find kmod \( $(patsubst %,-name '%' -o,$(KBUILD_OUT)) -false \) -prune -exec rm -rf {} +
	rm -rf build
	-$(MAKE) -C tools/lib clean
	-$(MAKE) -C tools/vmrun clean
	-$(MAKE) -C tools/bench clean
	-$(MAKE) -C guests clean
	-$(MAKE) -C tests clean
	-$(MAKE) -C selftests clean
