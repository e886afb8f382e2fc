"""Built-in data, registered through the plugin hooks like any third-party plugin.

Loaders are imported when a split is loaded, so registration imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable

import genbench
from genbench.spec import DatasetSpec, DatasetSplit


def _load_digits(split: str) -> DatasetSplit:
    from genbench.data import digits

    return digits.load(split)


DIGITS = DatasetSpec(
    name="digits",
    tasks=("unconditional", "class-conditional"),
    resolution=16,
    channels=1,
    splits={"train": 1437, "test": 360},
    load=_load_digits,
    default_features="digits-cnn",
    num_classes=10,
    fields=("image", "label"),
    reference_split="train",
    heldout_split="test",
    # The oracle baseline replays each held-out image once.
    n_samples=360,
    n_reference=None,
    citation=(
        "E. Alpaydin, C. Kaynak. Optical Recognition of Handwritten Digits. "
        "UCI Machine Learning Repository, 1998. doi:10.24432/C50P49"
    ),
    license="CC BY 4.0",
    description=(
        "scikit-learn's 1797 handwritten digits (8×8, 17 grey levels) upsampled bilinearly "
        "to 16×16 grey uint8; fixed stratified split 1437 train / 360 test."
    ),
)


@genbench.hookimpl
def genbench_register_datasets(register: Callable[[DatasetSpec], None]) -> None:
    register(DIGITS)
