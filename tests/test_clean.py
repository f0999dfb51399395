"""Page furniture removed (ingest.clean): running headers, page numbers, contents lines."""

from __future__ import annotations

import pytest
from documents import write_pdf
from helpers import BUNDLED, EXTERNAL
from helpers import store_contents as _chunks

from index.config import Settings
from ingest.clean import clean_pages
from ingest.loaders import load_file


def test_running_header_and_page_numbers_are_removed(bundled_store):
    chunks, _, _ = _chunks(bundled_store)
    header = "Camden Safeguarding Children Board – Annual Report 2018/19"
    assert BUNDLED.read_text().count(header) >= 4
    assert not any(header in c.text for c in chunks)
    # Table-of-contents lines with dot leaders are not indexed as content.
    assert not any("......" in c.text for c in chunks)


def test_two_page_pdf_loses_its_running_header_but_keeps_a_list_over_the_break(tmp_path):
    """Two pages give no majority to count: only a line at the same edge of both pages is furniture."""
    from ingest.parse import parse_file

    pages = [
        ["Riverton Safeguarding Partnership", "Seven minute briefing: neglect", "Cases reviewed 12", "Actions 4"],
        ["Actions 5", "Cases reviewed 13", "Practitioners should record the 3 visits in 2023.", "Contact the team."],
    ]
    pdf = write_pdf(tmp_path / "briefing.pdf", pages, header="Riverton SP - Briefing 2023")
    parsed = parse_file(pdf, "briefing.pdf", "briefing.pdf", "sha", "default", Settings.from_env(store=tmp_path / "s"))
    text = " ".join(parsed.text.split())
    assert "Riverton SP - Briefing" not in text
    assert parsed.document.title.startswith("Riverton Safeguarding Partnership")
    # Lines of the same shape at the foot of page 1 and the head of page 2 are content, not furniture.
    for line in ("Cases reviewed 12", "Actions 4", "Actions 5", "Cases reviewed 13"):
        assert line in text


def test_an_ocr_footer_read_in_a_different_order_on_some_pages_is_still_removed():
    """OCR puts a footer's title, date and page number on one line in whichever order their pixels fall:
    the repeat is still found, and the body text stays."""
    from ingest.clean import clean_pages
    from ingest.loaders import PageText

    title, date = "Inspection of Manchester local authority children's services", "22 September to 3 October 2025"
    pages = []
    for n in range(1, 9):
        footer = f"{date} {title}  {n}" if n % 3 == 0 else f"{title} {date}  {n}"
        pages.append(PageText(n, None, f"{FINDINGS[n - 1]}\n{FINDINGS[8 - n]}\n\n{footer}"))
    cleaned = clean_pages(pages)
    text = "\n".join(page.text for page in cleaned.pages)
    assert "Inspection of Manchester" not in text
    assert all(finding in text for finding in FINDINGS)


FINDINGS = [
    "Children in Manchester have a powerful voice.",
    "Leaders know their services well.",
    "Early help is offered to families quickly.",
    "Strategy meetings are timely and well attended.",
    "Care leavers are supported into suitable homes.",
    "Social workers visit children regularly.",
    "Managers oversee plans with care.",
    "Partners share information promptly.",
]


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason="external safeguarding PDFs not available")
def test_a_table_header_row_on_most_pages_is_furniture_but_a_repeated_lead_in_is_text():
    """A long table's header row sits under each page's heading, away from the edges, on page after page;
    a lead-in a policy repeats ("We aim to achieve this by;") is text."""
    thresholds = load_file(EXTERNAL / "oxfordshire-threshold-of-needs-2021.pdf", 500).pages
    assert sum("LEVEL 1 LEVEL 2 LEVEL 3 LEVEL 4" in p.text for p in thresholds) >= 16
    cleaned = clean_pages(thresholds).pages
    assert not any("LEVEL 1 LEVEL 2 LEVEL 3 LEVEL 4" in p.text for p in cleaned)
    assert any("Good quality early" in p.text for p in cleaned)
    policy = "new-montessori-preschool-worthing-safeguarding-child-protection-policy-2016.pdf"
    kept = clean_pages(load_file(EXTERNAL / policy, 500).pages).pages
    assert sum("We aim to achieve this by" in p.text for p in kept) >= 2
