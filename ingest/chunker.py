"""Pack sentences into chunks that fit the embedding model's window, never crossing a section.

The embedded text is "section heading + chunk text"; its word-piece count is kept at or under the
model's limit, so no part of a chunk is silently cut off before it is embedded.
"""

from __future__ import annotations

from index.chunk_ids import chunk_id
from index.records import Chunk, PageMap
from index.tokens import TokenCounter

from .sections import Section
from .sentences import SentenceSpan, split_sentences
from .tables import PRINTED_OPENING


def embed_text_for(section: str, text: str) -> str:
    return f"{section}\n{text}" if section else text


def _hard_split(sentence: SentenceSpan, doc_text: str, counter: TokenCounter, budget: int) -> list[SentenceSpan]:
    """A run with no sentence breaks (a flattened table) is cut at word-piece boundaries, between words."""
    raw = doc_text[sentence.start : sentence.end]
    offsets = counter.offsets(raw)
    result, index, cursor = [], 0, 0
    while index < len(offsets):
        stop = index + budget
        if stop >= len(offsets):
            end = len(raw)
        else:
            space = raw.rfind(" ", cursor, offsets[stop][0] + 1)
            end = space if space > cursor else offsets[stop - 1][1]
        text = raw[cursor:end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            begin = sentence.start + cursor + lead
            result.append(SentenceSpan(begin, begin + len(text.strip()), " ".join(text.split()), not result))
        cursor = end
        while index < len(offsets) and offsets[index][0] < end:
            index += 1
    return result


def _segments(body: str, base: int, doc_text: str, counter: TokenCounter, budget: int) -> list[SentenceSpan]:
    out = []
    for sentence in split_sentences(body, base):
        if counter.count(sentence.text) > budget:
            sentence = _without_printed_row(sentence, doc_text)
        if counter.count(sentence.text) > budget:
            out.extend(_hard_split(sentence, doc_text, counter, budget))
        else:
            out.append(sentence)
    return out


def _without_printed_row(sentence: SentenceSpan, doc_text: str) -> SentenceSpan:
    """A table row too long for the window with its printed line beside it keeps its cells whole: the
    printed line, a copy of the same numbers, is what gives way."""
    raw = doc_text[sentence.start : sentence.end]
    at = raw.find(PRINTED_OPENING)
    if at <= 0:
        return sentence
    kept = raw[:at].rstrip()
    return SentenceSpan(sentence.start, sentence.start + len(kept), " ".join(kept.split()), sentence.new_paragraph)


def _join(sentences: list[SentenceSpan]) -> str:
    text = ""
    for s in sentences:
        text += ("\n" if s.new_paragraph else " ") + s.text if text else s.text
    return text


def _after_lines(text: str, start: int, end: int, lines: int) -> int:
    """Where the text after a heading set over `lines` lines begins (end when nothing follows it)."""
    for _ in range(lines):
        start = text.find("\n", start, end) + 1 or end
    return start


def _closing_line_kept(doc_text: str, sections: list[Section]) -> list[Section]:
    """A heading with nothing after it at the end of a document is its closing line ("This Policy will be
    reviewed Sept 2017"), read as text of the section before: as a heading it would hold no sentence at all."""
    if not sections:
        return sections
    last = sections[-1]
    if doc_text[_after_lines(doc_text, last.start, len(doc_text), last.lines) :].strip():
        return sections
    return sections[:-1]


def chunk_document(
    doc_id: str,
    id_prefix: str,
    doc_text: str,
    sections: list[Section],
    pages: PageMap,
    counter: TokenCounter,
    max_tokens: int,
    target_tokens: int,
) -> list[Chunk]:
    bounds = [(0, None)] + [(s.start, s) for s in _closing_line_kept(doc_text, sections)]
    chunks: list[Chunk] = []
    for i, (start, section) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else len(doc_text)
        body_start = start if section is None else _after_lines(doc_text, start, end, section.lines)
        if body_start <= 0 and section is not None:
            body_start = end
        heading = section.heading if section else ""
        path = section.path if section else ""
        budget = max_tokens - (counter.count(heading + "\n") if heading else 0)
        sentences = _segments(doc_text[body_start:end], body_start, doc_text, counter, max(budget, 16))
        for group in _pack(sentences, counter, budget, min(target_tokens, budget)):
            text = _join(group)
            page, label = pages.at(group[0].start)
            last_page, _ = pages.at(group[-1].end - 1)
            position = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(id_prefix, position),
                    doc_id=doc_id,
                    position=position,
                    text=text,
                    section=heading,
                    section_path=path,
                    page=page,
                    last_page=last_page,
                    page_label=label,
                    char_start=group[0].start,
                    char_end=group[-1].end,
                    embed_text=embed_text_for(heading, text),
                )
            )
    return chunks


def _pack(sentences: list[SentenceSpan], counter: TokenCounter, budget: int, target: int) -> list[list[SentenceSpan]]:
    """Greedy packing up to the target size; one overlapping short sentence keeps context across cuts."""
    groups: list[list[SentenceSpan]] = []
    current: list[SentenceSpan] = []
    for sentence in sentences:
        candidate = current + [sentence]
        if current and counter.count(_join(candidate)) > target:
            groups.append(current)
            tail = current[-1]
            current = [tail, sentence] if counter.count(_join([tail, sentence])) <= target // 2 else [sentence]
            if len(current) == 2 and counter.count(_join(current)) > budget:
                current = [sentence]
        else:
            current = candidate
    if current:
        groups.append(current)
    return [g for g in groups if any(len(s.text) > 1 for s in g)]
