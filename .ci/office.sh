#!/usr/bin/env bash
# Make LibreOffice (headless, Writer only) and poppler-utils available for the check of the
# Word plan as printed pages: .docx -> PDF (soffice) -> text and PNG (pdftotext, pdftoppm).
# Liberation fonts are metric-compatible with Times New Roman, so pages break as in Word.
# Idempotent: does nothing when soffice and pdftoppm are already on PATH.
set -euo pipefail

if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
  echo "office.sh: $(soffice --version 2>/dev/null | head -n1 || echo 'soffice present')"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "office.sh: LibreOffice or poppler-utils is missing and apt-get is not available;" \
    "install them yourself (soffice, pdftoppm, pdftotext on PATH)." >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "office.sh: installing LibreOffice needs root or sudo; as root run:" \
    "apt-get install --no-install-recommends libreoffice-writer-nogui poppler-utils" \
    "fonts-liberation" >&2
  exit 1
fi

"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-liberation
echo "office.sh: $(soffice --version 2>/dev/null | head -n1 || echo 'soffice installed')"
