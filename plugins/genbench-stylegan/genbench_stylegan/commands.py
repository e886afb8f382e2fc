"""``genbench stylegan-latents``: the W / W+ study of ``genbench_stylegan.projection``,
written as a table (CSV and Markdown) and a figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

COLUMNS = (
    "space",
    "psnr",
    "ssim",
    "feature_distance",
    "midpoint_fid",
    "midpoint_confidence",
    "pixel_mse",
)


def _better(comparisons: list[bool]) -> str:
    if all(comparisons):
        return "better"
    if not any(comparisons):
        return "not better"
    return f"better on {sum(comparisons)} of {len(comparisons)} measures"


def verdict(rows: list[dict[str, Any]]) -> str:
    """Whether "W for editing, W+ for reconstruction" held, said from the numbers."""
    w, w_plus = rows[0], rows[1]
    reconstruction = [
        w_plus["psnr"] > w["psnr"],
        w_plus["ssim"] > w["ssim"],
        w_plus["feature_distance"] < w["feature_distance"],
    ]
    editing = [
        w["midpoint_fid"] < w_plus["midpoint_fid"],
        w["midpoint_confidence"] > w_plus["midpoint_confidence"],
    ]
    held = reconstruction + editing
    outcome = (
        "reproduced" if all(held) else "did not reproduce" if not any(held) else "held in part"
    )
    return (
        f'"W for editing, W+ for reconstruction" {outcome} here. W+ reconstructs'
        f" {_better(reconstruction)} than W (PSNR {w_plus['psnr']:.2f} vs {w['psnr']:.2f} dB,"
        f" SSIM {w_plus['ssim']:.3f} vs {w['ssim']:.3f}, feature distance"
        f" {w_plus['feature_distance']:.3g} vs {w['feature_distance']:.3g}); W's interpolation"
        f" midpoints are {_better(editing)} for realism than W+'s (FID {w['midpoint_fid']:.1f}"
        f" vs {w_plus['midpoint_fid']:.1f}, classifier confidence"
        f" {w['midpoint_confidence']:.3f} vs {w_plus['midpoint_confidence']:.3f})."
    )


def markdown(rows: list[dict[str, Any]], command: str, figure: str, n: int) -> str:
    """The published page: what was measured, the table, the verdict, the figure."""
    header = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS) + "\n"
    body = "".join(
        "| "
        + " | ".join(
            f"{row[c]:.4g}" if isinstance(row.get(c), float) else str(row.get(c, ""))
            for c in COLUMNS
        )
        + " |\n"
        for row in rows
    )
    return (
        "# StyleGAN latent spaces: W and W+ on shapes\n\n"
        f"{n} held-out `shapes` test images projected into W (one w for all layers) and W+"
        " (one w per AdaIN layer) by optimising pixel MSE from the mean w"
        " (`genbench_stylegan.projection`). Reconstruction: PSNR (dB) and SSIM of the"
        " reconstruction against its target, and the mean distance of their `shapes-cnn`"
        " features. Editability: the image halfway between the codes of image i and image"
        " i + 1, scored for realism by its FID against the benchmark's 5000 reference images"
        f" in `shapes-cnn` space ({n} midpoints: FID at this n is biased upwards, so compare"
        " rows, not with the leaderboard) and the embedded classifier's mean top-class"
        " probability. The last two rows are anchors on the same scale: the targets"
        " themselves, and midpoints between W codes of the generator's own samples.\n\n"
        f"{header}{body}\n{verdict(rows)}\n\n"
        f"![target, W and W+ reconstructions, W and W+ midpoints]({figure})\n\n"
        "Columns of the figure: target, W reconstruction, W+ reconstruction, W midpoint,"
        " W+ midpoint (between this image and the next).\n\n"
        f"```\n{command}\n```\n"
    )


@click.command("stylegan-latents")
@click.option("--model", default="stylegan.shapes", show_default=True, help="A stylegan.* row.")
@click.option("--n", default=64, show_default=True, help="Held-out images to project.")
@click.option("--steps", default=500, show_default=True, help="Optimisation steps per space.")
@click.option("--device", default="cpu", show_default=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("leaderboards/shapes/stylegan-latent-spaces"),
    show_default=True,
    help="Writes OUT.csv, OUT.md and OUT.png.",
)
def stylegan_latents(model: str, n: int, steps: int, device: str, out: Path) -> None:
    """Project held-out images into StyleGAN's W and W+; table reconstruction and
    editability of both."""
    import pandas as pd

    from genbench import get_registry
    from genbench.train import one_cpu_thread, save_grid
    from genbench_stylegan.projection import latent_space_study, style_generator

    dataset = get_registry().models.get(model).dataset
    with one_cpu_thread():
        study = latent_space_study(style_generator(model, device), dataset, n, steps, device)
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(study.rows, columns=list(COLUMNS)).to_csv(out.with_suffix(".csv"), index=False)
    save_grid(study.figure, out.with_suffix(".png"), columns=5)
    command = f"genbench stylegan-latents --model {model} --n {n} --steps {steps}"
    page = markdown(study.rows, command, out.with_suffix(".png").name, n)
    out.with_suffix(".md").write_text(page)
    click.echo(verdict(study.rows))
