"""Page furniture removed (ingest.clean): running headers, page numbers, contents lines."""

from __future__ import annotations

from documents import write_pdf
from helpers import BUNDLED
from helpers import store_contents as _chunks

from index.config import Settings


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
