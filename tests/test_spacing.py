"""Words pypdf splits with a space ("T argeted", "wheth er") are read whole, as pdfium reads them."""

from __future__ import annotations

import re
import shutil

import pytest
from helpers import EXTERNAL

from index.keyword import KeywordIndex
from ingest.loaders import load_file
from ingest.spacing import apply_mends, mend_split_words

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


def test_a_mend_is_made_in_other_readings_of_the_text_word_for_word():
    mends = {"an d": "and", "T eams": "Teams"}
    assert apply_mends("Plan dates for T eams an d partners", mends) == "Plan dates for Teams and partners"


@pytest.fixture(scope="module")
def thresholds_searcher(tmp_path_factory):
    """A store of the Oxfordshire thresholds document alone, through the real ingest, search and model."""
    from index.config import Settings
    from index.search import Searcher
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("thresholds")
    shutil.copy(EXTERNAL / THRESHOLDS, folder / THRESHOLDS)
    settings = Settings.from_env(store=folder / "store")
    report = ingest_paths([folder], settings, progress=False)
    assert report.ingested, report.refused
    return Searcher(settings)


def test_a_long_heading_set_over_two_lines_heads_its_section_and_leaves_the_text(thresholds_searcher):
    """ "Level 3 – Complex Needs supported by ... / Work Teams": the dash is no word, the split words are joined
    before the heading's words are counted, and the heading's second line is not left as the section's text."""
    heading = "Level 3 – Complex Needs supported by Targeted Early Help or Statutory Social Work Teams"
    chunks = [c for c in thresholds_searcher.registry.chunks() if "whose needs are complex" in c.text]
    assert [c.section for c in chunks] == [heading]
    assert chunks[0].text.startswith("Children and young people")


@pytest.mark.parametrize(("level", "name"), [("2", "additional"), ("3", "complex")])
def test_a_level_asked_for_by_its_number_is_found_in_its_own_section(thresholds_searcher, level, name):
    """A digit standing alone is a keyword ("level 3" is not "level 2"), and each level heads its section."""
    assert "3" in KeywordIndex.tokens_of("what is level 3")
    passages = thresholds_searcher.search(f"level {level} {name} needs", k=1)
    assert passages[0].section.startswith(f"Level {level} –"), passages[0].section
