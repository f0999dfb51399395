"""Footnote marks glued to what they follow are taken out of real guidance PDFs (ingest.footnotes): a mark is a
run of digits pdfium sets smaller and higher than the character before it, so "the age of 24" with footnote
193 is not the figure 24,193, and "principles9," reads "principles,"; numbers set at body size keep every
digit."""

from __future__ import annotations

import pytest
from helpers import EXTERNAL

from ingest.footnotes import Mark, without_marks
from ingest.loaders import _text_layer_words, load_file

GUIDANCE = "dfe-information-sharing-advice-safeguarding-2024.pdf"
WORKING_TOGETHER = "dfe-working-together-to-safeguard-children-2023.pdf"


def _external(name: str):
    if not (EXTERNAL / name).is_file():
        pytest.fail(f"{name} is not in the external corpus")
    return EXTERNAL / name


def test_marks_glued_to_words_in_a_real_pdf_are_taken_out():
    pages = {page.page: " ".join(page.text.split()) for page in load_file(_external(GUIDANCE), 500).pages}
    assert "the Eight Caldicott principles, and" in pages[6] and "principles9" not in pages[6]
    assert "Framework10" not in pages[8]


def test_a_mark_after_a_number_leaves_the_number_as_printed():
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    path = _external(WORKING_TOGETHER)
    document = pdfium.PdfDocument(str(path))
    try:
        _, marks = _text_layer_words(document[132])  # page 133: "... up to and including the age of 24193."
    finally:
        document.close()
    assert Mark("24", "193") in marks
    text = " ".join(without_marks(PdfReader(path).pages[132].extract_text(), marks).split())
    sentence = text[text.index("The local authority should also notify") :].split(". ")[0]
    # The age is printed as 24 (an age is no figure: app.engine.forms reads ages).
    assert sentence.endswith("up to and including the age of 24")


def test_only_the_marks_found_are_taken_out_in_page_order():
    text = "from 108 local authorities, the age of 24193 and 24193 again; networks8"
    assert without_marks(text, [Mark("24", "193"), Mark("networks", "8")]) == (
        "from 108 local authorities, the age of 24 and 24193 again; networks"
    )
