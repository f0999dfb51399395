"""The Gradio web app: Ask (chat with cited sources), Figures, Check a claim, Library.

Served by app/server.py (loopback by default). With an auth file every handler looks up the signed-in
user on the server and limits what it reads or writes to that user's role and collections; hiding a
control in the page is never the only guard.
"""

from __future__ import annotations

import threading
from pathlib import Path

import gradio as gr

from index.config import Settings
from index.lexicon import SUPPORTED_SUFFIXES

EXAMPLES = [
    "How many referrals did the front door get last year?",
    "Did referrals to the MASH go up or down?",
    "How many children were looked after at the end of 2018/19?",
    "What percentage of child protection conferences had a GP report?",
    "What was the board's budget for 2018/19?",
]
CONTEXT_CHARS = 900
MAX_TURNS = 50  # turns of a conversation kept on the server
MOVE_REFUSED = "already in collection"  # how ingest refuses a file that would move a document (ingest/pipeline)
UPLOAD_TYPES = sorted(SUPPORTED_SUFFIXES)
FIGURE_HEADERS = ["label", "value", "as written", "unit", "period", "section", "page", "document", "conflict"]
LIBRARY_HEADERS = ["document", "title", "issuing body", "period", "kind", "collection", "pages", "chunks", "ingested"]


class Viewer:
    """Who is asking: their role and the collections they may see (None: everything, no login)."""

    def __init__(self, name: str | None, role: str, collections: frozenset[str] | None):
        self.name, self.role, self.collections = name, role, collections

    def can_write(self) -> bool:
        return self.role in ("editor", "admin")

    def sees(self, collection: str) -> bool:
        return self.collections is None or collection in self.collections


class App:
    """Server-side state and handlers; `build` wires them to Gradio components."""

    def __init__(self, settings: Settings, users=None, max_upload_mb: int = 50):
        from app.engine.answer import Answerer
        from app.engine.check import Checker
        from index.search import Searcher

        self.settings = settings
        self.users = users
        self.max_upload_mb = max_upload_mb
        self.searcher = Searcher(settings)
        self.searcher.warm_up()
        self.answerer = Answerer(self.searcher)
        self.checker = Checker(self.answerer)
        # One SQLite connection serves reads; handlers run in a thread pool, so reads take turns.
        self.read_lock = threading.Lock()
        # Nothing is written here: a figures CSV travels inside its own response (figures_download). The
        # folder is named only because serve() lists it in Gradio's allowed paths.
        self.downloads = Path(settings.store) / "downloads"

    # -- who is asking -----------------------------------------------------------------------
    def viewer(self, request) -> Viewer:
        if self.users is None:
            return Viewer(None, "admin", None)
        name = getattr(request, "username", None) if request is not None else None
        user = self.users.users.get(name) if name else None
        if user is None:
            raise gr.Error("Please sign in.")
        return Viewer(user.name, user.role, frozenset(user.collections))

    def filters(self, viewer: Viewer, doc=None, period=None, body=None, kind=None):
        from index.records import Filters

        return Filters(
            doc=doc or None, period=period or None, body=body or None, kind=kind or None, collections=viewer.collections
        )

    def visible_documents(self, viewer: Viewer):
        self.searcher.refresh()
        return [d for d in self.searcher.documents.values() if viewer.sees(d.collection)]

    # -- Ask -----------------------------------------------------------------------------------
    def ask(self, message, conversation, previous, doc, period, body, kind, request: gr.Request = None):
        """Answer a question. The conversation is kept on the server (a gr.State of text turns, each already
        shown as text); the chat is rebuilt from it on every answer, never from what the browser sends."""
        from .render import answer_markdown, markdown_text, plain_text_with_references, sources_html

        viewer = self.viewer(request)
        turns = _turns_of(conversation, viewer)
        if not turns:
            previous = None  # a new conversation, or one that is not this user's
        message = message.strip()[:2000] if isinstance(message, str) else ""
        hidden = gr.update(value=None, visible=False)
        if not message:
            return (
                _chat(turns),
                _conversation(viewer, turns),
                previous,
                sources_html(None),
                _radio([]),
                "",
                None,
                "",
                hidden,
                "",
            )
        filters = self.filters(viewer, _text(doc), _text(period), _text(body), _text(kind))
        # Not under the read lock: answers run at once (the registry gives each thread its own connection).
        answer = self.answerer.answer(message, filters, previous=previous if isinstance(previous, str) else None)
        turns = [*turns, (markdown_text(message), answer_markdown(answer))][-MAX_TURNS:]
        groups = _citation_groups(answer.citations)
        state = {
            "user": viewer.name,
            "citations": [_citation_state(c) for c in answer.citations],
            "groups": [[c.n for c in group] for group in groups],
        }
        return (
            _chat(turns),
            _conversation(viewer, turns),
            message,
            sources_html(answer),
            _radio(_citation_choices(groups)),
            plain_text_with_references(answer),
            state,
            "",
            hidden,  # the previous answer's page and section are cleared
            "",
        )

    def show_citation(self, choice, state, request: gr.Request = None):
        """The cited page as an image for PDFs (sent inline, never as a file anyone could fetch); the
        surrounding section for text documents."""
        from index.originals import page_image

        from .render import page_html, section_html

        viewer = self.viewer(request)
        hidden = gr.update(value=None, visible=False)
        if not choice or not isinstance(state, dict) or state.get("user") != viewer.name:
            return hidden, ""
        try:
            index = int(str(choice).split("]")[0].strip("[").split(",")[0]) - 1  # "[1, 3] ..." opens [1]
            cite = state["citations"][index] if index >= 0 else None
        except (ValueError, IndexError, KeyError, TypeError):
            cite = None
        if cite is None:
            return hidden, ""
        self.searcher.refresh()
        doc = self.searcher.documents.get(cite["doc_id"])
        if doc is None or not viewer.sees(doc.collection):
            return hidden, "<p class='sg-hint'>This document is no longer available.</p>"
        heading = f"[{index + 1}] {cite['where']}"
        if cite["page"]:
            # Rendered under its own lock, not the read lock: a slow page never holds up other users' reads.
            path = page_image(self.settings.store, doc.content_sha256, doc.source, cite["page"])
            png = _read_bytes(path) if path else None
            if png:
                boxes = self._boxes(state, index + 1, cite)
                return gr.update(value=page_html(png, heading, boxes), visible=True), ""
        with self.read_lock:
            text = self._section_text(cite["doc_id"], cite["section"], cite["chunk_id"], cite["sentence"])
        return hidden, section_html(text, cite["sentence"], heading)

    def _boxes(self, state: dict, n: int, cite: dict) -> list:
        """Where the cited sentences of this choice lie on the shown page: the chosen citation's sentence and
        those of the citations grouped with it (same passage) on the same page."""
        numbers = next((g for g in state.get("groups", []) if isinstance(g, list) and n in g), [n])
        cited = [c for c in state["citations"] if isinstance(c, dict) and c.get("n") in numbers]
        boxes = []
        with self.read_lock:
            for other in [cite] + [c for c in cited if c is not cite]:
                if other.get("doc_id") == cite["doc_id"] and other.get("page") == cite["page"]:
                    found = self.searcher.registry.sentence_boxes(cite["doc_id"], cite["page"], other["sentence"])
                    boxes += [b for b in found if b not in boxes]
        return boxes

    def _section_text(self, doc_id: str, section: str, chunk_id: str, sentence: str) -> str:
        """The part of the section around the cited sentence, from the document text (chunks overlap)."""
        registry = self.searcher.registry
        span = registry.section_span(doc_id, section)
        if span == (0, 0):
            span = registry.chunk_span(chunk_id)
        text = " ".join(registry.text_of(doc_id)[span[0] : span[1]].split())
        at = text.find(" ".join(sentence.split()))
        if at < 0 or len(text) <= 2 * CONTEXT_CHARS:
            return text[: 2 * CONTEXT_CHARS]
        start = max(0, at - CONTEXT_CHARS)
        start = text.rfind(". ", 0, start) + 2 if start else 0
        end = min(len(text), at + len(sentence) + CONTEXT_CHARS)
        return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")

    # -- Figures ---------------------------------------------------------------------------------
    def figure_rows(self, query, request: gr.Request = None) -> list[list]:
        from app.engine.figures_table import figure_rows

        viewer = self.viewer(request)
        allowed = {d.doc_id for d in self.visible_documents(viewer)}
        with self.read_lock:
            rows = [r for r in figure_rows(self.searcher.registry) if r["doc_id"] in allowed]
        words = (_text(query) or "").lower().split()
        out = []
        for r in rows:
            haystack = f"{r['label']} {r['as_written']} {r['section']} {r['period']} {r['source']}".lower()
            if all(w in haystack for w in words):
                out.append(
                    [
                        r["label"],
                        _number(r["value"]),
                        r["as_written"],
                        r["unit"],
                        r["period"],
                        r["section"],
                        r["page"],
                        r["source"],
                        "conflict" if r["conflict"] else "",
                    ]
                )
        return out

    def figures_download(self, query, request: gr.Request = None) -> str:
        """A link that saves the figures this user sees as figures.csv, the CSV inside the link itself (a
        data URI). It is made for this request and sent in its response only: no file is written, so no
        other request, user or URL can reach it, and nothing is left to clean up."""
        from .render import download_link_html

        rows = self.figure_rows(query, request)
        # With a byte-order mark: Excel reads a CSV without one in the machine's code page (curly quotes garbled).
        return download_link_html(_csv_text(rows).encode("utf-8-sig"), "figures.csv", "text/csv", len(rows))

    # -- Check a claim -------------------------------------------------------------------------------
    def check(self, claim, request: gr.Request = None) -> str:
        from .render import verdict_html

        viewer = self.viewer(request)
        claim = (claim or "").strip()[:2000]
        if not claim:
            return "<p class='sg-hint'>Paste a sentence with a number, e.g. “199 children were looked after”.</p>"
        with self.read_lock:
            result = self.checker.check(claim, self.filters(viewer))
        return verdict_html(result)

    # -- Library -------------------------------------------------------------------------------------
    def library_rows(self, request: gr.Request = None) -> list[list]:
        viewer = self.viewer(request)
        return [
            [
                d.doc_id,
                d.title,
                d.body,
                d.period or "",
                d.kind,
                d.collection,
                d.pages or "",
                d.chunks,
                d.ingested_at.replace("T", " ")[:16],
            ]
            for d in sorted(self.visible_documents(viewer), key=lambda d: d.doc_id)
        ]

    def library_choices(self, request: gr.Request = None) -> list[str]:
        return [row[0] for row in self.library_rows(request)]

    def upload(self, files, collection, request: gr.Request = None, progress=None):
        """Ingest uploaded files under their original names; refused files are named with the reason. Whatever
        happens (refused, failed, not allowed, not signed in), nothing of the upload stays on disk."""
        sent = [Path(f) for f in (files if isinstance(files, list) else [files]) if isinstance(f, str) and f]
        paths = [path for path in sent if _uploaded(path)]  # Gradio checks this too; never read or remove others
        try:
            return self._upload(paths, collection, request, progress)
        finally:
            for path in paths:
                _remove_upload(path)

    def _upload(self, paths: list[Path], collection, request, progress) -> str:
        from ingest.pipeline import SourceFile, ingest_sources

        from .render import safe_name

        viewer = self.viewer(request)
        if not viewer.can_write():
            return "Only editors can add documents."
        collection = collection.strip() if isinstance(collection, str) and collection.strip() else "default"
        if not viewer.sees(collection):
            return f"You cannot add documents to the collection {collection!r}."
        self.searcher.refresh()
        sources, refused = [], []
        for path in paths:
            name = safe_name(path.name)
            size = path.stat().st_size if path.exists() else 0
            existing = self.searcher.documents.get(name)
            if Path(name).suffix.lower() not in UPLOAD_TYPES:
                refused.append(f"{name}: only PDF, DOCX, HTML, Markdown and text files can be added")
            elif size > self.max_upload_mb * 2**20:
                refused.append(f"{name}: {size / 2**20:.1f} MB is over the upload limit of {self.max_upload_mb} MB")
            elif existing is not None and existing.collection != collection:
                # A document never moves between collections (ingest refuses it too, under the write lock).
                refused.append(f"{name}: {_elsewhere(existing.collection, viewer)}")
            else:
                sources.append(SourceFile(path, name, name))
        report = None
        if sources:

            def tick(done: int, total: int, name: str, *stage) -> None:
                """Whatever the pipeline reports: the file, and a stage within it when it names one."""
                if progress is not None:
                    within = " · ".join(str(part) for part in stage if part not in (None, ""))
                    progress((done, total), desc=f"Adding {Path(name).name}" + (f": {within}" if within else ""))

            try:
                report = ingest_sources(sources, self.settings, collection, progress=False, on_progress=tick)
            except Exception as exc:  # the lock or the store: report it, keep the app alive
                refused.append(f"upload failed: {exc}")
        self.searcher.refresh()
        if report is not None:
            # A document added to another collection since the check above: never name a collection unseen.
            doc_ids = {str(source.path): source.doc_id for source in sources}
            for i, (name, reason) in enumerate(report.refused):
                if reason.startswith(MOVE_REFUSED):
                    other = self.searcher.documents.get(doc_ids.get(name, ""))
                    report.refused[i] = (name, _elsewhere(other.collection if other else None, viewer))
        return _upload_message(report, refused)

    def delete(self, doc_id, request: gr.Request = None) -> str:
        from index.lock import StoreLocked
        from index.writer import UnknownDocument, delete

        viewer = self.viewer(request)
        if not viewer.can_write():
            return "Only editors can delete documents."
        doc_id = _text(doc_id) or ""
        doc = self.searcher.documents.get(doc_id)
        if doc is None or not viewer.sees(doc.collection):
            return "Choose a document to delete."
        try:
            delete(self.settings, doc_id)
        except StoreLocked as exc:
            return f"Not deleted: {exc}"
        except UnknownDocument:
            return "Choose a document to delete."
        self.searcher.refresh()
        return f"Deleted {doc_id}: its passages, figures, page images and stored original are gone."

    # -- the page ------------------------------------------------------------------------------------
    def filter_choices(self, request: gr.Request = None) -> list:
        """The Ask tab's filter dropdowns (document, period, issuing body, kind) for what this user sees now:
        sent on load and after every upload or delete, so a new document is listed without a reload."""
        docs = self.visible_documents(self.viewer(request))
        updates = [gr.update(choices=[""] + sorted(d.doc_id for d in docs))]
        for field in ("period", "body", "kind"):
            values = sorted({getattr(d, field) or "" for d in docs} - {""})
            updates.append(gr.update(choices=[""] + values))
        return updates

    def confirm_delete(self, doc_id, request: gr.Request = None):
        """The confirmation that names the document before anything is deleted (nothing is deleted here)."""
        import html

        viewer = self.viewer(request)
        hidden = (gr.update(visible=False), "", gr.update())
        if not viewer.can_write():
            return (*hidden[:2], "Only editors can delete documents.")
        doc = self.searcher.documents.get(_text(doc_id) or "")
        if doc is None or not viewer.sees(doc.collection):
            return (*hidden[:2], "Choose a document to delete.")
        name = html.escape(doc.doc_id)
        question = (
            f"<p role='alert'><strong>Delete {name}?</strong> Its passages, figures, page images and stored "
            "original are removed. This cannot be undone.</p>"
        )
        return gr.update(visible=True), question, ""

    def build(self):
        from .render import CHAT_GUIDANCE

        with gr.Blocks(title="Safeguarding Assistant", analytics_enabled=False) as demo:
            with gr.Row(elem_id="sg-header"):
                gr.Markdown("## Safeguarding Assistant\nAnswers from your safeguarding documents, every figure cited.")
                who = gr.Markdown(elem_id="sg-who")
            with gr.Tabs():
                with gr.Tab("Ask", id="ask"):
                    conversation = gr.State(None)  # the chat's turns, kept on the server
                    previous = gr.State(None)
                    answer_state = gr.State(None)
                    # At phone width the main column's parts and the sources are reordered by CSS (render.CSS):
                    # the answer, the question box, then the sources, then examples and filters.
                    with gr.Row(elem_id="sg-ask-row"):
                        with gr.Column(scale=3, elem_id="sg-ask-main"):
                            chat = gr.Chatbot(
                                label="Conversation",
                                height=430,
                                elem_id="sg-chat",
                                buttons=["copy"],
                                latex_delimiters=[],
                                allow_file_downloads=False,
                                placeholder=CHAT_GUIDANCE,
                            )
                            with gr.Row(elem_id="sg-ask-box"):
                                message = gr.Textbox(
                                    label="Question",
                                    placeholder="Ask a question, e.g. referrals to the MASH last year",
                                    show_label=False,
                                    scale=5,
                                    elem_id="sg-question",
                                    lines=1,
                                )
                                send = gr.Button("Ask", variant="primary", scale=1, elem_id="sg-ask")
                            with gr.Column(elem_id="sg-ask-extras"):
                                examples = gr.Examples(
                                    EXAMPLES, inputs=[message], label="Examples (click one to ask it)"
                                )
                                with gr.Accordion("Filters", open=False), gr.Row():
                                    doc = gr.Dropdown([""], value="", label="Document", elem_id="sg-f-doc")
                                    period = gr.Dropdown([""], value="", label="Period", elem_id="sg-f-period")
                                    body = gr.Dropdown([""], value="", label="Issuing body", elem_id="sg-f-body")
                                    kind = gr.Dropdown([""], value="", label="Kind", elem_id="sg-f-kind")
                                copy = gr.Textbox(
                                    label="Answer with references (copy into a board paper)",
                                    lines=4,
                                    interactive=False,
                                    buttons=["copy"],
                                    elem_id="sg-copy",
                                )
                        with gr.Column(scale=2, elem_id="sg-ask-side"):
                            sources = gr.HTML(self_sources(), elem_id="sg-sources")
                            cite = gr.Radio(
                                [], label="Show a citation in its document", elem_id="sg-cite", visible=False
                            )
                            page = gr.HTML(visible=False, elem_id="sg-page")  # the cited PDF page, inline
                            context = gr.HTML(elem_id="sg-context")
                with gr.Tab("Figures", id="figures"):
                    with gr.Row():
                        figure_query = gr.Textbox(
                            label="Search figures",
                            placeholder="e.g. referrals, budget, 2017/18",
                            scale=4,
                            elem_id="sg-figure-query",
                        )
                        download = gr.Button("Download CSV", scale=1, elem_id="sg-figures-csv")
                    download_link = gr.HTML(elem_id="sg-figures-download")
                    figures = gr.Dataframe(
                        headers=FIGURE_HEADERS,
                        interactive=False,
                        wrap=True,
                        max_height=560,
                        elem_id="sg-figures",
                        # In pixels, not percent: at phone width the table keeps readable columns and scrolls sideways.
                        column_widths=["230px", "80px", "95px", "70px", "80px", "280px", "55px", "200px", "80px"],
                        show_search="none",
                    )
                with gr.Tab("Check a claim", id="check"):
                    claim = gr.Textbox(
                        label="Claim with a number (Enter checks it; Shift+Enter for a new line)",
                        lines=1,
                        max_lines=4,
                        elem_id="sg-claim",
                        placeholder="e.g. Camden had 199 looked after children at the end of 2018/19",
                    )
                    check_button = gr.Button("Check", variant="primary", elem_id="sg-check")
                    verdict = gr.HTML(elem_id="sg-verdict")
                with gr.Tab("Library", id="library"):
                    with gr.Row():
                        with gr.Column():
                            files = gr.File(
                                label="Add documents (PDF, DOCX, HTML, Markdown, text)",
                                file_count="multiple",
                                file_types=UPLOAD_TYPES,
                                type="filepath",
                                elem_id="sg-upload",
                                height=150,
                            )
                            files.preprocess = _uploaded_paths  # the upload handler checks, and removes
                            with gr.Row():
                                collection = gr.Dropdown(
                                    ["default"],
                                    value="default",
                                    label="Collection",
                                    allow_custom_value=True,
                                    elem_id="sg-collection",
                                )
                                add = gr.Button("Add to library", variant="primary", elem_id="sg-add")
                        with gr.Column():
                            to_delete = gr.Dropdown(
                                [], label="Document to delete", elem_id="sg-delete-doc", allow_custom_value=True
                            )
                            ask_delete = gr.Button("Delete document…", variant="stop", elem_id="sg-delete-ask")
                            with gr.Group(visible=False, elem_id="sg-delete-confirm") as confirm_box:
                                confirm_text = gr.HTML(elem_id="sg-delete-question")
                                with gr.Row():
                                    delete = gr.Button("Yes, delete it", variant="stop", elem_id="sg-delete")
                                    cancel = gr.Button("Cancel", elem_id="sg-delete-cancel")
                    # Right under the buttons, above the table: where the user is looking after a click.
                    library_status = gr.Markdown(elem_id="sg-library-status", min_height=56)
                    library = gr.Dataframe(
                        headers=LIBRARY_HEADERS,
                        interactive=False,
                        wrap=True,
                        elem_id="sg-library",
                        column_widths=["200px", "230px", "170px", "80px", "100px", "110px", "70px", "70px", "150px"],
                    )

            # The chat is an output only: what the browser holds of the conversation is never read back.
            ask_inputs = [message, conversation, previous, doc, period, body, kind]
            ask_outputs = [chat, conversation, previous, sources, cite, copy, answer_state, message, page, context]
            send.click(self.ask, ask_inputs, ask_outputs, api_name=False, show_progress_on=[chat])
            message.submit(self.ask, ask_inputs, ask_outputs, api_name=False, show_progress_on=[chat])
            # An example is asked as soon as it is clicked (it fills the box, then asks).
            examples.load_input_event.then(self.ask, ask_inputs, ask_outputs, api_name=False, show_progress_on=[chat])
            chat.clear(lambda: (None, None), None, [conversation, previous], api_name=False)  # a new conversation
            cite.change(self.show_citation, [cite, answer_state], [page, context], api_name=False)

            # A new search clears the previous link, so a download is always of the rows on screen.
            def search_figures(query, request: gr.Request):
                return self.figure_rows(query, request), ""

            figure_query.change(
                search_figures,
                [figure_query],
                [figures, download_link],
                api_name=False,
            )
            download.click(self.figures_download, [figure_query], [download_link], api_name=False)
            check_button.click(self.check, [claim], [verdict], api_name=False)
            claim.submit(self.check, [claim], [verdict], api_name=False)

            filters = [doc, period, body, kind]

            def refresh_library(request: gr.Request):
                return (
                    self.library_rows(request),
                    gr.update(choices=self.library_choices(request), value=None),
                    *self.filter_choices(request),
                )

            def do_upload(uploaded, chosen, request: gr.Request, progress=gr.Progress()):  # noqa: B008 - gradio API
                status = self.upload(uploaded, chosen, request, progress)
                return (status, None, *refresh_library(request))

            def do_delete(doc_id, request: gr.Request):
                return (self.delete(doc_id, request), *refresh_library(request), gr.update(visible=False))

            add.click(
                do_upload,
                [files, collection],
                [library_status, files, library, to_delete, *filters],
                api_name=False,
                show_progress_on=[library_status],
            )
            ask_delete.click(
                self.confirm_delete, [to_delete], [confirm_box, confirm_text, library_status], api_name=False
            )
            to_delete.change(lambda: gr.update(visible=False), None, [confirm_box], api_name=False)
            cancel.click(lambda: (gr.update(visible=False), "Nothing deleted."), None, [confirm_box, library_status])
            delete.click(
                do_delete,
                [to_delete],
                [library_status, library, to_delete, *filters, confirm_box],
                api_name=False,
                show_progress_on=[library_status],
            )

            def on_load(request: gr.Request):
                viewer = self.viewer(request)
                collections = sorted(viewer.collections) if viewer.collections is not None else ["default"]
                label = f"Signed in as **{viewer.name}** ({viewer.role})" if viewer.name else ""
                return (
                    label,
                    self.figure_rows("", request),
                    *refresh_library(request),
                    gr.update(choices=collections, value=collections[0]),
                )

            demo.load(on_load, None, [who, figures, library, to_delete, *filters, collection], api_name=False)
        return demo


def self_sources() -> str:
    from .render import sources_html

    return sources_html(None)


def _text(value) -> str | None:
    """A text field as sent by the browser: a string, or None for anything else."""
    return value if isinstance(value, str) else None


def _turns_of(conversation, viewer: Viewer) -> list[tuple[str, str]]:
    """The turns of this viewer's conversation (the state is the server's; a session is never shared)."""
    if isinstance(conversation, dict) and conversation.get("user") == viewer.name:
        return list(conversation.get("turns", []))
    return []


def _conversation(viewer: Viewer, turns: list[tuple[str, str]]) -> dict:
    return {"user": viewer.name, "turns": turns}


def _chat(turns: list[tuple[str, str]]) -> list[dict]:
    """The Chatbot's value: text messages only, each already shown as text (render.markdown_text)."""
    out = []
    for question, answer in turns:
        out += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return out


def _csv_text(rows: list[list]) -> str:
    import csv
    import io

    from app.engine.figures_table import safe_cell

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIGURE_HEADERS)
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return out.getvalue()


def _number(value):
    """A figure's value as it should be read: 191, not 191.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_bytes(path: Path) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:  # removed meanwhile (the document was deleted)
        return None


def _uploaded_paths(payload) -> list[str] | None:
    """What the upload box hands the upload handler: the uploaded files' paths, nothing checked or read.
    The handler checks the user first, then each file's type and size, and removes every file whatever
    happens. (gr.File's own preprocess refuses a file type before the handler runs, leaving the files
    behind, and leaves an empty temporary file for each file it hands on.) Gradio has already checked that
    each path is in its upload folder."""
    from gradio.data_classes import ListFiles

    if payload is None:
        return None
    return [f.path for f in (list(payload) if isinstance(payload, ListFiles) else [payload])]


def _upload_folder() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def _uploaded(path: Path) -> bool:
    """Whether a path is a file in Gradio's upload folder (where its upload route puts what it receives)."""
    return path.resolve().is_relative_to(_upload_folder()) and path.resolve() != _upload_folder()


def _remove_upload(path: Path) -> None:
    """Remove an uploaded file, and the folder Gradio made for it when nothing else is in it."""
    import contextlib

    path.unlink(missing_ok=True)
    folder = path.resolve().parent
    if folder != _upload_folder() and folder.is_relative_to(_upload_folder()):
        with contextlib.suppress(OSError):  # not empty, or already gone
            folder.rmdir()


def _elsewhere(collection: str | None, viewer: Viewer) -> str:
    """Why a file named like a document of another collection is refused, naming that collection only to a
    user who can see it."""
    if collection is not None and viewer.sees(collection):
        return f"{MOVE_REFUSED} {collection!r}; delete it there first"
    return "a document of this name is in a collection you cannot change; rename the file to add it"


def _radio(choices: list[str]):
    """The citation picker, hidden when there is nothing to pick (an abstention, an empty question)."""
    return gr.update(choices=choices, value=None, visible=bool(choices))


def _citation_groups(citations) -> list[list]:
    """The citations grouped by passage (chunk), in order of their first number: one choice per passage."""
    groups: dict[tuple, list] = {}
    for citation in citations:
        groups.setdefault((citation.passage.chunk_id, citation.page), []).append(citation)
    return list(groups.values())


def _citation_choices(groups: list[list]) -> list[str]:
    """One label per group, "[1, 3] Section, page 2"; where two passages would read the same, each names the
    start of its cited sentence too."""
    labels = []
    for group in groups:
        first = group[0]
        page = f", page {first.page}" if first.page else ""
        numbers = ", ".join(str(c.n) for c in group)
        labels.append(f"[{numbers}] {first.passage.section or first.passage.title}{page}")
    places = [label.split("] ", 1)[1] for label in labels]
    for i, group in enumerate(groups):
        if places.count(places[i]) > 1:
            words = " ".join(group[0].sentence.split()[:8])
            labels[i] += f": “{words}…”"
    return labels


def _citation_state(citation) -> dict:
    """What showing a citation later needs: its contract fields plus the chunk and a place line."""
    return {**citation.to_json(), "chunk_id": citation.passage.chunk_id, "where": citation.where()}


def _upload_message(report, refused: list[str]) -> str:
    lines = []
    if report is not None:
        lines += [f"Added **{doc_id}** ({chunks} passages)." for doc_id, chunks in report.ingested]
        lines += [f"**{doc_id}** is already in the library, unchanged." for doc_id in report.unchanged]
        lines += [f"Refused **{Path(name).name}**: {reason}" for name, reason in report.refused]
    lines += [f"Refused **{item.split(':', 1)[0]}**:{item.split(':', 1)[1]}" for item in refused if ":" in item]
    return "\n\n".join(lines) or "Choose files to add."
