"""HTML for passages shown in the web app. Document text is always escaped: documents are untrusted."""

from __future__ import annotations

import html

from ingest.records import Passage


def where(passage: Passage) -> str:
    parts = [passage.title or passage.source]
    if passage.section:
        parts.append(passage.section)
    if passage.page:
        page = f"page {passage.page}"
        if passage.page_label and str(passage.page_label) != str(passage.page):
            page += f" (printed {passage.page_label})"
        parts.append(page)
    return " · ".join(parts)


def passages_html(passages: list[Passage], query: str) -> str:
    if not query.strip():
        return "<p class='sg-hint'>Type a question or some words to search the documents.</p>"
    if not passages:
        return "<p class='sg-empty'>No passage in the documents matches that search.</p>"
    items = []
    for p in passages:
        body = "<br>".join(html.escape(line) for line in p.text.split("\n"))
        items.append(
            f"<article class='sg-passage'><header><span class='sg-rank'>[{p.rank}]</span> "
            f"<span class='sg-where'>{html.escape(where(p))}</span>"
            f"<span class='sg-source'>{html.escape(p.source)}</span></header>"
            f"<p>{body}</p></article>"
        )
    return "\n".join(items)


CSS = """
.sg-passage { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; margin: 8px 0; }
.sg-passage header { font-weight: 600; margin-bottom: 6px; display: flex; gap: 8px; flex-wrap: wrap; }
.sg-rank { color: #0b5cad; }
.sg-source { color: #57606a; font-weight: 400; font-size: 0.9em; margin-left: auto; }
.sg-passage p { margin: 0; line-height: 1.45; }
"""
