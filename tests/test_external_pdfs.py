"""Real published PDFs: chunks know the physical page a sentence is on. Skipped when the folder is absent."""

from __future__ import annotations

import re
import shutil

import pytest
from helpers import EXTERNAL

from app.engine.answer import Answerer
from index.config import Settings
from index.records import PageMap
from index.registry import Registry
from index.search import Searcher
from ingest.pipeline import ingest_paths

# (file, sentence visible on that page when the PDF is opened, 1-based physical page)
KNOWN_PAGES = [
    (
        "ofsted-west-northamptonshire-focused-visit-2025.pdf",
        "Leaders also fully understand what still needs to improve",
        2,
    ),
    (
        "ofsted-west-northamptonshire-focused-visit-2025.pdf",
        "Most children in care live in homes that meet their needs",
        4,
    ),
    ("ofsted-manchester-ilacs-inspection-2025.pdf", "Children benefit from a timely and robust emergency duty", 3),
    ("ofsted-manchester-ilacs-inspection-2025.pdf", "Participation and co-production are deeply embedded", 7),
    ("dfe-information-sharing-advice-safeguarding-2024.pdf", "This HM Government advice outlines the importance", 6),
    (
        "dfe-information-sharing-advice-safeguarding-2024.pdf",
        "Sharing information for safeguarding purposes can be justified",
        15,
    ),
]

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")


@pytest.fixture(scope="module")
def external_store_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("external")
    for name in sorted({name for name, _, _ in KNOWN_PAGES}):
        shutil.copy(EXTERNAL / name, folder / name)
    store = folder / "store"
    report = ingest_paths([folder], Settings.from_env(store=store), progress=False)
    assert len(report.ingested) == 3, report.refused
    return store


@pytest.fixture(scope="module")
def external_answerer(external_store_path):
    """One answerer over the external store for the module (its searcher loads the store once)."""
    return Answerer(Searcher(Settings.from_env(store=external_store_path)))


@pytest.fixture(scope="module")
def external_store(external_store_path):
    registry = Registry(external_store_path)
    yield registry
    registry.close()


@pytest.mark.parametrize(("name", "sentence", "page"), KNOWN_PAGES)
def test_sentence_is_on_its_physical_page(external_store, name, sentence, page):
    chunks = [c for c in external_store.chunks() if c.doc_id == name]
    holder = next(c for c in chunks if sentence in " ".join(c.text.split()))
    assert holder.page <= page <= holder.last_page
    starts = external_store.page_starts(name)
    text = external_store.text_of(name)
    page_map = PageMap.of(starts)
    located = re.search(r"\s+".join(map(re.escape, sentence.split())), text)
    assert located and page_map.at(located.start())[0] == page


def test_running_headers_of_real_pdfs_are_removed(external_store):
    chunks = [c for c in external_store.chunks() if c.doc_id.startswith("ofsted-manchester")]
    header = "Inspection of Manchester local authority children’s services"
    assert sum(header in c.text for c in chunks) <= 1  # the title page may say it once


@pytest.mark.parametrize(
    ("question", "document"),
    [
        ("what does west northants need to improve?", "ofsted-west-northamptonshire-focused-visit-2025.pdf"),
        ("what does manchester need to improve?", "ofsted-manchester-ilacs-inspection-2025.pdf"),
    ],
)
def test_a_place_typed_in_lower_case_is_answered_from_its_own_documents(external_answerer, question, document):
    """Practitioners type place names in lower case; the answer comes from the documents about that place."""
    answer = external_answerer.answer(question)
    assert not answer.abstained, answer.reason
    assert {c.passage.doc_id for c in answer.citations} == {document}


def test_a_place_no_document_is_about_abstains_in_lower_case_too(external_answerer):
    answer = external_answerer.answer("how many kids in care in islington?")
    assert answer.abstained and "Islington" in answer.reason


def test_a_question_naming_a_document_s_issuing_body_is_answered_from_its_documents(external_answerer):
    answer = external_answerer.answer("what does the dfe say about sharing information without consent?")
    assert not answer.abstained, answer.reason
    assert {c.passage.doc_id for c in answer.citations} == {"dfe-information-sharing-advice-safeguarding-2024.pdf"}


def test_a_when_question_is_answered_by_a_sentence_that_says_when(external_answerer):
    answer = external_answerer.answer("when did ofsted do the west northants focused visit?")
    assert not answer.abstained and "15 and 16 April 2025" in answer.text


def test_a_sentence_saying_what_the_asked_term_means_answers_what_it_means(external_answerer):
    answer = external_answerer.answer("what does SMART mean in the manchester report?")
    assert not answer.abstained, answer.reason
    assert "specific, measurable, achievable, relevant and timebound" in answer.text


def test_a_bulleted_list_under_its_lead_in_answers_and_each_item_is_cited_on_its_page(external_answerer):
    answer = external_answerer.answer("what are the uk gdpr principles?")
    assert not answer.abstained, answer.reason
    assert answer.citations[0].sentence == "The UK GDPR principles are:"
    items = [c.sentence for c in answer.citations[1:]]
    assert items[0] == "• Lawfulness, fairness and transparency" and items[-1] == "• Accountability"
    assert len(items) == 7 and {c.page for c in answer.citations} == {21}


def test_a_numbered_paragraph_of_an_inspection_letter_is_no_list_item(external_answerer):
    """Ofsted numbers its paragraphs ("13. Once children become ..."): only a colon makes them a list."""
    answer = external_answerer.answer("is manchester using the graded care profile?")
    assert not answer.abstained, answer.reason
    assert "graded care profile" in answer.citations[0].sentence
    assert not any(c.sentence.startswith("13.") for c in answer.citations)


def test_a_field_of_the_cover_page_answers_who(external_answerer):
    """ "Lead inspector: Sophie Wales, ..." is short and has no full stop, but it is a statement, no heading."""
    answer = external_answerer.answer("who is the lead inspector for manchester?")
    assert not answer.abstained, answer.reason
    assert "Sophie Wales" in answer.text
    # Asked as practitioners ask it: "led" shares no word with "Lead inspector", the field's usual phrase.
    led = external_answerer.answer("who led the manchester inspection?")
    assert not led.abstained, led.reason
    assert led.citations[0].sentence.startswith("Lead inspector: Sophie Wales"), led.text


def test_a_document_named_by_its_body_and_year_at_the_end_is_answered_from_it(external_answerer):
    # "according to ofsted 2025" names the letter (and Manchester's inspection): its words are not search words.
    answer = external_answerer.answer("what does west northants need to improve according to ofsted 2025?")
    assert not answer.abstained, answer.reason
    assert {c.passage.doc_id for c in answer.citations} == {"ofsted-west-northamptonshire-focused-visit-2025.pdf"}
    assert any("permanency planning" in c.sentence for c in answer.citations), answer.text


@pytest.fixture(scope="module")
def preschool_answerer(tmp_path_factory):
    name = "new-montessori-preschool-worthing-safeguarding-child-protection-policy-2016.pdf"
    folder = tmp_path_factory.mktemp("preschool")
    shutil.copy(EXTERNAL / name, folder / name)
    settings = Settings.from_env(store=folder / "store")
    assert ingest_paths([folder], settings, progress=False).ingested
    return Answerer(Searcher(settings))


def test_a_sentence_naming_who_holds_the_asked_role_answers_who(preschool_answerer):
    # The policy calls its DSL the "designated safeguarding officer": "X is the <role asked for>" says who.
    answer = preschool_answerer.answer("who is the designated safeguarding lead at the preschool?")
    assert not answer.abstained, answer.reason
    assert answer.citations[0].sentence.startswith("Our Principal is the designated safeguarding officer")
    # Typed without its apostrophe, "whos" is read as "who's", not corrected to "who".
    assert "who's the dsl" in preschool_answerer.answer("whos the dsl at the preschool").read_as


def test_a_question_ending_from_when_is_answered_by_the_one_sentence_saying_when(external_answerer):
    answer = external_answerer.answer("the 2024 info sharing advice replaced older advice - from when?")
    assert not answer.abstained, answer.reason
    assert len(answer.citations) == 1 and "July 2018" in answer.citations[0].sentence


def test_a_heading_asking_who_to_contact_is_answered_by_the_sentences_under_it(external_answerer):
    answer = external_answerer.answer("who can i ask if im not sure whether to share info")
    assert not answer.abstained, answer.reason
    assert any(c.sentence.startswith("This could be from your manager or supervisor") for c in answer.citations), (
        answer.text
    )


def test_a_closing_line_set_as_a_heading_is_kept_as_text(preschool_answerer):
    """The policy's last line, "This Policy will be reviewed Sept 2017", was read as a heading with no text
    under it, so no sentence held it."""
    answer = preschool_answerer.answer("when is the preschool safeguarding policy due for review?")
    assert not answer.abstained, answer.reason
    assert any("reviewed Sept 2017" in c.sentence for c in answer.citations), answer.text
