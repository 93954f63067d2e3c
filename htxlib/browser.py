"""Open a local HTML file in headless Chromium with the network cut; report what it requested.

The proxy is a closed local port and no host name resolves, so nothing leaves the machine, yet
Chromium's NetLog still records every request the page attempts.  Chromium's own requests (the
account list, on-demand component updates) have no initiator and no ``file://`` network
isolation key; they go to ``BrowserVisit.background``, never to the page's requests.  Only the
network stack is logged: ``file://`` subresources do not appear.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from htxlib.config import setting

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
INTERNAL_SCHEMES = ("data", "about")  # and chrome*: never the page's network requests
LOCAL_SCHEMES = ("file", "blob", *INTERNAL_SCHEMES)
SETTLE_MS = 2000  # virtual time for timers and late loads before the screenshot is taken
FLAGS = (  # a bare, quiet, throwaway browser whose every connection fails locally
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
    "--force-device-scale-factor=1", "--no-first-run", "--no-default-browser-check",
    "--disable-default-apps", "--disable-extensions", "--disable-sync", "--disable-breakpad",
    "--disable-background-networking", "--disable-component-update", "--no-pings",
    "--disable-domain-reliability", "--disable-client-side-phishing-detection",
    "--metrics-recording-only", "--password-store=basic",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter",
    "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    f"--virtual-time-budget={SETTLE_MS}",
)
_GROUP = re.compile(r"([a-z][a-z0-9+.-]*://[^\s/<]+)\s*<(\S+)")  # socket group "origin <key"
_SEPARATORS = re.compile(r"[\s,]*")


class BrowserUnavailable(RuntimeError):
    """No Chromium executable was found."""


@dataclass
class BrowserVisit:
    requests: list[str]  # every URL the page tried to load through the network stack
    external: list[str]  # those whose scheme is not file, data, about, blob or chrome*
    screenshot: Path
    returncode: int
    background: list[str] = field(default_factory=list)  # Chromium's own, not the page's


def find_chromium() -> str | None:
    """``HTX_CHROMIUM`` when set (a path or a name on PATH), else the first browser on PATH."""
    if override := setting("HTX_CHROMIUM"):
        return shutil.which(override)
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def read_netlog(text: str) -> tuple[dict, list[dict]]:
    """Constants and events of a NetLog, also one cut off mid-write (no closing brackets)."""
    decoder, start = json.JSONDecoder(), text.find('"constants":')
    try:
        constants, pos = decoder.raw_decode(text, start + len('"constants":'))
    except (json.JSONDecodeError, ValueError):
        raise ValueError("no NetLog constants") from None
    events, events_at = [], text.find('"events"', pos)
    pos = text.find("[", events_at) + 1 if events_at >= 0 else len(text)
    while pos < len(text):  # one event at a time, up to "]" or the first incomplete one
        try:
            event, pos = decoder.raw_decode(text, _SEPARATORS.match(text, pos).end())
        except json.JSONDecodeError:
            break
        events.append(event)
    return constants, events


def _has_scheme(url: str, schemes: tuple[str, ...]) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return scheme in schemes or scheme.startswith("chrome")


def page_requests(constants: dict, events: list[dict]) -> tuple[list[str], list[str]]:
    """Split logged URLs into the page's and Chromium's own, each in first-seen order."""
    start_job = constants["logEventTypes"]["URL_REQUEST_START_JOB"]
    page: dict[str, None] = {}
    background: dict[str, None] = {}
    sockets: dict[str, None] = {}  # origins of connections opened for the page (preconnect)
    for event in events:
        params = event.get("params") or {}
        if event.get("type") == start_job and "url" in params:
            initiator = str(params.get("initiator", ""))  # "null": an opaque file:// origin
            top_site = str(params.get("network_isolation_key", "")).split(" ")[0]
            ours = initiator == "null" or any(x.startswith("file:") for x in (initiator, top_site))
            (page if ours else background)[params["url"]] = None
        elif (group := _GROUP.search(str(params.get("group_id", "")))) and group[2][:5] == "file:":
            sockets[group[1]] = None
    hosts = {urlsplit(url).netloc for url in page}
    page.update({f"{origin}/": None for origin in sockets if urlsplit(origin).netloc not in hosts})
    return [u for u in page if not _has_scheme(u, INTERNAL_SCHEMES)], list(background)


def open_offline(
    html: Path, screenshot: Path, width: int = 1200, height: int = 1600, timeout: float = 60
) -> BrowserVisit:
    """Open ``html`` in headless Chromium with no network, save a screenshot, list requests."""
    if (browser := find_chromium()) is None:
        raise BrowserUnavailable("Chromium not found (chromium, chromium-browser or google-chrome"
                                 " on PATH, or HTX_CHROMIUM): run `bash .ci/chromium.sh`")
    html, screenshot = Path(html).resolve(strict=True), Path(screenshot).resolve()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="htx-chromium-", ignore_cleanup_errors=True) as tmp:
        netlog, errors = Path(tmp, "netlog.json"), Path(tmp, "stderr.txt")
        command = [browser, *FLAGS, f"--user-data-dir={tmp}/profile", f"--log-net-log={netlog}",
                   f"--screenshot={screenshot}", f"--window-size={width},{height}", html.as_uri()]
        with errors.open("wb") as stderr:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=stderr, start_new_session=True)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=timeout)
            timed_out = proc.poll() is None
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # a hung browser, or helpers it left behind
            proc.wait()
        if timed_out:
            raise TimeoutError(f"Chromium did not finish {html.name} within {timeout} s")
        try:
            requests, background = page_requests(*read_netlog(netlog.read_text("utf-8", "replace")))
        except (OSError, ValueError) as exc:
            tail = errors.read_text("utf-8", "replace").strip().splitlines()[-5:]
            raise RuntimeError(f"Chromium (exit {proc.returncode}) left no usable network log "
                               f"({exc}); stderr ends:\n" + "\n".join(tail)) from None
    external = [url for url in requests if not _has_scheme(url, LOCAL_SCHEMES)]
    return BrowserVisit(requests, external, screenshot, proc.returncode, background)


def _size(text: str) -> tuple[int, int]:
    """Parse a window size such as ``1100x2600``."""
    width, _, height = text.partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1100x2600, got {text!r}")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    """Print the page's external requests; exit 1 if any, 2 if Chromium failed, else 0."""
    parser = argparse.ArgumentParser(prog="python -m htxlib.browser", description=__doc__)
    parser.add_argument("html", type=Path, help="the HTML file to open")
    parser.add_argument("--screenshot", type=Path, required=True, help="the PNG to write")
    parser.add_argument("--size", default="1200x1600", type=_size, help="window WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    try:
        visit = open_offline(args.html, args.screenshot, *args.size)
    except (RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(*visit.external, sep="\n", end="\n" if visit.external else "")
    if visit.external:
        return 1
    if visit.returncode != 0 or not visit.screenshot.is_file():
        print(f"error: Chromium exited with {visit.returncode}, screenshot "
              f"{visit.screenshot} {'saved' if visit.screenshot.is_file() else 'missing'}",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
