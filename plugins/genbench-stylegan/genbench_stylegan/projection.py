"""Embedding real images into StyleGAN's latent spaces W and W+ (Abdal et al. 2019,
"Image2StyleGAN"), and the lecture's claim about them measured: "W is better for editing,
W+ for reconstruction".

``project`` finds, for each target image, the code whose synthesis is closest in pixels
(mean squared error, Adam, learning rate decayed to 0 on a cosine): in W one w shared by
every layer, in W+ one w per AdaIN layer. Both start from the tracked mean w̄, and the
per-pixel noise maps are one fixed draw shared by every image, as Image2StyleGAN keeps
them fixed. Image2StyleGAN adds a VGG perceptual loss; no ImageNet network is available
offline here, and the embedded feature net is what the reconstruction is scored with, so
the loss is pixels only.

``latent_space_study`` scores both spaces on held-out images of ``shapes``:
reconstruction (PSNR, SSIM, distance of the embedded net's features of reconstruction and
target) and editability, the realism of the image halfway between two projected codes
(FID of those midpoints against the reference split in the embedded feature space, and
the embedded classifier's confidence on them). Two anchor rows put the numbers in scale:
the targets themselves, and midpoints between codes of the generator's own samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from genbench import GenbenchError, MetricInputs, get_registry
from genbench.seeding import derive_seed

if TYPE_CHECKING:
    import torch

    from genbench_stylegan.model import Generator

SPACES = ("W", "W+")
NOISE_SEED = 0x51E


@dataclass(frozen=True)
class Projection:
    """The W+ codes (n, num_layers, w_dim) found for the targets, and the pixel loss of the
    last step (mean over images)."""

    space: str
    codes: torch.Tensor
    loss: float


def fixed_noise(generator: Generator, n: int) -> list[torch.Tensor]:
    """One draw of every noise map, shared by the n images (the same for every call)."""
    import torch

    rng = torch.Generator().manual_seed(NOISE_SEED)
    return [
        torch.randn(1, *shape, generator=rng).expand(n, -1, -1, -1)
        for shape in generator.noise_shapes
    ]


def synthesize(generator: Generator, codes: torch.Tensor) -> torch.Tensor:
    """Images in about [-1, 1] from W+ codes, with the fixed noise."""
    return generator.synthesis(codes, fixed_noise(generator, len(codes)))


def project(
    generator: Generator, targets: torch.Tensor, space: str, steps: int = 500, lr: float = 0.05
) -> Projection:
    """Codes in ``space`` ("W" or "W+") whose synthesis best matches ``targets`` (floats in
    [-1, 1], (n, C, H, W)) in mean squared error."""
    import torch

    if space not in SPACES:
        raise GenbenchError(f"latent space {space!r}: choose one of {', '.join(SPACES)}")
    generator = generator.eval().requires_grad_(False)
    layers = generator.num_layers if space == "W+" else 1
    start = generator.w_average.detach().expand(len(targets), layers, -1)
    code = start.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([code], lr=lr)
    loss = torch.zeros(())
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
        codes = code.expand(-1, generator.num_layers, -1)
        per_image = (synthesize(generator, codes) - targets).pow(2).flatten(1).mean(1)
        loss = per_image.mean()
        optimizer.zero_grad(set_to_none=True)
        # the sum, not the mean: each image's code then moves as if optimised alone
        per_image.sum().backward()
        optimizer.step()
    codes = code.detach().expand(-1, generator.num_layers, -1).clone()
    return Projection(space, codes, loss.item())


def midpoints(codes: torch.Tensor) -> torch.Tensor:
    """The code halfway between image i and image i + 1 (cyclically), for every i."""
    return (codes + codes.roll(-1, dims=0)) / 2


@dataclass(frozen=True)
class Study:
    """The table's rows, and a figure: for the first images, target, W and W+
    reconstructions and W and W+ midpoints, one column each (uint8, (5 n, C, H, W))."""

    rows: list[dict[str, Any]]
    figure: torch.Tensor


def style_generator(model: str, device: str = "cpu") -> Generator:
    """The trained network of a registered ``stylegan.*`` row."""
    from genbench_stylegan.model import Generator

    network = getattr(get_registry().models.get(model).load(device), "generator", None)
    if not isinstance(network, Generator):
        raise GenbenchError(f"model {model!r} is not a style-based generator; use stylegan.*")
    return network


def latent_space_study(
    generator: Generator,
    dataset: str = "shapes",
    n: int = 64,
    steps: int = 500,
    device: str = "cpu",
    shown: int = 10,
) -> Study:
    """The W / W+ table on the first ``n`` held-out images of ``dataset``: one row per
    space, then the two anchor rows (see the module doc)."""
    import numpy as np
    import torch

    from genbench.seeding import PerSampleNoise, sample_seeds
    from genbench.train import FeatureSpace, to_uint8, to_unit_range

    data = get_registry().datasets.get(dataset)
    real = torch.from_numpy(data.load(data.heldout_split).read("image", range(n)))
    space = FeatureSpace(dataset, device, data.n_reference)
    metrics = get_registry().metrics

    def realism(images: torch.Tensor) -> dict[str, float]:
        outputs = space(images)
        probabilities = torch.softmax(torch.from_numpy(outputs["logits"]), dim=1)
        return {
            "midpoint_fid": space.fid(outputs["features"]),
            "midpoint_confidence": float(probabilities.max(dim=1).values.mean()),
        }

    def render(codes: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return to_uint8(synthesize(generator, codes)).cpu()

    real_features = space(real)["features"]
    rows, columns = [], [real[:shown]]
    for name in SPACES:
        projection = project(generator, to_unit_range(real).to(device), name, steps)
        reconstructed, between = render(projection.codes), render(midpoints(projection.codes))
        paired = MetricInputs(images=reconstructed.numpy(), targets=real.numpy())
        distance = np.linalg.norm(space(reconstructed)["features"] - real_features, axis=1)
        rows.append(
            {
                "space": name,
                "psnr": metrics.get("psnr").compute(paired)["psnr"],
                "ssim": metrics.get("ssim").compute(paired)["ssim"],
                "feature_distance": float(distance.mean()),
                **realism(between),
                "pixel_mse": projection.loss,
            }
        )
        columns += [reconstructed[:shown], between[:shown]]
    rows.append({"space": f"{data.heldout_split} images themselves", **realism(real)})
    seeds = sample_seeds(derive_seed(NOISE_SEED, 1), range(n))
    z = PerSampleNoise(seeds).randn(generator.latent_dim, device=device)
    with torch.no_grad():
        sampled = generator.mapping(z)[:, None].expand(-1, generator.num_layers, -1)
    rows.append({"space": "W, codes of generated samples", **realism(render(midpoints(sampled)))})
    # target, W reconstruction, W+ reconstruction, W midpoint, W+ midpoint
    order = [columns[0], columns[1], columns[3], columns[2], columns[4]]
    figure = torch.stack(order, dim=1).flatten(0, 1)
    return Study(rows, figure)
