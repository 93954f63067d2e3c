"""Stage 5: running the report notebook and writing its outputs atomically."""

from htxlib.run.notebook import ReportError, RunResult, SameEnvKernel, recorded, run_report

__all__ = ["ReportError", "RunResult", "SameEnvKernel", "recorded", "run_report"]
