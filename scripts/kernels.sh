# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by the scripts under scripts/: the kernels the test machine boots.
#
# Each supported KVER is named after a Debian 12 kernel line. The exact ABI
# (6.1.0-56, 6.12.117+deb12, ...) is resolved through Debian's metapackages
# by scripts/deps and recorded in $TVM_CACHE/kernels/$KVER/abi, because the
# archive drops old ABIs over time.

TVM_TOP=${TVM_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
TVM_CACHE=${TVM_CACHE:-$TVM_TOP/.cache}
TVM_KVERS="6.1 6.12"

# kver_meta KVER: the metapackage whose dependency names the headers of the
# current ABI of that line.
kver_meta() {
	case "$1" in
	6.1) echo linux-headers-cloud-amd64 ;;
	6.12) echo linux-headers-6.12-cloud-amd64 ;;
	*) return 1 ;;
	esac
}

kver_check() {
	if ! kver_meta "$1" >/dev/null; then
		echo "error: unknown KVER '$1'; supported: $TVM_KVERS" >&2
		return 1
	fi
}

kver_dir() { echo "$TVM_CACHE/kernels/$1"; }

# kver_abi KVER: the resolved ABI, e.g. 6.1.0-56-cloud-amd64.
kver_abi() {
	local f
	f="$(kver_dir "$1")/abi"
	if [ ! -s "$f" ]; then
		echo "error: kernel $1 is not unpacked; run scripts/deps first" >&2
		return 1
	fi
	cat "$f"
}

kver_kdir() { echo "$(kver_dir "$1")/root/usr/src/linux-headers-$(kver_abi "$1")"; }
kver_image() { echo "$(kver_dir "$1")/root/boot/vmlinuz-$(kver_abi "$1")"; }
kver_modules() { echo "$(kver_dir "$1")/root/lib/modules/$(kver_abi "$1")"; }
