# Quick start: `make report` and `make test` each set everything up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    ?= outputs

.PHONY: setup browser office test lint report narrative screenshot template docs bench bench-report bench-submissions bench-batch clean docx-picture docx-pictures

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "htx needs Python >= 3.11; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Headless Chromium (Debian package) for the offline browser check of the report.
browser:
	bash .ci/chromium.sh

# LibreOffice and poppler-utils (Debian packages) for the Word plan printed as PDF pages.
office:
	bash .ci/office.sh

test: setup lint browser office
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check htxlib tests benchmarks notebooks
	$(BIN)/python -m htxlib.docs --check

SAMPLE := data/sample/ba-to
# The main job on the bundled Ba Tơ sample: the 2025 plan (as of 10/6/2024) as HTML, Word
# and Excel, with its executed notebook and run manifest; the indicator table; the empty
# input workbook.
report: setup
	$(BIN)/htx report $(SAMPLE) --year 2025 --as-of 2024-06-10 \
		--narrative $(SAMPLE)/thuyet-minh-2025.md --out $(OUT)/ba-to-2025
	$(BIN)/htx indicators $(SAMPLE) --as-of 2024-06-10 --area "Ba Tơ" \
		--out $(OUT)/ba-to-2025/indicators.csv
	@test -e $(OUT)/mau-nhap-lieu.xlsx || $(BIN)/htx template $(OUT)/mau-nhap-lieu.xlsx
	@echo
	@echo "Xong. Các tệp kết quả nằm trong thư mục $(OUT)/ba-to-2025/:"
	@echo "  ke-hoach-2025.html  trang HTML, mở bằng trình duyệt (không cần mạng)"
	@echo "  ke-hoach-2025.docx  dự thảo kế hoạch Word, để sửa và ký"
	@echo "  phu-luc-2025.xlsx   phụ lục Excel gửi cấp trên"
	@echo "  indicators.csv      bảng chỉ tiêu (CSV, mở được bằng Excel)"
	@echo "Sổ tính nhập liệu trống: $(OUT)/mau-nhap-lieu.xlsx (không ghi đè nếu đã có)."

# A new narrative file for the sample (to start another year's text from).
narrative: setup
	$(BIN)/htx narrative $(SAMPLE) --year 2025 --as-of 2024-06-10 \
		--out $(OUT)/thuyet-minh-moi.md --force

# The README's screenshot of the sample report (needs `make report` first).
screenshot: browser
	$(BIN)/python -m htxlib.browser $(OUT)/ba-to-2025/ke-hoach-2025.html \
		--screenshot docs/report-screenshot.png --size 1100x2600

template: setup
	@test -e $(OUT)/mau-nhap-lieu.xlsx || $(BIN)/htx template $(OUT)/mau-nhap-lieu.xlsx

docs: setup
	$(BIN)/python -m htxlib.docs

bench: setup
	$(BIN)/python benchmarks/bench_indicators.py

bench-report: setup
	$(BIN)/python benchmarks/bench_report.py

# One form per commune of the country (3,300), read and checked, then added up.
bench-submissions: setup
	$(BIN)/python benchmarks/bench_submissions.py

# htx batch: the sample's 20 areas and 200 national areas against the single-report floor.
bench-batch: setup
	$(BIN)/python benchmarks/bench_batch.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# The README's pictures of page 1 of xã Ba Vì's three documents of the reporting year.
POST := data/sample/ba-to-2025
docx-pictures: setup office
	$(BIN)/htx report $(POST) --area 21529 --year 2026 --edition mid-year --format docx --out $(OUT)/pictures
	$(BIN)/htx report $(POST) --area 21529 --year 2027 --format docx --out $(OUT)/pictures
	$(BIN)/htx report $(POST) --area 21529 --year 2026 --edition year-end --format docx --out $(OUT)/pictures
	cd $(OUT)/pictures && soffice --headless --convert-to pdf *.docx
	for f in bao-cao-6-thang-2026 ke-hoach-2027 bao-cao-nam-2026; do \
		pdftoppm -png -r 70 -f 1 -l 1 -singlefile $(OUT)/pictures/$$f.pdf docs/docx-$$f-ba-vi; done

# The README's picture of the Word plan's page 1 (needs `make report` first).
docx-picture: office
	soffice --headless --convert-to pdf --outdir $(OUT)/ba-to-2025 $(OUT)/ba-to-2025/ke-hoach-2025.docx
	pdftoppm -png -r 70 -f 1 -l 1 -singlefile $(OUT)/ba-to-2025/ke-hoach-2025.pdf docs/docx-page-1
