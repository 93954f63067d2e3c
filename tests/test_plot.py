"""House-style charts for an analyst's own questions (``htxlib.plot``): the report's style
and drawing, Vietnamese numbers, captions and alt text that state the figures, absent
figures left out rather than drawn as 0; the report's charts go through the same drawing."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import htxlib
from htxlib.config import DATA_DIR
from htxlib.plot import draw


@pytest.fixture(scope="module")
def forms():
    return htxlib.open_data(DATA_DIR / "sample" / "ba-to-2025", as_of="30/9/2025")


def _texts(chart) -> list[str]:
    chart.image()  # drawn: the tick labels are set
    ax = chart.figure.axes[0]
    return [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts)]


def test_ranking_the_communes_of_a_province(forms):
    c = forms.compare(["htx_count", "htx_members", "htx_revenue_avg"], "Quảng Ngãi")
    chart = htxlib.plot_compare(c, "htx_revenue_avg")
    assert chart.caption == ("Doanh thu bình quân một hợp tác xã của các đơn vị thuộc tỉnh "
                             "Quảng Ngãi, đến 30/9/2025")
    assert chart.data["label"].tolist()[0] == "xã Ba Vì"  # the largest at the top
    assert chart.data["value"].is_monotonic_decreasing
    assert "xã Ba Vì: 334; xã Ba Tơ: 21; xã Ba Tô: 10,5" in chart.alt  # Vietnamese numbers
    texts = _texts(chart)
    assert "10,5" in texts and "Nguồn: báo cáo tổng hợp" in " ".join(texts)
    assert chart.figure.axes[0].get_xlabel() == "triệu đồng/HTX"
    html = chart._repr_html_()
    assert "<figcaption>" in html and "alt=\"Biểu đồ thanh ngang" in html


def test_a_comparison_of_more_units_than_shown_says_so(forms):
    c = forms.compare("htx_members", "Quảng Ngãi")
    chart = htxlib.plot_compare(c, top=3)
    assert len(chart.data) == 3
    assert chart.caption.startswith("3 đơn vị có tổng số thành viên hợp tác xã lớn nhất")


def test_an_absent_figure_is_no_bar_and_no_figure_never_zero():
    frame = pd.DataFrame({"area_code": ["1", "2", "3"], "area_name": ["A", "B", "C"],
                          "htx_revenue_avg": [12.5, math.nan, 0.0]})
    chart = htxlib.plot_compare(frame)
    assert chart.data["label"].tolist() == ["A", "C", "B"]  # absent last
    labels = [t.get_text() for t in chart.figure.axes[0].texts]
    assert sorted(labels) == ["", "0", "12,5"]  # B: no bar, no figure (a gap)
    assert "B" not in chart.alt.split(". ", 1)[1]  # the alt text states known figures only


def test_a_series_marks_the_estimate_and_the_old_communes_years():
    s = htxlib.open_data(DATA_DIR / "sample" / "ba-to-2025", as_of="14/12/2026")
    chart = htxlib.plot_series(s.series(["htx_members"], "xã Ba Vì"))
    ticks = [t.get_text() for t in chart.figure.axes[0].get_xticklabels()]
    assert ticks == ["2024", "2025", "2026 (ước)"]
    assert "Số liệu năm 2024: tổng số liệu của xã Ba Ngạc, xã Ba Tiêu, xã Ba Vì" in chart.source
    assert chart.alt.startswith("Biểu đồ đường: tổng số thành viên hợp tác xã qua các năm.")
    assert "2026 (ước): 69" in chart.alt


def test_the_house_style_is_the_reports(forms):
    chart = htxlib.plot_breakdown(forms.breakdown("htx_count", "sector", "Quảng Ngãi"))
    assert chart.style == str(draw.STYLE)
    ax = chart.figure.axes[0]
    assert ax.get_yticklabels()[0].get_fontfamily() == ["DejaVu Sans"]
    assert not ax.spines["top"].get_visible()
    assert chart.image()[:4] == b"\x89PNG"


def test_the_reports_charts_are_drawn_by_the_same_helper(monkeypatch):
    """Every chart of a report goes through ``htxlib.plot.draw`` (the golden documents
    hold their pixels still)."""
    drawn = []
    for name in ("columns", "lines", "hbars"):
        real = getattr(draw, name)
        monkeypatch.setattr(draw, name, lambda *a, _r=real, _n=name, **k: drawn.append(
            _n) or _r(*a, **k))
    s = htxlib.open_data(as_of="10/6/2024")
    report = s.report("Ba Tơ")
    assert len(drawn) == len(report.charts) >= 4
    assert {"columns", "lines", "hbars"} <= set(drawn)
