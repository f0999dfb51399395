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


def _write(path, lines, size=11, step=20):
    """A one-page PDF of (font, size or None for the body size, text) lines, top to bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 60
    for font, line_size, line in lines:
        pdf.setFont(font, line_size or size)
        y -= (line_size or size) * 1.2 if line_size else step
        pdf.drawString(60, y, line)
    pdf.save()


def test_a_heading_over_two_lines_is_one_section_and_a_list_stays_with_its_lead_in(tmp_path):
    """A large heading wrapped over two lines heads one section; a bold bulleted line after a lead-in
    ("... the following:") is a list item, and a contents entry ("Main findings 2") is not a heading."""
    from ingest.parse import parse_file

    point = "Practice point {}: plans were reviewed with families and partners."
    body = [("Helvetica", None, point.format(n)) for n in range(20)]
    lines = [
        ("Helvetica", None, "Contents"),
        ("Helvetica-Bold", None, "Main findings 2"),
        *body[:6],
        ("Helvetica-Bold", 16, "How the common law duty of confidentiality"),
        ("Helvetica-Bold", 16, "affects information sharing"),
        ("Helvetica", None, "Practitioners should consider the following:"),
        ("Helvetica-Bold", None, "• What are we worried about?"),
        ("Helvetica", None, "The worries are written down with the family at the first visit."),
        *body[6:12],
        ("Helvetica-Bold", None, "Main findings"),
        ("Helvetica", None, "Most children are seen quickly and 87 visits were made within five days."),
        *body[12:],
    ]
    path = tmp_path / "guide.pdf"
    _write(path, lines)
    parsed = parse_file(path, "guide.pdf", "guide.pdf", "sha", "default", Settings.from_env(store=tmp_path / "s"))
    sections = {c.section for c in parsed.chunks}
    heading = "How the common law duty of confidentiality affects information sharing"
    assert heading in sections
    assert "affects information sharing" not in sections
    assert not any(s.startswith("•") for s in sections)
    assert _chunk_with(parsed.chunks, "What are we worried about").section == heading
    assert _chunk_with(parsed.chunks, "87 visits").section == "Main findings"
    assert "Main findings 2" not in sections
    assert _chunk_with(parsed.chunks, "Contents").section == ""  # the contents entry starts no section
