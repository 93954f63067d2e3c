"""Seconds by stage (``htxlib.timing.Timer``), as a batch reports them per area."""

from __future__ import annotations

import time

import pytest

from htxlib.timing import Timer


def test_timed_stages_add_up_without_counting_a_nested_stage_twice():
    timer = Timer()
    with timer.timed("render"):
        time.sleep(0.02)
        with timer.timed("charts"):
            time.sleep(0.03)
    with timer.timed("charts"):
        time.sleep(0.01)
    spent = timer.take()
    assert spent["charts"] == pytest.approx(0.04, abs=0.015)
    assert spent["render"] == pytest.approx(0.02, abs=0.015)
    assert timer.take() == {}


def test_two_timers_keep_their_own_seconds():
    a, b = Timer(), Timer()
    with a.timed("load"):
        time.sleep(0.01)
    assert b.take() == {} and set(a.take()) == {"load"}
