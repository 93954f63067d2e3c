#!/usr/bin/env bash
# Make LibreOffice (headless, Writer only) and poppler-utils available for the check of the
# Word plan as printed pages: .docx -> PDF (soffice) -> text and PNG (pdftotext, pdftoppm).
# Liberation fonts are metric-compatible with Times New Roman, so pages break as in Word.
set -euo pipefail
exec bash "$(dirname "$0")/debian.sh" "soffice pdftoppm pdftotext pdfinfo" \
  libreoffice-writer-nogui poppler-utils fonts-liberation
