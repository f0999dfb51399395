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
