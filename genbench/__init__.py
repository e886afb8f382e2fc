"""genbench: a plugin registry of image generative models and one benchmark for them all.

The public API is the names below (``__all__``) plus the ``__all__`` of the modules listed
in :data:`genbench.hookspecs.PUBLIC_MODULES` (``genbench.data``, ``genbench.seeding``,
``genbench.testing``, ``genbench.train``, ``genbench.weights``); docs/plugins.md documents
each of them. Every other module and name is private and may change without notice.

Importing this module is cheap (no torch): plugins are discovered and heavy code is
imported only when used.
"""

from __future__ import annotations

from genbench.errors import GenbenchError, UnknownNameError
from genbench.files import atomic_path
from genbench.home import home, offline
from genbench.hookspecs import hookimpl
from genbench.plugins import get_registry, reset_registry
from genbench.spec import (
    METRIC_INPUTS,
    TASKS,
    DatasetSpec,
    DatasetSplit,
    FeatureExtractorSpec,
    FeatureNet,
    Generator,
    MetricInputs,
    MetricSpec,
    ModelSpec,
    SampleRequest,
    SpecError,
    Weights,
)
from genbench.version import __version__

__all__ = [
    "METRIC_INPUTS",
    "TASKS",
    "DatasetSpec",
    "DatasetSplit",
    "FeatureExtractorSpec",
    "FeatureNet",
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
    "atomic_path",
    "get_registry",
    "home",
    "hookimpl",
    "offline",
    "reset_registry",
]
