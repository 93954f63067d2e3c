"""``htx report``: execute the report notebook with papermill, convert it, write the run.

The notebook runs in a kernel of the very Python that runs this module (no kernelspec to
register, ``htxlib.run.kernel``): a fresh one for ``htx report``, a warm one kept between
the areas of a batch, or none at all when a batch is asked for no notebooks (the report is
then built in the worker itself and its page made from the same fragments the notebook
would show). Everything is first written to a staging folder inside the output folder and
moved into place only when the run succeeded, all or nothing (``htxlib.staging``), so a
failed run leaves the previous report as it was. A run manifest records parameters,
checksums, versions and durations.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill

from htxlib import staging
from htxlib.config import REPORT_NOTEBOOK, outputs_dir
from htxlib.errors import HtxError, status_of
from htxlib.fileio import os_reason, safe_name
from htxlib.glossary import message, messages
from htxlib.inputs.areas import ascii_key
from htxlib.render import files
from htxlib.render import html as render_html
from htxlib.report.edition import DEFAULT
from htxlib.report.params import ParamError, Params, input_checksums
from htxlib.run.kernel import WARM_ENGINE, SameEnvKernel, WarmKernel
from htxlib.run.manifest import Manifest
from htxlib.timing import Timer


class ReportError(HtxError, RuntimeError):
    """A run failed; the message is one readable paragraph (step, input, cell, reason).
    ``ename`` is the name of the error raised in the notebook, if any: its exit status is
    the run's (``errors.status_of``; 3 when the notebook itself failed)."""

    def __init__(self, text: str, ename: str = "") -> None:
        super().__init__(text)
        self.ename = ename
        self.exit_status = status_of(ename)


@dataclass
class RunResult:
    files: list[Path]  # every output, in the order they were moved into place
    notebook: Path | None  # the executed notebook (None: a batch asked for none)
    manifest: Path
    seconds: float
    warnings: list[str] = field(default_factory=list)  # the data's first warnings, as lines
    n_warnings: int = 0
    facts: dict = field(default_factory=dict)  # what the report recorded (render.html.facts)
    timings: dict[str, float] = field(default_factory=dict)  # seconds by stage

    @property
    def html(self) -> Path | None:
        return next((f for f in self.files if f.suffix == ".html"), None)


def slug(text: str) -> str:
    return "-".join(ascii_key(text).split()) or "bao-cao"


def default_out(params: Params) -> Path:
    name = params.area or (params.data.stem if params.data.is_file() else params.data.name)
    stem = str(params.year) if params.edition == DEFAULT else params.document.files[
        "page"].format(year=params.year)  # a report's folder names the report
    return outputs_dir() / safe_name(f"{slug(name)}-{stem}")


def recorded(nb: nbformat.NotebookNode) -> dict:
    """The facts the notebook recorded (htxlib.render.record), or {}."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if render_html.RECORD_MIME in out.get("data", {}):
                return out["data"][render_html.RECORD_MIME]
    return {}


def _fail(step: str, params: Params, out: Path, reason: str, cell: str = "",
          ename: str = "", kept: str = "") -> ReportError:
    """The paragraph of a failed run; ``kept``: what became of the previous report (by
    default, that it is untouched)."""
    return ReportError(message("report_failed", step=messages()["report_steps"][step],
                               data=params.data, cell=cell, reason=reason.strip(),
                               kept=kept or message("report_kept", out=out)), ename)


def run_report(params: Params, out: Path | None = None, notebook: Path = REPORT_NOTEBOOK,
               *, kernel: WarmKernel | None = None, notebooks: bool = True,
               inputs: tuple[str, list[dict]] | None = None,
               today: dt.date | None = None, prepared: str = "") -> RunResult:
    """Execute ``notebook`` for ``params`` and write its outputs (HTML, Word, Excel as
    ``params.formats`` asks), the executed notebook and the manifest: in a staging folder
    (the notebook writes Word and Excel there, parameter ``out_dir``; nbconvert makes the
    HTML from the executed notebook), then all moved into place together.

    ``kernel``: a warm kernel to run in (a batch worker's); ``notebooks=False`` builds the
    report here, with no notebook; ``inputs``: the input's checksums when already known;
    ``today``: the date the documents carry (None: the day of the run; only without a
    notebook, as the golden documents of the tests are made); ``prepared``: the session a
    batch saved (``Session.open``)."""
    timer, started, t0 = Timer(), dt.datetime.now(dt.UTC), time.perf_counter()
    names = params.document.names(params.year)
    with _folders(params, out) as (out, stage):
        executed = stage / names["ipynb"] if notebooks else None
        if executed is None:
            nb = _in_process(params, stage, today, prepared)
        else:
            nb = _execute(params, notebook, executed, stage, out, kernel, prepared)
        t_exec = time.perf_counter() - t0
        facts = recorded(nb)
        outputs = _documents(params, stage, out, names)
        if "html" in params.formats:
            with timer.timed("render"):
                outputs.append(_page(params, nb, facts, stage / names["html"], out))
        t_conv = time.perf_counter() - t0 - t_exec
        with timer.timed("write"):
            kept = [*outputs, *([executed] if executed else [])]
            man = Manifest.of_run(
                params, facts, inputs or input_checksums(params.data), kept,
                started.isoformat(timespec="seconds"),
                {"execute": round(t_exec, 2), "convert": round(t_conv, 2),
                 "total": round(time.perf_counter() - t0, 2)}).write(stage)
            _commit(params, stage, [*kept, man], out)
    spent = {**facts.get("timings", {})}
    for stage_, seconds in timer.take().items():
        spent[stage_] = round(spent.get(stage_, 0.0) + seconds, 3)
    return RunResult([out / f.name for f in outputs], out / executed.name if executed else None,
                     out / man.name, time.perf_counter() - t0, facts.get("warnings", []),
                     facts.get("n_warnings", 0), facts, spent)


@contextlib.contextmanager
def _folders(params: Params, out: Path | None) -> Iterator[tuple[Path, Path]]:
    """The output folder (made if need be) and a staging folder inside it, removed after;
    a failed first run leaves no empty output folder behind."""
    out = (Path(out) if out else default_out(params)).absolute()
    created = not out.exists()
    if not created and not out.is_dir():
        raise ParamError(message("param_out", path=out, detail=messages()["out_is_file"]))
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = staging.make_stage(out)
    except OSError as exc:
        raise ParamError(message("param_out", path=out, detail=os_reason(exc))) from None
    done = False
    try:
        yield out, stage
        done = True
    finally:
        staging.discard(stage)
        if created and not done:
            with contextlib.suppress(OSError):
                out.rmdir()


def _documents(params: Params, stage: Path, out: Path, names: dict[str, str]) -> list[Path]:
    """The Word and Excel files the notebook wrote (a notebook changed so that it no
    longer writes them is a failed run)."""
    documents = [stage / names[f] for f in params.formats if f in files.WRITERS]
    missing = [d.name for d in documents if not d.is_file()]
    if missing:
        raise _fail("documents", params, out, ", ".join(missing))
    return documents


def _page(params: Params, nb: nbformat.NotebookNode, facts: dict, page: Path,
          out: Path) -> Path:
    """The HTML page of the executed notebook (nbconvert, the htx template)."""
    try:
        html = render_html.to_html(nb, facts.get("title") or page.stem)
    except Exception as exc:  # noqa: BLE001 - said as the run's conversion step
        raise _fail("convert", params, out, f"{type(exc).__name__}: {exc}") from None
    page.write_text(html, encoding="utf-8")
    return page


def _commit(params: Params, stage: Path, outputs: list[Path], out: Path) -> None:
    """All or none: only now does anything move into ``out`` (``htxlib.staging``)."""
    try:
        staging.commit(stage, [f.name for f in outputs], out)
    except staging.CommitError as exc:
        raise _fail("write", params, out, exc.reason, ename="OutputError",
                    kept="" if exc.restored else exc.outcome) from None


def _execute(params: Params, notebook: Path, executed: Path, stage: Path, out: Path,
             kernel: WarmKernel | None, prepared: str = "") -> nbformat.NotebookNode:
    """The notebook run by papermill: in a fresh kernel, or in ``kernel`` kept warm."""
    how = ({"engine_name": WARM_ENGINE, "warm": kernel.ready(prepared)} if kernel else
           {"kernel_manager_class": SameEnvKernel})
    try:
        return papermill.execute_notebook(
            str(notebook), str(executed), language="python",
            parameters={**params.as_dict(), "out_dir": str(stage)}, kernel_name="python3",
            progress_bar=False, log_output=False, cwd=str(Path(notebook).resolve().parent),
            **how)
    except papermill.PapermillExecutionError as exc:
        cell = message("report_cell", index=exc.exec_count or exc.cell_index,
                       notebook=notebook.name)
        raise _fail("execute", params, out, exc.evalue or exc.ename, cell,
                    exc.ename) from None
    except Exception as exc:  # the kernel did not start or died
        raise _fail("execute", params, out, f"{type(exc).__name__}: {exc}") from None


def _in_process(params: Params, stage: Path, today: dt.date | None = None,
                prepared: str = "") -> nbformat.NotebookNode:
    """The report built here, its documents written into ``stage``, and a notebook holding
    what the report notebook's cells display: the facts it records and the page's
    fragments, from which nbconvert makes the same page. Errors are the notebook's
    (ParamError, DataError, NarrativeError) and reach the caller as they are."""
    from htxlib.session import Session

    plan = Session.open(params, prepared=prepared).report(today=today)
    files.write(plan, params.formats, stage)
    outputs = [{"text/html": render_html.fragment(plan, what)}
               for what in ("head", "phan-1", "phan-2", "footer")]
    outputs.append({render_html.RECORD_MIME: render_html.facts(plan)})
    cells = [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data=data)]) for data in outputs]
    return nbformat.v4.new_notebook(cells=cells)
