"""GauGAN against pix2pix on the same semantic map → scene task, with intervals.

    python benchmarks/compare_gaugan_pix2pix.py [--n 1000] [--seed 0]

Both models translate the first ``n`` held-out semantic maps of shapes with the run seeds
``genbench run --seed SEED`` uses (so the point values equal the leaderboard's). Printed:
FID in the shapes-cnn space against the first 5000 training images with a 95 % bootstrap
interval (50 resamples of both sets), mean SSIM to the ground truth, and paired bootstrap
intervals of the FID and SSIM differences (the same maps and reference images resampled
for both models). One CPU thread.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch

import genbench
from genbench.metrics import bootstrap_fid, fid_from_features
from genbench.seeding import sample_seeds
from genbench.train import FeatureSpace

MODELS = ("gaugan.shapes", "pix2pix.shapes-semantic")
REFERENCE = 5000


def main() -> None:
    from skimage.metrics import structural_similarity

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    held_out_size = len(genbench.get_registry().datasets.get("shapes").load("test"))
    if not 2 <= args.n <= held_out_size:
        parser.error(f"--n {args.n}: choose 2 to {held_out_size} held-out scenes")
    torch.set_num_threads(1)
    registry = genbench.get_registry()
    shapes = registry.datasets.get("shapes")
    space = FeatureSpace("shapes", n_reference=REFERENCE)  # the leaderboard's reference
    real = space.reference["features"].astype(np.float64)
    test = shapes.load("test")
    maps = torch.from_numpy(test.read("semantic", range(args.n)))
    targets = test.read("image", range(args.n))
    request = genbench.SampleRequest(seeds=sample_seeds(args.seed, range(args.n)), inputs=maps)
    ssims, fakes = {}, {}
    print(f"{args.n} held-out maps, seed {args.seed}; FID vs {REFERENCE} training images")
    for name in MODELS:
        with torch.inference_mode():
            outputs = registry.models.get(name).load("cpu").sample(request).numpy()
        fake = fakes[name] = space.features(outputs)
        low, high = bootstrap_fid(real, fake, resamples=50, seed=args.seed)
        ssims[name] = np.array(
            [
                structural_similarity(t, o, channel_axis=0, data_range=255)
                for o, t in zip(outputs, targets, strict=True)
            ]
        )
        print(
            f"{name:<26} FID {fid_from_features(real, fake):7.2f} [{low:.2f}, {high:.2f}]"
            f"   SSIM {ssims[name].mean():.4f}"
        )
    rng = np.random.default_rng(args.seed)
    differences = []
    for _ in range(50):
        rows, reference = rng.integers(0, args.n, args.n), rng.integers(0, REFERENCE, REFERENCE)
        first, second = (fid_from_features(real[reference], fakes[m][rows]) for m in MODELS)
        differences.append(first - second)
    point = fid_from_features(real, fakes[MODELS[0]]) - fid_from_features(real, fakes[MODELS[1]])
    low, high = np.percentile(differences, [2.5, 97.5])
    print(f"FID  {MODELS[0]} - {MODELS[1]}: {point:+.2f} [{low:+.2f}, {high:+.2f}]")
    difference = ssims[MODELS[0]] - ssims[MODELS[1]]
    resampled = [difference[rng.integers(0, args.n, args.n)].mean() for _ in range(1000)]
    low, high = np.percentile(resampled, [2.5, 97.5])
    print(f"SSIM {MODELS[0]} - {MODELS[1]}: {difference.mean():+.4f} [{low:+.4f}, {high:+.4f}]")


if __name__ == "__main__":
    main()
