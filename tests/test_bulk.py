"""``bulk()`` pauses the cyclic collector for a step and always gives it back."""

from __future__ import annotations

import gc

import pytest

from cmpivot_magic._bulk import bulk


def test_the_collector_is_paused_inside_and_running_after() -> None:
    assert gc.isenabled()
    with bulk():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restarts_the_collector() -> None:
    with pytest.raises(ZeroDivisionError), bulk():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_someone_else_paused_stays_paused() -> None:
    gc.disable()
    try:
        with bulk():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
