"""The parameters of a report run, checked before anything else happens.

The report notebook's first code cell and ``htx report`` both call ``check``; a bad value
stops the run with one Vietnamese sentence (``ParamError``), never a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from htxlib import fmt
from htxlib.config import SAMPLE_DIR
from htxlib.errors import HtxError
from htxlib.glossary import message
from htxlib.inputs.scope import ScopeError, as_date
from htxlib.report.edition import DEFAULT, Edition, editions, find, known

LANGUAGES = ("vi",)
FORMATS = ("html", "docx", "xlsx")  # the page, the plan to sign, the annex of tables


class ParamError(HtxError, ValueError):
    """A parameter of the report is wrong; the message says which and what is expected."""


@dataclass(frozen=True)
class Params:
    data: Path
    year: int  # the year in the document's title (the plan's year, the year reported on)
    area: str = ""  # name or code; "" = the top unit of the data
    as_of: dt.date | None = None  # None = the latest actual figures of the edition's period
    narrative: Path | None = None
    lang: str = "vi"
    formats: tuple[str, ...] = FORMATS
    edition: str = DEFAULT  # plan, mid-year, year-end (htxlib.report.edition)

    @property
    def document(self) -> Edition:
        return editions()[self.edition]

    @property
    def n(self) -> int:
        """The year the document assesses."""
        return self.document.n(self.year)

    def as_dict(self) -> dict[str, str | int | None]:
        """The notebook's parameters (``formats`` as "html,docx,xlsx")."""
        return {k: (str(v) if isinstance(v, Path | dt.date) else
                    ",".join(v) if isinstance(v, tuple) else v)
                for k, v in asdict(self).items()}


def check(data: str | Path = "", year: int | str = 0, area: str = "", as_of: str = "",
          narrative: str | Path = "", lang: str = "vi",
          formats: str | tuple[str, ...] = FORMATS, edition: str = DEFAULT) -> Params:
    """Typed, checked parameters; raises ParamError on the first bad one (NarrativeError
    for a narrative file that cannot be used)."""
    try:
        y = int(str(year).strip())
    except ValueError:
        raise ParamError(message("param_year", value=year)) from None
    if not 2000 <= y <= 2100:
        raise ParamError(message("param_year", value=year))
    doc = edition_of(edition)
    when = None
    if str(as_of or "").strip():
        try:
            when = as_date(str(as_of).strip(), message("scope_as_of_word"))
        except ScopeError as err:
            raise ParamError(str(err)) from None
        if doc.key == DEFAULT and when.year != doc.n(y):
            raise ParamError(message("param_as_of_year", as_of=fmt.date(when), n=doc.n(y),
                                     year=y))
        _check_within(doc, when, y)
    if lang not in LANGUAGES:
        raise ParamError(message("param_lang", value=lang))
    chosen = parse_formats(formats)
    path = Path(data).expanduser().resolve() if str(data).strip() else SAMPLE_DIR
    if not path.exists():
        raise ParamError(message("param_data", value=data))
    story = Path(narrative).expanduser().resolve() if str(narrative or "").strip() else None
    if story is not None and not story.is_file():
        raise ParamError(message("narrative_missing", path=narrative))
    if story is not None:  # read it now: a bad heading stops the run before any work
        from htxlib.report.writeup import read

        read(story, doc.key)
    return Params(path, y, str(area or "").strip(), when, story, lang, chosen, doc.key)


def edition_of(text: str) -> Edition:
    """The edition ``text`` names (``--edition``); ParamError naming the choices otherwise."""
    doc = find(text)
    if doc is None:
        raise ParamError(message("param_edition", value=text, known=", ".join(known())))
    return doc


def form_edition(text: str, as_of: dt.date) -> str:
    """The key of the edition a form to ``as_of`` is for: the date must fall in that
    edition's period of the year of the document the form feeds (a six-month form:
    January-June); ParamError otherwise."""
    doc = edition_of(text)
    _check_within(doc, as_of, as_of.year - doc.assessed)
    return doc.key


def _check_within(doc: Edition, when: dt.date, year: int) -> None:
    """ParamError unless figures to ``when`` can be ``doc``'s for ``year`` (in its title)."""
    if not doc.allows(when, year):
        raise ParamError(message("param_as_of_edition", as_of=fmt.date(when),
                                 document=doc.label.format(year=year), n=doc.n(year),
                                 last=fmt.date(doc.last_day(year))))


def parse_formats(formats: str | tuple[str, ...]) -> tuple[str, ...]:
    """"docx, html" → ("html", "docx"): known formats, in FORMATS order, at least one."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = [f.strip().lower().lstrip(".") for f in items if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise ParamError(message("param_format", value=",".join(bad) or str(formats),
                                 known=", ".join(FORMATS)))
    return tuple(f for f in FORMATS if f in wanted)


