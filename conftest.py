"""Every test in this repository (core and plugins) runs offline with a private store, and
on the CPU unless it is marked ``gpu``."""

from __future__ import annotations

import pytest
import torch


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


@pytest.fixture(autouse=True)
def _cpu_unless_marked_gpu(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--device auto``, the CLI's default, picks a GPU where there is one, and the tests
    expect the CPU's results: they see no GPU, whatever the machine. Tests marked ``gpu``
    check the CUDA paths."""
    if request.node.get_closest_marker("gpu") is None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
