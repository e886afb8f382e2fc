"""What FID on `shapes` asks of a generator: held-out real scenes degraded in known ways.

    python benchmarks/study_shapes_sharpness.py [--n 1000]

Scores the first ``n`` held-out scenes of shapes, re-rendered or degraded, with the
leaderboard's protocol (FID in the ``shapes-cnn`` space against the first 5000 training
images; one thread) and prints one line each: as they are; rendered without their pixel
noise and with twice of it (texture); blurred (Gaussian σ in pixels, the kernel of
``genbench sanity``); and reduced to 16×16 or 8×8 by averaging, then enlarged back to
32×32 (detail). The target for a generative model on shapes, 1/20 of uniform noise, lies
among these.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
import torch.nn.functional as F

import genbench
from genbench.data import shapes_render
from genbench.data.shapes import scene_seeds
from genbench.sanity.checks import gaussian_blur
from genbench.train import FeatureSpace

REFERENCE = 5000


def as_uint8(images: torch.Tensor | np.ndarray) -> np.ndarray:
    return np.clip(np.rint(np.asarray(images, dtype=np.float64)), 0, 255).astype(np.uint8)


def reduced(images: np.ndarray, size: int, mode: str) -> np.ndarray:
    small = F.avg_pool2d(torch.from_numpy(images).double(), images.shape[-1] // size)
    options = {} if mode == "nearest" else {"align_corners": False}
    return as_uint8(F.interpolate(small, size=images.shape[-1], mode=mode, **options).numpy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    held_out_size = len(genbench.get_registry().datasets.get("shapes").load("test"))
    if not 2 <= args.n <= held_out_size:
        parser.error(f"--n {args.n}: choose 2 to {held_out_size} held-out scenes")
    torch.set_num_threads(1)
    space = FeatureSpace("shapes", n_reference=REFERENCE)  # the leaderboard's reference
    scenes = shapes_render.draw_scenes(scene_seeds("test", range(args.n)))
    images, _ = shapes_render.render(scenes)

    def rendered(noise_scale: float) -> np.ndarray:
        noise = scenes.noise * noise_scale
        return shapes_render.render(shapes_render.Scenes(scenes.uniforms, noise))[0]

    variants = {
        "held-out scenes": images,
        "without pixel noise": rendered(0.0),
        "twice the pixel noise": rendered(2.0),
        **{f"blurred, σ = {s}": gaussian_blur(images, s) for s in (0.5, 1.0, 1.5)},
        **{
            f"reduced to {size}×{size}, enlarged ({mode})": reduced(images, size, mode)
            for size in (16, 8)
            for mode in ("nearest", "bilinear")
        },
        "uniform noise": np.random.default_rng(0).integers(0, 256, images.shape, np.uint8),
    }
    print(f"FID ({space.extractor.name}, {args.n} held-out scenes vs {REFERENCE} training images)")
    for name, variant in variants.items():
        print(f"  {name:<38} {space.fid(space.features(variant)):8.1f}")


if __name__ == "__main__":
    main()
