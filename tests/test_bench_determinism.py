"""Same seed, same leaderboard: whatever the batch size and the number of processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import PYTHON, cli, install_tiny, rows, values

from genbench.bench.sampling import FEATURE_CHUNK, chunk_ranges, sample_shard
from genbench.distributed import World, init_world
from genbench.errors import GenbenchError
from genbench.spec import SampleRequest

MODELS = "tiny.good,tiny.cond,tiny.pix"
METRICS = "tiny-mean,tiny-acc,tiny-pixel,tiny-nn"
N = FEATURE_CHUNK + 35  # two chunks, the second one partial


@pytest.fixture
def env(install_plugin, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return install_tiny(install_plugin, monkeypatch, tmp_path)


def _run(out: Path, *extra: str) -> dict[str, dict]:
    args = ("--models", MODELS, "--metrics", METRICS, "--n-samples", str(N), "--out", str(out))
    result = cli("run", *args, *extra)
    assert result.exit_code == 0, result.output
    return {model: values(row) for model, row in rows(out).items()}


def test_batch_size_does_not_change_the_leaderboard(env, tmp_path: Path) -> None:
    first = _run(tmp_path / "b1", "--batch-size", "1")
    assert set(first) == set(MODELS.split(","))
    assert _run(tmp_path / "b7", "--batch-size", "7") == first
    assert _run(tmp_path / "b64", "--batch-size", "64") == first
    assert _run(tmp_path / "seed1", "--seed", "1")["tiny.good"] != first["tiny.good"]


def test_the_recorded_command_reproduces_the_row(env, tmp_path: Path) -> None:
    original = _run(tmp_path / "first", "--batch-size", "5")
    recorded = rows(tmp_path / "first")["tiny.cond"]["reproduce"].split()
    assert recorded[:2] == ["genbench", "run"]
    result = cli(*recorded[1:], "--out", str(tmp_path / "again"))
    assert result.exit_code == 0, result.output
    assert values(rows(tmp_path / "again")["tiny.cond"]) == original["tiny.cond"]


def test_two_processes_match_one(env, tmp_path: Path) -> None:
    single = _run(tmp_path / "one", "--batch-size", "7")
    command = [
        PYTHON,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=2",
        "-m",
        "genbench",
        "run",
        "--models",
        MODELS,
        "--metrics",
        METRICS,
        "--n-samples",
        str(N),
        "--batch-size",
        "5",
        "--out",
        str(tmp_path / "two"),
        "--no-progress",
        "--device",
        "cpu",
    ]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    two = rows(tmp_path / "two")
    assert {r["world_size"] for r in two.values()} == {2}
    assert {m: values(r) for m, r in two.items()} == single


class _Numbered:
    """Writes each sample's index into its pixels."""

    def sample(self, request: SampleRequest) -> torch.Tensor:
        index = torch.tensor([i % 256 for i in request.indices], dtype=torch.uint8)
        images = index.view(-1, 1, 1, 1).repeat(1, 1, 8, 8)
        images[:, :, 0, 0] = 255 - images[:, :, 0, 0]  # not flat
        return images


class _Spy:
    """Records the samples of every chunk it is fed."""

    def __init__(self) -> None:
        self.chunks: list[tuple[int, ...]] = []

    def __call__(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        self.chunks.append(tuple(images[:, 0, 1, 1].tolist()))
        return {"features": images.flatten(1).float()}


class _Conditions:
    from bench_tiny_plugin import _model

    model = _model("tiny.numbered", "good")

    def request(self, indices: list[int]) -> SampleRequest:
        return SampleRequest(seeds=list(indices), indices=list(indices))


def _chunks_seen(
    batch_size: int, world: World, n: int = 2 * FEATURE_CHUNK + 10
) -> set[tuple[int, ...]]:
    spy = _Spy()
    mine = world.shard(chunk_ranges(n))
    shard = sample_shard(
        _Conditions(),
        _Numbered(),
        spy,
        mine,
        batch_size=batch_size,
        device="cpu",
        precision="fp32",
        keep_images=False,
    )
    assert shard.chunks == mine
    assert len(shard.features["features"]) == sum(len(chunk) for chunk in mine)
    return set(spy.chunks)


def test_the_extractor_sees_the_same_chunks_for_any_batch_size_and_process_count() -> None:
    expected = {tuple(i % 256 for i in chunk) for chunk in chunk_ranges(2 * FEATURE_CHUNK + 10)}
    for batch_size in (1, 7, 64, 300):
        assert _chunks_seen(batch_size, World()) == expected
    split = _chunks_seen(7, World(rank=0, size=2)) | _chunks_seen(13, World(rank=1, size=2))
    assert split == expected


def test_more_processes_than_gpus_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"RANK": "1", "WORLD_SIZE": "2", "LOCAL_RANK": "1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(GenbenchError, match=r"process 1 .* has 1 GPU\(s\).*--nproc_per_node"):
        init_world("cuda")
