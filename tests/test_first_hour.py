"""The analyst's first hour (issue 26, done when): from the README alone, how many HTX
each commune of the post-reform sample had at the end of 2024 and at 30/9/2025, which grew
most, drawn in the house style — through the public API, against the communes' own forms
read cell by cell; and every example of the README's Python section runs and gives what
its comment says."""

from __future__ import annotations

import ast
import datetime
import re

import pytest
from openpyxl import load_workbook

import htxlib
from htxlib.config import DATA_DIR, PROJECT_DIR
from htxlib.plot import draw

FORMS = DATA_DIR / "sample" / "ba-to-2025"


def _form_counts(code: str) -> dict[str, float]:
    """The HTX count a commune's form gives, by column header, read without htxlib."""
    sheet = load_workbook(FORMS / "submissions" / f"{code}.xlsx", read_only=True)["Biểu"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Mã chỉ tiêu")
    row = next(r for r in rows if r and r[0] == "htx_count" and r[1] is None)
    return {h: v for h, v in zip(header, row, strict=True) if isinstance(h, str)}


def test_htx_of_each_commune_at_the_end_of_2024_and_at_30_9_2025():
    s = htxlib.open_data(FORMS, as_of="30/9/2025")
    htx = s.compare("htx_count", "Quảng Ngãi", periods=[2024, "30/9/2025"])
    assert len(htx) == 8
    for _, unit in htx.iterrows():
        form = _form_counts(unit["area_code"])
        assert unit["2024"] == form["Thực hiện năm 2024"], unit["area_name"]
        assert unit["2025-09-30"] == form["Thực hiện đến ngày 30/9/2025"], unit["area_name"]
        assert unit["growth"] == unit["2025-09-30"] - unit["2024"]
    grew = htx.loc[htx["growth"].idxmax()]
    assert grew["area_name"] == "xã Ba Vì" and grew["growth"] == 1
    assert htx["growth"].sum() == 1  # the one new HTX of the sample (Ba Vì Xanh)
    assert htx["2024"].sum() == 15 and htx["2025-09-30"].sum() == 16
    shown = htxlib.vi(htx).set_index("Địa bàn")
    assert shown.loc["xã Ba Vì", "2024"] == "2" and shown.loc["xã Ba Vì", "30/9/2025"] == "3"
    assert shown.loc["xã Ba Vì", "Tăng, giảm"] == "1"

    chart = htxlib.plot_compare(htx)
    assert chart.style == str(draw.STYLE)
    assert chart.data["label"].iloc[:2].tolist() == ["xã Ba Vì 2024", "xã Ba Vì 30/9/2025"]
    assert chart.data["value"].iloc[:2].tolist() == [2.0, 3.0]
    assert "năm 2024 và đến 30/9/2025" in chart.caption
    assert chart.image().startswith(b"\x89PNG")


def _blocks() -> list[str]:
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("## Dùng trong Python/Jupyter", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_readme_python_examples_run_and_give_what_they_say(monkeypatch):
    monkeypatch.chdir(PROJECT_DIR)  # the README's examples run in the project folder
    blocks = _blocks()
    assert len(blocks) >= 2
    scope: dict = {}
    said = 0
    for block in blocks:
        for node in ast.parse(block).body:
            line = block.splitlines()[node.lineno - 1]
            source = ast.get_source_segment(block, node)
            comment = line[len(source):].partition("#")[2].strip()
            if isinstance(node, ast.Expr) and node.lineno == node.end_lineno and comment:
                try:
                    expected = eval(comment, {"datetime": datetime})
                except (SyntaxError, NameError):
                    expected = None  # a comment in words, not a result
                got = eval(compile(ast.Expression(node.value), "README", "eval"), scope)
                if expected is not None:
                    assert got == expected, source
                    said += 1
            else:
                exec(compile(ast.Module([node], []), "README", "exec"), scope)
    assert said >= 5


@pytest.mark.parametrize("name", sorted(htxlib.__all__))
def test_every_public_name_has_a_docstring_with_what_it_does(name):
    obj = getattr(htxlib, name)
    assert (obj.__doc__ or "").strip(), name
