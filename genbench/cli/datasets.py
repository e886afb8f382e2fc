"""``genbench datasets``: list the registered datasets, and export one to files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from genbench.cli.registry_commands import echo_table, spec_as_dict
from genbench.plugins import get_registry


@click.group("datasets", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.pass_context
def datasets(ctx: click.Context, as_json: bool) -> None:
    """List registered datasets: tasks, resolution, classes, splits, default features."""
    if ctx.invoked_subcommand is not None:
        return
    rows = [spec_as_dict(spec) for spec in get_registry().datasets]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        row["size"] = f"{row['resolution']}x{row['resolution']}x{row['channels']}"
        row["splits"] = ",".join(f"{k}={v}" for k, v in row["splits"].items())
        row["tasks"] = ",".join(row["tasks"])
        row["classes"] = row["num_classes"] or ""
    echo_table(rows, ["name", "size", "classes", "splits", "default_features", "tasks"])


@datasets.command("export")
@click.argument("source")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--field", default="image", show_default=True, help="Image field to write.")
@click.option("-n", "--limit", type=click.IntRange(min=1), help="Write only the first N items.")
@click.option(
    "--data-root",
    type=click.Path(exists=True, path_type=Path),
    help="Folder holding standard datasets' files (default: $GENBENCH_DATA).",
)
@click.option("--skip-bad", is_flag=True, help="Skip images that cannot be decoded.")
@click.option("--overwrite", is_flag=True, help="Replace an earlier export at OUT.")
def export(
    source: str,
    out: Path,
    field: str,
    limit: int | None,
    data_root: Path | None,
    skip_bad: bool,
    overwrite: bool,
) -> None:
    """Write a dataset split or image set to a PNG folder or an .npz.

    SOURCE is NAME[:SPLIT] (e.g. shapes:test), a folder, zip, npz or CIFAR archive. OUT
    is a folder of PNGs with labels.csv, or an .npz (images NHWC uint8, labels) when it
    ends in .npz. --overwrite replaces an earlier export whole (no old image stays behind)
    and refuses a folder holding anything an export does not write.

    The files are byte-identical from run to run, so other tools (pytorch-fid, clean-fid)
    can be pointed at exactly the reference set genbench uses.
    """
    from genbench.data import open_images
    from genbench.data.cifar import DATA_ENV
    from genbench.data.export import check_target, export_npz, export_png_folder

    if data_root is not None:
        os.environ[DATA_ENV] = str(data_root)
    check_target(out, overwrite)
    split = open_images(source, skip_bad=skip_bad)
    if out.suffix.lower() == ".npz":
        count = export_npz(split, out, field=field, limit=limit)
    else:
        count = export_png_folder(split, out, field=field, limit=limit)
    click.echo(f"wrote {count} {field} items of {source} to {out}")
    skipped = getattr(split, "skipped", [])
    if skipped:
        click.echo(f"skipped {len(skipped)} unreadable files; the first: {skipped[0]}", err=True)


commands = [datasets]
