"""The empty input workbook: sheets, headers, drop-down lists, instructions, atomic writes."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from htxlib.glossary import Column, Sheet, enum_label, enums, sheets
from htxlib.inputs.template import column_enum, texts, write_template

SHEETS = list(sheets().values())
ENUM_COLUMNS = [(sh, col) for sh in SHEETS for col in sh.columns if col.type in ("enum", "bool")]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = write_template(tmp_path_factory.mktemp("template") / "mau.xlsx")
    return openpyxl.load_workbook(path)


def _labels(enum: str) -> list[str]:
    return [enum_label(enum, code) for code in enums()[enum]]


def _col(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def test_sheet_order_and_hidden_lists(workbook: openpyxl.Workbook) -> None:
    t = texts()
    assert workbook.sheetnames == [t["instructions_sheet"], *(sh.title for sh in SHEETS),
                                   t["lists_sheet"]]
    assert workbook[t["lists_sheet"]].sheet_state == "hidden"
    assert all(workbook[sh.title].sheet_state == "visible" for sh in SHEETS)
    assert workbook.active.title == t["instructions_sheet"]


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda sh: sh.name)
def test_header_row(workbook: openpyxl.Workbook, sheet: Sheet) -> None:
    ws = workbook[sheet.title]
    assert [c.value for c in ws[1]] == [col.header for col in sheet.columns]
    assert ws.freeze_panes == "A2"
    for c, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=c)
        assert cell.font.bold
        assert cell.comment is not None and cell.comment.text == col.description
        assert (cell.fill.fill_type == "solid") == col.required
    assert ws.max_row <= texts()["formats"]["rows"]
    assert all(ws.cell(row=r, column=1).value is None for r in range(2, 20))


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda sh: sh.name)
def test_number_formats(workbook: openpyxl.Workbook, sheet: Sheet) -> None:
    ws = workbook[sheet.title]
    formats = texts()["formats"]["number_formats"]
    for c, col in enumerate(sheet.columns, start=1):
        if col.type in formats:
            assert ws.cell(row=2, column=c).number_format == formats[col.type]
            assert ws.cell(row=500, column=c).number_format == formats[col.type]
    assert formats["date"] == "dd/mm/yyyy"


@pytest.mark.parametrize(("sheet", "col"), ENUM_COLUMNS,
                         ids=[f"{sh.name}.{col.name}" for sh, col in ENUM_COLUMNS])
def test_drop_down_list(workbook: openpyxl.Workbook, sheet: Sheet,
                       col: Column) -> None:
    ws = workbook[sheet.title]
    letter = get_column_letter([c.name for c in sheet.columns].index(col.name) + 1)
    rows = texts()["validation"]["rows"]
    found = [dv for dv in ws.data_validations.dataValidation
             if f"{letter}2:{letter}{rows}" in str(dv.sqref)]
    assert len(found) == 1
    dv = found[0]
    assert dv.type == "list" and not dv.showDropDown and dv.showErrorMessage
    assert dv.error and col.header in dv.error
    lists = texts()["lists_sheet"]
    sheet_ref, cells = dv.formula1.rsplit("!", 1)
    assert sheet_ref == f"'{lists}'"
    assert not dv.formula1.startswith('"')  # no inline list: labels contain commas
    values = [row[0].value for row in workbook[lists][cells.replace("$", "")]]
    enum = column_enum(col)
    assert values == _labels(enum)
    assert workbook[lists].cell(row=1, column=_col(workbook[lists], enum)).value == enum


def test_no_validation_on_other_columns(workbook: openpyxl.Workbook) -> None:
    expected = sum(1 for _ in ENUM_COLUMNS)
    total = sum(len(workbook[sh.title].data_validations.dataValidation) for sh in SHEETS)
    assert total == expected


def test_lists_sheet_holds_every_enum(workbook: openpyxl.Workbook) -> None:
    ws = workbook[texts()["lists_sheet"]]
    for enum in enums():
        c = _col(ws, enum)
        labels = _labels(enum)
        assert [ws.cell(row=r, column=c).value for r in range(2, len(labels) + 2)] == labels
        assert ws.cell(row=len(labels) + 2, column=c).value is None


def test_instructions_table(workbook: openpyxl.Workbook) -> None:
    t = texts()
    ws = workbook[t["instructions_sheet"]]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == t["title"]
    head = rows.index(tuple(t["table_headers"]))
    table = {(r[0], r[1]): r for r in rows[head + 1:] if r[0]}
    yes, no = _labels(t["bool_enum"])
    assert len(table) == sum(len(sh.columns) for sh in SHEETS)
    for sh in SHEETS:
        for col in sh.columns:
            row = table[(sh.title, col.header)]
            assert row[2] == (yes if col.required else no)
            assert row[3] == t["types"][col.type]
            assert row[4] == (col.description or None)
            assert row[5] == (col.example or None)
            enum = column_enum(col)
            assert row[6] == ("; ".join(_labels(enum)) if enum else None)
    assert any(r[6] == f"{yes}; {no}" for r in table.values())
    text = " ".join(str(v) for r in rows[:head] for v in r if v)
    assert all(sh.title in text for sh in SHEETS if sh.optional)


def test_all_strings_nfc(workbook: openpyxl.Workbook) -> None:
    strings = list(workbook.sheetnames)
    for ws in workbook:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    strings.append(cell.value)
                if cell.comment is not None:
                    strings.append(cell.comment.text)
        for dv in ws.data_validations.dataValidation:
            strings += [dv.error, dv.errorTitle, dv.formula1]
    assert len(strings) > 200
    assert all(unicodedata.is_normalized("NFC", s) for s in strings)


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(FileExistsError):
        write_template(path)
    assert path.read_bytes() == b"not a workbook"
    assert write_template(path, force=True) == path
    assert openpyxl.load_workbook(path).sheetnames[0] == texts()["instructions_sheet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mau.xlsx"]


def test_failed_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"old contents")

    def broken_save(self, filename) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_template(path, force=True)
    assert path.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mau.xlsx"]


def test_new_directory(tmp_path: Path) -> None:
    path = write_template(tmp_path / "a" / "b" / "mau.xlsx")
    assert path.is_file()
