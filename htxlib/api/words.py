"""Any frame of htxlib in the analyst's language, for display.

``vi(frame)`` gives the headers and labels the CSV files have (``htx indicators --format
csv``, ``htx validate --problems``): the one mapping of ``resources/csv.yaml`` and the
glossary, through ``htxlib.render.csvfile.in_words``, not a second one. Numbers are then
written the Vietnamese way (1.234; 12,5) and a figure the data do not have is a dash,
never 0. The frame it was made from keeps the codes (``org_type``, ``actual``,
``value``): compute on that one, show this one.
"""

from __future__ import annotations

import pandas as pd

from htxlib import fmt
from htxlib.glossary import resource
from htxlib.render.csvfile import column_words, in_words, layout_of

ABSENT = "-"  # what a figure the data do not have shows as (exhibits.yaml ``dash``)
PLAIN = ("year", "row", "rank")  # whole numbers that are not quantities: no group mark


def vi(frame: pd.DataFrame | pd.Series, numbers: bool = True,
       decimals: int = 1) -> pd.DataFrame:
    """``frame`` with Vietnamese headers and labels, numbers written for people.

    Parameters
    ----------
    frame : DataFrame or Series
        Any frame the API returns (an indicator table, a series, a comparison, the units,
        the problems), an input sheet as read (``session.registry.organisations``,
        ``.records``: headed as in the workbook, lists in words), or a cut of one.
    numbers : bool
        Write numbers as text the Vietnamese way (the default, for display); False keeps
        them numbers, e.g. to write the frame to Excel with Vietnamese headers.
    decimals : int
        The most decimals a number shows (trailing zeros are dropped: 30, not 30,0).

    Returns
    -------
    DataFrame
        The same rows, in words. The codes stay in ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> from htxlib import vi
    >>> t = pd.DataFrame({"code": ["htx_count"], "kind": ["estimate"],
    ...                   "value": [1234.0], "previous_value": [float("nan")]})
    >>> vi(t)
       Mã chỉ tiêu   Loại số liệu Giá trị Năm trước
    0    htx_count  Ước thực hiện   1.234         -
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    out = in_words(frame)
    if not numbers:
        return out
    words = column_words(layout_of(frame))
    columns = [out.iloc[:, i] if "values" in words.get(name, {})  # already words
               else _written(frame.iloc[:, i], name, decimals)
               for i, name in enumerate(frame.columns)]
    return pd.DataFrame(dict(enumerate(columns)), index=out.index).set_axis(
        out.columns, axis=1)


def _written(column: pd.Series, name: object, decimals: int) -> pd.Series:
    """One column as text: numbers the Vietnamese way, absent ones a dash."""
    if pd.api.types.is_bool_dtype(column):
        yes_no = resource("csv.yaml")["values"]["yes_no"]
        return column.map(lambda v: yes_no[bool(v)]).astype(object)
    if pd.api.types.is_numeric_dtype(column) and not isinstance(
            column.dtype, pd.CategoricalDtype):
        if name in PLAIN:
            return column.map(lambda v: "" if pd.isna(v) else str(int(v))).astype(object)
        return column.map(lambda v: fmt.number(None if pd.isna(v) else float(v),
                                               decimals)).astype(object)
    return column.astype(object).where(column.notna(), "")
