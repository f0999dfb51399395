"""Render the reliability record of the last test run as a markdown table, into the README.

    python -m bench.reliability_table            # replace the block between the README markers
    python -m bench.reliability_table --print    # only print the table

tests/test_reliability.py writes test-artifacts/reliability.json (one entry per scenario: scenario, input,
expected, observed, result); tests/test_load.py writes test-artifacts/load.json, shown as one more row. The
security tests write test-artifacts/security/*.jsonl (one line per attack: finding, attack, expected,
observed, result), shown as a second table.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"
COLUMNS = ("Scenario", "Input", "Expected", "Observed", "Result")
SECURITY_COLUMNS = ("Finding", "Attack", "Expected", "Observed", "Result")


# A test's scratch folder ("/tmp/pytest-of-x/pytest-9/test_name0/file.pdf") says nothing to a reader: the
# file's name does.
SCRATCH_PATH = re.compile(r"(?:/tmp|/var/folders)/\S*/(?P<name>[^/\s]+)")


def _cell(value: object) -> str:
    """One table cell: on one line, pipes escaped, angle brackets shown rather than read as HTML, and a test's
    scratch path shortened to its file name."""
    text = " ".join(str(value if value is not None else "").split())
    text = SCRATCH_PATH.sub(lambda m: m.group("name"), text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def load_rows(record: Path, load: Path | None = None) -> tuple[list[dict], str]:
    data = json.loads(record.read_text(encoding="utf-8"))
    rows = list(data["scenarios"])
    if load is not None and load.exists():
        # test_load.py writes its numbers only after its assertions (no errors, identical answers) pass.
        stats = json.loads(load.read_text(encoding="utf-8"))
        rows.append(
            {
                "scenario": "Load over HTTP",
                "input": f"{stats['requests']} questions from {stats['clients']} concurrent clients",
                "expected": "no errors; every answer identical to the single-client answer",
                "observed": f"p50 {stats['p50_ms']} ms, p95 {stats['p95_ms']} ms, {stats['errors']} errors",
                "result": "ok",
            }
        )
    return rows, data.get("generated", "")


def load_attacks(folder: Path) -> list[dict]:
    """Every attack the security tests recorded, ordered by finding."""
    rows = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(rows, key=lambda r: _finding_order(r.get("finding", "")))


def _finding_order(finding: str) -> tuple[int, str]:
    number = finding.split(".", 1)[0].strip()
    return (int(number) if number.isdigit() else 999, finding)


def _table(columns: tuple[str, ...], keys: tuple[str, ...], rows: list[dict]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        result = "ok" if row.get("result") == "ok" else "**failed**"
        lines.append("| " + " | ".join(_cell(row.get(k)) for k in keys) + f" | {result} |")
    ok = sum(1 for r in rows if r.get("result") == "ok")
    return [*lines, "", f"{ok} of {len(rows)} ok"]


def render(rows: list[dict], generated: str = "", attacks: list[dict] | None = None) -> str:
    lines = _table(COLUMNS, ("scenario", "input", "expected", "observed"), rows)
    lines[-1] += (f" (test run of {generated})" if generated else "") + "."
    if attacks:
        lines += [
            "",
            "Security: each finding of the review, attacked through the real interface (HTTP against a "
            "served app with `--auth-file`, the CLI, or a browser):",
            "",
        ]
        lines += _table(SECURITY_COLUMNS, ("finding", "attack", "expected", "observed"), attacks)
        lines[-1] += "."
    return "\n".join(lines)


def replace_block(readme: str, table: str) -> str | None:
    """The README with the table between the markers, or None when the markers are absent or out of order."""
    start, end = readme.find(START), readme.find(END)
    if start == -1 or end == -1 or end < start:
        return None
    return readme[: start + len(START)] + "\n" + table + "\n" + readme[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", default=str(ROOT / "test-artifacts" / "reliability.json"))
    parser.add_argument("--load", default=str(ROOT / "test-artifacts" / "load.json"))
    parser.add_argument("--security", default=str(ROOT / "test-artifacts" / "security"))
    parser.add_argument("--readme", default=str(ROOT / "README.md"))
    parser.add_argument("--print", action="store_true", help="print the table, leave the README alone")
    args = parser.parse_args(argv)
    record = Path(args.record)
    if not record.exists():
        print(f"{record}: not found; run `python -m pytest tests/test_reliability.py` first", file=sys.stderr)
        return 2
    rows, generated = load_rows(record, Path(args.load))
    table = render(rows, generated, load_attacks(Path(args.security)))
    if args.print:
        print(table)
        return 0
    readme = Path(args.readme)
    updated = replace_block(readme.read_text(encoding="utf-8"), table)
    if updated is None:
        print(table)
        print(f"\n{readme}: markers {START} ... {END} not found; table printed, README unchanged", file=sys.stderr)
        return 0
    readme.write_text(updated, encoding="utf-8")
    print(f"{readme}: reliability table updated ({len(rows)} rows)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
