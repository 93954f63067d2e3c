"""The htx command: exit codes, outputs written atomically, formats."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from htxlib.cli import main
from tests.conftest import org, rec, write_input


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "htxlib.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_validate_sample_is_clean():
    r = run("validate")
    assert r.returncode == 0 and "0 lỗi, 0 cảnh báo." in r.stdout


def test_indicators_csv_has_the_required_columns(tmp_path):
    out = tmp_path / "t.csv"
    assert main(["indicators", "--as-of", "10/6/2024", "--area", "Ba Tơ", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    t = pd.read_csv(out, dtype={"Mã địa bàn": str}, encoding="utf-8-sig")
    assert {"Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Giá trị"} <= set(t.columns)
    row = t[(t["Mã chỉ tiêu"] == "htx_members") & (t["Mã địa bàn"] == "535")
            & (t["period"] == "2024-06-10") & t["breakdown"].isna()]
    assert row["Giá trị"].tolist() == [288]
    assert row["Kỳ"].tolist() == ["10/6/2024"] and row["Loại số liệu"].tolist() == ["Thực hiện"]
    assert row["Cấp"].tolist() == ["Huyện"] and row["kind"].tolist() == ["actual"]


def test_indicators_table_format_is_vietnamese(tmp_path):
    out = tmp_path / "t.txt"
    assert main(["indicators", "--area", "Ba Tơ", "--format", "table", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "10/6/2024" in text and "Tổng số thành viên hợp tác xã" in text
    assert "3.090" in text  # charter capital, grouped the Vietnamese way


def test_failed_run_leaves_the_earlier_output_in_place(tmp_path):
    out = tmp_path / "t.csv"
    out.write_text("earlier good output\n", encoding="utf-8")
    bad = write_input(tmp_path / "bad", organisations=[org("H1")],
                      records=[rec("H1", members="mười")])
    assert main(["indicators", str(bad), "--out", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "earlier good output\n"
    assert not list(tmp_path.glob(".t.csv.*"))  # no temporary file left behind


def test_validate_writes_every_problem_to_csv(tmp_path):
    bad = write_input(tmp_path / "bad", organisations=[org("H1"), org("H1")],
                      records=[rec("H1", members=-1)])
    problems = tmp_path / "p.csv"
    r = run("validate", str(bad), "--problems", str(problems))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    p = pd.read_csv(problems, encoding="utf-8-sig")
    assert {"duplicate_key", "negative"} <= set(p["Mã vấn đề"])
    assert set(p["Mức độ"]) <= {"Lỗi", "Cảnh báo"} and "Lỗi" in set(p["Mức độ"])
    assert {"Trang tính", "Dòng", "Cột", "Giá trị", "Nội dung"} <= set(p.columns)


@pytest.mark.parametrize(("args", "status", "text"), [
    (["indicators", "--as-of", "31/02/2024"], 2, "Ngày 31/2/2024 không có trong lịch"),
    (["report", "--year", "2025", "--as-of", "6/13/2024"], 2, "Có phải ngày 13/6/2024?"),
    (["narrative", "--year", "2025", "--as-of", "2024", "--out", "x.md"], 2, "Mới có năm"),
    (["indicators", "--area", "Hà Nội"], 2, "--area: Không tìm thấy địa bàn “Hà Nội”"),
    (["indicators", "--area", "Ba To"], 2, "có phải: huyện Ba Tơ (tỉnh Quảng Ngãi)"),
    (["validate", "--as-of", "hôm qua"], 2, "(--as-of) “hôm qua”"),
    (["validate", "/no/such/folder"], 2, "Không tìm thấy"),
])
def test_bad_arguments(args, status, text):
    r = run(*args)
    assert r.returncode == status and text in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(("args", "text"), [
    ([], "htx: thiếu lệnh; chọn một trong: "
         "template,submission,areas,validate,indicators,narrative,report,batch."),
    (["frob"], "htx: không có lệnh “frob”; các lệnh:"),
    (["report"], "htx report: thiếu tham số bắt buộc: --year."),
    (["report", "--year"], "htx report: tham số --year cần một giá trị."),
    (["narrative", "--year", "2025"], "htx narrative: thiếu tham số bắt buộc: --out."),
    (["narrative", "--year", "2025", "--out", "x.md", "--force=1"],
     "htx narrative: tham số --force không nhận giá trị"),
    (["validate", "--bogus"], "htx: tham số không được hỗ trợ: --bogus."),
    (["indicators", "--format", "xml"], "htx indicators: tham số --format: “xml” không hợp lệ"),
])
def test_usage_errors_are_vietnamese(args, text, capsys):
    with pytest.raises(SystemExit) as stop:
        main(args)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and text in err, err
    assert "Xem cách dùng: htx" in err and "error:" not in err


@pytest.mark.parametrize("command", ["template", "validate", "indicators", "narrative", "report"])
def test_every_command_has_vietnamese_help(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([command, "-h"])
    out = capsys.readouterr().out
    assert stop.value.code == 0 and f"Cách dùng: htx {command}" in out
    assert "usage:" not in out and "options" not in out and "show this help" not in out
    assert "sổ tính .xlsx" in out or ".xlsx sẽ ghi" in out


def test_each_argument_a_command_declares_has_its_help_in_cli_yaml():
    """Arguments live beside their command's code, their Vietnamese help in cli.yaml: the
    two name the same arguments, so no help is missing and none is left over."""
    from htxlib.cli import COMMANDS
    from htxlib.cli.parser import build_parser
    from htxlib.glossary import resource

    words = resource("cli.yaml")["commands"]
    sub = next(a for a in build_parser(COMMANDS)._actions if a.dest == "command")
    assert list(sub.choices) == list(words) == list(COMMANDS)
    for name, parser in sub.choices.items():
        declared = [a.option_strings[-1] if a.option_strings else a.dest
                    for a in parser._actions if a.dest != "help"]
        assert declared == list(words[name]["args"]), name


def test_template_round_trip(tmp_path):
    out = tmp_path / "mau.xlsx"
    r = run("template", str(out))
    assert r.returncode == 0 and out.exists()
    r = run("validate", str(out))  # the empty template: no organisation yet
    assert r.returncode == 1 and "Sheet không có dòng dữ liệu nào" in r.stderr


def test_unreadable_csv_file_is_input_error(tmp_path, monkeypatch, capsys):
    folder = write_input(tmp_path, organisations=[org("H1")], records=[rec("H1", members=5)])
    real = type(folder).read_bytes

    def locked(self):
        if self.name == "records.csv":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(type(folder), "read_bytes", locked)
    assert main(["validate", str(folder)]) == 2
    assert "records.csv" in capsys.readouterr().err


def test_template_never_overwrites_a_workbook_without_force(tmp_path):
    book = tmp_path / "mau.xlsx"
    book.write_bytes(b"filled in by hand")
    r = run("template", str(book))
    assert r.returncode == 2 and "đã có" in r.stderr and "--force" in r.stderr
    assert book.read_bytes() == b"filled in by hand"
    assert run("template", str(book), "--force").returncode == 0
    assert book.read_bytes().startswith(b"PK")  # now a workbook


@pytest.mark.parametrize("command", [
    ["indicators", "{data}", "--out", "{data}/records.csv"],
    ["validate", "{data}", "--problems", "{data}/organisations.csv"],
    ["narrative", "{data}", "--year", "2025", "--force", "--out", "{data}/targets.csv"],
])
def test_no_command_writes_over_an_input_file(command, tmp_path):
    import shutil

    from htxlib.config import SAMPLE_DIR

    data = shutil.copytree(SAMPLE_DIR, tmp_path / "data")
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    r = run(*[a.format(data=data) for a in command])
    assert r.returncode == 2 and "tệp dữ liệu đầu vào" in r.stderr, r.stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag):
    from htxlib.provenance import htxlib_version

    r = run(flag)
    assert r.returncode == 0 and r.stdout.strip() == f"htx {htxlib_version()}"


@pytest.mark.parametrize("command", [
    ["template", "{out}/mau.xlsx"],
    ["indicators", "--out", "{out}/chi-tieu.csv"],
    ["validate", "--problems", "{out}/loi.csv"],
    ["narrative", "--year", "2025", "--out", "{out}/thuyet-minh.md"],
    ["report", "--year", "2025", "--out", "{out}/bao-cao"],
])
def test_an_output_under_a_file_is_a_vietnamese_error(command, tmp_path, capsys):
    """A folder in the output path that is a file: exit 2, the path and the reason in
    Vietnamese, no traceback and no "internal error"."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    status = main([a.format(out=blocker) for a in command])
    err = capsys.readouterr().err
    assert status == 2, err
    assert str(blocker) in err and "là tệp, không phải thư mục" in err
    assert "Traceback" not in err and "nội bộ" not in err and "Errno" not in err
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(("code", "words"), [
    ("ENOSPC", "ổ đĩa đã đầy"), ("EACCES", "không có quyền"), ("EROFS", "chỉ cho đọc"),
    ("ENOENT", "không có tệp"), ("EIO", "Input/output error"),  # unlisted: the system's
])
def test_system_refusals_are_explained(code, words):
    import errno
    import os

    from htxlib.fileio import os_reason

    number = getattr(errno, code)
    assert words in os_reason(OSError(number, os.strerror(number), "x"))
