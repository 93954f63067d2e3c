"""Charts as PNGs: drawn once, at print resolution, for the page and the Word file; Agg's
pixels exactly, without an alpha channel that says nothing; the same bytes each time."""

from __future__ import annotations

import base64
import io
import zipfile

import numpy as np
import pytest
from matplotlib import rc_context, rc_params_from_file
from matplotlib.figure import Figure
from PIL import Image

from htxlib.config import SAMPLE_DIR
from htxlib.glossary import resource
from htxlib.render.files import write
from htxlib.render.html import fragment
from htxlib.report import params
from htxlib.report.chartpng import png
from htxlib.report.figures import STYLE
from htxlib.session import Session
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def ba_to():
    return Session.open(params.check(data=SAMPLE_DIR, year=2025, area="535", as_of=AS_OF)).report()


def _figure(face: str = "white") -> Figure:
    fig = Figure(figsize=(4, 2), facecolor=face)
    ax = fig.subplots()
    ax.bar(["xã Ba Vì", "xã Ba Tô", "thị trấn Ba Tơ"], [3, 1.5, 7], color="#1f4e79")
    ax.plot([0, 1, 2], [1, 4, 2], color="#c55a11", marker="o")
    ax.set_title("Số hợp tác xã")
    return fig


@pytest.mark.parametrize("face", ["white", "#f2f2f2", "#fff8e1"])
@pytest.mark.parametrize("dpi", [72, 110, 200])
def test_an_opaque_chart_is_agg_s_image_without_its_alpha_channel(face, dpi):
    fig = _figure(face)
    full = io.BytesIO()
    fig.savefig(full, format="png", dpi=dpi, backend="agg")  # matplotlib's own RGBA
    ours = png(fig, dpi)
    image = Image.open(io.BytesIO(ours))
    assert image.mode == "RGB" and round(image.info["dpi"][0]) == dpi
    agg = Image.open(io.BytesIO(full.getvalue()))
    assert agg.mode == "RGBA"
    assert np.array_equal(np.asarray(image), np.asarray(agg)[..., :3])  # pixel for pixel
    assert len(ours) < len(full.getvalue())


@pytest.mark.parametrize("face", ["none", (1, 1, 1, 0.5)])
def test_a_transparent_chart_keeps_its_alpha_channel(face):
    fig = _figure(face)
    fig.axes[0].set_facecolor("none")
    full = io.BytesIO()
    fig.savefig(full, format="png", dpi=72, backend="agg", facecolor=face)
    with rc_context({"savefig.facecolor": face}):
        ours = png(fig, 72)
    image = Image.open(io.BytesIO(ours))
    assert image.mode == "RGBA"
    assert np.array_equal(np.asarray(image), np.asarray(Image.open(io.BytesIO(
        full.getvalue()))))


def test_same_figure_same_bytes():
    assert png(_figure(), 110) == png(_figure(), 110)
    assert b"tEXt" not in png(_figure(), 110)  # no software name, no date


def test_each_chart_is_drawn_once_for_the_page_and_the_word_file(ba_to, tmp_path):
    charts = ba_to.charts
    assert charts
    page = "".join(fragment(ba_to, w) for w in ["head", *(p.id for p in ba_to.parts),
                                                  "footer"])
    (docx_path,) = write(ba_to, "docx", tmp_path)
    with zipfile.ZipFile(docx_path) as z:
        media = {z.read(n) for n in z.namelist() if n.startswith("word/media/")}
    drawn = {c.image("png") for c in charts}
    assert media == drawn  # the Word file holds exactly the charts' images
    style_dpi = rc_params_from_file(STYLE, use_default_template=False)["savefig.dpi"]
    assert style_dpi >= 200  # what Word prints
    screen = resource("exhibits.yaml")["screen_dpi"]
    for c in charts:
        data = c.image("png")
        assert base64.b64encode(data).decode() in page  # the same bytes on the page
        w, h = c.screen_size()
        assert f'width="{w}" height="{h}"' in page
        pixels = Image.open(io.BytesIO(data)).size
        assert round(pixels[0] * screen / style_dpi) == w
        assert round(pixels[1] * screen / style_dpi) == h


def test_jupyter_shows_a_chart_at_page_size(ba_to):
    data, meta = ba_to.charts[0]._repr_png_()
    assert data == ba_to.charts[0].image("png")
    assert (meta["width"], meta["height"]) == ba_to.charts[0].screen_size()
