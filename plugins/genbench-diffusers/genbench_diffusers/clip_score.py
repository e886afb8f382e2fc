"""CLIP score (Hessel et al. 2021): how well generated images match their prompts.

``clip_score = max(100 · mean_i cos(E_image(x_i), E_text(p_i)), 0)``, with the images and
prompts prepared by the CLIP model's own processor and tokenizer, as torchmetrics'
``CLIPScore`` computes it (its reference implementation; the tests compare the two).

The CLIP model is a directory in ``from_pretrained`` layout: ``$GENBENCH_CLIP_MODEL`` when
it names one, otherwise the weights store's copy of the hub id ``$GENBENCH_CLIP_MODEL``
(default ``openai/clip-vit-large-patch14``, torchmetrics' default), fetched into the store
on first use when the network is allowed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import genbench
from genbench import GenbenchError
from genbench_diffusers.hub import local_directory, missing_checkpoint, network_off

if TYPE_CHECKING:
    import numpy as np

CLIP_ENV = "GENBENCH_CLIP_MODEL"
DEFAULT_CLIP = "openai/clip-vit-large-patch14"
# What a CLIP checkpoint needs; other weight formats (pickled .bin) are never fetched.
CLIP_FILES = ("*.json", "*.txt", "*.safetensors")
BATCH = 32


def clip_directory() -> Path:
    """The local CLIP directory to use; fetched into the store if it is missing and allowed."""
    chosen = os.environ.get(CLIP_ENV) or DEFAULT_CLIP
    directory = local_directory(chosen)
    if directory is not None:
        return directory
    stored = store_directory(chosen)
    if (stored / "config.json").is_file():
        return stored
    what = f"metric 'clip-score' (CLIP model {chosen})"
    if network_off():
        raise GenbenchError(
            f"{what}: {stored} is empty and the network is off (GENBENCH_OFFLINE/HF_HUB_OFFLINE)."
            f" Fetch it with `genbench diffusers fetch-clip` where the network is allowed, copy a"
            f" CLIP directory (config.json, model.safetensors, tokenizer files) there, or set"
            f" {CLIP_ENV}=/path/to/clip-dir"
        )
    from huggingface_hub import snapshot_download

    try:
        snapshot_download(chosen, local_dir=stored, allow_patterns=list(CLIP_FILES))
    except (OSError, ValueError) as error:
        raise missing_checkpoint(what, chosen, error) from error
    return stored


def store_directory(hub_id: str) -> Path:
    """Where the weights store keeps the CLIP model ``hub_id``."""
    return genbench.home() / "weights" / "clip" / hub_id.replace("/", "--")


class ClipScorer:
    """A CLIP model with its processor and tokenizer, scoring (image, prompt) pairs."""

    def __init__(self, directory: Path, device: str = "cpu") -> None:
        from transformers import CLIPModel, CLIPProcessor

        self.device = device
        try:
            self.model = CLIPModel.from_pretrained(directory).eval()
            self.model.to(device)
            self.processor = CLIPProcessor.from_pretrained(directory)
        except (OSError, ValueError) as error:
            raise GenbenchError(
                f"metric 'clip-score': {directory} is not a CLIP model directory with its"
                f" processor and tokenizer ({error})"
            ) from error
        self.max_tokens = self.model.config.text_config.max_position_embeddings

    def cosines(self, images: np.ndarray, prompts: Sequence[str]) -> np.ndarray:
        """cos(E_image, E_text) of each pair; ``images`` uint8 (n, C, H, W), C = 1 or 3."""
        import numpy as np
        import torch

        if len(images) != len(prompts):
            raise GenbenchError(
                f"metric 'clip-score': {len(images)} images but {len(prompts)} prompts"
            )
        out = []
        with torch.inference_mode():
            for start in range(0, len(images), BATCH):
                batch = torch.from_numpy(np.ascontiguousarray(images[start : start + BATCH]))
                batch = batch.expand(-1, 3, -1, -1) if batch.shape[1] == 1 else batch
                pixels = self.processor(images=list(batch), return_tensors="pt")["pixel_values"]
                tokens = self.processor(
                    text=list(prompts[start : start + BATCH]),
                    return_tensors="pt",
                    padding=True,
                    truncation=True,
                    max_length=self.max_tokens,
                )
                image_features = _projected(self.model.get_image_features(pixels.to(self.device)))
                text_features = _projected(
                    self.model.get_text_features(
                        tokens["input_ids"].to(self.device),
                        tokens["attention_mask"].to(self.device),
                    )
                )
                cosine = torch.nn.functional.cosine_similarity(image_features, text_features)
                out.append(cosine.double().cpu().numpy())
        return np.concatenate(out) if out else np.zeros(0)


def _projected(output: Any) -> Any:
    # transformers 5 returns a model output whose pooler_output holds the projection;
    # earlier versions return the projected tensor itself.
    return getattr(output, "pooler_output", output)


def clip_score_from_cosines(cosines: np.ndarray) -> float:
    """``max(100 · mean(cos), 0)``; the mean, not each pair, is clamped (as torchmetrics)."""
    return max(100.0 * float(cosines.mean()), 0.0)


def compute_clip_score(inputs: genbench.MetricInputs) -> Mapping[str, float]:
    if inputs.images is None or inputs.prompts is None:
        raise GenbenchError("metric 'clip-score' needs the generated images and their prompts")
    import torch

    scorer = ClipScorer(clip_directory(), "cuda" if torch.cuda.is_available() else "cpu")
    return {"clip_score": clip_score_from_cosines(scorer.cosines(inputs.images, inputs.prompts))}


CLIP_SCORE = genbench.MetricSpec(
    name="clip-score",
    columns=("clip_score",),
    compute=compute_clip_score,
    consumes=("images", "prompts"),
    tasks=("text-to-image",),
    higher_is_better=True,
    description="CLIP score (Hessel et al. 2021): 100 × mean cosine of CLIP image and prompt "
    f"embeddings, clamped at 0; CLIP from ${CLIP_ENV} (default {DEFAULT_CLIP})",
)
