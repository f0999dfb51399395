"""Figures found in sentences (ingest.figures): units, periods, ranges, what is counted; and in the bundled store."""

from __future__ import annotations

import pytest
from helpers import EXTERNAL
from helpers import store_contents as _chunks

from app.engine.question import read_question
from ingest.figures import extract_figures


def test_rates_and_the_previous_year_in_figures():
    from ingest.figures import extract_figures

    rate = extract_figures("Over 2018-19, 273 referrals of CIN per 10,000 population under 18 were received.", None)
    assert [(f.as_written, f.unit, f.period) for f in rate] == [("273", "rate per 10,000", "2018/19")]
    sentence = "In 2018/19, the rate of CP plans (rate per 10,000 children) was 22 compared to 28 in the previous year."
    assert [(f.value, f.unit, f.period) for f in extract_figures(sentence, None)] == [
        (22.0, "rate per 10,000", "2018/19"),
        (28.0, "rate per 10,000", "2017/18"),
    ]


def test_references_to_law_are_not_figures_and_the_counted_thing_is_read():
    from ingest.figures import extract_figures

    sentence = "Part 3 of the DPA 2018 sets out six key principles, and Article 6 lists the lawful bases."
    assert [(f.as_written, f.label) for f in extract_figures(sentence, None)] == [("six", "key principles")]
    assert read_question("How many principles apply to police processing?").counted == "principles"
    assert read_question("How many rapid reviews were analysed in 2023-24?").counted == "rapid reviews"
    assert read_question("What was the number of LADO referrals last year?").counted == "LADO referrals"
    assert read_question("What did the board want done about neglect?").counted == ""


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("Figure 1: Number of children aged 16 and 17 in care on 31 March due to homelessness.", []),
        ("Referrals under section 17 or 47 of the Children Act: 412 in the year.", ["412"]),
        ("Of those aged 10 to 17, 45 were cautioned.", ["45"]),
        ("There were 16 and 17 new cases in April and May.", ["16", "17"]),
        # an age written out is no figure either, nor one after "the age(s) of"
        ("Adopters for sibling groups between the ages of three and six years were sought.", []),
        ("Children over the age of two years who show developmental delay wait longest: 14 months.", ["14 months"]),
        ("Reviews concerned 23 children between the ages of 14 and 17, and 40% were boys.", ["23", "40%"]),
        ("Most were 17-year-olds; 12 were under 5 and a 2 year old was placed.", ["12"]),
        ("It rises to 92% for all care leavers aged over 19.", ["92%"]),
    ],
)
def test_the_second_of_two_ages_or_sections_named_together_is_no_figure(sentence, figures):
    from ingest.figures import extract_figures

    assert [f.as_written for f in extract_figures(sentence, None)] == figures


def test_a_range_gives_its_first_number_the_unit_written_after_the_second():
    from ingest.figures import extract_figures

    weeks = [(f.as_written, f.value, f.unit) for f in extract_figures("Assessments took 10-12 weeks.", None)]
    assert weeks == [("10", 10.0, "weeks"), ("12 weeks", 12.0, "weeks")]
    assert [(f.value, f.unit) for f in extract_figures("Referrals rose 12-15 percent.", None)][0] == (12.0, "%")
    assert [(f.value, f.unit) for f in extract_figures("Between 30 - 40 cases were open.", None)][0] == (30.0, "count")


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


@pytest.mark.parametrize(
    "sentence",
    [
        "Police Missing Persons Unit – Telephone 101 ext. 341015",
        "Phone 020 7926 4679 to speak with the LADO.",
        "Call 0800 028 3550 or 01604 364036.",
    ],
)
def test_a_number_to_ring_is_not_a_figure(sentence):
    assert extract_figures(sentence, None) == []


def test_figures_beside_a_phone_number_are_still_read():
    figures = extract_figures("Phone 020 7926 4679 within 10 minutes; 1,394 referrals were made.", None)
    assert [f.as_written for f in figures] == ["10", "1,394"]


@pytest.mark.parametrize(
    ("sentence", "written", "counted"),
    [
        ("Eight Reviews were carried out about children who took their own lives.", "Eight", "Reviews"),
        ("Thirteen children who were victims of physical harm died.", "Thirteen", "children"),
        ("Two people attended the panel.", "Two", "people"),
        ("Only twelve Reviews stated the child's religion.", "twelve", "Reviews"),
    ],
)
def test_a_number_written_as_a_word_counts_the_plural_noun_after_it(sentence, written, counted):
    figure = next(f for f in extract_figures(sentence, None) if f.as_written == written)
    assert figure.unit == "count" and figure.label == counted


def test_a_number_word_before_no_plural_noun_is_no_figure():
    assert not extract_figures("Two was the lowest score; three is typical.", None)


@pytest.mark.parametrize(
    ("sentence", "value", "period"),
    [
        ("Just under 62,000 child protection plans started in the year ending 31 March 2024.", 62000, "2023/24"),
        ("There were around 83,625 children in care as at 31 March 2024.", 83625, "2023/24"),
        ("This is a slight reduction from 1,756 at 31st March 2017.", 1756, "2016/17"),
        ("This is a reduction from 200 at March 31 2017.", 200, "2016/17"),
        ("Between April 2023 and March 2024, 412 referrals were received.", 412, "2023/24"),
    ],
)
def test_a_march_year_end_names_the_reporting_year_it_closes(sentence, value, period):
    """Reporting years run April to March: "at 31 March 2024" is the end of 2023/24, and its day is no figure."""
    figures = extract_figures(sentence, "2018/19")
    assert [(f.value, f.period) for f in figures] == [(value, period)]


@pytest.mark.parametrize(
    "sentence",
    [
        "GP contributions increased from 22% in 2015 to 71.4% in 2016-17.",  # "to" goes on to a number, not a year
        "GP contributions increased from 22% in 2015, to 71.4% in 2016-17.",
    ],
)
def test_a_figure_of_a_calendar_year_takes_no_reporting_year(sentence):
    """ "22% in 2015" is of 2015, no reporting year: given the document's 2017/18, an answer computed a fall
    from 71.4% in 2016/17 to 22% in 2017/18."""
    periods = {f.as_written: f.period for f in extract_figures(sentence, "2017/18")}
    assert periods == {"22%": None, "71.4%": "2016/17"}
    assert extract_figures("There were 400 referrals in 2015 to 2016.", "2017/18")[0].period == "2015/16"


def test_from_one_number_to_another_over_a_span_gives_each_its_end_of_the_span():
    """ "from 103 to 579 applications between 2017-18 and 2020-21": 103 is the 2017/18 figure. Read number by
    number, 579 took the period written nearest it and 103 the other, and an answer computed a fall."""
    sentence = "Data showed a 462% increase from 103 to 579 applications between 2017–18 and 2020–21."
    periods = {f.as_written: f.period for f in extract_figures(sentence, "2023/24")}
    assert periods == {"462%": "2020/21", "103": "2017/18", "579": "2020/21"}
    fell = "The number fell from 200 to 150 between 2016/17 and 2017/18."
    assert [(f.value, f.period) for f in extract_figures(fell, None)] == [(200, "2016/17"), (150, "2017/18")]


def test_a_question_asking_at_a_march_year_end_asks_for_that_reporting_year():
    intent = read_question("how many kids in care at 31 march 2024")
    assert intent.periods == ["2023/24"] and not intent.years
    assert read_question("referrals published in march 2024").years == [2024]


def test_a_sentence_about_a_year_outside_the_document_s_period_takes_no_period():
    """ "destitution in 2022" in a 2023/24 report is not a 2023/24 figure; a source's year in brackets
    ("(Rees et al., 2023)") dates the source, not the figure."""
    outside = "Approximately 3.8 million people experienced destitution in 2022 (Fitzpatrick et al., 2023)."
    assert [f.period for f in extract_figures(outside, "2023/24")] == [None]
    inside = "In 2023, 45 children were seen (DfE, 2024e)."
    assert [f.period for f in extract_figures(inside, "2023/24")] == ["2023/24"]


def test_a_month_and_year_in_a_question_names_its_reporting_year():
    assert read_question("how many cin in leeds at end of dec 2014").dated_period == "2014/15"
    assert read_question("lac numbers at jan 2015").dated_period == "2014/15"
    assert read_question("lac numbers at sept 2017").dated_period == "2017/18"
    assert read_question("lac numbers in camden").unit == "count"
    assert read_question("what are the phone numbers for the mash").unit is None


def test_a_footnote_mark_opening_a_sentence_is_no_figure():
    sentence = "8 The agency worker rate is calculated as agency social workers divided by all social workers."
    assert extract_figures(sentence, None) == []
    assert [f.as_written for f in extract_figures("12 children were seen by the service.", None)] == ["12"]


def test_a_duration_written_against_its_number_is_read_on_a_real_protocol():
    from ingest.loaders import load_file

    name = "northamptonshire-multi-agency-missing-children-protocol-2022.pdf"
    if not (EXTERNAL / name).is_file():
        pytest.fail(f"{name} is not in the external corpus")
    lines = [line for page in load_file(EXTERNAL / name, 500).pages for line in page.text.splitlines()]
    minutes = next(line for line in lines if "copy of minutes provided within" in line)
    assert [(f.value, f.unit) for f in extract_figures(minutes, None)] == [(24.0, "hours")]  # "within 24hours"
    short = extract_figures("Review the plan within 48hrs and again after 6 wks.", None)
    assert [(f.value, f.unit) for f in short] == [(48.0, "hours"), (6.0, "weeks")]


@pytest.mark.parametrize(
    ("sentence", "written", "share"),
    [
        ("Around 1 in 5 referrals were re-referrals.", "1 in 5", 20.0),
        ("One in every three children was seen within a week.", "One in every three", 33.3),
        ("A total of 3 in 10 children had a plan.", "3 in 10", 30.0),
    ],
)
def test_a_part_of_a_whole_is_a_share_not_a_count(sentence, written, share):
    figures = extract_figures(sentence, None)
    assert [(f.as_written, f.value, f.unit) for f in figures] == [(written, share, "%")]


def test_counts_beside_a_year_and_a_league_place_are_read_as_they_are():
    figures = extract_figures("There were 5 in 2019; the country is ranked 37 out of 39 nations.", None)
    assert [(f.as_written, f.unit) for f in figures] == [("5", "count"), ("39", "count")]


def test_one_in_four_children_in_a_real_report_is_a_share():
    from pypdf import PdfReader

    name = "adcs-safeguarding-pressures-phase9-2025.pdf"
    if not (EXTERNAL / name).is_file():
        pytest.fail(f"{name} is not in the external corpus")
    text = " ".join(PdfReader(EXTERNAL / name).pages[75].extract_text().split())  # page 76: 7.1 Themes
    at = text.index("With more than one in four children")
    sentence = text[at : text.find(".", at) + 1]
    figures = extract_figures(sentence, None)
    assert [(f.as_written, f.unit) for f in figures] == [("one in four", "%")]


def test_one_is_a_figure_only_as_a_span_of_time():
    """ "within one working day" answers "how fast"; "one of the partners" is a pronoun."""
    figures = extract_figures("Written confirmation should be given within one working day.", None)
    assert [(f.as_written, f.value, f.unit) for f in figures] == [("one", 1.0, "days")]
    assert extract_figures("One of the partners did not respond.", None) == []


def test_a_duration_joined_by_a_hyphen_is_a_duration():
    """ "within a 90-day period" spans time: no count of anything (a "how many episodes" is not answered by it)."""
    from ingest.figures import extract_figures

    found = [(f.as_written, f.unit) for f in extract_figures("After three episodes within a 90-day period:", None)]
    assert ("90-day", "days") in found
    assert [(f.as_written, f.unit) for f in extract_figures("a 12-month programme for 40 families", None)] == [
        ("12-month", "months"),
        ("40", "count"),
    ]
