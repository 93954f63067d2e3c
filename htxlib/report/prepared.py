"""The data of a report, opened, checked and computed once per process.

A report needs its input read and checked, the as-of date chosen and the indicator values
of every unit computed (``indicator_values``); the area's own table is a cheap cut of
them. A process that makes many reports of the same data — a batch worker, or the kernel
it keeps between areas — pays for that once: ``prepare`` keeps the last prepared data,
keyed by the input's files (name, size, modification time) and the year and as-of date.
A batch prepares the data once for all its workers: ``save`` writes it beside the
outputs and ``HTX_PREPARED`` names the file, which ``prepare`` loads instead of reading
the input again when its key matches.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from htxlib.glossary import message
from htxlib.indicators import indicator_values
from htxlib.indicators.checks import estimate_problems
from htxlib.indicators.values import Values
from htxlib.inputs.problems import Problems
from htxlib.inputs.registry import Registry, open_registry
from htxlib.inputs.scope import data_dates, require_ok
from htxlib.provenance import source_fingerprint
from htxlib.report.params import ParamError, Params, data_files, input_checksums

ENV = "HTX_PREPARED"  # the file a batch prepared the data into, for its workers


@dataclass
class Prepared:
    """An opened, checked input and what every report of it at one as-of date reads."""

    key: tuple
    registry: Registry
    as_of: dt.date
    values: Values  # every unit, with history
    problems: Problems  # the data's own, and the estimate checks at as_of
    inputs: tuple[str, list[dict]]  # the input files' checksums (params.input_checksums)


_kept: dict[tuple, Prepared] = {}


def input_key(data: Path, year: int, as_of: dt.date | None, edition: str = "plan") -> tuple:
    """What a prepared input depends on: its files as they are now, the year, the as-of
    date asked (None: the latest of the edition's period), the edition (a six-month
    report computes the same period of the year before too), and htxlib's sources."""
    stats = tuple((str(f), st.st_size, st.st_mtime_ns, st.st_ino)
                  for f in data_files(data) for st in [f.stat()])
    return str(Path(data).resolve()), stats, year, as_of, edition, source_fingerprint()


def prepare(params: Params) -> Prepared:
    """The prepared data of ``params`` (its data, year and as-of date): kept from the last
    call in this process, loaded from the batch's file, or read and computed now. Raises
    InputError (unreadable), DataError (errors in the data) or ParamError (no actual
    figures in year N)."""
    key = input_key(params.data, params.year, params.as_of, params.edition)
    if key in _kept:
        return _kept[key]
    prepared = _load(os.environ.get(ENV, ""), key) or _compute(params, key)
    _kept.clear()  # one input at a time: a national registry is large
    _kept[key] = prepared
    return prepared


def keep(prepared: Prepared, params: Params) -> None:
    """Keep ``prepared`` as the data of ``params`` too: the same input with the as-of date
    it chose written out, as a batch gives it to each area (and to the file it saves)."""
    prepared.key = input_key(params.data, params.year, params.as_of, params.edition)
    _kept.clear()
    _kept[prepared.key] = prepared


def open_checked(params: Params) -> Registry:
    """The input of ``params``, read and checked: InputError when it cannot be read (exit
    2), DataError when it has errors."""
    registry = open_registry(params.data)
    require_ok(registry, params.data)
    return registry


def _compute(params: Params, key: tuple) -> Prepared:
    registry = open_checked(params)
    as_of = choose_as_of(registry, params)
    values = indicator_values(registry, as_of, history=True,
                              same_period=params.edition == "mid-year")
    problems = Problems([*registry.problems.frames,
                         *estimate_problems(registry, as_of, values).frames])
    return Prepared(key, registry, as_of, values, problems, input_checksums(params.data))


def choose_as_of(registry: Registry, params: Params) -> dt.date:
    """The as-of date asked, or else the latest reporting date of the data in the edition's
    period (year N; its first half for a six-month report): the one rule of the default."""
    if params.as_of is not None:
        return params.as_of
    doc, n = params.document, params.n
    last = doc.last_day(params.year)
    dates = [d for d in data_dates(registry, n) if d.date() <= last]
    if not dates:
        raise ParamError(message("param_no_records", n=n, year=params.year,
                                 document=doc.label.format(year=params.year),
                                 last=f"{last.day}/{last.month}/{last.year}"))
    return dates[-1].date()


def save(prepared: Prepared, path: Path) -> None:
    """Write ``prepared`` for the workers of a batch (a file of the batch's own, in its
    output folder: pickle is safe here, as nothing else writes it)."""
    with open(path, "wb") as fh:
        pickle.dump(prepared, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _load(path: str, key: tuple) -> Prepared | None:
    if not path or not Path(path).is_file():
        return None
    with open(path, "rb") as fh:
        prepared = pickle.load(fh)  # noqa: S301 - written by this batch (see save)
    return prepared if prepared.key == key else None
