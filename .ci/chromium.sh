#!/usr/bin/env bash
# Make headless Chromium available for htxlib.browser (offline page checks and screenshots).
# Idempotent: does nothing when chromium is already on PATH. Debian's chromium plus DejaVu
# (full Vietnamese diacritic coverage; the font fontconfig falls back to on a bare system).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium.sh: $(chromium --version 2>/dev/null || echo 'chromium present')"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium.sh: chromium is missing and apt-get is not available; install Chromium" \
    "yourself or point HTX_CHROMIUM at a Chromium/Chrome binary." >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "chromium.sh: chromium is missing and installing it needs root or sudo;" \
    "as root run: apt-get install --no-install-recommends chromium fonts-dejavu-core" >&2
  exit 1
fi

"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends chromium fonts-dejavu-core
echo "chromium.sh: $(chromium --version 2>/dev/null || echo 'chromium installed')"
