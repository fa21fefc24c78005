#!/usr/bin/env bash
# Build the Gannet Debian package.
#
#   build-deb.sh [--version VERSION] [--maintainer "NAME <EMAIL>"] [--out DIR] [--binary PATH]
#
# Builds gannet in release mode with the Swift runtime linked in statically
# (--static-swift-stdlib), so the target machine needs no Swift toolchain;
# libmilter and libsystemd stay shared system libraries, and dpkg-shlibdeps
# turns the binary's needs into Depends. --binary packages an already built
# binary instead (it must be such a static-stdlib build). Prints the path of
# the .deb. Needs dpkg-deb and dpkg-shlibdeps (dpkg-dev); no root.
set -euo pipefail

readonly PROG=${0##*/}
readonly ROOT=$(cd "$(dirname "$0")/.." && pwd)
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }

version=0.1.0
maintainer="Gannet maintainers <gannet@localhost>"
out=$ROOT/.build/deb
binary=
while (($#)); do
    case $1 in
        --version) version=$2; shift 2 ;;
        --maintainer) maintainer=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --binary) binary=$2; shift 2 ;;
        *) die "usage: $PROG [--version VERSION] [--maintainer \"NAME <EMAIL>\"] [--out DIR] [--binary PATH]" ;;
    esac
done
for tool in dpkg-deb dpkg-shlibdeps strip; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install dpkg-dev binutils)"
done

if [[ -z $binary ]]; then
    # A scratch path of its own: SwiftPM locks its build directory for a whole command, so
    # this must not share .build with a running "swift test" (the package test calls this
    # script), and the static link would otherwise be redone for every benchmark build.
    build=(swift build -c release --static-swift-stdlib --package-path "$ROOT" --scratch-path "$ROOT/.build/static" --product gannet)
    "${build[@]}" >&2
    binary=$("${build[@]}" --show-bin-path)/gannet
fi
[[ -x $binary ]] || die "no binary at $binary"
# A binary that still needs the toolchain's runtime would not start on the target.
if ldd "$binary" | grep -q 'libswift\|libFoundation\|libdispatch'; then
    die "$binary links the Swift runtime dynamically; build it with --static-swift-stdlib"
fi

arch=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/gannet
install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/lib/gannet" "$stage/lib/systemd/system" \
    "$stage/etc/gannet" "$stage/usr/share/doc/gannet" "$stage/usr/share/gannet/grafana" "$stage/usr/share/gannet/prometheus"

install -m 0755 "$binary" "$stage/usr/bin/gannet"
strip --strip-unneeded "$stage/usr/bin/gannet"
install -m 0755 "$ROOT/packaging/release-held.sh" "$stage/usr/lib/gannet/release-held.sh"
for unit in gannet.service gannet-release.path gannet-release.service gannet-retrain.service gannet-retrain.timer; do
    install -m 0644 "$ROOT/systemd/$unit" "$stage/lib/systemd/system/$unit"
done

# The packaged configuration names the installed model and rules; everything else is the
# documented default (the same file a hand installation uses).
"$ROOT/packaging/packaged-config.sh" > "$stage/etc/gannet/gannet.toml"
install -m 0644 "$ROOT/etc/gannet/rules.gannet" "$stage/etc/gannet/"
chmod 0644 "$stage/etc/gannet/gannet.toml"
printf '/etc/gannet/gannet.toml\n/etc/gannet/rules.gannet\n' > "$stage/DEBIAN/conffiles"
# The shipped model is data, not configuration: postinst links the model in service to it
# until gannet deploy installs one of the site's own.
install -m 0644 "$ROOT/etc/gannet/model.gmodel" "$stage/usr/share/gannet/model.gmodel"

install -m 0644 "$ROOT/packaging/grafana/gannet.json" "$stage/usr/share/gannet/grafana/"
install -m 0644 "$ROOT/packaging/prometheus/gannet-alerts.yml" "$stage/usr/share/gannet/prometheus/"
gzip -9n < "$ROOT/README.md" > "$stage/usr/share/doc/gannet/README.md.gz"
# gannet(8), from the command-line interface itself (swift-argument-parser's plugin), in a
# scratch path of its own for the same reason as the static build.
built=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}" +%F)
install -d "$work/man" "$stage/usr/share/man/man8"
swift package --package-path "$ROOT" --scratch-path "$ROOT/.build/manual" --allow-writing-to-directory "$work/man" \
    generate-manual --output-directory "$work/man" --section 8 --date "$built" >&2
[[ -s $work/man/gannet.8 ]] || die "no manual page generated"
gzip -9n < "$work/man/gannet.8" > "$stage/usr/share/man/man8/gannet.8.gz"
install -m 0644 "$ROOT/packaging/debian/copyright" "$stage/usr/share/doc/gannet/copyright"
# Gannet is its own upstream: a native package, whose changelog is changelog.gz.
printf 'gannet (%s) unstable; urgency=medium\n\n  * Package built from the Gannet source tree.\n\n -- %s  %s\n' \
    "$version" "$maintainer" "$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}")" \
    | gzip -9n > "$stage/usr/share/doc/gannet/changelog.gz"
for script in postinst prerm postrm; do
    install -m 0755 "$ROOT/packaging/debian/$script" "$stage/DEBIAN/$script"
done

# dpkg-shlibdeps reads debian/control of a source tree; give it a minimal one.
install -d "$work/src/debian"
printf 'Source: gannet\n\nPackage: gannet\nArchitecture: any\n' > "$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O "$stage/usr/bin/gannet" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[[ -n $shlibs ]] || die "dpkg-shlibdeps found no dependencies for the binary"
[[ $shlibs == *libmilter* && $shlibs == *libsystemd* ]] || die "expected libmilter and libsystemd among the dependencies, got: $shlibs"

sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" -e "s|@DEPENDS@|$shlibs, adduser, postfix|" \
    -e "s|@SIZE@|$(du -sk --exclude=DEBIAN "$stage" | cut -f1)|" \
    "$ROOT/packaging/debian/control" > "$stage/DEBIAN/control"

mkdir -p "$out"
deb=$out/gannet_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2
echo "$deb"
