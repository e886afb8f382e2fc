"""The plugin contract: every hook a genbench plugin may implement.

A plugin is a distribution with an entry point in group ``genbench`` pointing at a module
whose functions are decorated with :data:`genbench.hookimpl` and named as below. Each hook
receives a ``register`` callable; call it once per object. Registration must be cheap:
import torch and read weights inside ``load``, never at registration time.

If it is not documented here, it is not part of the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from genbench.spec import DatasetSpec, FeatureExtractorSpec, MetricSpec, ModelSpec

hookspec = pluggy.HookspecMarker("genbench")
hookimpl = pluggy.HookimplMarker("genbench")


@hookspec
def genbench_register_models(register: Callable[[ModelSpec], None]) -> None:
    """Register generative models.

    :param register: call ``register(genbench.ModelSpec(...))`` once per model. The name
        must be ``family.variant`` and unique across all plugins; the core records which
        distribution (and version) registered it.

    .. versionadded:: 0.1
    """


@hookspec
def genbench_register_datasets(register: Callable[[DatasetSpec], None]) -> None:
    """Register datasets that models are trained on and compared with.

    :param register: call ``register(genbench.DatasetSpec(...))`` once per dataset.
        ``load(split)`` must return an object with ``fields``, ``__len__`` and
        ``read(field, indices)`` (see :class:`genbench.DatasetSplit`).

    .. versionadded:: 0.1
    """


@hookspec
def genbench_register_feature_extractors(register: Callable[[FeatureExtractorSpec], None]) -> None:
    """Register feature spaces in which metrics are computed.

    :param register: call ``register(genbench.FeatureExtractorSpec(...))`` once per
        extractor. ``load(device, resize=..., weights_path=...)`` returns a callable from
        uint8 images (n, C, H, W) to a dict of float tensors, one per declared output.

    .. versionadded:: 0.1
    """


@hookspec
def genbench_register_metrics(register: Callable[[MetricSpec], None]) -> None:
    """Register metrics.

    :param register: call ``register(genbench.MetricSpec(...))`` once per metric. The
        metric declares what it consumes (features, logits, labels, images, targets,
        train_features) and the tasks it applies to; the harness provides exactly that.

    .. versionadded:: 0.1
    """


@hookspec
def genbench_register_commands(cli: click.Group) -> None:
    """Add sub-commands to the ``genbench`` command line.

    :param cli: the top-level :class:`click.Group`; decorate functions with
        ``@cli.command()`` to add commands. Optional; most plugins need none.

    .. versionadded:: 0.1
    """
