"""The corpus of broken inputs: every case must fail (or warn) the way its case.yaml says.

Each folder of ``tests/corpus`` is one case. Its ``case.yaml`` holds:

- ``description``: one line, what is broken;
- ``base``: ``mini`` (start from a copy of ``tests/fixtures/mini``), ``forms`` (a copy of
  ``tests/fixtures/forms``: a unit list and three communes' consistent forms in
  ``submissions/``) or ``none``;
- ``input``: the path given to htx, relative to the materialised case folder
  (default: the folder itself);
- ``args``: the htx arguments before the input path (default ``["validate"]``);
- ``exit``: the expected exit status;
- ``expect``: substrings that must all appear in stdout + stderr;
- ``reject``: optional substrings that must not appear (a misleading message, English);
- ``remove``: optional files of the base to delete;
- ``make_xlsx``: optional ``{file name: {sheet title: [[cell, ...], ...]}}``, workbooks
  written with openpyxl (YAML dates become Excel date cells).

Every other file of the case folder is copied over the base (same name: replaced), folders
(``submissions/``) into the base's folder of that name.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
CORPUS = TESTS / "corpus"
BASES = {"mini": TESTS / "fixtures" / "mini", "forms": TESTS / "fixtures" / "forms",
         "none": None}
CASES = sorted(p for p in CORPUS.iterdir() if (p / "case.yaml").is_file())
KEYS = {"description", "base", "input", "args", "exit", "expect", "reject", "remove",
        "make_xlsx"}
TIMEOUT = 120
PYTHON_NAMES = re.compile(r"\b[A-Z]\w*(?:Error|Exception)\b|BadZipFile|Errno")


def _spec(case: Path) -> dict[str, Any]:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    unknown = set(spec) - KEYS
    assert not unknown, f"{case.name}/case.yaml: unknown keys {sorted(unknown)}"
    assert spec.get("base", "mini") in BASES, f"{case.name}: unknown base {spec.get('base')}"
    assert isinstance(spec.get("exit"), int), f"{case.name}: exit must be an integer"
    assert spec.get("expect"), f"{case.name}: expect must list at least one substring"
    return spec


def _make_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(str(title))
        for row in rows or []:
            ws.append(list(row) if row else [])
    book.save(path)


def materialise(case: Path, spec: dict[str, Any], into: Path) -> Path:
    """Build the case's input in ``into``; return the path to pass to htx."""
    base = BASES[spec.get("base", "mini")]
    if base is not None:
        shutil.copytree(base, into)
    else:
        into.mkdir(parents=True)
    for name in spec.get("remove") or []:
        (into / name).unlink()
    for file in case.iterdir():
        if file.is_dir():
            shutil.copytree(file, into / file.name, dirs_exist_ok=True)
        elif file.name != "case.yaml":
            shutil.copy2(file, into / file.name)
    for name, sheets in (spec.get("make_xlsx") or {}).items():
        _make_xlsx(into / name, sheets)
    return into / spec["input"] if spec.get("input") else into


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    forms = [c for c in CASES if _spec(c).get("base") == "forms"]
    assert len(forms) >= 20  # broken submissions (issue 12)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path) -> None:
    spec = _spec(case)
    target = materialise(case, spec, tmp_path / "input")
    args = [str(a) for a in spec.get("args", ["validate"])]
    command = [sys.executable, "-m", "htxlib.cli", *args[:1], str(target), *args[1:]]
    env = {k: v for k, v in os.environ.items() if k != "HTX_DEBUG"}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, timeout=TIMEOUT,
                          env=env, check=False)
    out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    shown = f"{case.name}: {spec['description']}\n$ htx {' '.join(args)} …\n{out}"
    assert "Traceback" not in out, shown
    assert not PYTHON_NAMES.search(out), f"a Python name shown to the user\n{shown}"
    assert done.returncode == spec["exit"], f"exit {done.returncode} != {spec['exit']}\n{shown}"
    missing = [s for s in spec["expect"] if str(s) not in out]
    assert not missing, f"missing {missing}\n{shown}"
    unwanted = [s for s in spec.get("reject") or [] if str(s) in out]
    assert not unwanted, f"unwanted {unwanted}\n{shown}"
