"""How questions are read (app.engine.question, followup, places): units, comparisons, periods, relative dates,
follow-ups, places. Pure functions, no store."""

from __future__ import annotations

import pytest

from app.engine.bodies import bodies_named, body_names, without_bodies
from app.engine.followup import contextualise, is_follow_up
from app.engine.places import places_in, uncovered_places, without_places
from app.engine.question import RATE_OR_SHARE, conjuncts, read_question, resolve_relative
from app.engine.sentences import unit_matches
from ingest.figures import extract_figures


def test_units_and_comparisons():
    assert read_question("How many referrals did the front door get?").unit == "count"
    assert read_question("What percentage of conferences had a GP report?").unit == "%"
    assert read_question("How much did the board spend on training?").unit == "GBP"
    assert read_question("How quickly must a rapid review be done?").unit == "days"
    assert read_question("risk level disagreement - max time to resolve?").unit == "days"
    assert read_question("what is the time limit for holding an ICPC?").unit == "days"
    assert read_question("what time does the MASH open?").unit is None
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
    assert uncovered_places("how many kids in care in islington", subjects) == {"Islington"}


def test_place_names_are_read_in_any_case_and_short_forms():
    assert places_in("what does west northants need to improve") == {"West Northamptonshire"}
    assert places_in("camden's cp plans") == {"Camden"} and places_in("reading age in Reading") == {"Reading"}
    assert (
        without_places("how many cin in camden's report at sept 2017", {"Camden"})
        == "how many cin in report at sept 2017"
    )


def test_how_often_is_answered_by_a_period_a_count_or_a_share():
    """ "How often" asks for a frequency: "every three years", "3 times a year" or "in 13.6% of cases" answer it,
    while a duration never answers "how many"."""
    intent = read_question("how often do preschool staff get safeguarding training")
    assert intent.unit == "frequency" and intent.wants_number
    every = extract_figures("All staff are trained every three years.", None)[0]
    share = extract_figures("Neglect is identified in 13.6% of cases at assessment.", None)[0]
    times = extract_figures("The panel met 4 times this year.", None)[0]
    assert all(unit_matches(f, intent.unit) for f in (every, share, times))
    assert not unit_matches(every, read_question("how many staff were trained").unit)


def test_an_issuing_body_is_named_by_its_initials_acronym_or_inspectorate():
    assert body_names("Association of Directors of Children’s Services") == {"adcs"}
    assert body_names("Department for Education") == {"dfe"}
    assert "ofsted" in body_names("Ofsted: Leeds City Council")
    assert body_names("London Safeguarding Children Partnership") == set()  # "lscp" is any local partnership
    bodies = {"a.pdf": "Association of Directors of Children’s Services", "b.pdf": "Ofsted: Leeds City Council"}
    assert bodies_named("how many cp plans per the adcs report", bodies) == {"a.pdf"}
    assert without_bodies("what did ofsted's inspectors say", {"ofsted"}) == "what did inspectors say"


def test_the_field_s_own_words_are_never_corrected_as_typos():
    from collections import Counter

    from app.engine.spelling import Speller
    from index.vocabulary import Vocabulary

    documents = Counter({"rccs": 3, "recommendations": 9, "children": 40})
    assert Speller(documents).read("ofsted recs for care leavers").text != "ofsted recs for care leavers"
    speller = Speller(documents, Vocabulary().words())
    assert speller.read("ofsted recs for care leavers").text == "ofsted recs for care leavers"


def test_a_verb_with_not_run_in_is_no_typo():
    """ "isnt" is "is not" as typed, never corrected to a document's "isn" (a word part left by its tokens)."""
    from collections import Counter

    from app.engine.spelling import Speller

    documents = Counter({"isn": 2, "situation": 5, "improving": 3})
    assert Speller(documents).read("the situation isnt improving").text == "the situation isnt improving"


def test_asking_what_to_do_is_no_comparison_whatever_the_situation_is_told_in():
    question = read_question("ive made a referral but the situation isnt getting better - what should i do?")
    assert not question.comparison and not question.wants_number
    assert read_question("has neglect got better or worse since 2017").comparison


def test_a_form_of_a_document_word_is_no_typo_but_a_misspelling_is():
    """ "electively" is no typo of "effectively" when the documents say "elective" (its family); a stem of
    fewer than five letters names no family ("comming" is a typo, though ".com" stems to "com")."""
    from collections import Counter

    from app.engine.spelling import Speller

    documents = Counter({"elective": 4, "effectively": 9, "coming": 5, "com": 2, "educated": 3})
    speller = Speller(documents)
    assert speller.read("electively home educated").text == "electively home educated"
    assert speller.read("comming into care").text == "coming into care"


def test_a_typo_of_a_word_the_documents_use_only_in_another_form_is_read_as_that_family_s_word():
    """ "dissagree" is too far from the documents' "disagreement" to be read as it, but one edit from the
    English "disagree", of the same family; a typo of a word whose family the documents never use is left
    as typed rather than read as some other English word."""
    from collections import Counter

    from app.engine.spelling import Speller

    documents = Counter({"disagreement": 2, "police": 7, "risk": 9, "level": 5})
    speller = Speller(documents)
    assert speller.read("police dissagree on risk level").text == "police disagree on risk level"
    assert speller.read("police gruop on risk level").text == "police gruop on risk level"


def test_a_contraction_is_no_typo_and_a_possessive_is_read_as_its_word():
    """ "didn" of "didn't" is not the documents' "did" ("did't" read nothing the asker wrote)."""
    from collections import Counter

    from app.engine.spelling import Speller

    speller = Speller(Counter({"did": 5, "partnerships": 3, "respond": 2, "camden": 4}))
    assert speller.read("which partnerships didn't respond").text == "which partnerships didn't respond"
    assert speller.read("which partnerships didn’t respond").text == "which partnerships didn’t respond"
    assert speller.read("camden's partnerhips").text == "camden's partnerships"


def test_a_rate_named_without_its_base_asks_a_rate_or_share_and_the_verb_rate_asks_none():
    assert read_question("stage three training evaluation return rate?").unit == RATE_OR_SHARE
    assert read_question("what is the re-referral rate").unit == RATE_OR_SHARE
    assert read_question("the rate of children on a plan").unit == RATE_OR_SHARE
    assert read_question("what percentage were re-referred").unit == "%"
    assert read_question("cin referrals per 10,000, not the rate").unit == "rate"
    assert not read_question("how would you rate the front door").wants_number


def test_a_count_answers_what_share_only_with_the_whole_it_is_out_of():
    """ "which of the 4 outcomes" holds no share; "3 out of 4" and "two of the 29 partnerships" do."""
    lone = extract_figures("The IRH team decides which of the 4 outcomes below is needed.", None)
    assert lone and not any(unit_matches(f, "%") for f in lone)
    for sentence in ["3 out of 4 cases show a reduction.", "Two of the 29 partnerships did not respond."]:
        assert any(unit_matches(f, "%") for f in extract_figures(sentence, None)), sentence


def test_a_count_in_running_text_never_answers_a_rate_per_10000():
    count = extract_figures("This is a reduction from 1,340 at the end of March 2014.", None)
    assert count and not any(unit_matches(f, "rate") for f in count)
    rate = extract_figures("At 20th January 2015, 1,294 children were looked after (a rate of 82 per 10,000).", None)
    assert any(unit_matches(f, "rate", strict=True) for f in rate)


def test_how_many_of_the_things_counts_the_things():
    assert read_question("how many of the LCSPRs have been published so far?").counted == "LCSPRs"


def test_a_closing_phrase_naming_the_document_leaves_only_its_names_in_the_search_words():
    from app.engine.followup import without_source

    assert (
        without_source("how many under 18s live in camden per the 2017 inspection?")
        == "how many under 18s live in camden"
    )
    assert (
        without_source("any recs about GPs in the london rapid review analysis?")
        == "any recs about GPs london rapid review"
    )
    assert (
        without_source("leeds vacancy rate at the time of the inspection")
        == "leeds vacancy rate at the time of the inspection"
    )
    # A document named by its body and year keeps the body (it picks the documents, then is taken out).
    named = without_source("what does west northants need to improve according to ofsted 2025?")
    assert named == "what does west northants need to improve ofsted"
    assert without_source("how many referrals in 2018") == "how many referrals in 2018"  # a time, not a source
    assert without_source("lac rate per 10k at jan 2015") == "lac rate per 10k at jan 2015"


def test_a_part_joining_two_things_is_read_as_one_part_for_each():
    joined = conjuncts("how often are cin reviews and sw visits in lambeth")
    assert [c.text for c in joined] == ["how often are cin reviews in lambeth", "how often are sw visits in lambeth"]
    assert [c.thing for c in joined] == ["cin reviews", "sw visits"]
    # What follows the second thing is said of both; a preposition left by a place taken out is dropped.
    assert [c.text for c in conjuncts("how many kids on cp plans and cin plans in england 2023-24")] == [
        "how many kids on cp plans in england 2023-24",
        "how many cin plans in england 2023-24",
    ]
    assert [c.thing for c in conjuncts("how often are cin reviews and sw visits in")] == ["cin reviews", "sw visits"]
    assert conjuncts("how many referrals did the lado get in 2018/19") == []
    assert conjuncts("what does the board want done about neglect and self harm") == []  # asks for no number


def test_a_figure_s_name_and_a_time_typed_without_a_question_word_asks_how_many():
    for typed in ("under 1s coming into care in 2023-24 adcs", "dcs turnover 2022-23", "lado referrals in 2018"):
        assert read_question(typed).unit == "count", typed
    # Without a time, with a question word, as a yes-or-no question or a comparison, it is read as before.
    typed_as_before = ("neglect strategy", "attendance improvement last year", "is neglect a priority in 2018/19")
    for typed in (*typed_as_before, "what happened with neglect in 2018/19"):
        assert read_question(typed).unit is None, typed
    assert read_question("offences committed by children - 17/18 vs 18/19").comparison


def test_when_asks_for_a_date_only_when_it_asks_a_time():
    for typed in ("when is the thresholds guidance next due to be reviewed?", "replaced older advice - from when"):
        assert read_question(typed).wants_date, typed
    for typed in ("when does a missing uasc stop being looked after?", "what happens when a child goes missing"):
        assert not read_question(typed).wants_date, typed


def test_how_common_asks_for_a_share():
    assert read_question("parental drug/alcohol problems - how common were they in the reviews").unit == "%"
    assert read_question("how prevalent is neglect at the front door?").unit == "%"


def test_what_was_recommended_about_timescales_or_priorities_is_asked_in_words():
    """Timescales or priorities named as the topic of what was recommended are no time or count asked for;
    a phrase asking for a time still asks for one beside a recommendation."""
    for typed in ("neglect audit recommendation about timescales in cp and cin plans?", "board priorities 2019-20"):
        assert read_question(typed).unit is None, typed
    for typed in ("how long do the recommendations say a plan should last?", "timescales for a strategy meeting"):
        assert read_question(typed).unit == "days", typed


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("do i need parents consent before i share safeguarding info with csc?", None),
        ("can we share information without consent", None),
        ("what share of referrals came from the police", "%"),
        ("most common offence types and their share", "%"),
    ],
)
def test_share_asks_for_a_percentage_only_as_a_noun(question, unit):
    assert read_question(question).unit == unit


def test_how_often_is_never_answered_by_a_deadline_or_a_count_of_things():
    """ "Meet within 10 working days" says when the first meeting is due, not how often meetings are held;
    "two pieces of guidance" counts things, not times."""
    unit = read_question("how often are core group meetings held").unit
    deadline = extract_figures("The core group should meet within 10 working days of the conference.", None)[0]
    things = extract_figures("The department has issued two pieces of statutory guidance.", None)[0]
    interval = extract_figures("Reviews are held at intervals of no more than six months.", None)[0]
    assert not unit_matches(deadline, unit) and not unit_matches(things, unit)
    assert unit_matches(interval, unit)


def test_the_difference_between_two_things_asks_what_each_is_not_for_a_number():
    intent = read_question("kcsie allegation outcomes - whats the difference between unsubstantiated and unfounded?")
    assert not intent.wants_number and intent.differs == ("unsubstantiated", "unfounded")
    assert read_question("what's the difference between a section 17 and a section 47").differs == (
        "section 17",
        "section 47",
    )
    assert read_question("how many more referrals than last year").differs == ()


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("what exactly is a low level concern", "low level concern"),
        ("what counts as a young carer in working together", "young carer"),
        ("define neglect per the lambeth pack", "neglect"),
        ("what is a lado according to kcsie", "lado"),
    ],
)
def test_a_definition_is_asked_in_the_ways_practitioners_type_it(question, term):
    assert read_question(question).defines == term


def test_by_when_asks_for_a_time():
    assert read_question("child missing 24hrs - by when must the strategy meeting be held?").unit == "days"


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("whats the average caseload for personal advisers", "count"),
        ("avg sw caseload at the time of the inspection?", "count"),
        ("avg number of days from entering care to moving in with adopters", "days"),
        ("average wait for camhs assessment", "days"),
        ("no. of 17 yr old uasc in care", "count"),
        ("leeds 3+ placement moves vs england average", None),
        ("is camden better than average", None),
    ],
)
def test_an_average_asks_for_a_figure_and_a_number_of_days_for_a_time(question, unit):
    assert read_question(question).unit == unit


def test_a_contribution_at_a_meeting_is_taking_part_and_got_better_asks_a_change():
    gp = read_question("has gp contribution to cp case conferences got better")
    assert gp.unit is None and gp.comparison
    assert read_question("What was the CCG's contribution to the CSCB?").unit == "GBP"


def test_what_someone_was_told_or_wanted_to_do_asks_what_was_recommended():
    for typed in ("what did ofsted tell camden to do about health assessments", "what does ofsted want the lscb to do"):
        assert read_question(typed).wants_advice, typed
    assert not read_question("what do i do if a child discloses abuse").wants_advice


def test_one_asking_phrase_in_words_over_two_things_asks_each():
    from app.engine.question import parts_in_words

    assert parts_in_words("after a cp plan starts when is the core group and review conf") == [
        "after a cp plan starts when is the core group",
        "after a cp plan starts when is the review conf",
    ]
    assert parts_in_words("who chairs the board and who is the designated nurse") == [
        "who chairs the board",
        "who is the designated nurse",
    ]
    assert parts_in_words("what is the role of police and health") == ["what is the role of police and health"]


def test_when_a_step_of_a_procedure_is_done_asks_within_how_long():
    """ "when is the strategy meeting convened" is answered by "within 72 hours"; "when was it inspected" by a
    date, and "when is it next due to be reviewed" too."""
    steps = (
        "when is the first strategy meeting convened",
        "when will ofsted come back after an inspection",
        "allegation against a teacher - when should the first review of the case happen",
    )
    for question in steps:
        intent = read_question(question)
        assert intent.unit == "days" and intent.wants_deadline and not intent.wants_date, question
    for question in ("when was west northants last inspected", "when is the policy next due to be reviewed?"):
        intent = read_question(question)
        assert intent.unit is None and intent.wants_date, question
