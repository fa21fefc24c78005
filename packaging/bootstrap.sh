#!/usr/bin/env bash
# Install what a fresh Debian 12 needs to build, run and test Gannet.
# Non-interactive and idempotent: a re-run with everything present does no
# apt work. Run as root.
set -euo pipefail

readonly PROG=${0##*/}
PACKAGES=(
    libmilter-dev libsystemd-dev     # milter and sd_notify headers
    postfix swaks miltertest         # MTA and test clients
    sqlite3 libsqlite3-dev           # state store
    libssl-dev openssl               # TLS to Redis; openssl makes the tests' certificates
    redis-server                     # baselines shared by a fleet (tests)
    procps python3                   # test helpers
    chromium                         # renders gannet eval's report.html in a test
    prometheus                       # promtool checks and unit-tests the alert rules
    dpkg-dev binutils                # build-deb.sh: dpkg-shlibdeps, strip
)

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }

((EUID == 0)) || die "must run as root"

# systemd-analyze is only needed to verify the unit file. The systemd package
# does not replace a container's init (that is systemd-sysv), but skip it when
# the tool is already there.
command -v systemd-analyze >/dev/null 2>&1 || PACKAGES+=(systemd)

is_installed() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]})); then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix asks these on first install; answer them so apt never prompts.
    debconf-set-selections <<'EOF'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string gannet.test
EOF
    # Keep maintainer scripts from starting the system postfix and redis:
    # tests run private instances and want the default ports free. An
    # existing policy (common in container images) is left alone.
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy"
        chmod 0755 "$policy"
        trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -q
    apt-get install -y -q -o DPkg::Lock::Timeout=300 "${missing[@]}"
else
    log "all packages already installed"
fi

# Swift comes from a toolchain tarball, not apt; it is expected in /opt/swift.
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    PATH=/opt/swift/usr/bin:$PATH
fi
if ! version=$(swift --version 2>&1); then
    die "Swift toolchain not found or broken: install it under /opt/swift and put /opt/swift/usr/bin on PATH (apt cannot provide it)"
fi
log "swift: ${version%%$'\n'*}"
log "done"
