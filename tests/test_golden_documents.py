"""The documents themselves, held still: every run is compared with the golden parts
committed in ``tests/golden/<case>/`` (see ``tests/golden.py``).

A difference fails with a readable diff. When a change to the documents is on purpose,
rewrite them with ``pytest tests/test_golden_documents.py --update-golden`` and explain
the diff in the commit.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.report import params
from htxlib.run.notebook import run_report
from tests import golden

GOLDEN = Path(__file__).parent / "golden"
DIFF_LINES = 120  # of a failing part's diff, printed

CASES = {
    # the bundled district sample: plan 151's year, with its narrative file
    "ba-to-2025": ({"data": SAMPLE_DIR, "year": 2025, "as_of": "10/6/2024",
                    "narrative": SAMPLE_DIR / "thuyet-minh-2025.md"}, dt.date(2024, 7, 22)),
    # a commune formed on 1/7/2025 by merging three, from its form alone
    "ba-vi-2026": ({"data": DATA_DIR / "sample" / "ba-to-2025", "area": "21529",
                    "year": 2026, "as_of": "30/9/2025"}, dt.date(2025, 10, 15)),
    # its report on 2026, to the state's annual date (the default: the latest of 2026)
    "ba-vi-bao-cao-nam-2026": ({"data": DATA_DIR / "sample" / "ba-to-2025", "area": "21529",
                                "year": 2026, "edition": "year-end"}, dt.date(2026, 12, 15)),
    # the province's six-month report on 2026, added up from its communes' forms
    "quang-ngai-bao-cao-6-thang-2026": ({"data": DATA_DIR / "sample" / "ba-to-2025",
                                         "area": "51", "year": 2026, "edition": "mid-year"},
                                        dt.date(2026, 6, 20)),
}


COMMIT = "0123456789abcdef"  # the commit the page's footer names: each commit's own


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, dict[str, str]]:
    """The golden parts of each case, made now."""
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("htxlib.report.assemble.git_commit", lambda: COMMIT)
        for case, (args, day) in CASES.items():
            folder = tmp_path_factory.mktemp(case)
            run_report(params.check(**args), folder, notebooks=False, today=day)
            out[case] = golden.parts(folder)
    return out


def committed(case: str) -> dict[str, str]:
    root = GOLDEN / case
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_documents_are_the_golden_ones(case, made, request):
    now = made[case]
    if request.config.getoption("--update-golden"):
        root = GOLDEN / case
        for name in set(committed(case)) - set(now) if root.exists() else ():
            (root / name).unlink()
        for name, text in now.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    before = committed(case)
    assert sorted(now) == sorted(before), "the parts of the documents changed"
    changed = [name for name in now if now[name] != before[name]]
    diffs = []
    for name in changed:
        lines = list(difflib.unified_diff(before[name].splitlines(), now[name].splitlines(),
                                          f"golden/{case}/{name}", "this run", lineterm="",
                                          n=2))
        diffs.append("\n".join(lines[:DIFF_LINES]) + (
            f"\n… {len(lines) - DIFF_LINES} more lines" if len(lines) > DIFF_LINES else ""))
    assert not changed, ("documents differ from the golden ones (rewrite on purpose with "
                         "--update-golden):\n" + "\n\n".join(diffs))
