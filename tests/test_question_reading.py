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
