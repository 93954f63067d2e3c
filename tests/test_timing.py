"""Seconds by stage (``htxlib.timing``), as a batch reports them per area."""

from __future__ import annotations

import pytest


def test_timed_stages_add_up_without_counting_a_nested_stage_twice():
    import time

    from htxlib import timing

    timing.take()
    with timing.timed("render"):
        time.sleep(0.02)
        with timing.timed("charts"):
            time.sleep(0.03)
    with timing.timed("charts"):
        time.sleep(0.01)
    spent = timing.take()
    assert spent["charts"] == pytest.approx(0.04, abs=0.015)
    assert spent["render"] == pytest.approx(0.02, abs=0.015)
    assert timing.take() == {}
