#!/usr/bin/env bash
# Builds and tests phonehome against the Wireshark of another Debian release,
# in a clean chroot: one series per run.
#
#   sudo bash scripts/test-in-chroot.sh trixie     # Debian 13, Wireshark 4.4
#   sudo bash scripts/test-in-chroot.sh sid        # Debian unstable, Wireshark 4.6
#
# It creates the chroot with `debootstrap --variant=minbase` from Debian's
# archive, copies this source tree into it (tracked and untracked files, not
# the build folders) with ../shared bind-mounted read-only beside it, and runs
# there, as root, what a new user runs: scripts/setup.sh (installs the
# packages with --no-install-recommends, builds, shows the doorbell report)
# and scripts/run-tests.sh (every test). It then builds that series' Debian
# packages (the plugin and its -dbgsym) with `cpack -G DEB`, installs them
# with apt, checks what root gets with no environment set (scripts/check-deb.sh:
# the plugin loaded from Wireshark's global plugin folder, the profile in its
# global profiles folder, docs, man page, debug symbols), and purges them
# again. The packages are copied to --out (default build-debs/<suite>/).
#
# Options:
#   --dir DIR    the chroot (default /var/tmp/phonehome-chroot-<suite>); it is
#                deleted and made afresh unless --reuse is given
#   --reuse      keep an existing chroot (and its installed packages) from an
#                earlier run: quicker when developing, not what CI does
#   --out DIR    where the .deb is copied
#   --mirror URL Debian mirror (default http://deb.debian.org/debian)
#   --no-tests   only set up, build and check the package
#   -- CMD...    run CMD in the source tree inside the chroot instead of the
#                tests (after setting up the chroot), e.g. -- bash
#
# The archive reachable from CI is a frozen snapshot whose sid Release file
# counts as expired, so apt in the chroot ignores Valid-Until.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }

suite=""
dir=""
reuse=0
tests=1
mirror="${PHONEHOME_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
src="$(cd "$(dirname "$0")/.." && pwd)"
out=""
cmd=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --reuse) reuse=1; shift ;;
    --out) out="$2"; shift 2 ;;
    --mirror) mirror="$2"; shift 2 ;;
    --no-tests) tests=0; shift ;;
    -h|--help) usage 0 ;;
    --) shift; cmd=("$@"); break ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [ -z "$suite" ] || usage; suite="$1"; shift ;;
  esac
done
[ -n "$suite" ] || usage
[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap and chroot need it)" >&2; exit 1; }
dir="${dir:-/var/tmp/phonehome-chroot-$suite}"
out="${out:-$src/build-debs/$suite}"

if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

log() { printf '== [%s] %s\n' "$suite" "$*"; }

# Everything mounted below the chroot, deepest first.
unmount_all() {
  local m
  for m in $(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}
trap unmount_all EXIT

unmount_all
if [ "$reuse" -eq 0 ] || [ ! -x "$dir/usr/bin/apt-get" ]; then
  rm -rf --one-file-system "$dir"
  log "debootstrap --variant=minbase $suite from $mirror"
  start=$SECONDS
  debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 \
    || { tail -n 30 "$dir.debootstrap.log"; exit 1; }
  log "chroot ready in $((SECONDS - start)) s"
fi
# A frozen snapshot's Release files may have passed their Valid-Until.
echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99phonehome-snapshot"
# No daemons start inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true

mount -t proc proc "$dir/proc"
mount -t sysfs sysfs "$dir/sys"
mount --bind /dev "$dir/dev"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$dir/dev/pts" 2>/dev/null || mount --bind /dev/pts "$dir/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$dir/dev/shm"
mount -t tmpfs -o mode=1777 tmpfs "$dir/tmp"

# The source tree as git sees it (tracked and untracked files, not ignored
# ones such as build folders), or the whole tree outside git.
rm -rf --one-file-system "$dir/src"
mkdir -p "$dir/src/phonehome" "$dir/src/shared"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard \
     | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
     | tar --null -T - -cf -) | tar -C "$dir/src/phonehome" -xf -
else
  tar -C "$src" --exclude='./build*' -cf - . | tar -C "$dir/src/phonehome" -xf -
fi
# The real-traffic captures the tests read from ../shared/captures.
if [ -d "$src/../shared" ]; then
  mount --bind "$src/../shared" "$dir/src/shared"
  mount -o remount,bind,ro "$dir/src/shared"
fi

in_chroot() {
  chroot "$dir" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM="${TERM:-dumb}" bash -c "cd /src/phonehome && $1"
}

if [ ${#cmd[@]} -gt 0 ]; then
  in_chroot 'bash scripts/setup.sh --no-demo >/dev/null' || true
  in_chroot "$(printf '%q ' "${cmd[@]}")"
  exit $?
fi

start=$SECONDS
log "scripts/setup.sh"
in_chroot 'bash scripts/setup.sh'
in_chroot 'tshark --version | head -n 1'
log "setup and build took $((SECONDS - start)) s"

if [ "$tests" -eq 1 ]; then
  start=$SECONDS
  log "scripts/run-tests.sh"
  in_chroot 'bash scripts/run-tests.sh'
  log "tests took $((SECONDS - start)) s"
fi

log "Debian packages: build, apt install, check as root with no environment, purge"
in_chroot 'bash scripts/check-deb.sh'
mkdir -p "$out"
cp "$dir"/src/phonehome/build/wireshark-plugin-phonehome_*.deb \
   "$dir"/src/phonehome/build/wireshark-plugin-phonehome-dbgsym_*.deb "$out/"
log "packages copied to $out: $(cd "$out" && ls wireshark-plugin-phonehome*.deb | tr '\n' ' ')"
