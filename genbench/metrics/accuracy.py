"""Label accuracy of a class-conditional model, judged by a classifier's logits."""

from __future__ import annotations

from typing import Any

import numpy as np

from genbench.errors import GenbenchError
from genbench.metrics import arrays


def label_accuracy(logits: Any, labels: Any) -> float:
    """Fraction of samples whose arg-max logit is the label the model was asked for."""
    return float(np.mean(correct_labels(logits, labels)))


def correct_labels(logits: Any, labels: Any) -> np.ndarray:
    """Per sample: whether its arg-max logit is the label the model was asked for."""
    scores = arrays.features(logits, "logits")
    wanted = np.asarray(labels)
    if wanted.shape != (len(scores),) or not np.issubdtype(wanted.dtype, np.integer):
        raise GenbenchError(
            f"labels: expected {len(scores)} integer labels (one per sample), got"
            f" {wanted.dtype} of shape {wanted.shape}"
        )
    if wanted.min() < 0 or wanted.max() >= scores.shape[1]:
        raise GenbenchError(
            f"labels range over [{wanted.min()}, {wanted.max()}] but the classifier has"
            f" {scores.shape[1]} classes"
        )
    predicted = scores.argmax(dim=1).cpu().numpy()
    return predicted == wanted
