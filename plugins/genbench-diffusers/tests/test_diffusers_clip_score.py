"""The CLIP score agrees with torchmetrics' CLIPScore on a tiny random CLIP, is registered
for text-to-image, and names what to do when the CLIP weights are missing offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tiny_pipelines
import torch
from genbench_diffusers.clip_score import (
    CLIP_ENV,
    ClipScorer,
    clip_score_from_cosines,
    store_directory,
)

from genbench import GenbenchError, MetricInputs, get_registry

PROMPTS = [
    "a red circle",
    "a blue square",
    "x y z",
    "two stars",
    "a green triangle on a light background",
    "a shaded red square in the lower left corner of a light scene",
]


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.set_num_threads(1)
    return tiny_pipelines.build_clip(tmp_path_factory.mktemp("clip"))


def _images(n: int, channels: int = 3, size: int = 40) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (n, channels, size, size + 8), dtype=np.uint8)


def _torchmetrics_clip_score(clip_dir: Path, images: np.ndarray, prompts: list[str]) -> Any:
    """torchmetrics' CLIPScore on the same CLIP; the shim gives back the tensors that
    transformers < 5 returned from get_*_features, which torchmetrics 1.9 expects."""
    clip_score = pytest.importorskip("torchmetrics.multimodal.clip_score")
    from transformers import CLIPModel, CLIPProcessor

    class TensorFeatures(CLIPModel):
        def get_image_features(self, *args: Any, **kwargs: Any) -> torch.Tensor:
            return super().get_image_features(*args, **kwargs).pooler_output

        def get_text_features(self, *args: Any, **kwargs: Any) -> torch.Tensor:
            return super().get_text_features(*args, **kwargs).pooler_output

    metric = clip_score.CLIPScore(
        model_name_or_path=lambda: (
            TensorFeatures.from_pretrained(clip_dir),
            CLIPProcessor.from_pretrained(clip_dir),
        )
    )
    metric.update(torch.from_numpy(images), prompts)
    return metric


@pytest.mark.reference
def test_clip_score_matches_torchmetrics(clip_dir: Path) -> None:
    images = _images(len(PROMPTS))
    cosines = ClipScorer(clip_dir).cosines(images, PROMPTS)
    reference = _torchmetrics_clip_score(clip_dir, images, PROMPTS)
    # the per-pair scores (summed by torchmetrics) and the clamped mean both agree
    assert 100 * cosines.sum() == pytest.approx(float(reference.score), abs=1e-3)
    assert clip_score_from_cosines(cosines) == pytest.approx(float(reference.compute()), abs=1e-4)
    positive = [i for i, c in enumerate(cosines) if c > 0]
    assert positive, "the tiny CLIP should give some positive pairs"
    subset = _torchmetrics_clip_score(clip_dir, images[positive], [PROMPTS[i] for i in positive])
    value = clip_score_from_cosines(cosines[positive])
    assert value > 0 and value == pytest.approx(float(subset.compute()), abs=1e-4)


def test_each_pair_is_scored_alone_and_gray_images_are_accepted(clip_dir: Path) -> None:
    scorer = ClipScorer(clip_dir)
    images = _images(4)
    together = scorer.cosines(images, PROMPTS[:4])
    alone = np.concatenate(
        [scorer.cosines(images[i : i + 1], PROMPTS[i : i + 1]) for i in range(4)]
    )
    np.testing.assert_allclose(together, alone, atol=1e-6)
    assert not np.allclose(together, scorer.cosines(images, PROMPTS[1:5]))
    gray = images[:, :1]
    np.testing.assert_allclose(
        scorer.cosines(gray, PROMPTS[:4]), scorer.cosines(np.repeat(gray, 3, axis=1), PROMPTS[:4])
    )


def test_the_registered_metric_reads_images_and_prompts(
    clip_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CLIP_ENV, str(clip_dir))
    metric = get_registry().metrics.get("clip-score")
    assert metric.tasks == ("text-to-image",) and set(metric.consumes) == {"images", "prompts"}
    images = _images(3)
    values = metric.compute(MetricInputs(images=images, prompts=PROMPTS[:3]))
    expected = clip_score_from_cosines(ClipScorer(clip_dir).cosines(images, PROMPTS[:3]))
    assert values == {"clip_score": pytest.approx(expected)}
    with pytest.raises(GenbenchError, match="prompts"):
        metric.compute(MetricInputs(images=images))


def test_clip_weights_come_from_the_store_and_their_absence_says_how_to_get_them(
    clip_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from genbench_diffusers.clip_score import clip_directory

    monkeypatch.delenv(CLIP_ENV, raising=False)
    with pytest.raises(GenbenchError, match="genbench diffusers fetch-clip") as caught:
        clip_directory()
    assert str(store_directory("openai/clip-vit-large-patch14")) in str(caught.value)
    monkeypatch.setenv(CLIP_ENV, "someone/clip-tiny")
    stored = store_directory("someone/clip-tiny")
    stored.parent.mkdir(parents=True, exist_ok=True)
    if not stored.exists():
        stored.symlink_to(clip_dir, target_is_directory=True)
    assert clip_directory() == stored
