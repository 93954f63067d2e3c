"""The run manifest (``manifest.json``): what a report was made from and what it wrote.

It records the parameters, the input's checksums, the narrative file's, htxlib's version
and sources, the outputs with their sizes and checksums, the headline figures and the
durations, so that a batch can tell a report that is up to date (``matches``) and a reader
can tell which data a document came from.
"""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from htxlib.config import OUTPUT_NAMES
from htxlib.provenance import git_commit, htxlib_version, source_fingerprint
from htxlib.report.params import Params, file_checksum


@dataclass
class Manifest:
    parameters: dict[str, Any]
    resolved: dict[str, Any]  # area code and name, as-of date, whether N's estimate is derived
    data: dict[str, Any]  # path, sha256, files (each with its own checksum)
    narrative: dict[str, str] | None
    outputs: dict[str, dict[str, Any]]  # name → bytes, sha256
    headline: dict[str, Any] = field(default_factory=dict)
    started: str = ""
    durations_s: dict[str, float] = field(default_factory=dict)
    htxlib_version: str = field(default_factory=htxlib_version)
    htxlib_sources: str = field(default_factory=source_fingerprint)
    git_commit: str | None = field(default_factory=lambda: git_commit() or None)
    python: str = field(default_factory=platform.python_version)
    papermill: str = ""

    @classmethod
    def of_run(cls, params: Params, facts: dict, inputs: tuple[str, list[dict]],
               outputs: list[Path], started: str, durations: dict[str, float]) -> Manifest:
        """The manifest of a run of ``params`` that recorded ``facts`` and wrote
        ``outputs`` (their checksums taken now)."""
        import papermill

        checksum, files = inputs
        story = params.narrative
        return cls(
            parameters=params.as_dict(),
            resolved={k: facts.get(k) for k in ("area_code", "area_name", "as_of",
                                                "derived_estimate")},
            data={"path": str(params.data), "sha256": checksum, "files": files},
            narrative=None if story is None else {"path": str(story),
                                                  "sha256": file_checksum(story)},
            outputs={f.name: {"bytes": f.stat().st_size, "sha256": file_checksum(f)}
                     for f in outputs},
            headline=facts.get("headline", {}), started=started, durations_s=durations,
            papermill=papermill.__version__)

    def write(self, folder: Path) -> Path:
        path = folder / OUTPUT_NAMES["manifest"]
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2),
                        encoding="utf-8")
        return path

    def as_dict(self) -> dict[str, Any]:
        """The JSON object, keys in the order a reader looks for them."""
        order = ["htxlib_version", "htxlib_sources", "git_commit", "python", "papermill",
                 "parameters", "resolved", "data", "narrative", "outputs", "headline",
                 "started", "durations_s"]
        d = asdict(self)
        return {k: d[k] for k in order}

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        """The manifest in ``folder`` (None: none, or one this htxlib cannot read)."""
        try:
            d = json.loads((folder / OUTPUT_NAMES["manifest"]).read_text(encoding="utf-8"))
            return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})
        except (OSError, ValueError, TypeError):
            return None

    def matches(self, params: Params, checksum: str, folder: Path,
                wanted: set[str] = frozenset()) -> bool:
        """Whether the run recorded here is the one ``params`` would make now: the same
        parameters, input, narrative file and htxlib, every output in ``folder`` unchanged
        and the ``wanted`` ones among them."""
        story = params.narrative
        return (self.parameters == params.as_dict()
                and self.data.get("sha256") == checksum
                and (self.narrative or {}).get("sha256") == (
                    file_checksum(story) if story else None)
                and self.htxlib_version == htxlib_version()
                and self.htxlib_sources == source_fingerprint()
                and wanted <= set(self.outputs)
                and all(_unchanged(folder / name, o) for name, o in self.outputs.items()))


def _unchanged(path: Path, recorded: dict) -> bool:
    try:
        return file_checksum(path) == recorded["sha256"]
    except (OSError, KeyError, TypeError):
        return False
