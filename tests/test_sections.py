"""Numbered headings (ingest.sections): every chunk of the bundled report knows its section."""

from __future__ import annotations

from helpers import store_contents as _chunks


def test_chunks_carry_their_section(bundled_store):
    chunks, _, _ = _chunks(bundled_store)
    by_text = {c.text: c for c in chunks}
    mash = next(c for t, c in by_text.items() if "received 1,394 referrals" in t)
    assert mash.section == "2.3 Camden’s Multi-Agency Safeguarding Hub (MASH)"
    lac = next(c for t, c in by_text.items() if "from 199 in 2017/18" in t)
    assert lac.section == "4.3 Looked after children"
    cse = next(c for c in chunks if c.section.startswith("3.1.2"))
    assert cse.section_path.startswith("3 ")
    # Numbered list items inside a section are not mistaken for headings.
    assert not any(c.section.startswith("6 Professionals") for c in chunks)


def test_a_heading_wrapped_over_lines_a_list_and_a_contents_page():
    """Headings the layout found are matched across the lines they wrap over; a contents entry ending in
    its page number, a bulleted line and a table row that reads like a heading start no section."""
    from ingest.sections import find_sections

    text = "\n".join(
        [
            "Contents",
            "Main findings 2",
            "The experiences and progress of children who need help and protection: good 3",
            "",
            "Judgement Grade",
            "The experiences and progress of children who need help and",
            "protection",
            "Good",
            "Main findings",
            "Inspectors looked at the following:",
            "• Headline findings",
            "Most children are seen quickly.",
            "The experiences and progress of children who need help and protection:",
            "good",
            "Children are safer.",
        ]
    )
    hints = [
        "Main findings",
        "Headline findings",
        "The experiences and progress of children who need help and protection: good",
    ]
    sections = find_sections(text, hints)
    assert [s.title for s in sections] == [
        "Main findings",
        "The experiences and progress of children who need help and protection: good",
    ]
    assert text[sections[0].start :].startswith("Main findings\nInspectors")
    assert text[sections[1].start :].startswith(
        "The experiences and progress of children who need help and protection:\ngood"
    )
