"""The table of every figure in the store, with conflicts flagged.

Two different values for the same label and period are a conflict: an officer must see both rather
than have one silently chosen.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

from index.lexicon import LABEL_GENERIC
from index.records import Figure
from index.registry import Registry

CSV_COLUMNS = ["doc_id", "source", "label", "as_written", "value", "unit", "period", "section", "page", "conflict"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


MONEYISH = {"GBP", "count"}  # a table column headed "£" loses the sign on every row


def _label_words(figure: Figure) -> frozenset[str]:
    words = re.findall(r"[a-z]+", figure.label.lower())
    return frozenset(w for w in words if w not in LABEL_GENERIC and len(w) > 2)


def _same_quantity(a: Figure, b: Figure) -> bool:
    if a.doc_id != b.doc_id or (a.period or "") != (b.period or "") or a.sentence == b.sentence:
        return False
    if a.unit != b.unit and not {a.unit, b.unit} <= MONEYISH:
        return False
    wa, wb = _label_words(a), _label_words(b)
    small = min(len(wa), len(wb))
    return small >= 2 and (wa <= wb or wb <= wa)


def conflicts(figures: list[Figure]) -> set[int]:
    """Figures stated with a different value elsewhere in the same document for the same label and period.

    Two numbers in one sentence ("from 199 to 191", "1 in 4") are a comparison, not a conflict, and a
    label needs two specific words before it is trusted to name one quantity.
    """
    flagged: set[int] = set()
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(figures):
        by_doc[(f.doc_id, f.period or "")].append(i)
    for indices in by_doc.values():
        for n, i in enumerate(indices):
            for j in indices[n + 1 :]:
                a, b = figures[i], figures[j]
                if a.value != b.value and _same_quantity(a, b):
                    flagged.update((i, j))
    return flagged


def figure_rows(registry: Registry, doc_id: str | None = None) -> list[dict]:
    figures = registry.figures(doc_id)
    sources = {d.doc_id: d.source for d in registry.documents()}
    flagged = conflicts(figures)
    return [
        {
            "doc_id": f.doc_id,
            "source": sources.get(f.doc_id, ""),
            "label": f.label,
            "as_written": f.as_written,
            "value": f.value,
            "unit": f.unit,
            "period": f.period or "",
            "section": f.section or "",
            "page": f.page if f.page is not None else "",
            "conflict": i in flagged,
        }
        for i, f in enumerate(figures)
    ]


def safe_cell(value):
    """Spreadsheets run cells that start with = + - @; prefix them so they stay text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def figures_csv(registry: Registry, doc_id: str | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in figure_rows(registry, doc_id):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def figures_text(registry: Registry, doc_id: str | None = None) -> str:
    rows = figure_rows(registry, doc_id)
    if not rows:
        return "(no figures)"
    lines = []
    for r in rows:
        flag = "  CONFLICT" if r["conflict"] else ""
        where = f"p. {r['page']}" if r["page"] != "" else r["section"]
        lines.append(
            f"{r['as_written']:>14}  {r['unit']:<8} {r['period'] or '-':<8} {r['label'][:50]:<50} {where}{flag}"
        )
    return "\n".join(lines)
