"""Probe 3, finding 18: deduce's lookup tables (about 1.1 GB, 15 seconds to load) are loaded once, in gunicorn's master
before it forks its workers, so the workers share them and no request waits for them."""

import gc
import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest
from gunicorn.config import Config

from kenniscentrum.insights import deidentify

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


@pytest.fixture
def gunicorn() -> Iterator[Config]:
    """gunicorn's configuration, read as gunicorn reads it."""
    config = Config()
    for name, value in runpy.run_path(str(DEPLOY / "gunicorn.conf.py")).items():
        if not name.startswith("_"):
            config.set(name, value)
    yield config
    gc.unfreeze()


def test_the_master_loads_deduce_before_it_forks_the_workers(gunicorn, monkeypatch) -> None:
    loaded = []
    monkeypatch.setattr(deidentify, "_deduce", lambda: loaded.append("deduce"))
    # With preload_app the master imports the application, then calls when_ready, then forks the workers.
    assert gunicorn.preload_app
    gunicorn.when_ready(None)
    assert loaded == ["deduce"]
    # What the master holds is kept out of the collector's way, so the workers' collections do not copy its pages.
    assert gc.get_freeze_count() > 0
