"""PDF headings told apart by type (ingest.pdf_headings): bold body-size lines head sections."""

from __future__ import annotations

from helpers import chunk_with as _chunk_with

from index.config import Settings


def test_bold_body_size_headings_become_sections(tmp_path):
    """Ofsted letters head sections with bold lines at body size; a bold paragraph is not a heading."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ingest.parse import parse_file

    lines = [
        ("Helvetica", "Dear Director, this letter sets out what inspectors found during the visit."),
        ("Helvetica-Bold", "Headline findings"),
        ("Helvetica", "Leaders know their services well and have improved the quality of plans."),
        ("Helvetica-Bold", "What needs to improve in this area of social work practice?"),
        ("Helvetica", "The quality of supervision so that every plan is reviewed on time."),
        ("Helvetica-Bold", "Inspectors asked that the partnership consider all"),
        ("Helvetica-Bold", "Referrals made out of hours in the review."),
        ("Helvetica", "Most children are seen quickly and 87 visits were made within five days."),
    ]
    # Body text fills the page, as in a letter: headings are a few lines among many.
    lines += [("Helvetica", f"Practice point {n}: plans were reviewed with families and partners.") for n in range(24)]
    path = tmp_path / "letter.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 60
    for font, line in lines:
        pdf.setFont(font, 11)
        pdf.drawString(60, y, line)
        y -= 20
    pdf.save()
    parsed = parse_file(path, "letter.pdf", "letter.pdf", "sha", "default", Settings.from_env(store=tmp_path / "s"))
    sections = {c.section for c in parsed.chunks}
    assert "Headline findings" in sections
    assert "What needs to improve in this area of social work practice?" in sections
    assert not any(s.startswith(("Inspectors asked", "Referrals made")) for s in sections)
    supervision = _chunk_with(parsed.chunks, "quality of supervision")
    assert supervision.section == "What needs to improve in this area of social work practice?"
