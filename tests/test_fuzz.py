"""Every reader under random structural damage (issue 25): ``htx validate`` and ``htx
indicators`` end in exit 0, 1 or 2 with Vietnamese messages, never an internal error, a
traceback or a library's English text; a CSV htx writes holds nothing a spreadsheet would
run; damage that doubles or hides a value is never silent.

The inputs are the corpus bases (``tests/fixtures/mini`` with an estimates sheet added,
``tests/fixtures/forms``) with one file damaged as ``tests/damage.py`` draws it: a CSV
sheet, the workbook they make, a unit's form as a workbook, the unit list and crosswalk with
loops. The command runs in this process (``htxlib.cli.main``), as a user runs it.

Examples per test come from the hypothesis profile named by ``HYPOTHESIS_PROFILE``: ``fast``
(the default: a few examples, the same on every run, for CI) or ``long`` (hundreds, new ones
each run, by hand: ``HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py``).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from htxlib.cli import main
from htxlib.glossary import resource, sheets
from htxlib.inputs.submission import spec
from tests.damage import (
    BookStyle,
    CsvStyle,
    book_styles,
    csv_styles,
    damage_grid,
    form_grid,
    grid_damage,
    read_grid,
    write_book,
    write_csv_grid,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = "10/6/2024"
_COMMON = {"deadline": None, "database": None,
           "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("fast", max_examples=8, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=300, **_COMMON)
FUZZ = settings(settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast")))

INTERNAL = resource("cli.yaml")["internal_error"].split("{")[0]
PYTHON_NAMES = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Warning)\b|BadZipFile|Errno")
# Words of the libraries' messages; the fuzzed values are drawn without ASCII letters but e
# and x, so none of these can come from the data.
ENGLISH = re.compile(r"\b(?:the|The|is|not|cannot|could|invalid|Invalid|expected|found|"
                     r"error|failed|line|column|file|File|unable|Unable|unexpected|zip|"
                     r"encoding|codec|decode|index|out of range|NaN|None|nan)\b")
LIVE = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*([eE][+-]?[0-9]+)?$")  # a number written as text
ESTIMATES = ("Địa bàn,Năm,Mã chỉ tiêu,Phân tổ,Số ước thực hiện,Ghi chú\n"
             "Ba Tơ,2024,htx_count,,3,\nBa Tơ,2024,htx_members,,62,Dự kiến\n"
             "Ba Tơ,2024,htx_revenue,Nông nghiệp,1.300,\n")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def assert_clean(code: int, out: str, names: list[str]) -> None:
    """Exit 0, 1 or 2; every word Vietnamese; an unreadable input named; an error shown."""
    shown = f"exit {code}\n{out[:3000]}"
    assert code in (0, 1, 2), shown
    assert "Traceback" not in out and INTERNAL not in out, shown
    assert not PYTHON_NAMES.search(out), shown
    assert not ENGLISH.search(out), shown
    if code == 2:
        assert any(n in out for n in names), shown
    if code == 1:
        assert re.search(r"^LỖI", out, re.M), shown


def assert_inert(path: Path) -> None:
    """No cell of a CSV htx wrote starts as a formula would, unless it is a number."""
    if not path.exists():
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            for cell in row:
                assert not (cell.startswith(LIVE) and not NUMBER.match(cell)), (path, cell)


def _check(capsys: pytest.CaptureFixture[str], data: Path, names: list[str]) -> str:
    """``htx validate`` (with its problems CSV) and ``htx indicators`` on ``data``; the
    validate output."""
    problems = data.parent / "problems.csv"
    code, out = _run(capsys, "validate", str(data), "--problems", str(problems))
    assert_clean(code, out, names)
    assert_inert(problems)
    table = data.parent / "indicators.csv"
    code2, out2 = _run(capsys, "indicators", str(data), "--as-of", AS_OF, "--out", str(table))
    assert_clean(code2, out2, names)
    assert_inert(table)
    return out


def _copy(base: str, into: Path) -> Path:
    target = into / "data"
    shutil.copytree(FIXTURES / base, target)
    if base == "mini":
        (target / "estimates.csv").write_text(ESTIMATES, encoding="utf-8")
    return target


BASE_FILES = {"mini": ["organisations.csv", "records.csv", "support.csv", "targets.csv",
                       "areas.csv", "estimates.csv"],
              "forms": ["areas.csv", "crosswalk.csv", "submissions/21484.csv",
                        "submissions/21490.csv"]}


@FUZZ
@given(base=st.sampled_from(sorted(BASE_FILES)), pick=st.integers(0, 10), ops=grid_damage(),
       style=csv_styles())
def test_csv_damage(capsys, base, pick, ops, style) -> None:
    """One CSV file of a folder input (a sheet, the unit list, the crosswalk, a long-CSV
    form) damaged in its grid and in how it is written."""
    with tempfile.TemporaryDirectory() as tmp:
        data = _copy(base, Path(tmp))
        name = BASE_FILES[base][pick % len(BASE_FILES[base])]
        grid = damage_grid(read_grid(data / name), ops)
        write_csv_grid(data / name, grid, style)
        _check(capsys, data, [Path(name).name, str(data)])


def mini_grids(into: Path) -> dict[str, list[list[str]]]:
    """The sheets of the mini input (and its estimates), as the grids of a workbook."""
    data = _copy("mini", into)
    return {sheets()[s].title: read_grid(data / sheets()[s].file)
            for s in ("organisations", "records", "support", "targets", "areas", "estimates")}


@FUZZ
@given(pick=st.integers(0, 10), ops=grid_damage(typed=True), style=book_styles())
def test_workbook_damage(capsys, pick, ops, style) -> None:
    """The mini input as one workbook, one sheet damaged (first, so merged ranges and
    formulas land in it), the file written in many ways."""
    with tempfile.TemporaryDirectory() as tmp:
        grids = mini_grids(Path(tmp) / "src")
        title = list(grids)[pick % len(grids)]
        grids = {title: damage_grid(grids[title], ops),
                 **{t: g for t, g in grids.items() if t != title}}
        path = write_book(Path(tmp) / "du-lieu", grids, style)
        _check(capsys, path, [path.name])


FORM_EXTENSIONS = (".xlsx", ".xlsx", ".xlsm", ".xls", ".XLSX", ".ods", ".xlsb", ".txt")


@FUZZ
@given(ops=grid_damage(typed=True), style=book_styles(FORM_EXTENSIONS))
def test_form_damage(capsys, ops, style) -> None:
    """A unit's form as a workbook, damaged: its grid, its cells, its file."""
    with tempfile.TemporaryDirectory() as tmp:
        data = _copy("forms", Path(tmp))
        form = data / "submissions" / "21490.csv"
        grid = damage_grid(form_grid(form), ops)
        form.unlink()
        path = write_book(data / "submissions" / "21490", {spec()["sheet"]: grid}, style)
        _check(capsys, data, [path.name])


@st.composite
def hierarchies(draw) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """New parents for some units (loops allowed) and crosswalk rows (loops allowed)."""
    moves = draw(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=3))
    cross = draw(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20),
                                    st.sampled_from(["01/7/2025", "01/1/2024", "", "x"])),
                          max_size=4))
    return moves, cross


@FUZZ
@given(base=st.sampled_from(["mini", "forms"]), edges=hierarchies())
def test_hierarchy_loops(capsys, base, edges) -> None:
    """Parents and crosswalk rows pointing anywhere, loops included: a loop is an error
    naming its units."""
    moves, cross = edges
    with tempfile.TemporaryDirectory() as tmp:
        data = _copy(base, Path(tmp))
        areas = read_grid(data / "areas.csv")
        codes = [r[0] for r in areas[1:]]
        for unit, parent in moves:
            areas[1 + unit % len(codes)][4] = codes[parent % len(codes)]
        write_csv_grid(data / "areas.csv", areas, CsvStyle())
        header = [sheets()["crosswalk"].by_name[c].header
                  for c in ("old_code", "new_code", "effective")]
        walk = read_grid(data / "crosswalk.csv") if base == "forms" else [header]
        walk += [[codes[a % len(codes)], codes[b % len(codes)], when] for a, b, when in cross]
        write_csv_grid(data / "crosswalk.csv", walk, CsvStyle())
        out = _check(capsys, data, ["areas.csv", "crosswalk.csv"])
        firsts: dict[str, str] = {}
        for old, new, _ in walk[1:]:
            firsts.setdefault(old, new)  # a later row of the same old unit is an error
        if any(old == new for old, new in firsts.items()):  # A → A
            assert "Các dòng chuyển đổi tạo thành vòng" in out, out


@st.composite
def hidden_values(draw) -> tuple[str, str, int, int]:
    """One damage that doubles or hides a value: (where, how, row, column)."""
    where = draw(st.sampled_from(["csv", "book", "form"]))
    how = draw(st.sampled_from(["dup_row", "merge", "formula", "no_code"]
                               if where == "form" else ["dup_row", "merge", "formula"]
                               if where == "book" else ["dup_row"]))
    return where, how, draw(st.integers(0, 10**4)), draw(st.integers(0, 10**4))


@FUZZ
@given(pick=st.integers(0, 10), damage=hidden_values())
def test_a_doubled_or_hidden_value_is_never_silent(capsys, pick, damage) -> None:
    """A data row copied below itself, cells merged over a figure, a formula saved without
    its result, figures without their code: each is named, never counted twice or lost."""
    where, how, a, b = damage
    with tempfile.TemporaryDirectory() as tmp:
        if where == "form":
            data = _copy("forms", Path(tmp))
            form = data / "submissions" / "21490.csv"
            grid, top = form_grid(form), spec()["header_row"]
            rows = [i for i, r in enumerate(grid) if i >= top and any(
                v != "" for v in r[len(spec()["columns"]):])]
            r, c = rows[a % len(rows)], len(spec()["columns"]) + 1
            form.unlink()
            if how == "no_code":
                grid[r][0] = ""
            if how == "dup_row":
                grid.append(list(grid[r]))
            style = BookStyle(merges=((r, c, 2, 1),) if how == "merge" else (),
                              formulas=((r, c, False),) if how == "formula" else ())
            write_book(data / "submissions" / "21490", {spec()["sheet"]: grid}, style)
            sheet = spec()["sheet"]
        elif where == "book":
            grids = mini_grids(Path(tmp) / "src")
            title = list(grids)[pick % len(grids)]
            grid = grids[title]
            r, c = 1 + a % (len(grid) - 1), b % len(grid[0])
            if how == "dup_row":
                grid.insert(r + 1, list(grid[r]))
            style = BookStyle(merges=((r - 1, c, 2, 1),) if how == "merge" else (),
                              formulas=((r, c, False),) if how == "formula" else ())
            data = write_book(Path(tmp) / "du-lieu",
                              {title: grid, **{t: g for t, g in grids.items() if t != title}},
                              style)
            sheet = title
        else:
            data = _copy("mini", Path(tmp))
            name = BASE_FILES["mini"][pick % len(BASE_FILES["mini"])]
            grid = read_grid(data / name)
            r = 1 + a % (len(grid) - 1)
            grid.insert(r + 1, list(grid[r]))
            write_csv_grid(data / name, grid, CsvStyle())
            sheet = next(s.title for s in sheets().values() if s.file == name)
        out = _check(capsys, data, [])
        assert re.search(rf"^(LỖI|CẢNH BÁO) \[{re.escape(sheet)}\], dòng ", out, re.M), out
