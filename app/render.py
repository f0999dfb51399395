"""HTML and Markdown for what the web app shows. Document text is always shown as text: documents are
untrusted input, so HTML is escaped in HTML, and both Markdown and HTML are escaped in the chat (Markdown)."""

from __future__ import annotations

import base64
import html
import re

from index.records import Answer, Citation, Passage
from ingest.figures import extract_figures

VERDICT_TEXT = {
    "supported": ("Supported", "The documents state this figure."),
    "contradicted": ("Contradicted", "The documents give a different figure."),
    "not_found": ("Not found", "No passage states this quantity for this period."),
}


def _emphasise_figures(escaped_sentence: str) -> str:
    """Bold the figures of a sentence (not its years, periods or dates)."""
    out = escaped_sentence
    for written in sorted({f.as_written for f in extract_figures(escaped_sentence, None)}, key=len, reverse=True):
        out = re.sub(rf"(?<![\w>]){re.escape(written)}(?![\w<])", f"<strong>{written}</strong>", out)
    return out


def highlight(passage_text: str, sentence: str) -> str:
    """The passage, escaped, with the cited sentence marked and its figures in bold."""
    text = " ".join(passage_text.split())
    target = " ".join(sentence.split())
    at = text.find(target)
    if at < 0:
        return html.escape(text)
    # quote=False: entities such as &#x27; hold digits that the figure pattern would otherwise mark.
    before, after = html.escape(text[:at], quote=False), html.escape(text[at + len(target) :], quote=False)
    marked = _emphasise_figures(html.escape(target, quote=False))
    return f"{before}<mark class='sg-cited'>{marked}</mark>{after}"


def citation_card(citation: Citation) -> str:
    p = citation.passage
    place = citation.where()
    return (
        f"<article class='sg-card' id='cite-{citation.n}'>"
        f"<header><span class='sg-n'>[{citation.n}]</span> <span class='sg-where'>{html.escape(place)}</span></header>"
        f"<p class='sg-passage'>{highlight(p.text, citation.sentence)}</p>"
        f"<footer class='sg-source'>{html.escape(p.source)}</footer></article>"
    )


def passage_card(passage: Passage, rank: int) -> str:
    place = passage.where()
    return (
        f"<article class='sg-card sg-closest'><header><span class='sg-n'>{rank}.</span> "
        f"<span class='sg-where'>{html.escape(place)}</span></header>"
        f"<p class='sg-passage'>{html.escape(' '.join(passage.text.split())[:700])}</p></article>"
    )


def sources_html(answer: Answer | None) -> str:
    if answer is None:
        return "<p class='sg-hint'>Sources for the answer appear here: each citation with its passage.</p>"
    if answer.abstained:
        cards = "".join(passage_card(p, i) for i, p in enumerate(answer.closest, start=1))
        head = "<h4>Closest passages (they do not answer the question)</h4>"
        return head + (cards or "<p class='sg-hint'>No passage is close.</p>")
    return "<h4>Sources</h4>" + "".join(citation_card(c) for c in answer.citations)


# Characters that mean something in the chat's Markdown (GitHub flavour) anywhere in a line: emphasis, code,
# links and images, strike-through, maths, e-mail autolinks; < > & become entities so HTML stays text.
_MARKDOWN_ESCAPES = {ch: "\\" + ch for ch in "\\`*_[]~$@"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# What GitHub-flavoured Markdown turns into a link by itself: "http://...", "ftp://...", "www.".
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=\bwww)(?=\.)")
# What starts a block (heading, list, quote, rule, table) at the start of a line.
_BLOCK_START = re.compile(r"^(?:[#+=|-]|\d+(?=[.)]))")


def markdown_text(text: str) -> str:
    """Untrusted text (a document's or a user's) as one line of Markdown that shows exactly that text: no
    link, image, HTML, emphasis or heading can come out of it, so the chat never makes the browser fetch a
    URL a document names."""
    text = " ".join(str(text or "").split())
    text = "".join(_MARKDOWN_ESCAPES.get(ch, ch) for ch in text)
    text = _AUTOLINK.sub("\\\\", text)
    match = _BLOCK_START.match(text)
    if match:
        at = match.end() if match.group().isdigit() else 0
        text = f"{text[:at]}\\{text[at:]}"
    return text


def answer_markdown(answer: Answer) -> str:
    """The chat message: the answer's text shown as text, then its figures with where each came from."""
    text = markdown_text(answer.text)
    if answer.abstained:
        return f"{text}\n\n_{markdown_text(answer.reason)}_"
    lines = [text]
    if answer.figures:
        lines.append("\n**Figures**")
        for f in answer.figures:
            origin = (
                "computed from " + ", ".join(f"\\[{n}\\]" for n in f.sources) if f.computed else f"\\[{f.citation}\\]"
            )
            label = markdown_text(f.label) if f.label else "figure"
            lines.append(
                f"- {markdown_text(f.as_written)} — {label}, {markdown_text(f.period or 'no period')} {origin}"
            )
    return "\n".join(lines)


def page_html(png: bytes, title: str) -> str:
    """A rendered page inline (a data URI): it never becomes a file or URL that another user could fetch."""
    data = base64.b64encode(png).decode("ascii")
    return f"<img class='sg-page-image' alt='{html.escape(title)}' src='data:image/png;base64,{data}'>"


def download_link_html(data: bytes, filename: str, mime: str, count: int) -> str:
    """A link that saves `data` as `filename`, the data inside the link (a data URI): no file, no URL."""
    encoded = base64.b64encode(data).decode("ascii")
    name = html.escape(filename)
    what = f"{count} figure{'s' if count != 1 else ''}"
    return (
        f"<a class='sg-download' download='{name}' href='data:{mime};charset=utf-8;base64,{encoded}'>"
        f"Save {name}</a> <span class='sg-hint'>({what})</span>"
    )


def plain_text_with_references(answer: Answer) -> str:
    """What an officer pastes into a board paper: the answer and a numbered reference list."""
    if answer.abstained:
        return f"{answer.text} ({answer.reason})"
    refs = [f"[{c.n}] {c.where()}" for c in answer.citations]
    return answer.text + "\n\nReferences\n" + "\n".join(refs)


def verdict_html(result) -> str:
    title, explain = VERDICT_TEXT[result.verdict]
    body = f"<div class='sg-verdict sg-{result.verdict}'><strong>{title}</strong> — {explain}"
    if result.document_value and result.verdict == "contradicted":
        body += f" The documents say <strong>{html.escape(result.document_value)}</strong>."
    body += "</div>"
    if result.citation:
        body += citation_card(result.citation)
    elif result.reason:
        body += f"<p class='sg-hint'>{html.escape(result.reason)}</p>"
    return body


def passages_html(passages: list[Passage], query: str) -> str:
    if not query.strip():
        return "<p class='sg-hint'>Type some words to search the documents.</p>"
    if not passages:
        return "<p class='sg-empty'>No passage in the documents matches that search.</p>"
    return "".join(passage_card(p, p.rank) for p in passages)


def section_html(section_text: str, sentence: str, title: str) -> str:
    return (
        f"<article class='sg-card'><header>{html.escape(title)}</header>"
        f"<p class='sg-passage'>{highlight(section_text, sentence)}</p></article>"
    )


def safe_name(name: str) -> str:
    """A display/file name from a client: last path part only, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base[:150] or "upload"


CSS = """
.sg-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 12px; margin: 6px 0; background: #fff; }
.sg-card header { font-weight: 600; margin-bottom: 4px; }
.sg-card:target { outline: 3px solid #0b5cad; }
.sg-n { color: #0b5cad; }
.sg-where { color: #24292f; }
.sg-source { color: #57606a; font-size: 0.85em; margin-top: 4px; }
.sg-passage { margin: 0; line-height: 1.45; font-size: 0.95em; }
mark.sg-cited { background: #fff3b0; padding: 0 2px; }
.sg-hint, .sg-empty { color: #57606a; }
.sg-verdict { padding: 10px 12px; border-radius: 8px; margin-bottom: 8px; font-size: 1.05em; }
.sg-supported { background: #dafbe1; border: 1px solid #2da44e; }
.sg-contradicted { background: #ffebe9; border: 1px solid #cf222e; }
.sg-not_found { background: #f6f8fa; border: 1px solid #8c959f; }
#sg-sources { max-height: 560px; overflow-y: auto; }
#sg-page { max-height: 560px; overflow: auto; }
.sg-page-image { max-width: 100%; height: auto; display: block; }
"""
