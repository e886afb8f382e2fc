"""The ``genbench`` command. Each sub-command lives in its own module of this package."""

from __future__ import annotations

import importlib
import sys
from typing import NoReturn

import click

from genbench.errors import GenbenchError
from genbench.version import __version__

# Modules whose ``commands`` list is added to the top-level group, in help order.
COMMAND_MODULES = (
    "genbench.cli.registry_commands",
    "genbench.cli.scaffold",
    "genbench.cli.datasets",
    "genbench.cli.train",
    "genbench.cli.features_cmd",
    "genbench.cli.weights_cmd",
    "genbench.cli.score",
    "genbench.cli.run",
    "genbench.cli.leaderboard",
    "genbench.cli.sanity",
)


def _stop(error: GenbenchError) -> NoReturn:
    """One actionable line instead of a traceback; exit status 2."""
    click.echo(f"error: {error}", err=True)
    sys.exit(2)


class _Group(click.Group):
    """Prints a ``GenbenchError`` as one actionable line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GenbenchError as error:
            _stop(error)


def build_cli() -> click.Group:
    """A new top-level group with the built-in commands and those plugins add (new each
    time, so that one registry's plugin commands never leak into another's)."""

    @click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, prog_name="genbench")
    def cli() -> None:
        """Benchmark image generative models: one registry of plugins, one way to score."""

    for name in COMMAND_MODULES:
        for command in importlib.import_module(name).commands:
            cli.add_command(command)
    from genbench.plugins import add_plugin_commands

    add_plugin_commands(cli)
    return cli


def main(argv: list[str] | None = None) -> None:
    try:
        command = build_cli()  # loads the plugins, which can fail (GENBENCH_LOAD_PLUGINS)
    except GenbenchError as error:
        _stop(error)
    command.main(args=argv, prog_name="genbench")
