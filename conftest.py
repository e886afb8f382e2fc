"""Every test in this repository (core and plugins) runs offline with a private store."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing a test does is written to the user's store, and nothing reaches the network.

    The store is shared by the tests of one session, so caches (shapes renders, reference
    features) are computed once per run.
    """
    monkeypatch.setenv("GENBENCH_HOME", str(tmp_path_factory.getbasetemp() / "genbench-home"))
    monkeypatch.setenv("GENBENCH_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
