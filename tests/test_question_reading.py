"""How questions are read: units, periods, relative dates, places, vocabulary. Pure functions, no store."""

from __future__ import annotations

from app.followup import contextualise, is_follow_up
from app.places import uncovered_places
from app.question import read_question, resolve_relative
from app.vocabulary import Vocabulary, acronyms_in, glossary_in


def test_units_and_comparisons():
    assert read_question("How many referrals did the front door get?").unit == "count"
    assert read_question("What percentage of conferences had a GP report?").unit == "%"
    assert read_question("How much did the board spend on training?").unit == "GBP"
    assert read_question("How quickly must a rapid review be done?").unit == "days"
    assert read_question("What was the CIN rate per 10,000 children?").unit == "rate"
    assert read_question("Did referrals go up or down?").comparison
    assert read_question("What happened to the LAC rate between 17/18 and 18/19?").periods == ["2017/18", "2018/19"]
    # "When did ..." asks for a date; "When do I ..." asks for a condition; "when" opening a clause asks neither.
    assert read_question("When did inspectors visit Manchester?").wants_date
    assert not read_question("When do I need consent to share information?").wants_date
    assert not read_question("When the audit was done, what percentage were late?").wants_date
    # "the previous year" in a comparison is the baseline: the answer is about the latest year against it.
    assert read_question("Rate of CP plans for neglect - up or down on the year before?").relative == "latest"
    assert read_question("How many referrals were there the year before?").relative == "previous"


def test_periods_years_and_relative_dates():
    intent = read_question("How many referrals in 2018-19?")
    assert intent.periods == ["2018/19"] and not intent.years
    assert read_question("the 2025 inspection grade").years == [2025]
    assert read_question("county lines cases since 2014").years == []  # a range start, not a period
    assert read_question("How many referrals last year?").relative == "latest"
    assert resolve_relative("latest", ["2018/19"], ["2017/18", "2018/19", "2019/20"]) == "2018/19"
    assert resolve_relative("previous", ["2018/19"], ["2017/18", "2018/19"]) == "2017/18"
    assert resolve_relative("previous", ["2018/19"], ["2018/19"]) is None


def test_follow_ups_take_the_previous_subject():
    assert is_follow_up("and the year before?") and is_follow_up("what about 2017/18?")
    assert not is_follow_up("How many children were looked after at year end?")
    text, intent = contextualise("and the year before?", "How many referrals did the MASH get last year?")
    assert "referrals" in text and "MASH" in text and intent.relative == "previous" and intent.unit == "count"


def test_places_not_covered_by_any_document():
    subjects = ["Camden Safeguarding Children Board Annual Report 2018-19"]
    assert uncovered_places("How many looked after children did Islington have?", subjects) == {"Islington"}
    assert uncovered_places("How many looked after children did Camden have?", subjects) == set()
    assert uncovered_places("reading and bury the past", subjects) == set()  # lower-case words are not places


def test_vocabulary_from_tables_definitions_and_glossaries():
    vocabulary = Vocabulary(acronyms_in("The Multi-Agency Safeguarding Hub (MASH) received referrals."))
    assert "mash" in vocabulary.expansions("what did the front door do")
    assert "looked after children" in vocabulary.expansions("how many kids in care")
    glossary = glossary_in("Glossary\nCSE – Child Sexual Exploitation\nLADO: Local Authority Designated Officer\n")
    assert glossary == {"cse": "child sexual exploitation", "lado": "local authority designated officer"}


def test_rates_and_the_previous_year_in_figures():
    from ingest.figures import extract_figures

    rate = extract_figures("Over 2018-19, 273 referrals of CIN per 10,000 population under 18 were received.", None)
    assert [(f.as_written, f.unit, f.period) for f in rate] == [("273", "rate per 10,000", "2018/19")]
    sentence = "In 2018/19, the rate of CP plans (rate per 10,000 children) was 22 compared to 28 in the previous year."
    assert [(f.value, f.unit, f.period) for f in extract_figures(sentence, None)] == [
        (22.0, "rate per 10,000", "2018/19"),
        (28.0, "rate per 10,000", "2017/18"),
    ]


def test_a_line_ending_mid_sentence_continues_it():
    from ingest.sentences import split_sentences

    text = "217 children were home educated.\n14 of them are known to\nChildren Services and 6 have a plan.\n"
    assert [s.text for s in split_sentences(text)][-1] == "14 of them are known to Children Services and 6 have a plan."


def test_references_to_law_are_not_figures_and_the_counted_thing_is_read():
    from ingest.figures import extract_figures

    sentence = "Part 3 of the DPA 2018 sets out six key principles, and Article 6 lists the lawful bases."
    assert [(f.as_written, f.label) for f in extract_figures(sentence, None)] == [("six", "key principles")]
    assert read_question("How many principles apply to police processing?").counted == "principles"
    assert read_question("How many rapid reviews were analysed in 2023-24?").counted == "rapid reviews"
    assert read_question("What was the number of LADO referrals last year?").counted == "LADO referrals"
    assert read_question("What did the board want done about neglect?").counted == ""


def test_definition_questions_prefer_the_sentence_that_says_what_the_term_is():
    from app.sentences import defines

    assert read_question("Who are the care consultants in Manchester?").defines == "care consultants"
    assert read_question("What is MACE and what does it replace?").defines == "MACE"
    assert read_question("What does a blue rating mean at the front door?").defines == "blue rating"
    assert read_question("What is the budget for 2018/19?").defines == ""  # a figure, not a definition
    assert defines("Young people, known as care consultants, are engaged in paid roles.", "care consultants")
    assert defines("The Multi-Agency Child Exploitation (MACE) panel meets monthly.", "MACE")
    assert defines("Embrace is a service for children affected by domestic abuse.", "Embrace")
    assert not defines("Care consultants are instrumental in setting the priorities.", "care consultants")
    assert read_question("What did HMICFRS recommend to the Met about online abuse?").wants_advice
    assert read_question("What does the board want done about neglect?").wants_advice
    assert not read_question("Do care leavers get a personal adviser quickly?").wants_advice
    assert not read_question("What does the information sharing advice replace?").wants_advice


def test_a_range_gives_its_first_number_the_unit_written_after_the_second():
    from ingest.figures import extract_figures

    weeks = [(f.as_written, f.value, f.unit) for f in extract_figures("Assessments took 10-12 weeks.", None)]
    assert weeks == [("10", 10.0, "weeks"), ("12 weeks", 12.0, "weeks")]
    assert [(f.value, f.unit) for f in extract_figures("Referrals rose 12-15 percent.", None)][0] == (12.0, "%")
    assert [(f.value, f.unit) for f in extract_figures("Between 30 - 40 cases were open.", None)][0] == (30.0, "count")
