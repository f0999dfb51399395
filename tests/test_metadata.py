"""Document metadata guessed from text and file name (ingest.metadata), on the bundled report."""

from __future__ import annotations

from helpers import BUNDLED
from helpers import store_contents as _chunks


def test_text_documents_have_no_page_and_metadata_is_guessed(bundled_store):
    chunks, _, docs = _chunks(bundled_store)
    assert all(c.page is None for c in chunks)
    (doc,) = docs
    assert doc.period == "2018/19"
    assert doc.kind == "annual report"
    assert "Camden Safeguarding Children Board" in doc.body
    assert doc.content_sha256 and doc.collection == "default"


def test_a_dated_letter_or_inspection_reads_as_its_reporting_year():
    """Periods are reporting years (April to March), written as every other period is."""
    from ingest.metadata import dated_reporting_year

    assert dated_reporting_year("20 May 2025") == "2025/26"
    assert dated_reporting_year("Inspection dates: 22 September 2025 to 3 October 2025") == "2025/26"
    assert dated_reporting_year("Inspection date: 20 January 2015 – 11 February 2015") == "2014/15"
    assert dated_reporting_year("1 April 2019") == "2019/20" and dated_reporting_year("31 March 2019") == "2018/19"
    assert dated_reporting_year("Updated July 2021") is None and dated_reporting_year(None) is None


def test_the_body_is_the_one_a_practitioner_filters_by():
    """An inspection names its inspector and the authority inspected; a regulator or a generic board named
    in passing is not the body; a text document keeps its body from its text."""
    from ingest.metadata import guess_body

    text = "Ofsted inspected the service. Concerns go to the General Medical Council or the Local Safeguarding Board."
    assert guess_body(text, "Inspection of Leeds local authority children’s services") == "Ofsted: Leeds"
    assert guess_body(text, "Practice guidance") == "Ofsted"
    assert guess_body("Doctors answer to the General Medical Council.", "Practice guidance") == ""
    camden = BUNDLED.read_text(encoding="utf-8")
    assert guess_body(camden, "Camden Safeguarding Children Board Annual Report 2018-19") == (
        "Camden Safeguarding Children Board"
    )
