#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of scripts/bochs-screen, no emulator needed: a stand-in for
# Bochs opens a pty master of its own, as Bochs's term display does, and
# writes 256 KB into it, far past the ~20 KB at which an unread pty
# blocks its writer. It must finish with its own status, and every byte
# must reach the screen log. Prints "screen-reader: N passed, N failed".
set -uo pipefail
# shellcheck source=tests/host_test.sh
. "$(dirname "$0")/host_test.sh"

# The stand-in: 4096 lines of 63 characters and a newline, then exit 7.
cat >"$tmp/writer" <<'PERL'
use Fcntl qw(O_RDWR O_NOCTTY);
sysopen(my $m, '/dev/ptmx', O_RDWR | O_NOCTTY) or die "ptmx: $!";
my $unlock = pack('i', 0);
ioctl($m, 0x40045431, $unlock) or die "unlockpt: $!";	# TIOCSPTLCK
syswrite($m, ('x' x 63) . "\n") == 64 or die "write: $!" for 1 .. 4096;
sleep 1;	# let the reader drain it before the master goes
exit 7;
PERL
timeout 60 "$top/scripts/bochs-screen" "$tmp/screen.log" perl "$tmp/writer"
rc=$?
check "the writer ran to its end and its status came back (got $rc)" '[ $rc = 7 ]'
bytes=$(tr -d '\r' <"$tmp/screen.log" | grep -c '^x\{63\}$')
check "all 4096 lines reached the screen log (got $bytes)" '[ "$bytes" = 4096 ]'
report screen-reader
