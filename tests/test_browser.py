"""htxlib.browser: offline page checks in headless Chromium (`bash .ci/chromium.sh` installs it)."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from htxlib.browser import find_chromium, main, open_offline, page_requests, read_netlog
from htxlib.config import setting

TITLE = "Kế hoạch phát triển kinh tế tập thể, hợp tác xã năm 2025"
RED = (200, 30, 30)


def require_chromium() -> None:
    """Fail (in the test, not its setup) without Chromium, unless HTX_SKIP_BROWSER=1."""
    if find_chromium() is None:
        message = ("headless Chromium not found: run `bash .ci/chromium.sh` (or set HTX_CHROMIUM);"
                   " set HTX_SKIP_BROWSER=1 to skip the browser tests instead")
        if setting("HTX_SKIP_BROWSER") == "1":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)


def page(folder: Path, head: str = "", body: str = "") -> Path:
    html = folder / "page.html"
    html.write_text(f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{head}</head>'
                    f"<body><h1>{TITLE}</h1>{body}</body></html>", encoding="utf-8")
    return html


def data_png(size: int = 8) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), RED).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.browser
def test_self_contained_page_makes_no_request_and_renders(tmp_path: Path) -> None:
    require_chromium()
    html = page(tmp_path, "<style>body { margin: 0; font: 28px sans-serif; color: #123 }"
                "img { position: absolute; left: 0; top: 400px; width: 100px }</style>",
                f'<img alt="" src="{data_png()}"><p>Tổng số hợp tác xã: 1.234</p>')
    visit = open_offline(html, tmp_path / "shot.png", width=800, height=600)
    assert visit.returncode == 0
    assert visit.requests == [] and visit.external == []
    assert visit.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(visit.screenshot) as shot:
        rgb = shot.convert("RGB")
    assert rgb.size == (800, 600)
    assert rgb.convert("L").getextrema()[0] < 100  # dark text on the white page
    assert rgb.getpixel((50, 450)) == RED  # the data: image, drawn without any request


BAD_PAGES = {
    "script": ('<script src="https://cdn.example.org/x.js"></script>', "",
               "https://cdn.example.org/x.js"),
    "img": ("", '<img src="http://img.example.com/logo.png">', "http://img.example.com/logo.png"),
    "stylesheet": ('<link rel="stylesheet" href="https://cdn.example.net/style.css">', "",
                   "https://cdn.example.net/style.css"),
    "css-import": ("<style>@import url(https://fonts.example.com/css2.css);</style>", "",
                   "https://fonts.example.com/css2.css"),
    "iframe": ("", '<iframe src="https://frame.example.com/embed"></iframe>',
               "https://frame.example.com/embed"),
}


@pytest.mark.browser
@pytest.mark.parametrize("head, body, url", BAD_PAGES.values(), ids=BAD_PAGES.keys())
def test_external_request_is_reported(tmp_path: Path, head: str, body: str, url: str) -> None:
    require_chromium()
    visit = open_offline(page(tmp_path, head, body), tmp_path / "shot.png", width=400, height=300)
    assert visit.external == [url]
    assert visit.requests == [url]


@pytest.mark.browser
def test_cli_prints_external_requests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_chromium()
    html = page(tmp_path, body='<img src="https://img.example.com/a.png">')
    assert main([str(html), "--screenshot", str(tmp_path / "shot.png")]) == 1
    assert capsys.readouterr().out == "https://img.example.com/a.png\n"


@pytest.mark.browser
def test_cli_screenshot_has_the_asked_size(tmp_path: Path) -> None:
    require_chromium()
    shot = tmp_path / "shot.png"
    assert main([str(page(tmp_path)), "--screenshot", str(shot), "--size", "400x700"]) == 0
    assert Image.open(shot).size == (400, 700)


@pytest.mark.parametrize("size", ["400", "400x", "x700", "400*700", "-4x700", "big"])
def test_cli_rejects_a_bad_size(tmp_path: Path, size: str) -> None:
    with pytest.raises(SystemExit) as stop:
        main([str(tmp_path / "a.html"), "--screenshot", str(tmp_path / "s.png"), "--size", size])
    assert stop.value.code == 2


def test_netlog_cut_off_mid_write_still_parses() -> None:
    """Chromium killed mid-run leaves no closing brackets; complete events are still read."""
    start = 3
    events = [
        {"type": start, "source": {"id": 1, "type": 1}, "params": {  # Chromium's own request
            "url": "https://accounts.google.com/ListAccounts", "initiator": "not an origin",
            "network_isolation_key": "https://google.com https://google.com"}},
        {"type": start, "source": {"id": 2, "type": 1}, "params": {  # the page's subresource
            "url": "https://cdn.example.org/x.js", "initiator": "null",
            "network_isolation_key": "file:// [internally: file://] file://"}},
        {"type": start, "source": {"id": 3, "type": 1}, "params": {  # a link the page followed
            "url": "https://example.com/", "initiator": "file://",
            "network_isolation_key": "https://example.com https://example.com"}},
    ]
    constants = {"logEventTypes": {"URL_REQUEST_START_JOB": start}}
    text = (json.dumps({"constants": constants}, separators=(",", ":"))[:-1] + ',\n"events": [\n'
            + ",\n".join(json.dumps(e) for e in events) + ",\n")
    whole = text.rstrip(",\n") + "\n]}\n"
    assert read_netlog(whole) == (constants, events)
    assert read_netlog(text) == (constants, events)
    assert read_netlog(text + '{"type": 3, "par') == (constants, events)
    assert page_requests(*read_netlog(text)) == (
        ["https://cdn.example.org/x.js", "https://example.com/"],
        ["https://accounts.google.com/ListAccounts"])
    with pytest.raises(ValueError):
        read_netlog('{"constants":{"logEventTy')
