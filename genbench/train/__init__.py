"""The shared training toolkit for family plugins: the names below are public API.

Checkpoints (safetensors, never pickle), the weights a plugin ships, an EMA of a network,
seeded batches of real images, loss logs, sample grids, a Fréchet validator for choosing
the best checkpoint (and its feature space, for other studies), and optimizer state as
tensors. Importing this module is cheap: nothing here imports torch until it is used.
Family-specific loops live with their families (the GAN loop in genbench-gankit).
"""

from __future__ import annotations

from genbench.threads import one_cpu_thread
from genbench.train.checkpoint import (
    load_checkpoint,
    save_checkpoint,
    sha256_file,
    shipped_weights,
)
from genbench.train.data import RealBatches, to_uint8, to_unit_range
from genbench.train.ema import EMA
from genbench.train.grid import save_grid
from genbench.train.log import LOG_COLUMNS, LossLog
from genbench.train.network import load_network
from genbench.train.state import optimizer_tensors, prefixed, restore_optimizer, unprefixed
from genbench.train.validation import FeatureSpace, FrechetValidator

__all__ = [
    "EMA",
    "LOG_COLUMNS",
    "FeatureSpace",
    "FrechetValidator",
    "LossLog",
    "RealBatches",
    "load_checkpoint",
    "load_network",
    "one_cpu_thread",
    "optimizer_tensors",
    "prefixed",
    "restore_optimizer",
    "save_checkpoint",
    "save_grid",
    "sha256_file",
    "shipped_weights",
    "to_uint8",
    "to_unit_range",
    "unprefixed",
]
