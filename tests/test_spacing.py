"""Words pypdf splits with a space ("T argeted", "wheth er") are read whole, as pdfium reads them."""

from __future__ import annotations

import re

import pytest
from helpers import EXTERNAL

from ingest.loaders import load_file
from ingest.spacing import mend_split_words

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")

THRESHOLDS = "oxfordshire-threshold-of-needs-2021.pdf"
MISSING = "northamptonshire-multi-agency-missing-children-protocol-2022.pdf"


def _text(name: str) -> str:
    return "\n".join(page.text for page in load_file(EXTERNAL / name, 500).pages)


def test_kerned_capitals_are_joined_on_a_real_thresholds_document():
    text = _text(THRESHOLDS)
    assert "Complex Needs supported by Targeted Early Help or Statutory Social" in text
    assert not re.search(r"\bT (?:argeted|eams?)\b", text)


def test_words_drawn_in_pieces_are_joined_and_compounds_keep_their_hyphen():
    text = _text(MISSING)
    assert "recovery, whether" in text and "wheth er" not in text
    assert "bi-monthly" in text and "bi -monthly" not in text


def test_two_words_pdfium_also_reads_apart_stay_apart():
    # The page writes "feed back" as two words once and "feedback" once: the pair is not a split word.
    words = ["we", "feed", "back", "to", "families", "and", "ask", "for", "feedback", "Targeted"]
    mended, mends = mend_split_words("we feed back to families and ask for feedback on T argeted help", words)
    assert mended == "we feed back to families and ask for feedback on Targeted help"
    assert mends == {"T argeted": "Targeted"}
