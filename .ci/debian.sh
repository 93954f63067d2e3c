#!/usr/bin/env bash
# Install Debian packages when the commands a check needs are missing; idempotent.
#   bash .ci/debian.sh "cmd1 cmd2" pkg1 pkg2 ...
# Used by chromium.sh (the offline browser check) and office.sh (the Word plan as PDF).
set -euo pipefail
commands=$1; shift

missing=()
for c in $commands; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "debian.sh: $commands present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "debian.sh: ${missing[*]} missing and apt-get is not available; install $* yourself." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "debian.sh: installing ${missing[*]} needs root or sudo; as root run:" \
    "apt-get install --no-install-recommends $*" >&2
  exit 1
fi

"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends "$@"
echo "debian.sh: installed $*"
