"""Paths used across htxlib, in one place (like cookiecutter-data-science's config.py)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
SAMPLE_DIR = DATA_DIR / "sample" / "ba-to"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"


def outputs_dir() -> Path:
    """Where runs write by default: ``outputs/`` under the folder the user runs from (not
    the project's or site-packages' folder, which may not be hers or be writable)."""
    return Path.cwd() / "outputs"
