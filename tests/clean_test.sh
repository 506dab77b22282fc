#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of the top-level targets, in a scratch clone of the current
# commit (its .cache a link to this tree's, for the test kernels' headers):
# plain make without the running kernel's headers stops with one line that
# says what to do; make KVER=6.1 builds everything; make modules_install
# puts the module under INSTALL_MOD_PATH; make tools and make selftests
# need no KDIR; and make clean leaves nothing that git does not track,
# ignored files included, but .cache. Prints "clean: N passed, N failed".
set -uo pipefail
# shellcheck source=tests/host_test.sh
. "$(dirname "$0")/host_test.sh"
. "$top/scripts/kernels.sh"
# leftovers: what git status --ignored lists besides the .cache link.
leftovers() { git -C "$src" status --porcelain --ignored | grep -v -x -e '!! .cache' -e '!! .cache/'; }

src=$tmp/src
git clone -q "$top" "$src" && git -C "$src" checkout -q --detach "$(git -C "$top" rev-parse HEAD)"
ln -s "$(realpath "$TVM_CACHE")" "$src/.cache"
jobs=-j$(nproc)

kdir=/lib/modules/$(uname -r)/build
if [ ! -e "$kdir/Makefile" ]; then
	out=$(make -s -C "$src" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# make: /'
	check "plain make without $kdir fails (status $rc)" '[ $rc != 0 ]'
	check "... with one line naming the running kernel, KDIR= and KVER=" \
		'[ "$(echo "$out" | wc -l)" = 1 ] &&
		 echo "$out" | grep -q "no headers for the running kernel $(uname -r) .*KDIR=.*KVER="'
else
	# This host has the headers; a KDIR that is not a build tree then
	# shows the same kind of error.
	out=$(make -s -C "$src" KDIR="$tmp/none" module 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# make: /'
	check "make KDIR=(not a build tree) fails with one line (status $rc)" \
		'[ $rc != 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "KDIR=.*not a kernel build tree"'
fi

make -s "$jobs" -C "$src" KVER=6.1 >"$tmp/make.log" 2>&1
rc=$?
[ $rc = 0 ] || tail -n 20 "$tmp/make.log"
check "make KVER=6.1 builds (status $rc)" '[ $rc = 0 ]'
check "... the module in build/6.1, vmrun, the guests, the selftests" \
	'[ -f "$src/build/6.1/tinyvmx.ko" ] && [ -x "$src/tools/vmrun/vmrun" ] &&
	 [ -f "$src/guests/hello.bin" ] && [ -x "$src/selftests/smoke_test" ]'
make -s -C "$src" tools selftests >"$tmp/tools.log" 2>&1
check "make tools selftests need no KDIR" '[ $? = 0 ]'

# A build in the tree itself for a KDIR, installed the kernel's way; make
# clean below runs without that KDIR and must still remove the objects.
abi=$(kver_abi 6.1)
make -s "$jobs" -C "$src" KDIR="$(kver_kdir 6.1)" modules_install \
	INSTALL_MOD_PATH="$tmp/inst" >"$tmp/install.log" 2>&1
rc=$?
[ $rc = 0 ] || tail -n 20 "$tmp/install.log"
ko=$(find "$tmp/inst/lib/modules/$abi" -name 'tinyvmx.ko*' 2>/dev/null)
check "make KDIR=(6.1) modules_install INSTALL_MOD_PATH= (status $rc) installs ${ko#"$tmp"/inst}" \
	'[ $rc = 0 ] && [[ "$ko" =~ /lib/modules/$abi/(extra|updates)/tinyvmx\.ko ]]'
check "... and leaves tinyvmx.ko in the tree for make clean" '[ -f "$src/tinyvmx.ko" ]'
n=$(leftovers | wc -l)
check "git status --ignored lists the build output before make clean ($n lines)" '[ "$n" -gt 10 ]'

make -s -C "$src" clean >"$tmp/clean.log" 2>&1
rc=$?
[ $rc = 0 ] || cat "$tmp/clean.log"
check "make clean (status $rc)" '[ $rc = 0 ]'
left=$(leftovers)
[ -z "$left" ] || echo "$left" | sed 's/^/# left: /'
check "git status --porcelain --ignored shows nothing but .cache" '[ -z "$left" ]'
report clean
