"""The sanity table: a CSV of every result and a Markdown page, check × metric."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from genbench.bench.store import atomic_write
from genbench.csv_cells import csv_bytes
from genbench.sanity.checks import Result
from genbench.sanity.scores import METRICS

VERDICT = {True: "pass", False: "FAIL", None: ""}


def _number(value: float) -> str:
    return f"{value:.4g}"


def cell(result: Result) -> str:
    """``pass: 0.97 → 0.50`` (first and last level), or the value of a one-level check."""
    values = [_number(v) for v in result.values]
    shown = values[0] if len(values) == 1 else f"{values[0]} → {values[-1]}"
    verdict = VERDICT[result.passed]
    return f"{verdict}: {shown}" if verdict else shown


def csv_text(results: Sequence[Result]) -> str:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "dataset": r.dataset,
            "check": r.check,
            "metric": r.metric,
            "expectation": r.expectation,
            "result": VERDICT[r.passed] or "no claim",
            "levels": " | ".join(r.levels),
            "values": " | ".join(f"{v:.6g}" for v in r.values),
        }
        for r in results
    )
    return csv_bytes(frame).decode()


def markdown(results: Sequence[Result], command: str) -> str:
    """One table per dataset (check × metric), the failures listed, every value below."""
    lines = [
        "# Metric sanity checks",
        "",
        "Does each metric do what it claims, here, on this data? Controlled changes of the"
        " real held-out images with a known right answer; `docs/sanity.md` describes each"
        " check and its source. A cell shows the verdict on the metric's expectation in that"
        " check (no verdict: the check makes no claim about it) and its value at the first →"
        " last level. A FAIL is a finding about the metric on this data, kept as found.",
        "",
        "Made by:",
        "",
        "```",
        command,
        "```",
    ]
    for dataset in dict.fromkeys(r.dataset for r in results):
        mine = [r for r in results if r.dataset == dataset]
        checks = list(dict.fromkeys(r.check for r in mine))
        metrics = [m for m in METRICS if any(r.metric == m for r in mine)]
        by_key = {(r.check, r.metric): r for r in mine}
        judged = [r for r in mine if r.passed is not None]
        failed = [r for r in judged if not r.passed]
        lines += [
            "",
            f"## {dataset}",
            "",
            f"{len(judged) - len(failed)} of {len(judged)} expectations hold.",
            "",
            "| check | " + " | ".join(metrics) + " |",
            "|---|" + "---|" * len(metrics),
        ]
        for check in checks:
            cells = [cell(by_key[(check, m)]) if (check, m) in by_key else "" for m in metrics]
            lines.append(f"| {check} | " + " | ".join(cells) + " |")
        if failed:
            lines += ["", "Failed expectations:", ""]
            lines += [
                f"- {r.check}: `{r.metric}` expected: {r.expectation}; measured"
                f" {', '.join(_number(v) for v in r.values)}"
                for r in failed
            ]
        lines += ["", "### Every value", ""]
        for check in checks:
            levels = next(r.levels for r in mine if r.check == check)
            lines += [
                f"**{check}** (levels: {', '.join(levels)})",
                "",
                "| metric | expectation | result | values |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {r.metric} | {r.expectation} | {VERDICT[r.passed]} |"
                f" {', '.join(_number(v) for v in r.values)} |"
                for r in mine
                if r.check == check
            ]
            lines.append("")
    return "\n".join(lines) + "\n"


def write(results: Sequence[Result], folder: Path, command: str) -> list[Path]:
    """``folder/sanity.csv`` and ``folder/README.md``, atomically."""
    csv_path, page = folder / "sanity.csv", folder / "README.md"
    atomic_write(csv_path, csv_text(results).encode())
    atomic_write(page, markdown(results, command).encode())
    return [csv_path, page]
