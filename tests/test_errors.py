"""One error path (``htxlib.errors``): every error a user can act on has its exit status
and its paragraph, and the command line, the batch and a notebook's caller say it alike."""

from __future__ import annotations

import errno

import pytest

from htxlib import cli
from htxlib.cli.shared import UsageError
from htxlib.errors import EXIT_BUG, EXIT_DATA, EXIT_INPUT, HtxError, explain, status_of
from htxlib.fileio import OutputError
from htxlib.inputs.problems import InputError
from htxlib.inputs.scope import DataError, ScopeError
from htxlib.report.params import ParamError
from htxlib.report.writeup import NarrativeError
from htxlib.run.notebook import ReportError
from htxlib.run.worker import paragraph

ERRORS = [(DataError, EXIT_DATA), (InputError, EXIT_INPUT), (ScopeError, EXIT_INPUT),
          (ParamError, EXIT_INPUT), (NarrativeError, EXIT_INPUT), (OutputError, EXIT_INPUT),
          (UsageError, EXIT_INPUT)]


@pytest.mark.parametrize(("cls", "status"), ERRORS)
def test_each_error_has_its_status_in_every_path(cls, status, monkeypatch, capsys):
    exc = cls("Thông báo thử.")
    assert isinstance(exc, HtxError) and explain(exc)[1] == status
    assert status_of(cls.__name__) == status  # raised in a notebook, known by its name
    assert ReportError("Lập báo cáo không được.", cls.__name__).exit_status == status
    monkeypatch.setattr(cli.validate, "run", lambda args: (_ for _ in ()).throw(exc))
    assert cli.main(["validate"]) == status
    err = capsys.readouterr().err
    assert "Thông báo thử." in err and "Traceback" not in err
    assert "Thông báo thử." in paragraph(exc)


def test_an_unreadable_input_is_said_with_its_lead_in():
    text, status = explain(InputError("tệp không phải sổ tính."))
    assert text == "Không đọc được dữ liệu đầu vào: tệp không phải sổ tính." and status == 2


def test_a_refused_write_names_the_path_and_the_reason():
    exc = PermissionError(errno.EACCES, "Permission denied", "/khong/ghi/duoc")
    text, status = explain(exc)
    assert "“/khong/ghi/duoc”" in text and status == EXIT_INPUT and "Permission" not in text
    assert status_of("PermissionError") == EXIT_INPUT


@pytest.mark.parametrize("goes_on", [False, True])
def test_a_fault_of_htx_is_an_internal_error_and_the_only_exit_3(goes_on):
    text, status = explain(KeyError("x"), "report", goes_on=goes_on)
    assert status == EXIT_BUG and "Lỗi nội bộ của htx" in text and "KeyError" in text
    assert ("các địa bàn khác vẫn được lập" in text) == goes_on
    assert status_of("KeyError") == status_of("") == EXIT_BUG


def test_every_error_class_of_htx_is_an_htx_error():
    """No user-facing error outside the one path: each class named ...Error in htxlib
    derives from HtxError (the internal ones are listed)."""
    import importlib
    import inspect
    import pkgutil

    import htxlib

    internal = {"Unreadable", "MissingFigure", "BrowserUnavailable", "CommitError"}
    found = {}
    for mod in pkgutil.walk_packages(htxlib.__path__, "htxlib."):
        if mod.name.startswith("htxlib.synth") or mod.name.endswith(".__main__"):
            continue
        module = importlib.import_module(mod.name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == mod.name and issubclass(obj, Exception):
                found[name] = obj
    outside = {n for n, c in found.items() if not issubclass(c, HtxError)} - internal
    assert not outside, outside
