"""Which files are the input, and their checksums: one answer for the reader, the session
cache, the run manifest and the batch's "up to date" test.

An input is a workbook, or a folder of CSV files (one per sheet) with, optionally, the
forms units send in its ``submissions/`` folder. What is read here is exactly what is
checksummed: a form that changes is a changed input wherever the question is asked.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

SUBMISSIONS = "submissions"  # the folder, inside a data folder, of units' filled forms
WORKBOOKS = (".xlsx", ".xlsm")  # the input workbook (openpyxl reads these)
BOOKS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")  # the workbooks a form may come as
FORMS = (*BOOKS, ".csv")  # a form: a workbook, or the long CSV of one or more units


def is_data_name(name: str) -> bool:
    """False for hidden files and Excel's lock files ("~$…"): never data."""
    return not name.startswith((".", "~$"))


def sheet_files(folder: Path) -> list[Path]:
    """The CSV files of a data folder, one per sheet, in name order."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() == ".csv" and is_data_name(p.name))


def forms_folder(path: str | Path | None) -> Path | None:
    """The ``submissions/`` folder of a data folder, when it has one."""
    folder = Path(path) / SUBMISSIONS if path is not None else None
    return folder if folder is not None and folder.is_dir() else None


def form_entries(folder: Path) -> tuple[list[Path], list[str], list[str]]:
    """A forms folder's forms (in name order), its subfolders and its other files (the
    reader names both; neither is read)."""
    forms, folders, others = [], [], []
    with os.scandir(folder) as entries:  # the kind of each entry without a stat of each
        found = sorted((e.name, e.is_dir()) for e in entries)
    for name, is_dir in found:
        if not is_data_name(name):
            continue
        if is_dir:
            folders.append(name)
        elif Path(name).suffix.lower() in FORMS:
            forms.append(folder / name)
        else:
            others.append(name)
    return forms, folders, others


def data_files(path: Path) -> list[Path]:
    """The files the input is read from: the workbook, or the sheets' CSV files of a folder,
    and the forms of its ``submissions/`` folder (a narrative file or notes kept beside
    them are not data)."""
    if path.is_file():
        return [path]
    forms = forms_folder(path)
    return sheet_files(path) + (form_entries(forms)[0] if forms else [])


def file_checksum(path: Path) -> str:
    """SHA-256 of one file, as ``sha256sum`` prints it."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_checksums(path: Path) -> tuple[str, list[dict]]:
    """One read of the input files (``data_files``): the SHA-256 of them all, each with its
    name, and each file's name, size and own SHA-256 (for the run manifest)."""
    whole, files = hashlib.sha256(), []
    for f in data_files(path):
        data = f.read_bytes()
        name = f.relative_to(path).as_posix() if path.is_dir() else f.name
        whole.update(name.encode() + b"\0" + data)
        files.append({"name": name, "bytes": len(data),
                      "sha256": hashlib.sha256(data).hexdigest()})
    return whole.hexdigest(), files


def data_checksum(path: Path) -> str:
    """SHA-256 of the input files together, as the report's footer shows it."""
    return input_checksums(path)[0]
