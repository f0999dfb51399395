"""The bundled report: headers gone, sections known, chunks fit the model, figures found."""

from __future__ import annotations

from conftest import BUNDLED

from index.registry import Registry
from ingest.config import Settings
from ingest.tokens import token_counter


def _chunks(store):
    registry = Registry(store)
    try:
        return registry.chunks(), registry.figures(), registry.documents()
    finally:
        registry.close()


def test_every_embedded_text_fits_the_model_window(bundled_store):
    counter = token_counter(Settings().model_path())
    chunks, _, _ = _chunks(bundled_store)
    lengths = [counter.count(c.embed_text) for c in chunks]
    assert len(chunks) > 100
    assert max(lengths) <= 254
    # The embedded text is the section heading plus exactly the stored chunk text.
    assert all(c.embed_text.endswith(c.text) for c in chunks)


def test_running_header_and_page_numbers_are_removed(bundled_store):
    chunks, _, _ = _chunks(bundled_store)
    header = "Camden Safeguarding Children Board – Annual Report 2018/19"
    assert BUNDLED.read_text().count(header) >= 4
    assert not any(header in c.text for c in chunks)
    # Table-of-contents lines with dot leaders are not indexed as content.
    assert not any("......" in c.text for c in chunks)


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


def test_text_documents_have_no_page_and_metadata_is_guessed(bundled_store):
    chunks, _, docs = _chunks(bundled_store)
    assert all(c.page is None for c in chunks)
    (doc,) = docs
    assert doc.period == "2018/19"
    assert doc.kind == "annual report"
    assert "Camden Safeguarding Children Board" in doc.body
    assert doc.content_sha256 and doc.collection == "default"


def test_split_thousands_are_read_as_one_figure(bundled_store):
    _, figures, _ = _chunks(bundled_store)
    budget = [f for f in figures if f.as_written == "£178, 430"]
    assert budget and budget[0].value == 178430 and budget[0].unit == "GBP"
    staff = [f for f in figures if f.as_written == "117, 581"]
    assert staff and staff[0].label == "Staff costs" and staff[0].value == 117581
    referrals = [f for f in figures if f.as_written == "1,394"]
    assert referrals[0].period == "2018/19" and "referrals" in referrals[0].label
    earlier = [f for f in figures if f.as_written == "1,807"]
    assert earlier[0].period == "2017/18"
    assert any(f.unit == "%" and f.value == 94 for f in figures)
    # Years, periods and dates are not figures.
    assert not any(f.value in (2018, 2019) and f.unit == "count" and "," not in f.as_written for f in figures)
