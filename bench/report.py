"""One home for a benchmark's report format: <name>.json holds the numbers, <name>.md the table shown."""

from __future__ import annotations

import json
from pathlib import Path


def write_report(directory: Path, name: str, results: dict, table: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.json").write_text(json.dumps(results, indent=1))
    (directory / f"{name}.md").write_text(table + "\n")
