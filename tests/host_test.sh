# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by the host-side shell tests in tests/: the tree's top, a
# scratch directory removed on exit, and the counting check.

# shellcheck disable=SC2034 # used by the tests that source this
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# check DESCRIPTION EXPRESSION: one counted result; EXPRESSION is evaluated.
check() {
	if eval "$2"; then pass=$((pass + 1)); echo "ok: $1"
	else fail=$((fail + 1)); echo "FAILED: $1"; fi
}

# report TAG: the line scripts/check reads; the status is the verdict.
report() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}
