"""Title, issuing body and period from a real PDF's first page, and letterhead kept out of the text
(ingest.pdf_layout through ingest.parse.parse_file). Skipped when the external PDFs are absent.

Each PDF is parsed under a neutral upload name, so nothing can come from its file name: what a user
sees after uploading "report.pdf" is what the document itself says.
"""

from __future__ import annotations

import pytest
from helpers import EXTERNAL

from index.config import Settings
from ingest.pdf_layout import is_address, is_contact, read_title_page

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")

LETTER = "ofsted-west-northamptonshire-focused-visit-2025.pdf"
ILACS = "ofsted-manchester-ilacs-inspection-2025.pdf"
RAPID_REVIEWS = "london-scp-rapid-reviews-analysis-report-2023-24.pdf"
THRESHOLDS = "northamptonshire-scp-thresholds-guidance-2022.pdf"
CAMDEN = "ofsted-camden-childrens-services-inspection-and-lscb-review-2017.pdf"


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    from ingest.parse import parse_file

    settings = Settings.from_env(store=tmp_path_factory.mktemp("store"))
    cache = {}

    def parse(name: str):
        if name not in cache:
            cache[name] = parse_file(EXTERNAL / name, "report.pdf", "report.pdf", "sha", "default", settings)
        return cache[name]

    return parse


def _sections(parsed_document) -> set[str]:
    return {c.section for c in parsed_document.chunks}


def test_a_letter_is_titled_by_its_subject_line_and_dated_by_its_date(parsed):
    """The letter opens with Ofsted's letterhead, the date and the director's address; its title is the
    bold line under "Dear Ms Barnett"."""
    document = parsed(LETTER).document
    assert document.title == "Focused visit to West Northamptonshire children’s services"
    assert "West Northamptonshire" in document.body and "Ofsted" in document.body
    assert document.period == "2025/26"  # dated 20 May 2025: the reporting year from April 2025
    assert document.kind == "inspection"


def test_letterhead_and_address_never_become_sections_or_sentences(parsed):
    letter = parsed(LETTER)
    sections = _sections(letter)
    assert {"Headline findings", "What needs to improve in this area of social work practice?"} <= sections
    assert "1 Angel Square" not in sections
    assert not any(is_contact(s) or is_address(s) for s in sections if s)
    sentences = " ".join(s.text for s in letter.sentences)
    for furniture in ("0300 123 1231", "Textphone", "www.gov.uk/ofsted", "enquiries@ofsted.gov.uk", "Angel Square"):
        assert furniture not in sentences
    # The letter's own content on the first page stays.
    assert "This letter summarises the findings of the focused visit" in " ".join(sentences.split())


def test_an_inspection_report_is_titled_by_its_largest_type(parsed):
    report = parsed(ILACS)
    document = report.document
    assert document.title == "Inspection of Manchester local authority children’s services"
    assert document.body == "Ofsted: Manchester"
    assert document.period == "2025/26"  # inspected 22 September to 3 October 2025
    sections = _sections(report)
    # A judgement heading wrapped over two lines is one section; the judgement table above it is not.
    assert "The experiences and progress of children who need help and protection: good" in sections
    assert not any(s.endswith(("Outstanding", "Good")) for s in sections)


def test_an_older_inspection_joins_its_title_and_subtitle(parsed):
    document = parsed(CAMDEN).document
    assert document.title.startswith(
        "London Borough of Camden: Inspection of services for children in need of help and protection"
    )
    assert document.title.endswith("Review of the effectiveness of the Local Safeguarding Children Board")
    assert "Camden" in document.body and "Ofsted" in document.body
    assert document.period == "2017/18"  # inspected 11 September to 5 October 2017


def test_a_report_cover_gives_title_body_and_reporting_year(parsed):
    report = parsed(RAPID_REVIEWS)
    document = report.document
    assert document.title == "London Rapid Reviews Analysis Report (2023-2024)"
    assert document.body == "London Safeguarding Children Partnership"
    assert document.period == "2023/24"
    # The partnership's logo at the top of the cover is no section.
    assert not {"London", "Partnership", "Analysis Report"} & _sections(report)


def test_guidance_title_and_a_phone_number_in_the_text_stays(parsed):
    """A number in the body of the guidance answers "what number do I ring": only letterhead goes."""
    guidance = parsed(THRESHOLDS)
    document = guidance.document
    assert document.title == "Thresholds Guidance 2022: The right support at the right time"
    assert document.body == "Northamptonshire Safeguarding Children Partnership"
    assert any("contact the MASH on 0300 126 7000" in " ".join(s.text.split()) for s in guidance.sentences)
    # A bulleted question is a list item, not a section.
    assert not any(s.startswith("•") for s in _sections(guidance))


def test_the_letterhead_is_found_by_its_place_on_the_page():
    page = read_title_page(EXTERNAL / LETTER)
    assert page is not None
    assert {"T 0300 123 1231", "www.gov.uk/ofsted", "1 Angel Square", "NN1 1ED"} <= set(page.letterhead)
    # The date, the addressee and her council are the letter's content, not letterhead.
    assert not {"20 May 2025", "Melanie Barnett", "West Northamptonshire County Council"} & set(page.letterhead)
    assert read_title_page(EXTERNAL / THRESHOLDS).letterhead == []


def test_a_back_page_field_naming_the_author_is_a_sentence_not_a_section(parsed):
    """Set large on the back page, "Author: ..." said who wrote the report only as a section name, so no
    answer could cite it."""
    report = parsed(RAPID_REVIEWS)
    assert not any(s.startswith("Author:") for s in _sections(report))
    sentences = [s.text for s in report.sentences]
    assert any(s.startswith("Author: Victoria Hilliard") for s in sentences), sentences[-5:]
