#!/usr/bin/env bash
# Print the configuration an installation uses: etc/gannet/gannet.toml (every key at its
# documented default) with the rules pointed at /etc/gannet and the model at the one in
# service in /var/lib/gannet (a link to the shipped /usr/share/gannet/model.gmodel until
# gannet deploy replaces it: /etc/gannet is not the daemon user's to write), where the
# Debian package and a hand installation put them. build-deb.sh ships its output; by hand:
#
#   packaging/packaged-config.sh > /etc/gannet/gannet.toml
set -euo pipefail
readonly PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
out=$(sed -e 's|^model = ""$|model = "/var/lib/gannet/model.gmodel"|' \
          -e 's|^rules = ""$|rules = "/etc/gannet/rules.gannet"|' \
          "$ROOT/etc/gannet/gannet.toml")
grep -q '^model = "/var/lib/gannet/model.gmodel"$' <<< "$out" || { echo "$PROG: gannet.toml has no 'model = \"\"' line to point at the model" >&2; exit 1; }
grep -q '^rules = "/etc/gannet/rules.gannet"$' <<< "$out" || { echo "$PROG: gannet.toml has no 'rules = \"\"' line to point at the rules" >&2; exit 1; }
printf '%s\n' "$out"
