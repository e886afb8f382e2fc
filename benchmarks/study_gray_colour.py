"""Grey → colour on shapes: why the copy of the input wins on SSIM (a measured study).

    python benchmarks/study_gray_colour.py [--n 1000] [--out leaderboards/shapes]

Writes ``pix2pix-gray-ssim-study.{csv,md}`` to ``--out``. Three measurements on the first
``n`` held-out scenes (the leaderboard's inputs and run seeds, seed 0):

1. How much of an object's colour its grey level holds. The renderer shades every channel
   of an object by the same factor and adds colour-blind noise and background, so the
   object's luma is the main cue to its colour: red (205, 45, 40) and blue (45, 75, 215)
   have lumas 92 and 82, each spread by a colour jitter of ±20 per channel. A classifier of
   the main object's colour from its mean luma, fitted on training scenes, estimates the
   accuracy a colouriser can reach (an estimate: channels clipped at 255 in the brightest
   shading leave a faint further cue).
2. ``pix2pix.shapes-gray`` itself: the fraction of scenes whose main object it colours
   right (the channel with the largest mean over the object's pixels), and its SSIM on
   those scenes and on the others, beside the copy's SSIM on the same scenes.
3. Between realism and SSIM: outputs blended with the copy, (1 − a) · pix2pix + a · copy:
   SSIM and FID (shapes-cnn, against the first 5000 training images, as on the
   leaderboard) of each.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import torch

import genbench
from genbench.files import check_writable
from genbench.seeding import sample_seeds
from genbench.train import FeatureSpace

MODEL = "pix2pix.shapes-gray"
REFERENCE = 5000
COLOURS = ("red", "green", "blue")
LUMA = np.array([0.299, 0.587, 0.114])  # ITU-R 601, the weights of shapes' ``gray`` field


def ssim_per_image(images: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """SSIM of each pair as the leaderboard computes it (scikit-image, channel axis 0)."""
    from skimage.metrics import structural_similarity

    return np.array(
        [
            structural_similarity(t, o, channel_axis=0, data_range=255)
            for o, t in zip(images, targets, strict=True)
        ]
    )


def main_object(split, indices: range) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """The main object's pixels (n, H, W) and its colour index (n,) of each scene."""
    labels = split.read("label", indices)
    semantic = split.read("semantic", indices)[:, 0]
    return semantic == (labels[:, None, None] + 1), labels % len(COLOURS)


def object_colour(images: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The channel with the largest mean over each image's object pixels."""
    return np.array(
        [
            np.argmax([image[c][m].mean() for c in range(3)])
            for image, m in zip(images, mask, strict=True)
        ]
    )


def object_luma(images: np.ndarray, mask: np.ndarray) -> np.ndarray:
    luma = np.einsum("c,nchw->nhw", LUMA, images.astype(np.float64))
    return np.array([plane[m].mean() for plane, m in zip(luma, mask, strict=True)])


def luma_classifier(lumas: np.ndarray, colours: np.ndarray):  # type: ignore[no-untyped-def]
    """The most probable colour given an object's mean luma: a Gaussian per colour."""
    stats = [
        (lumas[colours == c].mean(), lumas[colours == c].std(), (colours == c).mean())
        for c in range(len(COLOURS))
    ]

    def predict(values: np.ndarray) -> np.ndarray:
        scores = [
            np.log(prior) - np.log(sd) - 0.5 * ((values - mean) / sd) ** 2
            for mean, sd, prior in stats
        ]
        return np.argmax(np.stack(scores), axis=0)

    return predict, stats


def blend(first: np.ndarray, second: np.ndarray, a: float) -> np.ndarray:
    mixed = (1 - a) * first.astype(np.float64) + a * second.astype(np.float64)
    return np.clip(np.rint(mixed), 0, 255).astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("leaderboards/shapes"))
    args = parser.parse_args()
    held_out_size = len(genbench.get_registry().datasets.get("shapes").load("test"))
    if not 2 <= args.n <= held_out_size:
        parser.error(f"--n {args.n}: choose 2 to {held_out_size} held-out scenes")
    try:
        check_writable(args.out, "--out")
    except genbench.GenbenchError as error:
        parser.error(str(error))
    torch.set_num_threads(1)
    registry = genbench.get_registry()
    shapes = registry.datasets.get("shapes")
    space = FeatureSpace("shapes", n_reference=REFERENCE)  # the leaderboard's reference
    train, test = shapes.load("train"), shapes.load("test")
    held_out = range(args.n)
    targets, gray = test.read("image", held_out), test.read("gray", held_out)
    mask, colours = main_object(test, held_out)

    # 1. the colour a grey level holds
    fit = range(REFERENCE)
    fit_mask, fit_colours = main_object(train, fit)
    predict, stats = luma_classifier(object_luma(train.read("image", fit), fit_mask), fit_colours)
    from_luma = predict(object_luma(targets, mask)) == colours

    # 2. the model
    request = genbench.SampleRequest(seeds=sample_seeds(0, held_out), inputs=gray)
    with torch.inference_mode():
        outputs = registry.models.get(MODEL).load("cpu").sample(request).numpy()
    copy = np.repeat(gray, 3, axis=1)
    right = object_colour(outputs, mask) == colours
    ssim_model, ssim_copy = ssim_per_image(outputs, targets), ssim_per_image(copy, targets)

    # 3. between realism and SSIM
    rows = []
    variants = [
        (f"(1 − {a}) · pix2pix + {a} · copy", blend(outputs, copy, a))
        for a in (0.0, 0.25, 0.5, 0.75, 1.0)
    ]
    for name, images in variants:
        rows.append(
            {
                "outputs": name,
                "ssim": ssim_per_image(images, targets).mean(),
                "fid": space.fid(space.features(images)),
                "main_colour_right": (object_colour(images, mask) == colours).mean(),
            }
        )
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "pix2pix-gray-ssim-study.csv", index=False)

    bound = from_luma.mean()
    expected = bound * ssim_model[right].mean() + (1 - bound) * ssim_model[~right].mean()
    lines = [
        "# Grey → colour: SSIM against realism (`pix2pix.shapes-gray`)",
        "",
        f"`python benchmarks/study_gray_colour.py --n {args.n}` — the first {args.n} held-out"
        " scenes, run seed 0, one thread. FID in `shapes-cnn` space against the first"
        f" {REFERENCE} training images (the leaderboard's protocol, without intervals).",
        "",
        "## How much colour the grey level holds",
        "",
        "| main object | scenes | mean luma of the object | sd |",
        "|---|---|---|---|",
        *(
            f"| {COLOURS[c]} | {int((fit_colours == c).sum())} (train) | {mean:.1f} | {sd:.1f} |"
            for c, (mean, sd, _) in enumerate(stats)
        ),
        "",
        f"The colour read from the object's mean luma (a Gaussian per colour, fitted on"
        f" {REFERENCE} training scenes) is right for {bound:.1%} of the held-out scenes"
        + "".join(f"; {COLOURS[c]} {from_luma[colours == c].mean():.1%}" for c in range(3))
        + ". Red and blue overlap: a colouriser that draws one definite colour gets roughly"
        " one red or blue object in three wrong, whatever it is trained with.",
        "",
        "## The model",
        "",
        "| scenes | share | SSIM pix2pix | SSIM copy of the input |",
        "|---|---|---|---|",
        f"| main object coloured right | {right.mean():.1%} | {ssim_model[right].mean():.4f} |"
        f" {ssim_copy[right].mean():.4f} |",
        f"| main object coloured wrong | {1 - right.mean():.1%} | {ssim_model[~right].mean():.4f}"
        f" | {ssim_copy[~right].mean():.4f} |",
        f"| all | 100% | {ssim_model.mean():.4f} | {ssim_copy.mean():.4f} |",
        "",
        f"At the accuracy the grey level allows ({bound:.1%}), with its own SSIM on right and"
        f" wrong scenes, the model would score about {expected:.4f}, against the copy's"
        f" {ssim_copy.mean():.4f}.",
        "",
        "## Between realism and SSIM",
        "",
        "| outputs | SSIM ↑ | FID ↓ | main colour right |",
        "|---|---|---|---|",
        *(
            f"| {r.outputs} | {r.ssim:.4f} | {r.fid:.1f} | {r.main_colour_right:.1%} |"
            for r in table.itertuples()
        ),
        "",
    ]
    (args.out / "pix2pix-gray-ssim-study.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
