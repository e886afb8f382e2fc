"""Plugin loading through pluggy: built-in modules first, then entry points in group ``genbench``.

Each plugin module is registered with one ``pluggy.PluginManager``, which checks its hook
implementations against ``genbench.hookspecs``. Hooks are then called through the manager,
one implementation at a time (``get_hookimpls()``), each inside its own error boundary and
with a ``register`` of its own, so that everything registered is attributed to the plugin
that registered it and a plugin that raises is blamed alone. A plugin that fails to import,
raises inside a hook or registers something invalid is recorded on its ``PluginRecord`` and
everything else still loads (``GENBENCH_STRICT=1`` re-raises instead, for plugin
developers).

As pluggy's ``check_pending`` does, an implementation of no known hook (a misspelt name) is
an error naming the closest hook, unless it is marked ``optionalhook``; a function named like
a hook that is not decorated with ``@genbench.hookimpl`` is an error too, since genbench
never calls it. A plugin's commands are added even when its other hooks failed (a command
may be the fix); a plugin that failed to import has none.

``GENBENCH_LOAD_PLUGINS`` (comma list of distribution or entry-point names; empty means none)
selects third-party plugins; a name that is not installed is an error listing what is.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import os
from collections.abc import Callable, Iterator
from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from genbench import hookspecs
from genbench.errors import GenbenchError, PluginError
from genbench.registry import PluginRecord, Registry
from genbench.version import __version__

if TYPE_CHECKING:
    import click

ENTRY_POINT_GROUP = "genbench"

# The core's own datasets, feature extractors and metrics use the same hooks as plugins.
BUILTIN_PLUGINS = (
    "genbench.data.plugin",
    "genbench.features.plugin",
    "genbench.metrics.plugin",
)

REGISTER_HOOKS = {
    "genbench_register_models": "model",
    "genbench_register_datasets": "dataset",
    "genbench_register_feature_extractors": "feature_extractor",
    "genbench_register_metrics": "metric",
}
COMMANDS_HOOK = "genbench_register_commands"
HOOKS = (*REGISTER_HOOKS, COMMANDS_HOOK)


def strict() -> bool:
    return os.environ.get("GENBENCH_STRICT", "") not in ("", "0")


def plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("genbench")
    manager.add_hookspecs(hookspecs)
    return manager


def _fail(record: PluginRecord, phase: str, error: BaseException | str) -> None:
    record.fail(phase, error)
    if strict():
        cause = error if isinstance(error, BaseException) else None
        raise PluginError(f'Error in plugin "{record.name}" ({phase}): {error}') from cause


def _guarded(record: PluginRecord, phase: str, call: Callable[..., Any], *args: Any) -> Any:
    """``call(*args)``, or None with the failure recorded on ``record``: the error boundary
    of third-party code (``SystemExit`` included: a plugin must not end genbench)."""
    try:
        return call(*args)
    except (Exception, SystemExit) as error:
        _fail(record, phase, error)
        return None


def _selected_entry_points() -> list[metadata.EntryPoint]:
    """The installed entry points, sorted, narrowed to ``GENBENCH_LOAD_PLUGINS`` if set."""
    found = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    wanted = os.environ.get("GENBENCH_LOAD_PLUGINS")
    if wanted is None:
        return found
    names = {n.strip() for n in wanted.split(",") if n.strip()}
    known = {ep.name for ep in found} | {ep.dist.name for ep in found if ep.dist}
    unknown = sorted(names - known)
    if unknown:
        raise GenbenchError(
            f"GENBENCH_LOAD_PLUGINS={wanted}: no installed plugin is called "
            f"{', '.join(map(repr, unknown))} (installed: {', '.join(sorted(known)) or 'none'});"
            " name distributions or entry points, unset it to load every plugin, or set it"
            " empty to load none"
        )
    return [ep for ep in found if names & {ep.name, ep.dist.name if ep.dist else ""}]


def _candidates() -> Iterator[tuple[PluginRecord, Callable[[], ModuleType]]]:
    """Each plugin's record and the import that loads its module."""
    for name in BUILTIN_PLUGINS:
        yield (
            PluginRecord("genbench", __version__, name, builtin=True),
            functools.partial(importlib.import_module, name),
        )
    for ep in _selected_entry_points():
        dist = ep.dist.name if ep.dist else ep.name
        version = ep.dist.version if ep.dist else "unknown"
        yield PluginRecord(dist, version, ep.value), ep.load


def _key(record: PluginRecord, taken: dict[str, PluginRecord]) -> str:
    """The plugin's name in the registry and the manager: the distribution, or the module
    for built-ins and for a second entry point of one distribution."""
    key = record.module if record.builtin else record.name
    return key if key not in taken else f"{record.name}:{record.module}"


def _register(
    manager: pluggy.PluginManager, module: ModuleType, record: PluginRecord, key: str
) -> None:
    """Register ``module`` as ``key``, then validate its hooks."""
    try:
        manager.register(module, name=key)
    except (pluggy.PluginValidationError, ValueError) as error:
        _fail(record, "register", error)  # a hook whose parameters the spec does not have
        return
    callers = manager.get_hookcallers(module) or []
    record.hooks = [h for h in HOOKS if any(c.name == h for c in callers)]
    for caller in callers:
        optional = all(i.optionalhook for i in caller.get_hookimpls() if i.plugin is module)
        if not caller.has_spec() and not optional:
            close = difflib.get_close_matches(caller.name, HOOKS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            _fail(
                record,
                "register",
                f"unknown hook {caller.name}{hint}; the hooks are {', '.join(HOOKS)}",
            )
    for name in dir(module):
        hook_like = name.startswith("genbench_") and callable(getattr(module, name))
        if hook_like and manager.parse_hookimpl_opts(module, name) is None:
            _fail(
                record,
                "register",
                f"function {name} is not decorated with @genbench.hookimpl, so genbench "
                "never calls it; decorate it",
            )


def implementations(registry: Registry, hook: str) -> Iterator[tuple[Any, PluginRecord]]:
    """Each implementation of ``hook`` with the record of its plugin, in loading order."""
    for impl in getattr(registry.manager.hook, hook).get_hookimpls():
        record = registry.plugins[impl.plugin_name]
        if impl.hookwrapper or impl.wrapper:
            _fail(record, hook, "hook wrappers are not supported: implement the hook itself")
            continue
        yield impl, record


def call(impl: Any, record: PluginRecord, hook: str, arguments: dict[str, Any]) -> None:
    """One implementation of ``hook`` inside its own error boundary. It takes the arguments
    it names, which may be fewer than the spec's (as pluggy allows)."""
    _guarded(record, hook, impl.function, *(arguments[name] for name in impl.argnames))


def load_registry() -> Registry:
    """Discover plugins and collect everything they register (a fresh registry)."""
    registry = Registry(plugin_manager())
    for record, load in _candidates():
        key = _key(record, registry.plugins)
        registry.plugins[key] = record
        module = _guarded(record, "import", load)
        if module is not None:
            _register(registry.manager, module, record, key)
    for hook, kind in REGISTER_HOOKS.items():
        for impl, record in implementations(registry, hook):
            # each plugin gets a register of its own: what it registers is attributed to it
            register = functools.partial(registry.add, kind, plugin=record)
            call(impl, record, hook, {"register": register})
    return registry


@functools.cache
def get_registry() -> Registry:
    """The registry of this process, loaded on first use.

    Use its ``models``, ``datasets``, ``feature_extractors`` and ``metrics``: catalogs of
    specs with ``get(name)``, ``select(patterns, exclude)`` (globs, comma lists,
    ``family:NAME``), ``names()``, ``in`` and iteration, raising a
    :class:`genbench.GenbenchError` that says what exists; and ``plugins``, the records of
    the loaded plugins by name (``version``, ``status``, ``errors``, ``registered``).
    """
    return load_registry()


def reset_registry() -> None:
    """Forget the loaded registry (tests, or after installing a plugin)."""
    get_registry.cache_clear()


def add_plugin_commands(cli: click.Group) -> None:
    """Let each plugin add commands through ``genbench_register_commands``.

    A plugin may add new commands only: one that replaces or removes a command it did not
    add is undone and blamed, and a command name two plugins add is added for neither (as
    model names are).
    """
    registry = get_registry()
    owners: dict[str, PluginRecord] = {}
    refused: set[str] = set()
    for impl, record in implementations(registry, COMMANDS_HOOK):
        before = dict(cli.commands)
        call(impl, record, COMMANDS_HOOK, {"cli": cli})
        for name in sorted(set(before) | set(cli.commands)):
            if cli.commands.get(name) is not before.get(name):
                _settle_command(cli, name, before.get(name), record, owners, refused)


def _settle_command(
    cli: click.Group,
    name: str,
    old: click.Command | None,
    record: PluginRecord,
    owners: dict[str, PluginRecord],
    refused: set[str],
) -> None:
    """Decide command ``name`` after ``record``'s plugin added, replaced or removed it."""
    owner = owners.get(name)
    if name in refused:
        cli.commands.pop(name, None)
        _fail(record, COMMANDS_HOOK, f"command {name!r} is refused: more than one plugin adds it")
    elif old is None:
        owners[name] = record
    elif owner is None or name not in cli.commands:
        cli.commands[name] = old
        whose = "genbench's own" if owner is None else f"{owner.label}'s"
        _fail(record, COMMANDS_HOOK, f"command {name!r} is {whose}; leave it and name yours anew")
    else:
        cli.commands.pop(name)
        refused.add(name)
        message = (
            f"command {name!r} is added by both {owner.label} and {record.label}, so genbench "
            "adds it for neither: uninstall one of them, or ask its author to rename it"
        )
        for culprit in (owner, record):
            _fail(culprit, COMMANDS_HOOK, message)
