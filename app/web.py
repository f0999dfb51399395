"""The Gradio web app. Bound to loopback by default; analytics and outbound calls are off."""

from __future__ import annotations

import os
import sys

from ingest.config import Settings

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def build_app(settings: Settings):
    import gradio as gr

    from index.search import Filters, Searcher

    from .render import passages_html

    searcher = Searcher(settings)
    searcher.warm_up()
    documents = sorted(searcher.documents)

    def run_search(query: str, doc: str | None, k: int):
        query = (query or "").strip()[:2000]
        if not query:
            return passages_html([], "")
        filters = Filters(doc=doc or None)
        return passages_html(searcher.search(query, k=int(k), filters=filters), query)

    with gr.Blocks(title="Safeguarding Assistant", analytics_enabled=False) as demo:
        gr.Markdown("## Safeguarding Assistant\nSearch the safeguarding documents in this library.")
        with gr.Row():
            query = gr.Textbox(label="Search", placeholder="e.g. how many referrals did the MASH get?", scale=5)
            button = gr.Button("Search", variant="primary", scale=1)
        with gr.Row():
            doc = gr.Dropdown(choices=[""] + documents, value="", label="Document", scale=3)
            k = gr.Slider(1, 20, value=5, step=1, label="Passages", scale=2)
        results = gr.HTML(passages_html([], ""), elem_id="results")
        for trigger in (query.submit, button.click):
            trigger(run_search, inputs=[query, doc, k], outputs=results, api_name=False)
    return demo


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, auth_file: str | None = None) -> None:
    from .render import CSS

    if host not in LOOPBACK and not auth_file:
        print(
            f"warning: serving on {host} without --auth-file: anyone who can reach it can read the documents",
            file=sys.stderr,
        )
    demo = build_app(settings)
    demo.queue(default_concurrency_limit=4)
    print(f"Safeguarding Assistant on http://{host}:{port}", file=sys.stderr)
    demo.launch(server_name=host, server_port=port, css=CSS, footer_links=[], quiet=True, ssr_mode=False)
