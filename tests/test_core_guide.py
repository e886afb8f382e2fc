"""docs/plugins.md cannot drift: its code blocks are the scaffold's files, and they run.

Every code block of the guide names its file (```python file=genbench_acme/plugin.py). The
blocks of files that ``genbench new-plugin acme`` writes must equal them (but for the
sha256 of the weights, which the scaffold computes); the others are added to the scaffold's
package. The result is installed as a distribution and scored by ``genbench run`` with the
guide's own dataset, feature space and metric, and checked by the conformance kit.
(``test_core_scaffold.py`` installs the bare scaffold from a wheel and runs its tests.)
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pytest

import genbench
from genbench.cli.scaffold import scaffold
from genbench.testing import assert_model_conforms, run_cli

GUIDE = Path(__file__).parents[1] / "docs" / "plugins.md"
SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


def guide_files() -> dict[str, str]:
    """The guide's code blocks by the file they name."""
    blocks = re.findall(r"^```(\w+)([^\n]*)\n(.*?)^```$", GUIDE.read_text(), flags=re.M | re.S)
    files = {}
    for language, info, text in blocks:
        named = re.fullmatch(r" file=(\S+)", info)
        assert named, f"a {language} block of docs/plugins.md names no file: {text[:60]!r}"
        files[named.group(1)] = text
    return files


def test_the_guide_shows_the_scaffold_as_it_is(tmp_path: Path) -> None:
    written = scaffold("acme", tmp_path)
    shown = guide_files()
    for path in written:
        relative = path.relative_to(tmp_path).as_posix()
        if path.suffix in (".py", ".toml") and path.name != "__init__.py":
            assert relative in shown, f"docs/plugins.md shows no block for {relative}"
            assert SHA256.sub("<sha256>", shown[relative]) == SHA256.sub(
                "<sha256>", path.read_text()
            ), f"docs/plugins.md's {relative} differs from what `genbench new-plugin` writes"


def _install(root: Path, site: Path, entry_points: dict[str, str]) -> None:
    """Register ``root`` (a scaffolded project) as the installed distribution
    genbench-acme with these entry points, as ``pip install -e`` does."""
    info = site / "genbench_acme-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: genbench-acme\nVersion: 0.1.0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[genbench]\n{lines}")
    url = {"url": root.as_uri(), "dir_info": {"editable": True}}
    (info / "direct_url.json").write_text(json.dumps(url))


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The scaffold plus the guide's other files, installed."""
    root = tmp_path / "genbench-acme"
    scaffold("acme", root)
    files = guide_files()
    for relative, text in files.items():
        if not (root / relative).exists():
            (root / relative).write_text(text)
    table = files["pyproject.toml"].split("[project.entry-points.genbench]\n", 1)[1]
    entry_points = dict(re.findall(r'^([\w-]+) = "([\w.]+)"$', table.split("\n\n")[0], re.M))
    entry_points["acme-extras"] = "genbench_acme.extras"  # as the guide says to add
    _install(root, tmp_path / "site", entry_points)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setenv("GENBENCH_LOAD_PLUGINS", "genbench-acme")
    importlib.invalidate_caches()
    genbench.reset_registry()
    yield root
    for name in [m for m in sys.modules if m.startswith("genbench_acme")]:
        del sys.modules[name]
    genbench.reset_registry()


def test_the_guide_examples_register_conform_and_run(acme: Path, tmp_path: Path) -> None:
    registry = genbench.get_registry()
    assert not registry.broken(), [r.errors for r in registry.broken()]
    assert "acme-squares" in registry.datasets and "acme-mean" in registry.metrics
    assert_model_conforms("acme.tiny")
    listed = run_cli("acme")
    assert listed.exit_code == 0 and listed.output.strip() == "acme.tiny"
    out = tmp_path / "run"
    result = run_cli(
        "run",
        *("--models", "acme.tiny", "--dataset", "acme-squares", "--metrics", "acme-mean"),
        *("--n-samples", "16", "--out", str(out), "--no-progress"),
    )
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(p.read_text()) for p in (out / "results").glob("*.json")]
    assert row["status"] == "ok" and row["features"] == "acme-pixels"
    # untrained images average ~0.5 in each of the 16 blocks, the squares 0.25: 16 × 0.25²
    assert row["acme_mean"] == pytest.approx(1.0, abs=0.25)
