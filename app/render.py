"""HTML and Markdown for what the web app shows. Document text is always shown as text: documents are
untrusted input, so HTML is escaped in HTML, and both Markdown and HTML are escaped in the chat (Markdown)."""

from __future__ import annotations

import base64
import html
import re
import uuid
from collections.abc import Sequence

from index.records import Answer, Box, Citation, Passage
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
    """The Sources panel: a region of its own that scrolls (and can be scrolled from the keyboard), so it
    never spills under the citation picker and the page image."""
    if answer is None:
        inner = "<p class='sg-hint'>Sources for the answer appear here: each citation with its passage.</p>"
    elif answer.abstained:
        cards = "".join(passage_card(p, i) for i, p in enumerate(answer.closest, start=1))
        head = "<h4>Closest passages (they do not answer the question)</h4>"
        inner = head + (cards or "<p class='sg-hint'>No passage is close.</p>")
    else:
        inner = "<h4>Sources</h4>" + "".join(citation_card(c) for c in answer.citations)
    return f"<section class='sg-sources-scroll' tabindex='0' aria-label='Sources'>{inner}</section>"


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


def page_html(png: bytes, title: str, boxes: Sequence[Box] = ()) -> str:
    """A rendered page inline (a data URI): it never becomes a file or URL that another user could fetch.
    The cited sentence's boxes (fractions of the page, origin top left) are drawn over it as translucent
    marks placed in percent, so they stay on the sentence at any zoom; the zoom button toggles between
    fitting the panel and the page at full width in a panel that scrolls both ways."""
    data = base64.b64encode(png).decode("ascii")
    marks = "".join(
        f"<div class='sg-box' style='left:{100 * b.x0:.3f}%;top:{100 * b.y0:.3f}%;"
        f"width:{100 * (b.x1 - b.x0):.3f}%;height:{100 * (b.y1 - b.y0):.3f}%'></div>"
        for b in boxes
        if b.x1 > b.x0 and b.y1 > b.y0
    )
    note = "the cited sentence is highlighted" if marks else "the cited sentence is on this page"
    return (
        f"<figure class='sg-page-view'><figcaption>{html.escape(title)} "
        f"<span class='sg-hint'>({note})</span> "
        "<button type='button' class='sg-zoom' aria-pressed='false'>Zoom in</button></figcaption>"
        "<div class='sg-page-scroll' tabindex='0' aria-label='Cited page'><div class='sg-page-frame'>"
        f"<img class='sg-page-image' alt='{html.escape(title)}' src='data:image/png;base64,{data}'>"
        f"{marks}</div></div></figure>"
    )


def download_link_html(data: bytes, filename: str, mime: str, count: int) -> str:
    """A link that saves `data` as `filename`, the data inside the link (a data URI): no file, no URL."""
    encoded = base64.b64encode(data).decode("ascii")
    name = html.escape(filename)
    what = f"{count} figure{'s' if count != 1 else ''}"
    made = uuid.uuid4().hex  # tells the page's script this link is the reply to the newest click
    return (
        f"<a class='sg-download' data-made='{made}' download='{name}' "
        f"href='data:{mime};charset=utf-8;base64,{encoded}'>"
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
.sg-sources-scroll { max-height: 420px; overflow-y: auto; padding-right: 4px; }
.sg-sources-scroll:focus-visible, .sg-page-scroll:focus-visible { outline: 2px solid #0b5cad; }
.sg-page-view { margin: 0; }
.sg-page-view figcaption { margin-bottom: 4px; }
.sg-page-scroll { max-height: 640px; overflow: auto; border: 1px solid #d0d7de; }
.sg-page-frame { position: relative; width: 100%; }
.sg-page-view.sg-zoomed .sg-page-frame { width: 200%; }
.sg-page-image { width: 100%; height: auto; display: block; }
.sg-box { position: absolute; background: rgba(255, 200, 0, 0.35); outline: 2px solid rgba(200, 120, 0, 0.9);
  pointer-events: none; }
.sg-zoom, .sg-marker { font: inherit; cursor: pointer; }
.sg-zoom { border: 1px solid #0b5cad; color: #0b5cad; background: #fff; border-radius: 6px; padding: 2px 8px; }
button.sg-marker { border: none; background: #e8f0fb; color: #062f5c; border-radius: 4px; padding: 0 2px;
  text-decoration: underline; }
/* WCAG AA contrast (4.5:1) for the theme's primary and stop buttons and the upload box's "or". */
button.primary, button.primary:hover { background: #b4460b !important; border-color: #b4460b !important;
  color: #fff !important; }
button.stop, button.stop:hover { background: #b91c1c !important; border-color: #b91c1c !important;
  color: #fff !important; }
#sg-upload .or { color: #57606a; }
button.sg-marker:focus-visible, .sg-zoom:focus-visible { outline: 2px solid #0b5cad; outline-offset: 1px; }
.sg-download { font-weight: 600; }
#sg-header h1, #sg-header h2 { overflow-wrap: normal; word-break: normal; hyphens: manual; }
#sg-chat .placeholder-content { padding: 0 32px; max-width: 46em; margin: 0 auto; }
#sg-ask-box { flex-wrap: nowrap; align-items: stretch; }
#sg-ask-box > * { min-width: 0 !important; }
#sg-ask { flex: 0 0 auto; min-width: 72px !important; }
#sg-delete-confirm { padding: 8px; border: 2px solid #cf222e; }
/* Phone width: the answer, the question box and the sources first, examples and filters after them. */
@media (max-width: 640px) {
  #sg-header { gap: 0; }
  #sg-header h2 { font-size: 1.25rem; margin: 0; }
  #sg-header p { display: none; }
  #sg-ask-row { flex-direction: column; }
  #sg-ask-main { display: contents; }
  #sg-chat { order: 1; height: 340px !important; max-height: 340px; }
  #sg-chat [data-testid="block-label"] { display: none; }
  #sg-ask { max-width: 84px; }
  #sg-ask-box { order: 2; }
  #sg-ask-side { order: 3; }
  #sg-ask-extras { order: 4; }
  .sg-sources-scroll { max-height: 260px; }
}
"""

CHAT_GUIDANCE = (
    "**Ask about your safeguarding documents.** Answers are built from the documents' own sentences; each "
    "figure carries a citation such as [1]: click it to see the passage, its section and the page. Click an "
    "example below to ask it, or narrow the documents with Filters."
)

# Run once when the page loads (Gradio's `js`). Hand-written because Gradio has no hook for these: the chat's
# [n] markers become buttons that open that citation; the page zoom button; the first click on Download CSV
# saves the file (the server's reply is a link holding the CSV; it is clicked as soon as it arrives). Text
# is only ever moved into buttons with DOM calls (textContent), never parsed as HTML.
SCRIPT = """
() => {
  const MARKER = /\\[(\\d{1,3})\\]/g;
  const choices = () => [...document.querySelectorAll('#sg-cite label')];
  const numbersOf = (label) => {
    const found = (label.textContent || '').trim().match(/^\\[([\\d, ]+)\\]/);
    return found ? found[1].split(',').map((s) => s.trim()) : [];
  };
  const newestAnswer = () => {
    const bots = document.querySelectorAll('#sg-chat [data-testid="bot"]');
    return bots.length ? bots[bots.length - 1] : null;
  };
  function decorate() {
    const chat = document.getElementById('sg-chat');
    if (!chat) return;
    const newest = newestAnswer();
    const known = new Set(choices().flatMap(numbersOf));
    chat.querySelectorAll('button.sg-marker').forEach((b) => {
      const stale = !newest || !newest.contains(b) || !known.has(b.dataset.n);
      if (stale) b.replaceWith(document.createTextNode(b.textContent));
    });
    if (!newest || !known.size) return;
    const walker = document.createTreeWalker(newest, NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const inside = node.parentElement ? node.parentElement.closest('button, code, pre, textarea') : true;
      if (!inside && /\\[\\d{1,3}\\]/.test(node.nodeValue)) found.push(node);
    }
    for (const node of found) {
      const text = node.nodeValue;
      const parts = document.createDocumentFragment();
      let at = 0;
      for (const m of text.matchAll(MARKER)) {
        if (!known.has(m[1])) continue;
        parts.append(text.slice(at, m.index));
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'sg-marker';
        button.dataset.n = m[1];
        button.textContent = m[0];
        button.setAttribute('aria-label', 'Open citation ' + m[1]);
        parts.append(button);
        at = m.index + m[0].length;
      }
      if (at === 0) continue;
      parts.append(text.slice(at));
      node.replaceWith(parts);
    }
  }
  function openCitation(n) {
    const label = choices().find((l) => numbersOf(l).includes(n));
    if (!label) return;
    const input = label.querySelector('input');
    if (input && !input.checked) input.click(); else label.click();
    const card = document.getElementById('cite-' + n);
    if (card) card.scrollIntoView({block: 'nearest'});
    const picker = document.getElementById('sg-cite');
    if (picker) picker.scrollIntoView({block: 'nearest'});
    if (input) input.focus({preventScroll: true});
  }
  let wantCsv = null;
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const marker = target.closest('button.sg-marker');
    if (marker) { event.preventDefault(); openCitation(marker.dataset.n); return; }
    const zoom = target.closest('button.sg-zoom');
    if (zoom) {
      const view = zoom.closest('.sg-page-view');
      const on = view.classList.toggle('sg-zoomed');
      zoom.setAttribute('aria-pressed', String(on));
      zoom.textContent = on ? 'Fit to panel' : 'Zoom in';
      return;
    }
    if (target.closest('#sg-figures-csv')) {
      const old = document.querySelector('#sg-figures-download a.sg-download');
      wantCsv = {at: Date.now(), old: old ? old.dataset.made : null};
    }
  }, true);
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      decorate();
      // A citation just opened (page image or section): bring it into view.
      for (const shown of document.querySelectorAll('#sg-page .sg-page-view, #sg-context .sg-card')) {
        if (shown.dataset.seen) continue;
        shown.dataset.seen = '1';
        shown.scrollIntoView({block: 'nearest'});
      }
      const link = document.querySelector('#sg-figures-download a.sg-download');
      if (wantCsv && Date.now() - wantCsv.at > 60000) wantCsv = null;
      if (wantCsv && link && link.dataset.made !== wantCsv.old) { wantCsv = null; link.click(); }
    });
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}
"""
