"""Nothing live in what htx writes (issue 25): a name or note that begins with =, +, -, @, a
tab or a carriage return is written to every CSV as text a spreadsheet shows (a single quote
in front, as OWASP's "CSV Injection" advises), a number stays a number; file and folder
names made from names are valid on every system."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from htxlib.cli import main
from htxlib.fileio import NAME_LIMIT, safe_name
from htxlib.render.csvfile import write_csv
from htxlib.run.selection import Area

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIVE = ["=1+1", "=HYPERLINK(\"http://x\";\"bấm\")", "+84 912 345", "-2+3", "@SUM(A1:A2)",
        "\t=1+1", "\r=1+1", "-", "=", "--5", "＝1+1"]
PLAIN = ["-5", "-5,5", "+3", "-1.234.567,5", "1e5", "Ba Tơ", "a=b", "5-3", "", "'=x"]


def _cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("text", LIVE)
@pytest.mark.parametrize("categorical", [False, True])
def test_a_live_text_is_written_as_text(tmp_path, text, categorical):
    values = pd.Series([text, "x"], dtype="category" if categorical else object)
    write_csv(pd.DataFrame({"t": values, "n": [-5.0, 2.5]}), tmp_path / "a.csv")
    rows = _cells(tmp_path / "a.csv")
    want = text if text.startswith("＝") else f"'{text}"  # a full-width sign is not a formula
    assert rows[1] == [want, "-5"] and rows[2] == ["x", "2.5"]


@pytest.mark.parametrize("text", PLAIN)
def test_numbers_and_plain_texts_stay_as_they_are(tmp_path, text):
    write_csv(pd.DataFrame({"t": [text], "n": [-5]}), tmp_path / "a.csv")
    assert _cells(tmp_path / "a.csv")[1] == [text, "-5"]


def test_standard_output_is_inert_too(capsys):
    write_csv(pd.DataFrame({"t": ["=1+1"]}), None)
    assert capsys.readouterr().out.splitlines()[1] == "\"'=1+1\""


def test_the_problems_and_indicator_files_of_hostile_names(capsys, tmp_path):
    """Names from the data reach both CSVs htx writes: the problems list (the value and
    the message) and the indicator table (the area's name)."""
    data = Path(shutil.copytree(FIXTURES / "mini", tmp_path / "mini"))

    def edit(name: str, old: str, new: str) -> None:
        text = (data / name).read_text(encoding="utf-8")
        (data / name).write_text(text.replace(old, new), encoding="utf-8")

    (data / "areas.csv").unlink()  # units from the organisations' names: "=Ba Điền" first
    edit("organisations.csv", ",Ba Điền,", ",=Ba Điền,")
    edit("organisations.csv", ",xã Ba Điền,", ",=Ba Điền,")
    edit("support.csv", ",Ba Tơ,", ",+Ba Tơ,")
    problems, table = tmp_path / "p.csv", tmp_path / "t.csv"
    assert main(["validate", str(data), "--problems", str(problems)]) == 1
    edit("support.csv", ",+Ba Tơ,", ",Ba Tơ,")
    assert main(["indicators", str(data), "--as-of", "10/6/2024", "--out", str(table)]) == 0
    capsys.readouterr()
    said, table_cells = _cells(problems), _cells(table)
    assert "'+Ba Tơ" in [r[4] for r in said]  # Giá trị
    assert "'=Ba Điền" in [r[1] for r in table_cells]  # Địa bàn
    cells = [c for row in said + table_cells for c in row]
    assert not [c for c in cells if c and c[0] in "=+@\t\r"]
    assert not [c for c in cells if c.startswith("-") and not c[1:2].isdigit()]


@pytest.mark.parametrize(("name", "want"), [
    ("xã Ba Vì", "xã Ba Vì"),
    ("Thừa Thiên Huế", "Thừa Thiên Huế"),
    ("Tha\u0300nh pho\u0302\u0301", "Thành phố"),  # decomposed marks: NFC
    ("a/b", "a_b"), ("a\\b", "a_b"), ('<x>:"y"|?*', "_x___y____"),
    ("CON", "_CON"), ("con.txt", "_con.txt"), ("Nul", "_Nul"), ("COM1", "_COM1"),
    ("lpt9.md", "_lpt9.md"), ("COM10", "COM10"), ("CONSOLE", "CONSOLE"),
    ("x.", "x"), ("x. . ", "x"), ("...", "_"), ("", "_"), ("  ", "_"),
    ("a\tb\nc", "a_b_c"), ("z\u200bw", "z_w"), ("\x1b[31mđỏ", "_[31mđỏ"),
    ("..", "_"), ("../../etc", ".._.._etc"),
])
def test_safe_names(name, want):
    assert safe_name(name) == want


@pytest.mark.parametrize("name", ["x" * 500, "ư" * 300, "a/" * 200])
def test_long_names_are_cut(name):
    got = safe_name(name)
    assert 0 < len(got) <= NAME_LIMIT and not got.endswith((".", " "))


def test_names_stay_unique_in_a_folder():
    taken: set[str] = set()
    got = [safe_name(n, taken) for n in ["a/b", "a_b", "A_B", "a:b", "CON", "_con", "x" * 300,
                                         "x" * 301]]
    assert got[:6] == ["a_b", "a_b-2", "A_B-3", "a_b-4", "_CON", "_con-2"]
    assert len({g.casefold() for g in got}) == len(got)
    assert all(len(g) <= NAME_LIMIT for g in got)


@pytest.mark.parametrize("code", ["quảng ngãi/ba tơ/ba vì", "21529", "../x", "CON", "a:b"])
def test_batch_area_folders(code):
    folder = Area(code, "xã Ba Vì", "commune", 0).folder
    assert folder == safe_name(folder) and "/" not in folder and ":" not in folder
    assert folder.startswith("xa-ba-vi-")
