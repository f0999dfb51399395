"""Ruled tables in born-digital PDFs: rows become sentences, numeric cells become figures with their row,
column, caption, page and box, and a question about a cell is answered with it, citing its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXTERNAL

from ingest.parse import parse_file

CAPTION = "Table 2: Contacts and referrals to children's social care"
HEADER = ["", "2018/19", "2019/20", "2020/21"]
ROWS = [
    ["Contacts", "9,812", "10,407", "11,236"],
    ["Referrals", "1,234", "1,456", "1,389"],
    ["Re-referrals within 12 months", "18%", "21%", "19%"],
]
PROSE = [
    "Northbridge Safeguarding Children Partnership Annual Report 2020/21",
    "The partnership's front door received more contacts again this year. Most contacts came",
    "from the police and from schools, and most were passed on for information and advice.",
]
COLUMNS = [
    "Partners met 14 times during the year to",
    "review practice. The board agreed 6 new",
    "priorities, and 3 task groups reported to it.",
    "Training reached 480 practitioners in",
    "schools and 212 in health settings.",
]


def write_table_pdf(
    path: Path, header: list[str] = HEADER, rows: list[list[str]] = ROWS, prose: list[str] = PROSE
) -> Path:
    """Page 1: prose, a caption and a ruled table; page 2: two columns of prose with numbers, no table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Table, TableStyle

    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    y = height - 80
    pdf.setFont("Helvetica", 11)
    for line in prose:
        pdf.drawString(60, y, line)
        y -= 18
    y -= 20
    pdf.setFont("Helvetica", 9)
    pdf.drawString(60, y, CAPTION)
    table = Table([header, *rows], colWidths=[200] + [80] * (len(header) - 1))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)), ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    _, table_height = table.wrapOn(pdf, width, height)
    table.drawOn(pdf, 60, y - 12 - table_height)
    pdf.showPage()
    pdf.setFont("Helvetica", 11)
    for column_x in (60, 320):
        y = height - 80
        for line in COLUMNS:
            pdf.drawString(column_x, y, line)
            y -= 16
    pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(scope="module")
def table_pdf(tmp_path_factory) -> Path:
    return write_table_pdf(tmp_path_factory.mktemp("tables") / "northbridge-scp-annual-report-2020-21.pdf")


def _parse(path: Path, settings):
    return parse_file(path, path.name, path.name, "0" * 64, "default", settings)


def test_cells_of_a_generated_table_become_figures_with_row_column_caption_page_and_box(
    table_pdf, tmp_path, settings_for
):
    parsed = _parse(table_pdf, settings_for(tmp_path / "store"))
    cells = [f for f in parsed.figures if f.row]
    assert len(cells) == 9  # one figure per numeric cell, no duplicates from the row sentence
    referrals = next(f for f in cells if f.row == "Referrals" and f.column == "2019/20")
    assert (referrals.as_written, referrals.value, referrals.unit) == ("1,456", 1456.0, "count")
    assert referrals.caption == CAPTION and referrals.period == "2019/20" and referrals.page == 1
    assert "Referrals" in referrals.label and "2019/20" in referrals.label
    box = referrals.box
    assert box is not None and 0.0 < box.x0 < box.x1 < 1.0 and 0.0 < box.y0 < box.y1 < 0.5  # upper half
    rereferral = next(f for f in cells if f.row.startswith("Re-referrals") and f.column == "2018/19")
    assert (rereferral.value, rereferral.unit) == (18.0, "%")
    # The row is a sentence of the document text that says table, row and each value with its column ...
    row_sentence = next(s.text for s in parsed.sentences if "1,456" in s.text)
    assert row_sentence == referrals.sentence
    assert "Contacts and referrals" in row_sentence and "Referrals" in row_sentence
    assert "1,456 in 2019/20" in row_sentence and "1,234 in 2018/19" in row_sentence
    # ... and the line the text layer wrote for the row is said once, as the row is printed, inside it.
    assert " ".join(parsed.text.split()).count("Referrals 1,234 1,456 1,389") == 1
    assert "(printed: Referrals 1,234 1,456 1,389)" in row_sentence
    assert not [f for f in parsed.figures if "1,456" in f.sentence and not f.row]


def test_two_column_prose_makes_no_table(table_pdf, tmp_path, settings_for):
    parsed = _parse(table_pdf, settings_for(tmp_path / "store"))
    assert not [f for f in parsed.figures if f.row and f.page == 2]
    assert [f for f in parsed.figures if f.page == 2 and f.as_written == "480"]  # read as prose, as before


def test_a_question_about_a_cell_is_answered_with_it_citing_its_page(table_pdf, tmp_path, settings_for):
    import shutil

    from app.engine.answer import Answerer
    from index.search import Searcher
    from ingest.pipeline import ingest_paths

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(table_pdf, folder / table_pdf.name)
    store = tmp_path / "store"
    report = ingest_paths([folder], settings_for(store), progress=False)
    assert report.ingested and not report.refused
    answerer = Answerer(Searcher(settings_for(store)))
    answer = answerer.answer("How many referrals were there in 2019/20?")
    assert not answer.abstained, answer.reason
    assert "1,456" in answer.text and answer.citations[0].page == 1
    assert any(f.as_written == "1,456" and f.period == "2019/20" for f in answer.figures)
    share = answerer.answer("What percentage of referrals were re-referrals within 12 months in 2019/20?")
    assert not share.abstained and "21% in 2019/20" in share.text and share.citations[0].page == 1
    assert any(f.as_written == "21%" and f.period == "2019/20" for f in share.figures)


def test_a_table_row_answers_only_what_it_measures_in_the_periods_it_has(tmp_path, settings_for):
    """The row asked for beats a sub-group row beside it that repeats more of the question's words, and a year
    the report covers but the table lacks is not answered from the table's "Change" column, which has none."""
    from app.engine.answer import Answerer
    from index.search import Searcher
    from ingest.pipeline import ingest_paths

    header = [*HEADER, "Change over time"]
    rows = [
        ["Contacts", "9,812", "10,407", "11,236", "15%"],
        ["Referrals to children's social care from schools", "402", "377", "418", "4%"],
        ["Referrals", "1,234", "1,456", "1,389", "13%"],
    ]
    prose = [PROSE[0].replace("2020/21", "2021/22"), *PROSE[1:]]
    folder = tmp_path / "docs"
    folder.mkdir()
    write_table_pdf(folder / "northbridge-scp-annual-report-2021-22.pdf", header, rows, prose)
    store = tmp_path / "store"
    assert ingest_paths([folder], settings_for(store), progress=False).ingested
    answerer = Answerer(Searcher(settings_for(store)))
    total = answerer.answer("How many referrals to children's social care were there in 2019/20?")
    assert not total.abstained, total.reason
    assert "1,456" in total.text and "377" not in total.text
    schools = answerer.answer("How many referrals came from schools in 2019/20?")
    assert "377" in schools.text and "1,456" not in schools.text
    missing_year = answerer.answer("How many referrals were there in 2021/22?")
    assert missing_year.abstained and not missing_year.figures
    # A row asked about one year says that year's cell; the citation marks the whole row.
    assert "1,234" not in total.text and "1,389" not in total.text and "13%" not in total.text
    assert "Referrals: 1,234 in 2018/19; 1,456 in 2019/20" in total.citations[0].sentence
    assert [f.as_written for f in total.figures] == ["1,456"]


needs_external = pytest.mark.skipif(not EXTERNAL.exists(), reason="external PDFs not present")


@needs_external
def test_a_real_report_table_cell_keeps_its_row_column_caption_and_page(tmp_path, settings_for):
    parsed = _parse(EXTERNAL / "adcs-safeguarding-pressures-phase9-2025.pdf", settings_for(tmp_path / "store"))
    cells = [f for f in parsed.figures if f.row]
    male = next(f for f in cells if f.row == "Male" and "2021–22" in f.column)
    assert male.value == 5597.0 and male.page == 52 and male.period == "2021/22"
    assert male.caption == "Table 10: Number of UAS children by gender at period end"
    assert male.box is not None and male.box.y0 < 0.3
    age17 = next(f for f in cells if f.row == "Age 17" and "2023–24" in f.column)
    assert age17.value == 4382.0 and age17.caption.startswith("Table 11")
    assert len({(f.page, f.box) for f in cells}) == len(cells)  # one figure per cell
    # A row label wrapped over three lines of its cell is read whole: the rate's denominator is part of it.
    rate = next(f for f in cells if f.caption.startswith("Table 3:") and "2023–24" in f.column and "Rate" in f.row)
    assert (rate.row, rate.value) == ("Rate per 10k 0–17 population", 2501.0)
    assert {f.row for f in cells if f.caption.startswith("Table 3:")} == {"Number (England)", rate.row}
    # A row keeps its line as printed, which a reader quoting the table finds; a row too long for the model's
    # window with it (eleven cells of seven-figure numbers) keeps its cells and gives up the copy.
    said = " ".join(s.text for s in parsed.sentences)
    assert "(printed: Under 1 4,235 4,928 5,820 5,941 5,450 6,132 6,045 5,362 5,228 23% -2%)" in said
    assert "(printed: Number (England)" not in said
    assert any(f.row == "Children fostered non-kinship carer (approved adopter FFA-concurrent planning)" for f in cells)
    # A "Change over time" column of a table whose columns are years is about no single year: it never takes
    # the report's own period, so a question about that year is not answered with a change.
    changes = [f for f in cells if f.column.lower().startswith("change")]
    assert changes and all(f.period is None for f in changes)


@needs_external
@pytest.mark.parametrize(
    "name",
    ["london-scp-rapid-reviews-analysis-report-2023-24.pdf", "oxfordshire-threshold-of-needs-2021.pdf"],
)
def test_charts_and_ruled_text_grids_make_no_table_figures(name, tmp_path, settings_for):
    """Bar charts (London) and ruled grids of descriptions (Oxfordshire's thresholds) are not data tables."""
    parsed = _parse(EXTERNAL / name, settings_for(tmp_path / "store"))
    assert not [f for f in parsed.figures if f.row]
