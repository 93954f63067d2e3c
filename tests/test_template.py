"""The empty input workbook: sheets, headers, drop-down lists, instructions, atomic writes."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from htxlib.glossary import Column, Sheet, catalog, enum_label, enums, sheets
from htxlib.inputs.clean import signed_columns
from htxlib.inputs.template import column_enum, lists, texts, write_template

SHEETS = list(sheets().values())
ENUM_COLUMNS = [(sh, col) for sh in SHEETS for col in sh.columns if col.type in ("enum", "bool")]
USED_ENUMS = list(dict.fromkeys(column_enum(c) for _, c in ENUM_COLUMNS))
CODES = [e["code"] for e in catalog()]


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
    header = workbook[lists].cell(row=1, column=workbook[lists][cells.split(":")[0].replace(
        "$", "")].column).value
    assert header == (col.header if col.type == "enum" else texts()["types"]["bool"])


def test_no_validation_on_other_columns(workbook: openpyxl.Workbook) -> None:
    expected = len(ENUM_COLUMNS) + 2  # and the indicator codes of targets and estimates
    total = sum(len(workbook[sh.title].data_validations.dataValidation) for sh in SHEETS)
    assert total == expected


def test_lists_sheet_has_vietnamese_headers(workbook: openpyxl.Workbook) -> None:
    """Headed as the data sheets head the columns that use each list, never by a code."""
    ws = workbook[texts()["lists_sheet"]]
    headers = [c.value for c in ws[1]]
    all_headers = {col.header for sh in SHEETS for col in sh.columns}
    assert headers == [h for h, _ in lists().values()]
    assert set(headers) <= all_headers | {texts()["types"]["bool"]}
    assert not set(headers) & (set(enums()) | {"indicator"})
    assert not any(h.isascii() for h in headers)  # Vietnamese words, not codes
    assert len(set(headers)) == len(headers)


def test_lists_sheet_holds_every_enum_a_column_uses(workbook: openpyxl.Workbook) -> None:
    ws = workbook[texts()["lists_sheet"]]
    for (header, labels), enum in zip(lists().values(), [*lists()], strict=True):
        c = _col(ws, header)
        assert [ws.cell(row=r, column=c).value for r in range(2, len(labels) + 2)] == labels
        assert ws.cell(row=len(labels) + 2, column=c).value is None
        if enum != "indicator":
            assert labels == _labels(enum)
    assert set(USED_ENUMS) | {"indicator"} == set(lists())


def test_targets_indicator_drop_down_lists_every_code(workbook: openpyxl.Workbook) -> None:
    """The codes validate accepts for a target are exactly the drop-down's (no free typing)."""
    spec = sheets()["targets"]
    ws = workbook[spec.title]
    letter = get_column_letter(_col(ws, spec.by_name["indicator"].header))
    rows = texts()["validation"]["rows"]
    found = [dv for dv in ws.data_validations.dataValidation
             if f"{letter}2:{letter}{rows}" in str(dv.sqref)]
    assert len(found) == 1
    dv = found[0]
    assert dv.type == "list" and dv.showErrorMessage and dv.errorStyle == "stop"
    assert dv.showInputMessage and dv.prompt and len(dv.prompt) <= 255
    assert texts()["instructions_sheet"] in dv.prompt
    sheet_ref, cells = dv.formula1.rsplit("!", 1)
    lists_ws = workbook[sheet_ref.strip("'")]
    values = [row[0].value for row in lists_ws[cells.replace("$", "")]]
    assert values == CODES and len(CODES) == len(set(CODES))
    head = lists_ws[cells.split(":")[0].replace("$", "")].column
    assert lists_ws.cell(row=1, column=head).value == spec.by_name["indicator"].header


def test_instructions_explain_every_indicator_code(workbook: openpyxl.Workbook) -> None:
    t = texts()["indicators"]
    rows = [tuple(r) for r in workbook[texts()["instructions_sheet"]].iter_rows(
        values_only=True)]
    head = rows.index((*t["headers"], *[None] * (len(rows[0]) - len(t["headers"]))))
    assert rows[head - 1][0] == t["title"]
    table = rows[head + 1:head + 1 + len(CODES)]
    assert [r[:3] for r in table] == [(e["code"], e["label"], e["unit"]) for e in catalog()]


def test_instructions_table(workbook: openpyxl.Workbook) -> None:
    t = texts()
    ws = workbook[t["instructions_sheet"]]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == t["title"]
    head = rows.index(tuple(t["table_headers"]))
    end = rows.index((t["indicators"]["title"], *[None] * (len(rows[0]) - 1)))
    table = {(r[0], r[1]): r for r in rows[head + 1:end] if r[0]}
    yes, no = _labels(t["bool_enum"])
    assert len(table) == sum(len(sh.columns) for sh in SHEETS)
    for sh in SHEETS:
        for col in sh.columns:
            row = table[(sh.title, col.header)]
            assert row[2] == (yes if col.required else no)
            signed = col.name in signed_columns(sh)
            assert row[3] == (t["signed_types"][col.type] if signed else t["types"][col.type])
            assert row[4] == (col.description or None)
            assert row[5] == (col.example or None)
            enum = column_enum(col)
            if (sh.name, col.name) in {("targets", "indicator"), ("estimates", "indicator")}:
                assert row[6] == t["indicators"]["allowed"]
            else:
                assert row[6] == ("; ".join(_labels(enum)) if enum else None)
    assert table[("Số liệu", "Lãi (triệu đồng)")][3] != table[("Số liệu",
                                                               "Doanh thu (triệu đồng)")][3]
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


def test_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    """A workbook perhaps already filled in is never overwritten by accident."""
    path = tmp_path / "mau.xlsx"
    write_template(path)
    path.write_bytes(before := path.read_bytes() + b"filled in")
    mtime = path.stat().st_mtime_ns
    with pytest.raises(FileExistsError) as info:
        write_template(path)
    assert Path(info.value.filename) == path and "--force" in info.value.strerror
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mau.xlsx"]


def test_overwrites_existing_file_with_force(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"not a workbook")
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
