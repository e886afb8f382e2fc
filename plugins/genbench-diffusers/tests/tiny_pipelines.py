"""Tiny randomly initialised diffusers pipelines and CLIP models, built offline.

Each builder saves with ``save_pretrained`` into a directory, exactly as a real checkpoint
is laid out, so the adapter loads them through the same ``from_pretrained`` path.
"""

from __future__ import annotations

import json
from pathlib import Path

SPECIAL_TOKENS = ("<|startoftext|>", "<|endoftext|>")


def _byte_alphabet() -> list[str]:
    """The 256 printable stand-ins for bytes that byte-level BPE tokenizers use (GPT-2's)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += range(ord("®"), ord("ÿ") + 1)
    extra = [b for b in range(256) if b not in printable]
    return [chr(c) for c in printable] + [chr(256 + i) for i in range(len(extra))]


def write_clip_tokenizer(directory: Path) -> Path:
    """A byte-level CLIP tokenizer with no merges: every character is one token."""
    from transformers import CLIPTokenizer

    directory.mkdir(parents=True, exist_ok=True)
    alphabet = _byte_alphabet()
    tokens = [*alphabet, *(c + "</w>" for c in alphabet), *SPECIAL_TOKENS]
    (directory / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}))
    (directory / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = CLIPTokenizer(
        str(directory / "vocab.json"), str(directory / "merges.txt"), model_max_length=77
    )
    tokenizer.save_pretrained(directory)
    return directory


def vocab_size() -> int:
    return 2 * len(_byte_alphabet()) + len(SPECIAL_TOKENS)


def _seeded(seed: int) -> None:
    import torch

    torch.manual_seed(seed)


def _tiny_vae(channels: int = 3):  # type: ignore[no-untyped-def]
    from diffusers import AutoencoderKL

    # Two blocks: the latents are half the image size (vae_scale_factor 2).
    return AutoencoderKL(
        in_channels=channels,
        out_channels=channels,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        block_out_channels=(8, 16),
        latent_channels=4,
        layers_per_block=1,
        norm_num_groups=4,
        sample_size=32,
    )


def build_ddpm(directory: Path, *, resolution: int = 16, channels: int = 1, seed: int = 0) -> Path:
    """An unconditional DDPMPipeline: a two-level UNet2DModel and a 1000-step DDPMScheduler."""
    from diffusers import DDPMPipeline, DDPMScheduler, UNet2DModel

    _seeded(seed)
    unet = UNet2DModel(
        sample_size=resolution,
        in_channels=channels,
        out_channels=channels,
        block_out_channels=(8, 16),
        layers_per_block=1,
        norm_num_groups=4,
        down_block_types=("DownBlock2D", "AttnDownBlock2D"),
        up_block_types=("AttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=8,
    )
    DDPMPipeline(unet=unet, scheduler=DDPMScheduler(num_train_timesteps=1000)).save_pretrained(
        directory
    )
    return directory


def build_dit(directory: Path, *, resolution: int = 32, seed: int = 0) -> Path:
    """A class-conditional DiTPipeline: one DiT block over the latents of a tiny VAE.

    ``num_embeds_ada_norm`` stays 1000 because DiTPipeline uses label 1000 as the null
    class of classifier-free guidance.
    """
    from diffusers import DiTPipeline, DiTTransformer2DModel, DPMSolverMultistepScheduler

    _seeded(seed)
    transformer = DiTTransformer2DModel(
        num_attention_heads=2,
        attention_head_dim=8,
        in_channels=4,
        out_channels=8,
        num_layers=1,
        norm_num_groups=4,
        sample_size=resolution // 2,
        patch_size=2,
        num_embeds_ada_norm=1000,
    )
    pipe = DiTPipeline(
        transformer=transformer, vae=_tiny_vae(), scheduler=DPMSolverMultistepScheduler()
    )
    pipe.save_pretrained(directory)
    return directory


def build_clip_text(hidden: int = 16):  # type: ignore[no-untyped-def]
    from transformers import CLIPTextConfig, CLIPTextModel

    return CLIPTextModel(CLIPTextConfig(**_clip_text_config(hidden)))


def build_clip(
    directory: Path, *, image_size: int = 32, seed: int = 0, agreeing: bool = False
) -> Path:
    """A CLIP model (vision and text towers, projections) with its processor, as the CLIP
    score reads it; images are resized to ``image_size`` by the processor.

    Random towers give cosines of either sign, so the clamped mean is often 0; ``agreeing``
    makes both embeddings mostly positive (positive final biases and projections), so every
    pair scores above 0 and still differs from pair to pair.
    """
    import torch
    from transformers import (
        CLIPConfig,
        CLIPImageProcessor,
        CLIPModel,
        CLIPProcessor,
        CLIPTokenizer,
    )

    _seeded(seed)
    vision = dict(
        image_size=image_size,
        patch_size=8,
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
    )
    config = CLIPConfig(text_config=_clip_text_config(16), vision_config=vision, projection_dim=8)
    model = CLIPModel(config)
    if agreeing:
        with torch.no_grad():
            for norm in (model.vision_model.post_layernorm, model.text_model.final_layer_norm):
                norm.bias.fill_(2.0)
            for projection in (model.visual_projection, model.text_projection):
                projection.weight.abs_()
    model.save_pretrained(directory)
    tokenizer = CLIPTokenizer.from_pretrained(write_clip_tokenizer(directory))
    image_processor = CLIPImageProcessor(
        size={"shortest_edge": image_size}, crop_size={"height": image_size, "width": image_size}
    )
    CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(directory)
    return directory


def _clip_text_config(hidden: int) -> dict[str, int]:
    return dict(
        vocab_size=vocab_size(),
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=1,
        num_attention_heads=2,
        max_position_embeddings=77,
        bos_token_id=vocab_size() - 2,
        eos_token_id=vocab_size() - 1,
        pad_token_id=vocab_size() - 1,
    )


def build_stable_diffusion(directory: Path, *, resolution: int = 32, seed: int = 0) -> Path:
    """A text-to-image StableDiffusionPipeline: UNet2DConditionModel, AutoencoderKL,
    CLIPTextModel and the local byte-level tokenizer; no safety checker."""
    from diffusers import DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTokenizer

    _seeded(seed)
    unet = UNet2DConditionModel(
        sample_size=resolution // 2,
        in_channels=4,
        out_channels=4,
        block_out_channels=(8, 16),
        layers_per_block=1,
        norm_num_groups=4,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=16,
        attention_head_dim=4,
    )
    tokenizer = CLIPTokenizer.from_pretrained(write_clip_tokenizer(directory / "tokenizer"))
    pipe = StableDiffusionPipeline(
        unet=unet,
        vae=_tiny_vae(),
        text_encoder=build_clip_text(),
        tokenizer=tokenizer,
        scheduler=DDIMScheduler(beta_schedule="scaled_linear", clip_sample=False, steps_offset=1),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(directory)
    return directory
