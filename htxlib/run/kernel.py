"""The kernels report notebooks run in: one of the very Python that runs htx, started
afresh for ``htx report``, or kept warm between the areas of a batch.

A warm kernel is started once per worker; before each area its namespace is reset and its
execution count set back to 1, so the executed notebook is the one a fresh kernel gives,
while the interpreter, the imports and the batch's session (``htxlib.session``)
stay. papermill still injects the parameters and runs the cells: the notebook runs through
papermill's own client, given the warm kernel instead of starting one (the ``htx-warm``
engine registered here).
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from traitlets import default

from htxlib.config import setting

WARM_ENGINE = "htx-warm"
RESET = ("get_ipython().reset(new_session=True)\n"  # namespace cleared, execution count 1
         "import matplotlib.pyplot as _plt; _plt.close('all'); del _plt")


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
        if not setting("HTX_DEBUG"):
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


class WarmKernel:
    """A kernel kept between reports (one per batch worker)."""

    def __init__(self) -> None:
        self.km: SameEnvKernel | None = None
        self.kc = None

    def ready(self, prepared: str = "") -> WarmKernel:
        """Started (again, if it died), its namespace reset for the next notebook, and
        the session a batch saved into ``prepared`` kept in its process (loaded once: the
        notebook's ``Session.open`` then finds it, ``htxlib.session``)."""
        if self.km is None or not run_sync(self.km.is_alive)():
            self.stop()
            self.km = SameEnvKernel()
            run_sync(self.km.start_kernel)()
            self.kc = self.km.client()
            self.kc.start_channels()
            run_sync(self.kc.wait_for_ready)(timeout=60)
            self.kc.allow_stdin = False
        code = RESET + (f"\nimport htxlib.session as _s; _s.CACHE.load({prepared!r}); del _s"
                        if prepared else "")
        run_sync(self.kc.execute_interactive)(code, silent=True, store_history=False,
                                              timeout=600)
        return self

    def stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            run_sync(self.km.shutdown_kernel)(now=True)
        self.km = self.kc = None


class WarmEngine(NBClientEngine):
    """papermill's nbclient engine, run in a warm kernel (``warm=``) it neither starts nor
    shuts down."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                 stdout_file=None, stderr_file=None, start_timeout=60,
                                 execution_timeout=None, warm: WarmKernel | None = None,
                                 **kwargs):
        kwargs.pop("input_path", None)  # papermill's own, not the client's
        client = PapermillNotebookClient(
            nb_man, km=warm.km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=logger, log_output=log_output,
            stdout_file=stdout_file, stderr_file=stderr_file, **kwargs)
        client.kc = warm.kc
        return client.execute(cleanup_kc=False)


papermill_engines.register(WARM_ENGINE, WarmEngine)
