"""Paths used across htxlib, in one place (like cookiecutter-data-science's config.py).

In a checkout the report notebook and the sample live in ``notebooks/`` and ``data/``; an
installed wheel carries copies of both under ``htxlib/resources/`` (symbolic links in the
repository, followed when the wheel is built), so ``htx report`` works from any folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"


def _checkout_or_package(in_checkout: Path, in_package: Path) -> Path:
    return in_checkout if in_checkout.exists() else in_package


SAMPLE_DIR = _checkout_or_package(DATA_DIR / "sample" / "ba-to",
                                  RESOURCES_DIR / "sample" / "ba-to")
REPORT_NOTEBOOK = _checkout_or_package(NOTEBOOKS_DIR / "report.ipynb",
                                       RESOURCES_DIR / "report.ipynb")


# The files a run writes besides its documents (whose names are the edition's,
# resources/editions.yaml ``files``): the run manifest of every report, and a batch's.
OUTPUT_NAMES = {"manifest": "manifest.json", "index_html": "index.html",
                "index_csv": "index.csv", "batch": "batch.json",
                "batch_session": ".htx-batch-data.pickle"}


def outputs_dir() -> Path:
    """Where runs write by default: ``outputs/`` under the folder the user runs from (not
    the project's or site-packages' folder, which may not be hers or be writable)."""
    return Path.cwd() / "outputs"
