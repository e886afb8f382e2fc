"""The scenes of ``shapes``: drawing their parameters and rendering them with numpy.

A scene is one main object (its shape and colour are the class label) over a smooth
two-colour background, with a smaller second object behind it half of the time. Objects
are shaded by a linear light gradient and anti-aliased over one pixel; every pixel gets
triangular noise. Each scene is a pure function of its seed: the seed drives its own
``numpy.random.Generator(PCG64)``, which draws a fixed number of uniforms in a fixed order.

Rendering uses only +, −, ×, ÷, sqrt, min, max and rounding on float64, each exactly
rounded by IEEE 754, and no trigonometry (directions are normalised random vectors), so a
scene renders to the same bytes alone or in any batch, on any platform.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SIZE = 32
SHAPES = ("circle", "square", "triangle")
COLOURS = ("red", "green", "blue")
CLASSES = tuple(f"{colour} {shape}" for shape in SHAPES for colour in COLOURS)
BASE_RGB = np.array([[205.0, 45.0, 40.0], [45.0, 170.0, 60.0], [45.0, 75.0, 215.0]])
NOISE_AMPLITUDE = 8.0  # triangular noise on [-8, 8] levels (std ≈ 3.3)

# Uniforms per scene, in the order they are drawn (changing it changes every scene).
_MAIN, _SECOND, _BACKGROUND, _PRESENT = 0, 10, 20, 28
N_UNIFORMS = 29

# Unit normals of a square and an equilateral triangle pointing along +x, as rotations of
# the object's direction vector: (cos, sin) pairs, with sqrt(3)/2 the only irrational.
_HALF_SQRT3 = math.sqrt(3.0) / 2.0
_SQUARE_TURNS = ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0))
_TRIANGLE_TURNS = ((1.0, 0.0), (-0.5, _HALF_SQRT3), (-0.5, -_HALF_SQRT3), (1.0, 0.0))


@dataclass(frozen=True)
class Scenes:
    """The parameters of a batch of scenes: uniforms (n, N_UNIFORMS), noise (n, 3, H, W)."""

    uniforms: np.ndarray
    noise: np.ndarray

    def __len__(self) -> int:
        return len(self.uniforms)

    @property
    def label(self) -> np.ndarray:
        """The main object's class, ``shape * 3 + colour``: int64 (n,)."""
        return _class_of(self.uniforms[:, _MAIN : _MAIN + 2])

    @property
    def second_label(self) -> np.ndarray:
        """The second object's class, or -1 where there is none."""
        present = self.uniforms[:, _PRESENT] < 0.5
        return np.where(present, _class_of(self.uniforms[:, _SECOND : _SECOND + 2]), -1)


def draw_scenes(seeds: Sequence[int]) -> Scenes:
    """The scenes of ``seeds``, one ``Generator(PCG64(seed))`` each."""
    uniforms = np.empty((len(seeds), N_UNIFORMS))
    noise = np.empty((len(seeds), 3, SIZE, SIZE))
    for row, seed in enumerate(seeds):
        rng = np.random.Generator(np.random.PCG64(seed))
        uniforms[row] = rng.random(N_UNIFORMS)
        pair = rng.random((2, 3, SIZE, SIZE))
        noise[row] = (pair[0] + pair[1] - 1.0) * NOISE_AMPLITUDE
    return Scenes(uniforms, noise)


def render(scenes: Scenes, night: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Render scenes by day (light background) or night (the same scene, dark background
    and dimmer objects): uint8 RGB (n, 3, H, W) and semantic map (n, 1, H, W).

    The semantic map holds 0 for background and ``1 + class`` where an object covers at
    least half a pixel (the main object over the second one).
    """
    u = scenes.uniforms
    n = len(scenes)
    y, x = np.meshgrid(np.arange(SIZE) + 0.5, np.arange(SIZE) + 0.5, indexing="ij")
    x, y = x[None], y[None]  # pixel centres, broadcast over the batch

    image = _background(u[:, _BACKGROUND:_PRESENT], x, y)
    semantic = np.zeros((n, SIZE, SIZE), dtype=np.uint8)
    if night:
        image = image * 0.25 + np.array([10.0, 14.0, 42.0])[None, :, None, None]
    present = u[:, _PRESENT] < 0.5
    for offset, scale, drawn in ((_SECOND, 0.5, present), (_MAIN, 1.0, np.ones(n, bool))):
        params = u[:, offset : offset + 10]
        coverage, shading = _object(params, scale, x, y)
        coverage = np.where(drawn[:, None, None], coverage, 0.0)
        colour = _object_colour(params) * (0.8 if night else 1.0)
        alpha = coverage[:, None]
        image = image * (1.0 - alpha) + colour[:, :, None, None] * shading[:, None] * alpha
        label = (_class_of(params[:, :2]) + 1).astype(np.uint8)
        semantic = np.where(coverage >= 0.5, label[:, None, None], semantic)
    pixels = np.clip(np.floor(image + scenes.noise + 0.5), 0, 255).astype(np.uint8)
    return pixels, semantic[:, None]


def caption(label: int, second_label: int, night: bool = False) -> str:
    """A prompt for the scene, e.g. 'a red circle and a small blue square on a light
    background'."""
    text = f"a {CLASSES[label]}"
    if second_label >= 0:
        text += f" and a small {CLASSES[second_label]}"
    return f"{text} on a {'dark' if night else 'light'} background"


def gray(images: np.ndarray) -> np.ndarray:
    """RGB (n, 3, H, W) → luma (n, 1, H, W), ITU-R 601 weights in PIL's fixed point."""
    r, g, b = (images[:, c].astype(np.uint32) for c in range(3))
    luma = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16
    return luma.astype(np.uint8)[:, None]


def edges(gray_images: np.ndarray) -> np.ndarray:
    """Canny edges (scikit-image, σ=1) of grey images (n, 1, H, W) → uint8 0/255."""
    from skimage.feature import canny

    out = np.zeros_like(gray_images)
    for row, image in enumerate(gray_images[:, 0]):
        out[row, 0] = canny(image.astype(np.float64) / 255.0, sigma=1.0) * np.uint8(255)
    return out


def _pick(u: np.ndarray, choices: int) -> np.ndarray:
    """A uniform in [0, 1) as an index in 0..choices-1."""
    return np.minimum((u * choices).astype(np.int64), choices - 1)


def _class_of(pair: np.ndarray) -> np.ndarray:
    return _pick(pair[:, 0], len(SHAPES)) * len(COLOURS) + _pick(pair[:, 1], len(COLOURS))


def _unit(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A direction from two uniforms: (2a−1, 2b−1) normalised (x axis when degenerate)."""
    dx, dy = 2.0 * a - 1.0, 2.0 * b - 1.0
    length = np.sqrt(dx * dx + dy * dy)
    degenerate = length < 1e-6
    safe = np.where(degenerate, 1.0, length)
    return np.where(degenerate, 1.0, dx / safe), np.where(degenerate, 0.0, dy / safe)


def _background(u: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A light linear gradient between two colours: float (n, 3, H, W)."""
    start = 165.0 + 85.0 * u[:, 0:3]
    end = 165.0 + 85.0 * u[:, 3:6]
    dx, dy = _unit(u[:, 6], u[:, 7])
    half = SIZE / 2.0
    # Position along the gradient direction, 0 at one corner side and 1 at the other.
    t = 0.5 + ((x - half) * dx[:, None, None] + (y - half) * dy[:, None, None]) / (2.0 * half)
    t = np.clip(t, 0.0, 1.0)[:, None]
    return start[:, :, None, None] * (1.0 - t) + end[:, :, None, None] * t


def _object_colour(params: np.ndarray) -> np.ndarray:
    colour = BASE_RGB[_pick(params[:, 1], len(COLOURS))]
    return np.clip(colour + 40.0 * (params[:, 2:5] - 0.5), 0.0, 255.0)


def _object(
    params: np.ndarray, scale: float, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Coverage in [0, 1] and shading factor of one object per scene: (n, H, W) each.

    ``params``: shape, colour, 3 colour jitters, centre x, centre y, size, direction a, b.
    The signed distance to the outline (negative inside) gives a one-pixel anti-aliased
    edge: a circle's is ``|p − c| − r``; a polygon's the largest distance past its edges.
    """
    shape = _pick(params[:, 0], len(SHAPES))
    margin = 11.0 if scale == 1.0 else 5.0
    cx = margin + (SIZE - 2.0 * margin) * params[:, 5]
    cy = margin + (SIZE - 2.0 * margin) * params[:, 6]
    radius = scale * (6.0 + 4.0 * params[:, 7])
    ux, uy = _unit(params[:, 8], params[:, 9])
    px = x - cx[:, None, None]
    py = y - cy[:, None, None]

    circle = np.sqrt(px * px + py * py) - radius[:, None, None]
    polygon = np.full_like(circle, -np.inf)
    square = shape == 1
    apothem = np.where(square, 0.8 * radius, 0.6 * radius)  # similar areas for all shapes
    for (sq_c, sq_s), (tr_c, tr_s) in zip(_SQUARE_TURNS, _TRIANGLE_TURNS, strict=True):
        cos = np.where(square, sq_c, tr_c)
        sin = np.where(square, sq_s, tr_s)
        nx, ny = ux * cos - uy * sin, ux * sin + uy * cos
        distance = px * nx[:, None, None] + py * ny[:, None, None] - apothem[:, None, None]
        polygon = np.maximum(polygon, distance)
    signed = np.where((shape == 0)[:, None, None], circle, polygon)
    coverage = np.clip(0.5 - signed, 0.0, 1.0)

    # Light comes from the object's direction turned by 90°: one side 30% brighter.
    along = (py * ux[:, None, None] - px * uy[:, None, None]) / radius[:, None, None]
    shading = 1.0 + 0.3 * np.clip(along, -1.0, 1.0)
    return coverage, shading
