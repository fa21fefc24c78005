#!/usr/bin/env bash
# Print the configuration an installation uses: etc/gannet/gannet.toml (every key at its
# documented default) with the model and rules pointed at /etc/gannet, where the Debian
# package and a hand installation put them. build-deb.sh ships its output; by hand:
#
#   packaging/packaged-config.sh > /etc/gannet/gannet.toml
set -euo pipefail
readonly PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
out=$(sed -e 's|^model = ""$|model = "/etc/gannet/model.gmodel"|' \
          -e 's|^rules = ""$|rules = "/etc/gannet/rules.gannet"|' \
          "$ROOT/etc/gannet/gannet.toml")
grep -q '^model = "/etc/gannet/model.gmodel"$' <<< "$out" || { echo "$PROG: gannet.toml has no 'model = \"\"' line to point at the model" >&2; exit 1; }
grep -q '^rules = "/etc/gannet/rules.gannet"$' <<< "$out" || { echo "$PROG: gannet.toml has no 'rules = \"\"' line to point at the rules" >&2; exit 1; }
printf '%s\n' "$out"
