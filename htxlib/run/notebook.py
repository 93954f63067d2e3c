"""``htx report``: execute the report notebook with papermill, convert it, write the run.

The notebook runs in a kernel of the very Python that runs this module (no kernelspec to
register). Everything is first written to a staging folder inside the output folder and
moved into place only when the run succeeded, so a failed run leaves the previous report
as it was. A run manifest records parameters, checksums, versions and durations.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec
from traitlets import default

from htxlib.config import REPORT_NOTEBOOK, outputs_dir
from htxlib.fileio import os_reason
from htxlib.glossary import message, messages
from htxlib.inputs.areas import ascii_key
from htxlib.provenance import git_commit, htxlib_version
from htxlib.render import files
from htxlib.render import html as render_html
from htxlib.report.params import ParamError, Params, file_checksum, input_checksums


class ReportError(RuntimeError):
    """A run failed; the message is one readable paragraph (step, input, cell, reason).
    ``ename`` is the name of the error raised in the notebook, if any."""

    def __init__(self, text: str, ename: str = "") -> None:
        super().__init__(text)
        self.ename = ename


class SameEnvKernel(AsyncKernelManager):
    """A kernel started with ``sys.executable``, whatever kernelspecs the machine has;
    over local sockets (ipc), so nothing listens on the network."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("ip")
    def _ip_default(self) -> str:
        """The ipc sockets' path prefix: in a private temporary folder, not in the kernel's
        working folder (which may be read-only in an installed htxlib)."""
        folder = tempfile.mkdtemp(prefix="htx-kernel-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return str(Path(folder) / "kernel")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
        """The kernel's own log (its tracebacks when a run is stopped) stays out of the
        user's terminal; what a cell prints comes back through the notebook. HTX_DEBUG=1
        keeps it."""
        if not os.environ.get("HTX_DEBUG"):
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
        await super()._async_launch_kernel(kernel_cmd, **kw)

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = KernelSpec(
                argv=[sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                      "-f", "{connection_file}"],
                display_name="Python (htx)", language="python",
                env={"MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
        return self._kernel_spec


@dataclass
class RunResult:
    files: list[Path]  # every output, in the order they were moved into place
    notebook: Path
    manifest: Path
    seconds: float
    warnings: list[str] = field(default_factory=list)  # the data's first warnings, as lines
    n_warnings: int = 0

    @property
    def html(self) -> Path | None:
        return next((f for f in self.files if f.suffix == ".html"), None)


def slug(text: str) -> str:
    return "-".join(ascii_key(text).split()) or "bao-cao"


def default_out(params: Params) -> Path:
    name = params.area or (params.data.stem if params.data.is_file() else params.data.name)
    return outputs_dir() / f"{slug(name)}-{params.year}"


def recorded(nb: nbformat.NotebookNode) -> dict:
    """The facts the notebook recorded (htxlib.render.record), or {}."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if render_html.RECORD_MIME in out.get("data", {}):
                return out["data"][render_html.RECORD_MIME]
    return {}


def _fail(step: str, params: Params, out: Path, reason: str, cell: str = "",
          ename: str = "") -> ReportError:
    return ReportError(message("report_failed", step=messages()["report_steps"][step],
                               data=params.data, cell=cell, reason=reason.strip(), out=out),
                       ename)


def run_report(params: Params, out: Path | None = None,
               notebook: Path = REPORT_NOTEBOOK) -> RunResult:
    """Execute ``notebook`` for ``params`` and write its outputs (HTML, Word, Excel as
    ``params.formats`` asks), the executed notebook and the manifest. The notebook writes
    Word and Excel into the staging folder (parameter ``out_dir``); nbconvert makes the
    HTML from the executed notebook; then everything is moved into place together."""
    started, t0 = dt.datetime.now(dt.UTC), time.perf_counter()
    out = (Path(out) if out else default_out(params)).absolute()
    created = not out.exists()
    if not created and not out.is_dir():
        raise ParamError(message("param_out", path=out, detail=messages()["out_is_file"]))
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".htx-run-", dir=out))
    except OSError as exc:
        raise ParamError(message("param_out", path=out, detail=os_reason(exc))) from None
    done = False
    try:
        executed = stage / f"ke-hoach-{params.year}.ipynb"
        try:
            nb = papermill.execute_notebook(
                str(notebook), str(executed), language="python",
                parameters={**params.as_dict(), "out_dir": str(stage)},
                kernel_name="python3", kernel_manager_class=SameEnvKernel,
                progress_bar=False, log_output=False, cwd=str(Path(notebook).resolve().parent))
        except papermill.PapermillExecutionError as exc:
            cell = message("report_cell", index=exc.exec_count or exc.cell_index,
                           notebook=notebook.name)
            raise _fail("execute", params, out, exc.evalue or exc.ename, cell,
                        exc.ename) from None
        except Exception as exc:  # the kernel did not start or died
            raise _fail("execute", params, out, f"{type(exc).__name__}: {exc}") from None
        t_exec = time.perf_counter() - t0
        facts = recorded(nb)
        title = facts.get("title") or executed.stem
        documents = [stage / files.NAMES[f].format(year=params.year) for f in params.formats
                     if f in files.NAMES]
        missing = [d.name for d in documents if not d.is_file()]
        if missing:  # the notebook was changed and no longer writes them
            raise _fail("documents", params, out, ", ".join(missing))
        outputs = list(documents)
        if "html" in params.formats:
            try:
                html = render_html.to_html(nb, title)
            except Exception as exc:
                raise _fail("convert", params, out, f"{type(exc).__name__}: {exc}") from None
            page = stage / f"ke-hoach-{params.year}.html"
            page.write_text(html, encoding="utf-8")
            outputs.append(page)  # last: it is what readers open
        t_conv = time.perf_counter() - t0 - t_exec
        checksum, inputs = input_checksums(params.data)
        manifest = {
            "htxlib_version": htxlib_version(), "git_commit": git_commit() or None,
            "python": platform.python_version(), "papermill": papermill.__version__,
            "parameters": params.as_dict(),
            "resolved": {k: facts.get(k) for k in ("area_code", "area_name", "as_of",
                                                   "derived_estimate")},
            "data": {"path": str(params.data), "sha256": checksum, "files": inputs},
            "narrative": None if params.narrative is None else {
                "path": str(params.narrative), "sha256": file_checksum(params.narrative)},
            "outputs": {p.name: {"bytes": p.stat().st_size, "sha256": file_checksum(p)}
                        for p in (*outputs, executed)},
            "started": started.isoformat(timespec="seconds"),
            "durations_s": {"execute": round(t_exec, 2), "convert": round(t_conv, 2),
                            "total": round(time.perf_counter() - t0, 2)},
        }
        man = stage / "manifest.json"
        man.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        for f in (executed, man, *outputs):  # all or none: only now does anything move
            f.replace(out / f.name)
        done = True
        return RunResult([out / f.name for f in outputs], out / executed.name, out / man.name,
                         time.perf_counter() - t0, facts.get("warnings", []),
                         facts.get("n_warnings", 0))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if created and not done:  # a failed first run leaves no empty folder behind
            with contextlib.suppress(OSError):
                out.rmdir()
