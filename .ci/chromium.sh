#!/usr/bin/env bash
# Make headless Chromium available for htxlib.browser (offline page checks and screenshots):
# Debian's chromium plus DejaVu (full Vietnamese diacritic coverage; the font fontconfig
# falls back to on a bare system). HTX_CHROMIUM may point at another Chromium instead.
set -euo pipefail
exec bash "$(dirname "$0")/debian.sh" chromium chromium fonts-dejavu-core
