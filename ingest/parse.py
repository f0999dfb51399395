"""From a file to a Document with its chunks and figures: everything short of embedding."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.chunk_ids import version_prefix
from index.config import Settings
from index.records import Chunk, Document, Figure, PageMap, PageStart, Sentence

from .chunker import chunk_document
from .clean import clean_pages
from .figures import extract_figures
from .loaders import LoadError, load_file
from .metadata import guess_body, guess_kind, guess_period, guess_title
from .sections import find_sections
from .sentences import split_sentences
from .tokens import token_counter


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
    cleaned = clean_pages(loaded.pages)
    pages = cleaned.pages
    text, starts = "", []
    for page in pages:
        starts.append(PageStart(page.page, page.label, len(text), page.source, page.confidence))
        text += page.text.strip("\n") + "\n\n"
    if not text.strip():
        raise LoadError("no text found in the document")
    sections = find_sections(text, cleaned.toc_titles + loaded.extra.get("heading_hints", []))
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
    title = guess_title(text, loaded.metadata_title, source)
    # A running header ("Annual Report 2022/23") names the document as a whole: it counts with the title.
    heading = " ".join([title, *cleaned.running_lines])
    period = guess_period(heading, source, text)
    document = Document(
        doc_id=doc_id,
        content_sha256=sha,
        source=source,
        title=title,
        body=guess_body(text, heading),
        period=period,
        kind=guess_kind(heading, source, text),
        collection=collection,
        pages=loaded.page_count,
    )
    sentences: dict[int, Sentence] = {}
    figures = []
    for chunk in chunks:
        for sentence in split_sentences(text[chunk.char_start : chunk.char_end], chunk.char_start):
            page, _ = page_map.at(sentence.start)
            sentences.setdefault(sentence.start, Sentence(sentence.start, sentence.end, page, sentence.text))
            for figure in extract_figures(sentence.text, period):
                figure.chunk_id, figure.doc_id = chunk.chunk_id, chunk.doc_id
                figure.page, figure.section = page, chunk.section
                figures.append(figure)
    return ParsedDocument(
        document,
        text,
        chunks,
        _dedupe(figures),
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
