"""The plugin contract: every hook a genbench plugin may implement, and what it may import.

A plugin is a distribution with an entry point in group ``genbench`` pointing at a module
whose functions are decorated with :data:`genbench.hookimpl` and named as below. Each hook
receives a ``register`` callable; call it once per object. Registration must be cheap:
import torch and read weights inside ``load``, never at registration time.

A plugin imports from genbench only the public names: those in the ``__all__`` of the
modules in :data:`PUBLIC_MODULES`, each documented in docs/plugins.md. Everything else in
genbench is private and may change in any release; the objects a public name returns
(the registry of :func:`genbench.get_registry`, ...) are used through what their
docstrings state. If it is not documented here or there, it is not part of the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from genbench.spec import DatasetSpec, FeatureExtractorSpec, MetricSpec, ModelSpec

# The modules plugins may import from; their ``__all__`` lists the public names.
PUBLIC_MODULES = (
    "genbench",
    "genbench.data",
    "genbench.seeding",
    "genbench.testing",
    "genbench.train",
    "genbench.weights",
)

hookspec = pluggy.HookspecMarker("genbench")
hookimpl = pluggy.HookimplMarker("genbench")


@hookspec
def genbench_register_models(register: Callable[[ModelSpec], None]) -> None:
    """Register generative models.

    :param register: call ``register(genbench.ModelSpec(...))`` once per model. The name
        must be ``family.variant`` and unique across all plugins (a name two plugins
        register is used for neither); the core records which distribution (and version)
        registered it. ``load(device)`` returns a :class:`genbench.Generator`.

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
        extractor. ``load(device, *, resize, weights_path)`` returns a
        :class:`genbench.FeatureNet`: uint8 images (n, C, H, W) to a dict of float tensors,
        one per declared output.

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
