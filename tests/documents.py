"""Generate the test documents (PDF, DOCX, text) with known text on known pages."""

from __future__ import annotations

from pathlib import Path

HEADER = "Testshire Safeguarding Children Partnership - Annual Report 2022/23"

# (page, lines) - what each physical page says, in order.
PDF_PAGES = [
    ["Testshire Safeguarding Children Partnership", "Annual Report 2022/23"],
    [
        "1. Introduction",
        "This report describes the work of the partnership during 2022/23.",
        "The partnership met six times and agreed three priorities for children.",
        "2. Front door",
        "2.1 Referrals",
        "The front door received 2,418 referrals in 2022/23 compared to 2,150 in 2021/22.",
    ],
    [
        "2.2 Early help",
        "Families supported by early help rose to 734 households during the year.",
        "Around 38% of early help assessments were completed within 45 days.",
        "3. Finance",
        "The partnership budget for 2022/23 was £212, 640 in total.",
    ],
    [
        "3.1 Training",
        "The training programme reached 1,126 practitioners from schools, health and police.",
        "Evaluations showed that 91% of attendees felt more confident to recognise neglect.",
    ],
]
# Printed labels: the cover is "i", the report pages are numbered from 1.
PDF_LABELS = ["i", "1", "2", "3"]


def write_pdf(path: Path, pages: list[list[str]] = PDF_PAGES, header: str = HEADER, labels: bool = True) -> Path:
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    raw = path.with_suffix(".raw.pdf")
    pdf = canvas.Canvas(str(raw), pagesize=A4)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(60, height - 40, header)
        pdf.setFont("Helvetica", 11)
        y = height - 90
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 22
        pdf.setFont("Helvetica", 9)
        pdf.drawString(width / 2, 30, str(number))
        pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(str(raw)))
    if labels:
        writer.set_page_label(0, 0, style="/r", start=1)
        writer.set_page_label(1, len(pages) - 1, style="/D", start=1)
    with open(path, "wb") as handle:
        writer.write(handle)
    raw.unlink()
    return path


def write_encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(path.with_name("plain-" + path.name))
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def write_corrupt_pdf(path: Path) -> Path:
    plain = write_pdf(path.with_name("whole-" + path.name))
    data = plain.read_bytes()
    path.write_bytes(b"%PDF-1.4\n" + data[len(data) // 3 : len(data) // 2])
    plain.unlink()
    return path


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Riverside Safeguarding Children Partnership protocol 2023/24")
    document.add_paragraph("1. Purpose")
    document.add_paragraph("This protocol sets out how agencies respond when a child goes missing from home.")
    document.add_paragraph("2. Reporting")
    document.add_paragraph("Police must be told within 2 hours when a child in care is missing overnight.")
    document.add_paragraph("3. Costs")
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(
        table.rows, [("Item", "£"), ("Return interviews", "48, 200"), ("Training", "9,750")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = label, value
    document.save(str(path))
    return path


def long_table_text() -> str:
    """A flattened table: hundreds of words with no sentence break."""
    rows = " ".join(f"Ward {n} referrals {100 + n} assessments {50 + n} plans {n % 7}" for n in range(120))
    return f"5. Data tables\n{rows}\n"


# An inspection report in Markdown: unnumbered headings, and a question the document answers itself.
RIVERSIDE_MD = """# Riverside children's services inspection 2025

## Headline findings

Leaders in Riverside understand the strengths of early help and social work practice well.

## Early help

Early help is offered through family hubs in each neighbourhood, and most families are seen within a week.

What needs to improve in early help practice?

Written plans for families who step down from social care.
The timeliness of return home interviews for children who go missing.

## Leadership

The director meets front-line staff every month and caseloads are kept manageable.
"""
