"""The analysts' notebooks run top to bottom on both samples (the district's records and
the province's forms), through the public API only, and show what their Vietnamese text
says they show. A cell's error fails the test."""

from __future__ import annotations

import json
import re

import papermill
import pytest

from htxlib.config import DATA_DIR, NOTEBOOKS_DIR
from htxlib.run.notebook import SameEnvKernel

CASES = {"ba-to": {"DATA": str(DATA_DIR / "sample" / "ba-to"), "AREA": "Ba Tơ",
                   "AS_OF": "10/6/2024"},
         "ba-to-2025": {"DATA": str(DATA_DIR / "sample" / "ba-to-2025"),
                        "AREA": "Quảng Ngãi", "AS_OF": "30/9/2025"}}


def run(name: str, case: str, tmp_path) -> list[dict]:
    """The outputs of each code cell, in order, of notebook ``name`` run on ``case``."""
    nb = papermill.execute_notebook(str(NOTEBOOKS_DIR / name), str(tmp_path / name),
                                    parameters=CASES[case], kernel_manager_class=SameEnvKernel,
                                    progress_bar=False, language="python",
                                    kernel_name="python3", cwd=str(NOTEBOOKS_DIR))
    cells = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, errors
    return [c.get("outputs", []) for c in cells]


def _html(outputs: list[dict]) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in outputs)


def _rows(html: str) -> int:
    return len(re.findall(r"<tr>\s*<th>\d+</th>", html))


@pytest.mark.parametrize("case", CASES)
def test_the_exploration_notebook_answers_an_analysts_questions(case, tmp_path):
    outputs = run("explore.ipynb", case, tmp_path)
    everything = _html([o for cell in outputs for o in cell])
    assert "Phiên làm việc htx" in everything
    assert "Tổng số hợp tác xã" in everything and "Loại số liệu" in everything
    assert "org_type" not in everything and ".000000" not in everything
    pngs = sum("image/png" in o.get("data", {}) for cell in outputs for o in cell)
    assert pngs == 3  # three charts of the analyst's own
    exhibits = _html(outputs[-1])  # the report's, each under its caption
    assert "Bảng 1." in exhibits and exhibits.count("data:image/png;base64") >= 2
    assert exhibits.count("<figcaption>") == exhibits.count("data:image/png")


def test_the_forms_notebook_shows_who_sent_and_who_is_missing(tmp_path):
    outputs = run("forms.ipynb", "ba-to-2025", tmp_path)
    shown = [_html(cell) for cell in outputs]
    sent = next(h for h in shown if "Biểu của ngày số liệu" in h)
    assert _rows(sent) == 8 and sent.count("Đã gửi") == 8 and "21529.xlsx" in sent
    missing = shown[-1]
    assert "88 rows × 5 columns" in missing and "Chưa gửi" in missing  # pandas shows 10
    assert "xã Ya Ly" in missing and "xã Ba Vì" not in missing
    assert any("submission_missing" in h for h in shown)  # what the checks found
    assert any("Tổng số hợp tác xã" in h and "tỉnh Quảng Ngãi" in h for h in shown)


def test_the_forms_notebook_runs_on_records_too(tmp_path):
    """An office whose data are records has no forms: nothing sent, nothing missing."""
    outputs = run("forms.ipynb", "ba-to", tmp_path)
    assert _rows(_html(outputs[-1])) == 0


@pytest.mark.parametrize("name", ["explore.ipynb", "forms.ipynb"])
def test_the_analysts_notebooks_use_the_public_api_only(name):
    import htxlib

    nb = json.loads((NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert re.findall(r"^\s*(?:from|import) .*$", code, re.M) == ["import htxlib"]
    used = set(re.findall(r"htxlib\.(\w+)", code))
    assert used and used <= set(htxlib.__all__)
    texts = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Mở dữ liệu" in texts  # the text the analyst reads is Vietnamese
