"""Paths used across htxlib, in one place (like cookiecutter-data-science's config.py)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
SAMPLE_DIR = DATA_DIR / "sample" / "ba-to"
OUTPUTS_DIR = PROJECT_DIR / "outputs"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
