"""``genbench leaderboard site``: pages built from published folders alone, with nothing
fetched at view time (the browser test opens them: tests/test_site_browser.py)."""

from __future__ import annotations

import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import genbench
from genbench.bench.leaderboard import published_csvs
from genbench.bench.store import SCHEMA
from genbench.site import build_site

sys.path.insert(0, str(Path(__file__).parent))  # the harness tests' helpers (importlib mode)
from bench_helpers import PUBLISHED


class Page(HTMLParser):
    """The tags of a page that a test looks at: resources, table rows, headers, text."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.resources: list[str] = []  # what the browser fetches: img, script, stylesheet
        self.rows = 0
        self.headers: list[dict[str, str]] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self._in_body = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in ("img", "script") and "src" in found:
            self.resources.append(found["src"])
        if tag == "link" and found.get("rel") in ("stylesheet", "icon"):
            self.resources.append(found["href"])
        if tag == "tbody":
            self._in_body = True
        if tag == "tr" and self._in_body:
            self.rows += 1
        if tag == "th" and "data-column" in found:
            self.headers.append(found)
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "a":
            self.links.append(found["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _local(resource: str) -> bool:
    """A file of the site, or inline data: nothing that needs a network."""
    return not resource.startswith(("http:", "https:", "//"))


def _files(resources: list[str]) -> list[str]:
    return [r for r in resources if not r.startswith("data:")]


def test_the_published_leaderboards_build_into_pages_that_need_no_network(tmp_path: Path) -> None:
    out = tmp_path / "site"
    pages = build_site([PUBLISHED], out)
    csvs = published_csvs([PUBLISHED])
    assert len(pages) == len(csvs) + 1 and pages[0] == out / "index.html"
    index = Page(pages[0])
    for csv in csvs:
        relative = csv.relative_to(PUBLISHED).with_suffix(".html")
        page = Page(out / relative)
        assert page.rows == len(pd.read_csv(csv)), relative
        assert all(_local(resource) for resource in page.resources), page.resources
        assert all((out / relative.parent / r).is_file() for r in _files(page.resources))
        assert "model-" + str(pd.read_csv(csv)["model"][0]) in page.ids
        assert relative.as_posix() in index.links
    assert (out / "site.js").is_file() and (out / "site.css").is_file()


def _write(folder: Path, rows: list[dict[str, Any]]) -> Path:
    path = folder / "toy" / "unconditional.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _row(model: str, fid: float, **extra: Any) -> dict[str, Any]:
    return {
        "model": model,
        "family": model.split(".")[0],
        "dataset": "toy",
        "task": "unconditional",
        "split": "train",
        "n_reference": 100,
        "n_samples": 50,
        "features": "net",
        "features_sha256": "ab" * 32,
        "resize": "none",
        "seed": 0,
        "genbench_version": "0.1.0",
        "status": "ok",
        "config_id": model,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "schema": SCHEMA,
        "primary_metric": "fid",
        "higher_is_better": False,
        "reproduce": f"genbench run --models {model} --seed 0",
        "fid": fid,
        **extra,
    }


def test_intervals_ranks_and_unknown_columns_are_shown_generically(tmp_path: Path) -> None:
    rows = [
        _row("a.x", 61.3, fid_low=58.9, fid_high=64.0, rank=1, plugin_score=0.5),
        _row("b.x", 68.7, fid_low=60.1, fid_high=75.2, rank=1, plugin_score=0.7),
        _row(
            "c.x",
            90.0,
            fid_low=88.0,
            fid_high=92.0,
            rank=3,
            plugin_score=0.1,
            description="<script>alert(1)</script>",
            paper="Someone 2024, https://example.org/paper",
            license="MIT",
            train_command="genbench train c.x",
            recipe='{"steps": 10}',
        ),
    ]
    _write(tmp_path / "published", rows)
    build_site([tmp_path / "published"], tmp_path / "site")
    html = (tmp_path / "site" / "toy" / "unconditional.html").read_text()
    page = Page(tmp_path / "site" / "toy" / "unconditional.html")
    columns = [h["data-column"] for h in page.headers]
    assert columns[:4] == ["rank", "model", "family", "fid"]
    assert "fid_low" not in columns and "plugin_score" in columns  # folded into fid; kept
    directions = {h["data-column"]: h["data-direction"] for h in page.headers}
    assert directions["fid"] == "lower" and directions["rank"] == "lower"
    assert directions["plugin_score"] == ""  # nobody said which way is better
    assert '61.3<span class="interval">58.9–64</span>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert '<a href="https://example.org/paper" rel="noopener">' in html
    assert "<code>genbench train c.x</code>" in html and "&quot;steps&quot;: 10" in html
    assert "not recorded" in html  # a.x has no model card columns
    assert 'data-copy="genbench run --models c.x --seed 0"' in html


def test_folders_that_hold_no_leaderboard_or_two_of_one_table_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "sanity.csv").write_text("check,metric,passed\nblur,fid,True\n")
    with pytest.raises(genbench.GenbenchError, match="no published leaderboard CSV"):
        build_site([tmp_path / "empty"], tmp_path / "site")
    _write(tmp_path / "one", [_row("a.x", 1.0)])
    _write(tmp_path / "two", [_row("b.x", 2.0)])
    with pytest.raises(genbench.GenbenchError, match="both hold toy · unconditional"):
        build_site([tmp_path / "one", tmp_path / "two"], tmp_path / "site")
    # a table that is not a leaderboard (no schema column) beside one is left out
    shutil.copy(tmp_path / "empty" / "sanity.csv", tmp_path / "one" / "sanity.csv")
    assert len(build_site([tmp_path / "one"], tmp_path / "site")) == 2


def test_a_site_built_in_the_published_folder_copies_nothing(tmp_path: Path) -> None:
    published = tmp_path / "published"
    shutil.copytree(PUBLISHED / "digits", published / "digits")
    before = sorted(p.relative_to(published) for p in published.rglob("*.png"))
    build_site([published], published)
    assert sorted(p.relative_to(published) for p in published.rglob("*.png")) == before
    page = Page(published / "digits" / "unconditional.html")
    assert all((published / "digits" / r).is_file() for r in _files(page.resources))
