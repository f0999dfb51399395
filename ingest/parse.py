"""From a file to a Document with its chunks and figures: everything short of embedding."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.chunk_ids import version_prefix
from index.config import Settings
from index.records import Chunk, Document, Figure, PageMap, PageStart, Sentence
from index.tokens import token_counter

from .boxes import SentenceLocator
from .chunker import chunk_document
from .clean import clean_pages
from .figures import extract_figures
from .level_grids import grid_pages, read_level_grids
from .loaders import LoadError, load_file
from .metadata import describe
from .pdf_layout import read_title_page
from .sections import find_sections
from .sentences import split_sentences
from .tables import read_tables


@dataclass
class ParsedDocument:
    document: Document
    text: str
    chunks: list[Chunk]
    figures: list[Figure]
    page_starts: list[PageStart]
    sentences: list[Sentence]  # not yet embedded: vector is empty


def parse_file(path: Path, doc_id: str, source: str, sha: str, collection: str, settings: Settings) -> ParsedDocument:
    loaded = load_file(path, settings.max_pages)
    layout = read_title_page(path) if path.suffix.lower() == ".pdf" else None
    cleaned = clean_pages(loaded.pages, layout.letterhead if layout else None)
    pages = cleaned.pages
    pages, tables = read_tables(path, pages)  # a table's rows become sentences, its cells figures
    pages = read_level_grids(path, pages, grid_pages(loaded.pages))  # each cell of a grid of levels says its level
    text, starts = "", []
    for page in pages:
        starts.append(PageStart(page.page, page.label, len(text), page.source, page.confidence))
        text += page.text.strip("\n") + "\n\n"
    if not text.strip():
        raise LoadError("no text found in the document")
    hints = loaded.extra.get("heading_hints", [])
    sections = find_sections(text, cleaned.toc_titles + (layout.filter_hints(hints) if layout else hints))
    page_map = PageMap.of(starts)
    if all(p is None for p in page_map.pages):
        page_map = PageMap([], [], [])
    counter = token_counter(settings.model_path())
    chunks = chunk_document(
        doc_id,
        version_prefix(doc_id, sha),
        text,
        sections,
        page_map,
        counter,
        settings.max_chunk_tokens,
        settings.target_chunk_tokens,
    )
    if not chunks:
        raise LoadError("no text found in the document")
    if len(chunks) > settings.max_chunks_per_doc:
        raise LoadError(f"document makes {len(chunks)} chunks, over the limit of {settings.max_chunks_per_doc}")
    about = describe(text, loaded.metadata_title, source, cleaned.running_lines, layout)
    period = about.period
    document = Document(
        doc_id=doc_id,
        content_sha256=sha,
        source=source,
        title=about.title,
        body=about.body,
        period=period,
        kind=about.kind,
        collection=collection,
        pages=loaded.page_count,
    )
    sentences: dict[int, Sentence] = {}
    figures = []
    locators = {page.page: SentenceLocator(page.pieces) for page in pages if page.pieces}
    for chunk in chunks:
        for sentence in split_sentences(text[chunk.char_start : chunk.char_end], chunk.char_start):
            page, _ = page_map.at(sentence.start)
            if sentence.start not in sentences:
                locator = locators.get(page)
                boxes = locator.boxes(sentence.text) if locator else ()
                sentences[sentence.start] = Sentence(sentence.start, sentence.end, page, sentence.text, boxes=boxes)
            for figure in extract_figures(sentence.text, period):
                figure.chunk_id, figure.doc_id = chunk.chunk_id, chunk.doc_id
                figure.page, figure.section = page, chunk.section
                figures.append(figure)
    return ParsedDocument(
        document,
        text,
        chunks,
        _dedupe(tables.figures(figures, chunks, list(sentences.values()), period)),
        starts if page_map.pages else [],
        [sentences[start] for start in sorted(sentences)],
    )


def _dedupe(figures: list[Figure]) -> list[Figure]:
    """Overlapping chunks repeat a sentence; a figure is listed once per sentence."""
    seen, out = set(), []
    for figure in figures:
        key = (figure.sentence, figure.as_written, figure.label)
        if key not in seen:
            seen.add(key)
            out.append(figure)
    return out
