"""Each stored sentence of a real PDF knows where it lies on its page (ingest.boxes through parse_file).

The check does not trust our own matching: pdfium is asked, independently, which text lies inside each
stored box, and that text must be the sentence's.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
from helpers import EXTERNAL

from index.config import Settings
from ingest.parse import parse_file

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")

LETTER = "ofsted-west-northamptonshire-focused-visit-2025.pdf"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _text_in(page, boxes) -> str:
    """What pdfium finds inside the boxes (fractions, origin top left) of a page."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    # Boxes are line boxes: a small margin keeps glyphs that touch the line's edge.
    pad = 0.002
    parts = [
        textpage.get_text_bounded(
            left=(box.x0 - pad) * width,
            bottom=(1 - box.y1 - pad) * height,
            right=(box.x1 + pad) * width,
            top=(1 - box.y0 + pad) * height,
        )
        for box in boxes
    ]
    return " ".join(parts)


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    settings = Settings.from_env(store=tmp_path_factory.mktemp("store"))
    return parse_file(EXTERNAL / LETTER, "letter.pdf", "letter.pdf", "sha", "default", settings)


def test_almost_every_sentence_of_a_born_digital_pdf_has_boxes(letter):
    with_boxes = [s for s in letter.sentences if s.boxes]
    assert len(with_boxes) >= 0.9 * len(letter.sentences)


def test_the_text_inside_a_sentences_boxes_is_that_sentence(letter):
    pdf = pdfium.PdfDocument(str(EXTERNAL / LETTER))
    checked = 0
    for sentence in letter.sentences:
        if not sentence.boxes or len(sentence.text) < 60:
            continue
        inside = _words(_text_in(pdf[sentence.page - 1], sentence.boxes))
        wanted = _words(sentence.text)
        found = sum(1 for word in wanted if word in inside)
        assert found >= 0.9 * len(wanted), (sentence.page, sentence.text, inside)
        # Nor much besides: a box of the whole page would hold the sentence too.
        assert len(inside) <= 1.6 * len(wanted) + 12, (sentence.page, sentence.text, inside)
        checked += 1
    assert checked >= 30


def test_a_sentence_on_the_second_page_is_on_page_two_with_boxes_there(letter):
    second = [s for s in letter.sentences if s.page == 2 and s.boxes]
    assert second
    pdf = pdfium.PdfDocument(str(EXTERNAL / LETTER))
    sentence = max(second, key=lambda s: len(s.text))
    assert set(_words(sentence.text)) <= set(_words(_text_in(pdf[1], sentence.boxes))) | {"s"}
