"""genbench: a plugin registry of image generative models and one benchmark for them all.

This module is the public API; everything else is implementation. Importing it is cheap
(no torch): plugins are discovered and heavy code is imported only when used.
"""

from __future__ import annotations

from genbench.errors import GenbenchError, UnknownNameError
from genbench.hookspecs import hookimpl
from genbench.plugins import get_registry, reset_registry
from genbench.spec import (
    TASKS,
    DatasetSpec,
    DatasetSplit,
    FeatureExtractorSpec,
    Generator,
    MetricInputs,
    MetricSpec,
    ModelSpec,
    SampleRequest,
    SpecError,
    Weights,
)
from genbench.version import __version__

# Bumped when the hook contract changes incompatibly; plugins may check it.
PLUGIN_API = 1

__all__ = [
    "PLUGIN_API",
    "TASKS",
    "DatasetSpec",
    "DatasetSplit",
    "FeatureExtractorSpec",
    "GenbenchError",
    "Generator",
    "MetricInputs",
    "MetricSpec",
    "ModelSpec",
    "SampleRequest",
    "SpecError",
    "UnknownNameError",
    "Weights",
    "__version__",
    "get_registry",
    "hookimpl",
    "reset_registry",
]
