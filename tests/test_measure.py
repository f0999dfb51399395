"""Does a figure measure what was asked? (app.engine.measure, question_parts, the speller, and the answers
they steer) against the real store and model over the bundled Camden report: near-miss twins abstain and
say what the documents give, "how many" is answered by a count, questions asking several things are
answered part by part, typos are read as the documents' words. Store-free unit tests come last.

Every question here is new (none is taken from eval/*.jsonl). Each measure a near-miss twin asks for was
checked against corpus/camden-scb-annual-report-2018-19.txt: the report does not give it.
"""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import answerer_over

from app.engine.answer import NOT_IN_DOCUMENTS
from app.engine.meaning import WordMeanings
from app.engine.measure import (
    counted_phrase,
    counts_another_thing,
    coverage,
    extra_qualifiers,
    figure_clause,
    noun_phrase,
    read_measure,
    row_qualifiers,
    with_people,
    with_synonyms,
)
from app.engine.question import question_parts
from app.engine.sentences import is_framing
from app.engine.spelling import Speller
from eval.answers import number_in
from index.vocabulary import Vocabulary
from ingest.figures import extract_figures


def assert_cited(answer, number: str) -> None:
    """The number is in the answer text, in a cited sentence, and as a figure that points at that sentence."""
    assert number_in(number, answer.text), answer.text
    holding = [c for c in answer.citations if number_in(number, c.sentence)]
    assert holding, (number, [c.sentence for c in answer.citations])
    assert f"[{holding[0].n}]" in answer.text
    figure = next((f for f in answer.figures if f.as_written == number), None)
    assert figure is not None, (number, [f.as_written for f in answer.figures])
    assert not figure.computed
    assert any(c.n == figure.citation and number_in(number, c.sentence) for c in answer.citations)


def citation_of(answer, number: str):
    return next(c for c in answer.citations if number_in(number, c.sentence))


def assert_abstains_naming(answer, given: str, missing: list[str]) -> None:
    """Abstained, and the reason says which figure the documents do give and which asked words it lacks."""
    assert answer.abstained, answer.text
    assert answer.text == NOT_IN_DOCUMENTS
    assert not answer.citations and not answer.figures
    reason = answer.reason
    assert reason.startswith("The documents give "), reason
    assert number_in(given, reason), reason
    assert "but that figure is not about" in reason and "it is not the figure asked for" in reason, reason
    not_about = reason.split("is not about", 1)[1]
    for word in missing:
        assert word in not_about, (word, reason)


# -- 1. near-miss twins ------------------------------------------------------------------------------
# (answerable question, its number, the twin asking for a measure the report does not give, words of the
# twin the figure does not say). Checked in the report text: no Safety Net referral source is given, no
# carer is trained in the Graded Care Profile Tool (only "176 professionals"), no death is called sudden
# or unexpected, nobody held in custody is said to be released or charged.
TWINS = [
    (
        "How many referrals did Camden Safety Net receive in 2018/19?",
        "1,252",
        "How many referrals did Camden Safety Net receive from GPs in 2018/19?",
        ["GPs"],
    ),
    (
        "How many professionals have been trained in the Graded Care Profile Tool?",
        "176",
        "How many foster carers have been trained in the Graded Care Profile Tool?",
        ["foster", "carers"],
    ),
    (
        "How many deaths of Camden children were there in 2018-19?",
        "12",
        "How many sudden and unexpected deaths of Camden children were there in 2018-19?",
        ["sudden", "unexpected"],
    ),
    (
        "How many Camden children were held in custody overnight in breach of the Concordat?",
        "19",
        "How many Camden children held in custody overnight were released without charge?",
        ["released", "charge"],
    ),
]
TWIN_IDS = ["safety-net", "gcp", "deaths", "custody"]


@pytest.mark.parametrize(("question", "number", "twin", "missing"), TWINS, ids=TWIN_IDS)
def test_answerable_question_gets_its_figure_in_a_cited_sentence(answerer, question, number, twin, missing):
    answer = answerer.answer(question)
    assert not answer.abstained, answer.reason
    assert_cited(answer, number)
    assert citation_of(answer, number) is answer.citations[0]


@pytest.mark.parametrize(("question", "number", "twin", "missing"), TWINS, ids=TWIN_IDS)
def test_near_miss_twin_abstains_and_names_what_the_documents_give(answerer, question, number, twin, missing):
    answer = answerer.answer(twin)
    assert_abstains_naming(answer, number, missing)
    assert answer.closest  # the nearest passages are still shown


def test_twin_of_mash_records_completed_is_answered(answerer):
    answer = answerer.answer("How many MASH records were completed in 2018/19?")
    assert not answer.abstained
    assert_cited(answer, "484")


def test_twin_asking_for_red_mash_records_is_not_answered_with_all_records(answerer):
    # "Red" is said only in the sentence AFTER the 484 one, which describes the next figure (94%).
    # The report gives Red records only as "94% of MASH records completed were categorised Red".
    answer = answerer.answer("How many MASH records were categorised Red in 2018/19?")
    assert answer.abstained, answer.text
    assert "484" not in answer.text


LIST_REPORT = """Northtown children's services: inspection of services for children in need 2014/15

Key figures

At the time of the inspection:
\u2022 At the end of December 2014, 642 children and young people were the subject of a child protection plan.
This is a reduction from 983 at the end of March 2013.
\u2022 At end of November 2014, 31 children lived in a privately arranged fostering placement. This is an
increase from 17 at end of March 2014.
"""


@pytest.fixture(scope="module")
def list_answerer(tmp_path_factory, settings_for):
    """A small real report whose figures are items of one list, ingested into a store of its own."""
    from app.engine.answer import Answerer
    from index.search import Searcher
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("list-report")
    (folder / "northtown-inspection-2015.txt").write_text(LIST_REPORT, encoding="utf-8")
    store = folder / "store"
    report = ingest_paths([folder / "northtown-inspection-2015.txt"], settings_for(store), progress=False)
    assert report.ingested and not report.refused, report
    return Answerer(Searcher(settings_for(store)))


def test_an_item_of_a_list_is_not_described_by_the_item_before_it(list_answerer):
    # "child protection plan" is said in the first item only: the second item counts private fostering.
    answer = list_answerer.answer("how many children on cp plans at end of dec 2014")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "642")
    assert not number_in("31", answer.text), answer.text
    twin = list_answerer.answer("how many children on cp plans lived in private fostering")
    assert twin.abstained or not number_in("31", twin.text), twin.text


def test_the_sentence_giving_the_same_figure_for_another_period_follows_it(list_answerer):
    """ "This is a reduction from 983 at the end of March 2013" names no measure of its own: it goes on with the
    figure before it, for another period, and follows it in the answer; the fostering item's "17" does not."""
    answer = list_answerer.answer("how many children on cp plans at end of dec 2014")
    assert [c.sentence[:28] for c in answer.citations][1:] == ["This is a reduction from 983"], answer.text
    assert not number_in("17", answer.text), answer.text


GP_CONFERENCES = """# Northtown safeguarding review 2017-18

## Health

The contribution of GPs at case conferences increased from 22% in 2015 to 71.4% in 2016-17. By September 2017,
contributions had further increased to 90%. Health visitors attended most conferences.
"""


def test_a_sentence_opening_with_a_later_time_goes_on_with_the_figure_before_it(tmp_path):
    """ "By September 2017, contributions had further increased to 90%" gives the same measure for a later time."""
    answerer = answerer_over(tmp_path, {"review.md": GP_CONFERENCES})
    answer = answerer.answer("how much did gp contributions to case conferences go up by")
    assert not answer.abstained, answer.reason
    assert [c.sentence[:20] for c in answer.citations][:2] == ["The contribution of ", "By September 2017, c"]


RETURN_PROTOCOL = """# Northtown missing children protocol

## When a child returns

When a missing child returns, their social worker should be told the same day.
In addition to the police prevention interview, a return home interview should be carried out by an independent
professional within 72 hours of the child's return.
"""


def test_a_figure_is_not_about_what_its_sentence_opens_by_setting_aside(tmp_path):
    """ "In addition to the police prevention interview, a return home interview ... within 72 hours" times the
    return home interview: the near-miss twin about the police interview is not answered with it."""
    answerer = answerer_over(tmp_path, {"missing-protocol.md": RETURN_PROTOCOL})
    answer = answerer.answer("how soon should the return home interview be done after a missing child comes back")
    assert not answer.abstained and number_in("72", answer.citations[0].sentence), answer.reason
    twin = answerer.answer("how soon after a missing child returns do police have to do the prevention interview")
    assert twin.abstained and not number_in("72", twin.text), twin.text


# -- 2. "how many" is answered by a count ------------------------------------------------------------
def test_how_many_looked_after_children_is_the_count_not_the_rate(answerer):
    # "2018-19 saw a slight decline in the total number of looked after children from 199 in 2017/18 to
    # 191." beside "... per 10,000 population from 40.05 in 2017/18 to 37.5 in 2018/19."
    answer = answerer.answer("How many looked after children did Camden have at the end of 2018/19?")
    assert not answer.abstained
    assert_cited(answer, "191")
    assert "37.5" not in answer.text and not any("37.5" in c.sentence for c in answer.citations)
    assert "as a rate, not a count" not in answer.text
    assert not any(f.unit.startswith("rate") or f.unit == "%" for f in answer.figures)


@pytest.mark.parametrize(
    "question",
    [
        "How many children were looked after at the end of 2018/19?",
        "How many children in care were there in Camden in 2018/19?",
        "How many children were in care at the end of 2018/19?",
        "looked after children at the end of 2018/19",  # a figure's name and a time, typed as a search
    ],
)
def test_how_many_children_were_looked_after_is_the_total(answerer, question):
    answer = answerer.answer(question)
    assert not answer.abstained
    assert_cited(answer, "191")
    assert "37.5" not in answer.text


def test_a_rate_answers_how_many_only_when_no_count_measures_it_and_says_so_unless_refused(answerer):
    # "Over 2018-19, 273 referrals of CIN per 10,000 population aged under 18 were received." (no count)
    answer = answerer.answer("How many CIN referrals were received over 2018-19?")
    assert not answer.abstained
    assert answer.text.startswith("The documents give this as a rate, not a count: ")
    assert_cited(answer, "273")
    assert all(f.unit.startswith("rate") for f in answer.figures if f.as_written == "273")
    # A question asking for the real number, not the rate, is told the documents give only a rate.
    refused = answerer.answer("cin referrals in 2018/19 - the real number please, not per 10,000")
    assert refused.abstained and "273" not in refused.text, refused.text
    assert "only as a rate" in refused.reason, refused.reason


@pytest.mark.parametrize(
    "question",
    [
        # "87% of care leavers have been provided with suitable accommodation over 2018/19."
        "How many care leavers were provided with suitable accommodation in 2018/19?",
        # "2018-19 has seen a 15% decrease in the total number of new cases to CAMHS"
        "How many new cases did CAMHS see in 2018-19?",
    ],
)
def test_how_many_given_only_as_a_percentage_abstains(answerer, question):
    answer = answerer.answer(question)
    assert answer.abstained and answer.text == NOT_IN_DOCUMENTS
    assert answer.reason == "The documents give this only as a percentage, not the number asked for."
    assert not answer.figures


def test_rate_only_answer_with_a_population_denominator_still_says_it_is_a_rate(answerer):
    # The neglect CPP sentence gives only rates (22 and 28 per 10,000); its population base ("under 18 pop =
    # 49,275") counts nothing asked, so the answer says it is a rate.
    answer = answerer.answer("How many children became subject of a CP plan for neglect in 2018/19?")
    assert not answer.abstained
    assert "22" in answer.text
    assert "The documents give this as a rate, not a count" in answer.text


# -- 3. questions that ask several things ------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        (
            "How many children went missing over 2018/19, and how many were also on the Children Missing "
            "Education list?",
            "234",
            "8",
        ),
        (
            "How many children were held in custody overnight in breach of the Concordat, and how many Camden "
            "children have engaged with the Youth diversion programme?",
            "19",
            "24",
        ),
    ],
    ids=["missing-and-cme", "custody-and-diversion"],
)
def test_multi_part_question_gets_each_figure_in_its_own_cited_sentence(answerer, question, first, second):
    assert len(question_parts(question)) == 2
    answer = answerer.answer(question)
    assert not answer.abstained, answer.reason
    assert_cited(answer, first)
    assert_cited(answer, second)
    assert citation_of(answer, first).n != citation_of(answer, second).n
    assert "Not in the documents" not in answer.text


def test_multi_part_without_a_comma_still_answers_the_second_part(answerer):
    answer = answerer.answer(
        "How many children were missing at some stage over 2018/19 and how many were on the Children Missing "
        "Education list?"
    )
    assert not answer.abstained
    assert_cited(answer, "234")
    assert_cited(answer, "8")


def test_a_part_asking_no_number_is_answered_by_the_sentence_that_says_it(answerer):
    # "In 2016 (latest data available) 29% of children in Camden live in low-income families. Camden ranks
    # 4th highest in London."
    answer = answerer.answer(
        "what % of children live in low income families in camden and where does camden rank in london"
    )
    assert not answer.abstained, answer.reason
    assert_cited(answer, "29%")
    assert any("4th" in c.sentence and "London" in c.sentence for c in answer.citations), answer.text
    assert "Not in the documents" not in answer.text


def test_multi_part_question_says_which_part_is_not_in_the_documents(answerer):
    # The report gives 217 home educated children (April 2019) but no reasons for home education.
    question = (
        "How many children were home educated at the end of April 2019, and how many of them were home "
        "educated for religious reasons?"
    )
    answer = answerer.answer(question)
    assert not answer.abstained
    assert_cited(answer, "217")
    assert citation_of(answer, "217").passage.section == "4.7.3 Elected Home Education"
    assert answer.text.endswith("Not in the documents: how many of them were home educated for religious reasons.")
    assert answer.text.count("Not in the documents") == 1


def test_two_things_joined_by_and_are_answered_each_or_said_to_be_missing(answerer):
    # The report counts referrals to the LADO (103) but never dismissals: the joined question is answered for
    # the one and says the other is missing, rather than abstaining on both or answering one in silence.
    answer = answerer.answer("how many lado referrals and dismissals in 2018/19")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "103")
    assert "LADO" in citation_of(answer, "103").sentence
    assert answer.text.endswith("Not in the documents: how many dismissals in 2018/19."), answer.text
    # "child and family assessments" is one thing: "child" alone counts nothing, so the question is not split
    # into a part that any figure about children would answer.
    assert answerer.answer("how many child and family assessments were completed in 2018/19").abstained


REVIEWS = """Rapid reviews analysis 2023-24

Education

An Education Health and Care Plan (EHCP) was referenced in 17% of Reviews. 15% of Reviews recorded school
exclusions, almost all in cases of extra-familial harm.
"""


def test_two_things_named_before_the_asking_phrase_are_answered_each_with_its_own_figure(tmp_path):
    """The exclusions sentence follows one naming EHCPs, so it could pass for both; each thing asked gets its
    own figure."""
    answerer = answerer_over(tmp_path, {"rapid-reviews-analysis.txt": REVIEWS})
    answer = answerer.answer("ehcp and exclusions in the reviews - what %?")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "17%")
    assert_cited(answer, "15%")


PRESSURES = """Safeguarding pressures research: phase 9

Data collection

This report presents the ninth phase of the research. Survey: 86 responses, a 56% response rate. Returns at
stage three, the impact on practice, are high at 50%.

The front door

The Board monitors the percentage of repeat referrals to the MASH within a 12 month period. This is shown by a
further reduction over 2023/24, whereby 10% of cases were re-referred within a 12 month period.
"""


@pytest.fixture(scope="module")
def pressures(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("pressures"), {"pressures-research.txt": PRESSURES})


def test_a_numbered_thing_asked_must_be_the_one_the_figure_is_about(pressures):
    """The report is phase 9's: its response rate answers for phase 9 (named by the title), never phase 8."""
    answer = pressures.answer("what was the survey response rate in phase 9")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "56%")
    assert pressures.answer("what was the survey response rate in phase 8").abstained
    assert_cited(pressures.answer("stage three return rate?"), "50%")


def test_a_rate_of_something_done_asks_a_figure_said_in_any_form_of_its_word(pressures):
    """ "re-referral rate" asks a share; "re-referred" says "re-referral", and the figure's sentence is cited
    first, not the sentence about monitoring it."""
    answer = pressures.answer("what's the mash re-referral rate within 12 months?")
    assert not answer.abstained, answer.reason
    assert "10%" in answer.citations[0].sentence, answer.text


def test_how_many_part_of_a_multi_part_question_is_never_a_percentage(answerer):
    answer = answerer.answer(
        "How many referrals did Camden Safety Net receive in 2018/19, and how many of those came from GPs?"
    )
    assert not answer.abstained
    assert_cited(answer, "1,252")
    assert not any(f.unit == "%" and f.as_written != "5%" for f in answer.figures), answer.text
    assert "Not in the documents: how many of those came from GPs." in answer.text


# -- 4. typos --------------------------------------------------------------------------------------------
TYPOS = [
    (
        "How many chidlren went mising at some stage in 2018/19?",
        "How many children went missing at some stage in 2018/19?",
        "234",
    ),
    (
        "How many refferals did Camden Safety Net recieve in 2018/19?",
        "How many referrals did Camden Safety Net receive in 2018/19?",
        "1,252",
    ),
    (
        "How many looked afer chidlren did Camden have at the end of 2018/19?",
        "How many looked after children did Camden have at the end of 2018/19?",
        "191",
    ),
    pytest.param(
        "how many chidlren were looked afer at the end of 2018/19",
        "how many children were looked after at the end of 2018/19",
        "191",
        id="brief-example",
    ),
]


@pytest.mark.parametrize(("typed", "meant", "number"), TYPOS)
def test_typos_are_read_as_document_words_and_answered_with_the_same_number(answerer, typed, meant, number):
    answer = answerer.answer(typed)
    assert answer.read_as == meant
    assert answer.text.startswith(f"Read as: “{meant}”. ")
    assert not answer.abstained
    assert_cited(answer, number)


@pytest.mark.parametrize(("typed", "meant", "number"), [getattr(t, "values", t) for t in TYPOS])
def test_a_typed_question_gets_the_answer_of_the_question_meant(answerer, typed, meant, number):
    typo, clean = answerer.answer(typed), answerer.answer(meant)
    assert clean.read_as is None and not clean.text.startswith("Read as")
    assert typo.text == f"Read as: “{meant}”. {clean.text}"
    assert [c.sentence for c in typo.citations] == [c.sentence for c in clean.citations]


def test_a_typed_twin_still_abstains_and_keeps_its_reading(answerer):
    answer = answerer.answer("How many sudden and unexpected deaths of Camden chidren were there in 2018-19?")
    assert answer.read_as == "How many sudden and unexpected deaths of Camden children were there in 2018-19?"
    assert_abstains_naming(answer, "12", ["sudden", "unexpected"])


@pytest.mark.parametrize(
    "typed",
    [
        "what percentage of consultation contacts were recorded wrongly",
        "what % of consultation contacts were recorded wrong",
    ],
)
def test_a_word_no_document_uses_is_read_by_its_meaning(answerer, typed):
    """The report says "incorrectly recorded"; "wrong" and "wrongly" are in no passage (nor a typo of one)."""
    assert_cited(answerer.answer(typed), "35%")


def test_a_light_verb_of_the_asker_is_not_asked_of_the_figure(answerer):
    """ "the police with 485 referrals" says what "referrals the police make" asks; "make" measures nothing."""
    assert_cited(answerer.answer("how many referrals did the police make to the mash in 2018/19?"), "485")


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("how many young people were referred for drug/alcohol problems in 2018/19?", "140"),
        ("what % of lac had a drug or alcohol problem in 18/19", "10%"),
    ],
)
def test_drug_and_alcohol_problems_are_the_field_s_substance_misuse(answerer, typed, number):
    """ "drug/alcohol" reads as "drug and alcohol", which the field calls substance misuse."""
    assert_cited(answerer.answer(typed), number)


def test_a_word_of_opposite_meaning_is_not_read_as_the_documents_word(answerer):
    answer = answerer.answer("what percentage of consultation contacts were recorded rightly")
    assert answer.abstained and "35%" in answer.reason, answer.text


def test_only_words_the_documents_never_use_are_read_by_initials_or_meaning(searcher):
    meanings = WordMeanings(searcher.embedder.encode, used=lambda word: word == "girls")
    context = "Notify the child death review partners within the maximum timescale for boys"
    words = ["notify", "child", "death", "review", "partners", "maximum", "timescale", "boys"]
    assert meanings.said_as("max", context, words) == "maximum"
    assert meanings.said_as("cdr", context, words) == "cdr"
    assert meanings.said_as("girls", context, words) is None  # a word the documents use is their word
    assert meanings.said_as("sister", context, words) is None  # unlike any context word
    # Initials the documents use without spelling them out are still read by initials, from three letters.
    used = WordMeanings(searcher.embedder.encode, used=lambda word: word in {"cdr", "nr", "tim"})
    assert used.said_as("cdr", context, words) == "cdr"
    assert used.said_as("nr", "notify rapidly", ["notify", "rapidly"]) is None
    assert used.said_as("tim", context, words) is None  # "timescale" is no initials of "tim"


def test_initials_the_documents_use_undefined_are_read_from_the_words_they_stand_for(answerer):
    """The report writes "the LCRC" and "London Community Rehabilitation Company"; "crc" is in its text."""
    assert_cited(answerer.answer("roughly how many service users does the crc manage across london?"), "30,000")


@pytest.mark.parametrize(
    "question",
    [
        "How many professionals have been trained in the Graded Care Profile Tool?",
        "How many kids in care did Camden have at the end of 2018/19?",  # slang the dictionary knows
        "How many CIN referrals were received over 2018-19?",  # an acronym
    ],
)
def test_questions_without_typos_are_read_as_written(answerer, question):
    answer = answerer.answer(question)
    assert answer.read_as is None
    assert not answer.text.startswith("Read as")


# -- 5. unit tests, no store -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "words"),
    [
        # question words, the period and generic words ("children") are left out
        ("How many children were looked after at the end of 2018/19?", ("looked",)),
        # the asker's pronouns and the unit of a time asked for say nothing of what is measured
        ("child missing 24hrs - by when must we hold the strategy meeting?", ("missing", "strategy", "meeting")),
        ("What was the total number of deaths in 18/19?", ("deaths",)),
        # places (any place name) and a month are left out
        ("How many kids in care did Islington have in March 2019?", ("care",)),
        ("How many CP plans did Camden have last year?", ("CP", "plans")),
        # qualifiers stay: they say which sub-group is counted; "under" a category or a rule adds nothing to
        # the words after it, while "under 5" says which children
        (
            "What percentage of CP plans were under the emotional abuse category in 2017-18?",
            ("CP", "plans", "emotional", "abuse", "category"),
        ),
        ("what % of looked after children are under 5?", ("looked", "under")),
        ("how many lawful bases are there for sharing info under uk gdpr", ("lawful", "bases", "info", "uk", "gdpr")),
        # light verbs, superlatives and "till" frame what is counted without naming it
        ("how many refferals did the police make to mash", ("refferals", "police", "mash")),
        ("which month was worst for gp attendance", ("gp", "attendance")),
        ("deadline for the core group after a child goes on a cp plan", ("deadline", "core", "group", "cp", "plan")),
        ("complaints procedure - how long to comment on the draft", ("complaints", "comment", "draft")),
        # where something ended is its outcome ("ended in step up"); ended in a year, it counts endings
        ("what % of assessments ended in step up to social care", ("assessments", "step", "social", "care")),
        ("how many cp plans ended in march 2019", ("cp", "plans", "ended")),
        ("partnership email - how long till they reply", ("partnership", "email", "reply")),
        ("How many new referrals to early help were there in 2018/19?", ("new", "referrals", "early", "help")),
        # "already", "because" and "year olds" frame what is counted; the numbers say which ones
        ("what % of the kids were already known to police", ("known", "police")),
        ("how many 16 and 17 year olds were homeless because of eviction", ("homeless", "eviction")),
        # a relative ("whose") joins the qualifier to what is counted; "timescales" asks how long, as "how long" does
        (
            "How many beds for care leavers whose tenancies break down?",
            ("beds", "care", "leavers", "tenancies", "break"),
        ),
        ("What are the RAG timescales for a missing child risk assessment?", ("RAG", "missing", "risk", "assessment")),
        # reviews are counted ("how often are cin reviews"); the document asked of is named apart from them
        ("how often are cin reviews in lambeth", ("cin", "reviews")),
        (
            "How many foster carers have been trained in the Graded Care Profile Tool?",
            ("foster", "carers", "trained", "Graded", "Care", "Profile", "Tool"),
        ),
    ],
)
def test_read_measure_keeps_only_what_is_counted(question, words):
    assert read_measure(question).words == words


def test_a_figure_is_measured_without_the_words_naming_its_document():
    question = "How many deaths does the Camden safeguarding annual report give?"
    assert "safeguarding" in read_measure(question).words
    assert read_measure(question).naming("Camden Safeguarding Children Board Annual Report").words == ("deaths",)


def test_read_measure_stems_and_deduplicates():
    measure = read_measure("How many referrals and re-referrals did the MASH get?")
    assert measure.stems.count("referr") == 1
    assert measure.describe() == " ".join(measure.words)


@pytest.mark.parametrize(
    "question",
    ["How many MASH records were completed over 2018/19?", "How many FGC referrals were made throughout 2018-19?"],
)
def test_read_measure_leaves_out_the_preposition_of_a_period(question):
    words = {w.lower() for w in read_measure(question).words}
    assert not words & {"over", "throughout"}


def test_a_period_written_with_over_is_answered_like_one_written_with_in(answerer):
    answer = answerer.answer("How many MASH records were completed over 2018/19?")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "484")


VOCABULARY = Vocabulary()


@pytest.mark.parametrize(
    ("question", "context"),
    [
        ("How many referrals did the front door get?", "The Camden MASH received 1,394 referrals in 2018-19."),
        ("How many kids in care were there?", "The total number of looked after children fell to 191."),
        ("How many children had a CP plan for neglect?", "42 were subject to a child protection plan for neglect."),
        ("How many workshops did the Board run?", "The Board provided 23 training sessions over 2018/19."),
        (
            "How many voluntary sector policies were ratified?",
            "The board ratified 22 safeguarding policies of voluntary and community organisations.",
        ),
        ("What % of the efh cohort carried a knife?", "40% of the extra-familial harm cohort carried a knife."),
    ],
    ids=["front-door~mash", "kids-in-care~lac", "cp~child-protection", "workshops~sessions", "vcs", "efh"],
)
def test_coverage_counts_the_fields_synonyms(question, context):
    found = coverage(read_measure(question), context, VOCABULARY, question)
    assert found.complete, found
    assert not found.missing


@pytest.mark.parametrize(
    ("question", "context", "complete"),
    [
        ("How many children were in care?", "1,294 children were being looked after by the council.", True),
        ("How many children in care?", "Children looked after: 4,500 at 31 March.", True),
        ("How many children in care?", "UAS children care leavers: 4,705 in 2017-18.", False),
        ("How many children were in care?", "176 professionals were trained in the Graded Care Profile Tool.", False),
        ("How many kids in care?", "87% of care leavers have suitable accommodation.", False),
        # a rapid review decides whether a practice review is needed: a count of one is never the other
        ("How many practice reviews were there?", "London's partnerships completed 193 rapid reviews.", False),
        ("How many serious case reviews?", "4 child safeguarding practice reviews were published.", True),
    ],
    ids=[
        "any-order",
        "any-order-row",
        "not-a-row-of-leavers",
        "not-care-alone",
        "not-care-leavers",
        "not-rapid-reviews",
        "scr~cspr",
    ],
)
def test_a_term_the_question_uses_is_said_only_as_a_term_of_its_group(question, context, complete):
    # "care" said on its own (a tool, care leavers) never says "children in care"; the term said in
    # another order ("children looked after") does.
    assert coverage(read_measure(question), context, VOCABULARY, question).complete is complete


@pytest.mark.parametrize(
    ("question", "context"),
    [
        ("ehcp mentioned in what % of reviews", "An EHCP was referenced in 17% of Reviews."),
        ("how much did gp input to case conferences go up", "The contribution of GPs at case conferences rose to 90%."),
        ("how long till the advice team reply", "The advice team will respond within 1 working day."),
        ("deadline for finishing a rapid review", "Rapid reviews are to be completed within 15 working days."),
        ("how many family meetings went ahead", "From the requests, 219 family meetings took place."),
        ("how fast is a red case picked up", "Red cases will be passed to the team to be dealt with within 4 hours."),
        ("how many lscps were asked", "Requests were made to London's 29 LSCPs."),
    ],
    ids=[
        "mentioned~referenced",
        "input~contribution",
        "reply~respond",
        "finish~complete",
        "went-ahead~took-place",
        "picked-up~dealt-with",
        "asked~requests",
    ],
)
def test_everyday_verbs_are_said_by_the_reports_formal_ones(question, context):
    assert coverage(read_measure(question), context, VOCABULARY, question).complete


def test_a_documents_own_name_is_not_measured_in_its_figures_but_is_in_another_documents():
    # Several documents in scope: a word of one title ("care leavers") still says what is counted in another.
    measure = read_measure("how many care leavers per the adcs report")
    adcs = "ADCS Safeguarding Pressures Research Phase 9 adcs-safeguarding-pressures-phase9-2025.pdf"
    leeds = "Inspection of services for children looked after and care leavers Leeds City Council"
    assert measure.naming(adcs).stems == ("care", "leaver")
    assert measure.naming(leeds).stems == ("adc",)
    # A title that holds every measured word ("... children looked after ...") names what is counted: the
    # figure must still say it (48,000 children living in the area is no count of looked after children).
    looked_after = read_measure("how many looked after children did camden have in sept 2017")
    assert looked_after.naming(leeds) == looked_after


def test_a_field_term_a_title_only_scatters_is_still_measured():
    """An inspection of "children in need of help and protection" does not name "child protection": asked
    about child protection visits, its children in need visits are another measure."""
    question = "what % of child protection visits were within timescale"
    title = "Inspection of services for children in need of help and protection, children looked after"
    assert read_measure(question).naming(title, question, VOCABULARY).describe() == "protection visits"
    leeds = "Inspection of services for child protection Leeds City Council"
    assert read_measure(question).naming(leeds, question, VOCABULARY).describe() == "visits"


INSPECTION = """Inspection of services for children in need of help and protection

The experiences and progress of children who need help and protection

At the time of the inspection, audits of initial children in need visits reported that only 56% of children
were seen in seven days, meeting stipulated timescales, and 77.8% within 10 days.
"""


def assert_answered_and_twin_abstains(answerer, question: str, number: str, twin_question: str):
    """The question is answered with the number, cited; its near-miss twin abstains without it."""
    answered = answerer.answer(question)
    assert not answered.abstained, answered.reason
    assert_cited(answered, number)
    twin = answerer.answer(twin_question)
    assert twin.abstained and number not in twin.text, twin.text
    return twin


def test_a_figure_about_another_service_named_in_the_title_does_not_answer(tmp_path):
    answerer = answerer_over(tmp_path, {"inspection-of-services.txt": INSPECTION})
    assert_answered_and_twin_abstains(
        answerer,
        "what % of children in need visits were within timescale",
        "56%",
        "what % of child protection visits were within timescale",
    )


def test_a_rate_named_without_its_base_is_answered_by_a_rate_per_10000(answerer):
    """ "The looked after children rate" is per 10,000 children here, not a share of looked after children
    who did something ("3.5% of looked after children received a reprimand")."""
    answer = answerer.answer("what is the looked after children rate")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "37.5")
    assert "3.5%" not in answer.text


@pytest.mark.parametrize(
    ("question", "amounts"),
    [
        ("what % of return home interviews were done within 72 hours", (72,)),
        ("how many 16 and 17 year olds were in care on 31 march 2024", (16, 17)),
        ("child missing 24hrs - by when is the meeting", (24,)),
        ("how many under 5s were on a plan", (5,)),
        ("kids seen within 7 days of a referral", (7,)),
        ("cin rate per 10k in 2023-24", ()),
        ("phase 9 response rate", ()),
    ],
)
def test_numbers_saying_which_ones_are_counted_are_part_of_the_measure(question, amounts):
    assert read_measure(question).amounts == amounts


RETURN_INTERVIEWS = """Children missing from home and care

Return home interviews

There have been 141 return home interviews undertaken, which amounts to 77.5%. A further 12 were declined.
"""


def test_a_number_the_question_states_must_be_stated_where_the_figure_is(tmp_path):
    """77.5% of children had a return interview: not the share done within 72 hours, which is not given."""
    answerer = answerer_over(tmp_path, {"missing-children.txt": RETURN_INTERVIEWS})
    twin = assert_answered_and_twin_abstains(
        answerer,
        "what % of return home interviews were done",
        "77.5%",
        "what % of return home interviews were done within 72 hours",
    )
    assert "72" in twin.reason, twin.reason


ADOPTION = """Adoption and permanence

Foster to adopt arrangements are in place, and two children in the past two years have been placed through
this pathway.
"""


def test_the_span_a_count_is_over_is_no_answer_to_how_long(tmp_path):
    answerer = answerer_over(tmp_path, {"adoption.txt": ADOPTION})
    count = answerer.answer("how many children have been placed through foster to adopt")
    assert not count.abstained, count.reason
    assert number_in("two", count.citations[0].sentence)
    how_long = answerer.answer("avg number of days from a child entering care to moving in with adopters")
    assert how_long.abstained, how_long.text


def test_a_number_framing_a_rule_or_a_span_is_not_what_the_sentence_measures():
    (after,) = extract_figures("After three episodes of missing a review is held.", None)
    assert is_framing(after)
    span = extract_figures("Two children in the past two years have been placed.", None)
    assert [is_framing(f) for f in span] == [False, True]


def test_coverage_reports_a_missing_qualifier_by_the_question_word():
    question = "How many new referrals to early help were there?"
    found = coverage(read_measure(question), "There were 107 referrals to Early Help services.", VOCABULARY, question)
    assert not found.complete
    assert found.missing == ("new",)
    assert set(found.covered) == {"referrals", "early", "help"}

    question = "How many foster carers have been trained in the Graded Care Profile Tool?"
    context = "Over 2018-19, 176 professionals have been trained in the Graded Care Profile Tool."
    found = coverage(read_measure(question), context, VOCABULARY, question)
    assert found.missing == ("foster", "carers")


def test_coverage_reads_the_section_heading_and_lead_in_as_context():
    question = "How many LADO referrals concerned emotional abuse?"
    context = "5.6 Local Authority Designated Officer (LADO) Report\nThe nature of the referrals include:\n6 cases."
    assert not coverage(read_measure(question), context, VOCABULARY, question).complete
    context += " The concerns in 6 cases related to emotional abuse."
    assert coverage(read_measure(question), context, VOCABULARY, question).complete


def test_coverage_takes_at_most_two_words_from_the_passage():
    question = "How many new referrals to early help were there?"
    measure = read_measure(question)
    sentence = "There were 107 referrals to Early Help services."
    assert coverage(measure, sentence, VOCABULARY, question, passage="New families were seen.").complete
    bare = "There were 107 referrals."
    passage = "The Early Help pilot ran at the hospital. New families were identified."
    assert not coverage(measure, bare, VOCABULARY, question, passage=passage).complete  # three words elsewhere


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("How many children went missing over 2018/19?", ["How many children went missing over 2018/19"]),
        (
            "How many FGC referrals were made, and how many conferences took place?",
            ["How many FGC referrals were made", "how many conferences took place"],
        ),
        (
            "How many children went missing and what % had a return home interview?",
            ["How many children went missing", "what % had a return home interview"],
        ),
        (
            "How many kids went missing and the number on the CME list?",
            ["How many kids went missing", "the number on the CME list"],
        ),
        (
            # a leading subject belongs to the first part
            "Of the children held in custody overnight, how many were in breach of the Concordat and how many "
            "breaches took place at Camden custody suites?",
            [
                "Of the children held in custody overnight, how many were in breach of the Concordat",
                "how many breaches took place at Camden custody suites",
            ],
        ),
        # "and" before a new question word splits, even after a bare subject; so does "and where"
        (
            "fgc referrals and how many conferences took place",
            ["fgc referrals", "how many conferences took place"],
        ),
        (
            "what % of children live in low income families and where does camden rank in london",
            ["what % of children live in low income families", "where does camden rank in london"],
        ),
        # "and" inside what is counted does not split
        (
            "How many children were reported missing and on the CME list?",
            ["How many children were reported missing and on the CME list"],
        ),
    ],
)
def test_question_parts(question, parts):
    assert question_parts(question) == parts


def test_speller_reads_typos_as_document_words_and_leaves_known_words_alone():
    speller = Speller(Counter({"children": 40, "missing": 12, "looked": 9, "after": 30, "referrals": 20}))
    reading = speller.read("how many chidlren went mising after the refferals")
    assert reading.text == "how many children went missing after the referrals"
    assert reading.corrections == (("chidlren", "children"), ("mising", "missing"), ("refferals", "referrals"))
    # English words, acronyms and short words are never corrected
    untouched = speller.read("How many kids in care had a CIN plan?")
    assert not untouched.corrected and untouched.text == "How many kids in care had a CIN plan?"


@pytest.mark.parametrize(
    ("sentence", "number", "added"),
    [
        ("103 referrals were made to the LADO regarding allegations about adults.", "103", 0),  # "made" is light
        ("In 18/19 the LADO received only 4 referrals of historical child abuse allegations.", "4", 3),
        ("The LADO received 4 referrals, mostly about historical allegations.", "4", 0),
    ],
)
def test_words_qualifying_the_counted_noun_count_as_a_sub_group(sentence, number, added):
    # What follows the counted noun qualifies it until a verb or punctuation; a predicate does not.
    assert extra_qualifiers(sentence, number, read_measure("How many LADO referrals were there?")) == added


def test_a_table_rows_label_adds_the_words_the_question_does_not_say():
    measure = read_measure("How many care leavers were there at 31 March?")
    assert row_qualifiers("Care leavers", measure) == 0
    assert row_qualifiers("Care leavers minus UAS children care leavers", measure) == 2


def test_how_many_lado_referrals_is_the_total_not_the_historical_ones(answerer):
    answer = answerer.answer("how many lado referrals in 2018/19?")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "103")
    assert not number_in("4", answer.text.split("[1]")[0].replace("18/19", ""))


@pytest.mark.parametrize(
    ("question", "context", "complete"),
    [
        # "ended" is measured; the "ending" of a year end only says when
        (
            "how many cp plans ended in 2023-24",
            "Just under 62,000 child protection plans started in the year ending 31 March 2024.",
            False,
        ),
        ("how many cp plans at the end of march 2024", "There were 510 child protection plans at 31 March 2024.", True),
        # placement breakdowns are counted; a breakdown by age frames the answer
        ("how many sgo breakdowns in 2023-24", "About 3,800 children left care under an SGO in 2023-24.", False),
        ("breakdown of cp plans by category", "Child protection plans by category: 200 for neglect.", True),
    ],
)
def test_words_framing_when_or_how_are_not_measured_but_the_same_words_as_measures_are(question, context, complete):
    assert coverage(read_measure(question), context, VOCABULARY, question).complete is complete


@pytest.mark.parametrize(
    ("question", "context"),
    [
        (
            "how many missing kids had a return home convo in the last 6 months",
            "All 182 children reported missing in the past six months have had a return home conversation.",
        ),
        (
            "how many fte agency social workers nationally",
            "Data showed 7,200 full-time-equivalent agency social workers.",
        ),
        ("how many emergency beds can PAs access", "Personal advisers have access to 30 emergency beds."),
    ],
)
def test_short_forms_practitioners_type_are_read_as_the_words_they_stand_for(question, context):
    assert coverage(read_measure(question), context, VOCABULARY, question).complete


def test_a_figure_counting_a_change_is_told_from_one_counting_a_state():
    """ "97 children ceased to be looked after" counts an ending, not the looked after children; the year
    end of a date ("in the year ending 31 March 2024") is no change; each list item is its own clause."""
    from app.engine.measure import changes_in, figure_clause

    listed = "\uf02d there have been nine adoptions \uf02d 97 children ceased to be looked after, of whom 2% returned"
    assert changes_in(figure_clause(listed, "97")) == {"ending"}
    assert changes_in(figure_clause(listed, "nine")) == set()
    assert changes_in("62,000 plans started in the year ending 31 March 2024") == {"starting"}
    assert changes_in("194 children were being looked after at 31 March 2024") == set()
    mash = "The biggest referrer (since the start of the MASH) is the police with 485 referrals in 2018/19."
    assert changes_in(figure_clause(mash, "485")) == set()
    # Coming into care is entering it; coming from someone is no change.
    assert changes_in("under 1s coming into care in 2023-24") == changes_in("Children entering care") == {"entering"}
    assert changes_in("485 referrals came from the police") == set()


def test_the_met_is_the_metropolitan_police():
    question = "how many basic command units did the met set up"
    context = "The MPS inspection in 2016 led to the development of 12 basic command units (BCU)."
    assert coverage(read_measure(question), context, VOCABULARY, question).complete


def test_a_percentage_change_never_answers_what_share(answerer):
    # "a 29% reduction in offences" says how much offences moved, not what share of them anything was.
    share = answerer.answer("what % of offences committed by kids in 2018/19")
    assert not share.abstained, share.reason
    assert_cited(share, "26%")
    assert "29%" not in share.text
    # Asked how much they fell, the change is the answer.
    change = answerer.answer("by what % did offences by children fall in 2018/19?")
    assert not change.abstained, change.reason
    assert_cited(change, "29%")


def test_a_count_of_another_thing_qualified_by_the_asked_one_does_not_answer(answerer):
    # "4 were allegations concerning foster carers" counts allegations: not how many foster carers there are.
    answer = answerer.answer("how many foster carers in 2018/19")
    assert_abstains_naming(answer, "4", ["foster carers (it counts allegations)"])
    assert_cited(answerer.answer("how many allegations concerned foster carers in 2018/19?"), "4")


def test_the_thing_a_question_counts_ends_before_its_verb(answerer):
    # "staff trained in ..." counts staff; "176 professionals have been trained" counts professionals: the
    # verbs ("trained", "have been") are not part of either noun phrase, so the figure is not ruled out.
    assert noun_phrase("staff trained in the graded care profile tool") == ["staff"]
    assert counted_phrase("Over 2018-19, 176 professionals have been trained in the Tool.", "176") == ["professionals"]
    assert_cited(answerer.answer("how many staff trained in the graded care profile tool over 2018-19?"), "176")


@pytest.mark.parametrize(
    ("sentence", "counts", "asked", "other"),
    [
        ("4 were allegations concerning foster carers which will be considered", ["4"], "foster carers", "allegations"),
        ("We held 12 training sessions on practice reviews.", ["12"], "practice reviews", "training sessions"),
        ("12 new foster carers were approved.", ["12"], "foster carers", ""),  # names the asked thing
        ("In 14 cases concerns related to sexual abuse.", ["14"], "sexual abuse", ""),  # occurrences of it
        ("248 children were subject to a plan.", ["248"], "children", ""),  # nothing but generic words asked
        # One count whose own words name the asked thing may count it.
        ("6 interviews with family members and a focus group of 25 family members", ["6", "25"], "family members", ""),
    ],
)
def test_what_a_count_counts_is_read_from_the_noun_phrase_after_it(sentence, counts, asked, other):
    assert counts_another_thing(sentence, counts, read_measure(asked)) == other


def test_a_count_of_children_is_no_count_of_the_events_asked_for():
    """ "8 children" does not say how many return home interviews were done; it does count missing kids, and
    children in need; a question counting people may be answered by professionals."""
    vocabulary = Vocabulary()

    def asked(thing: str):
        return with_people(with_synonyms(read_measure(thing), thing, vocabulary), thing, vocabulary)

    sentence = "The service offers return home interviews; a small number (8 children) were reported missing."
    assert counts_another_thing(sentence, ["8"], asked("return home interviews")) == "children"
    assert counts_another_thing(sentence, ["8"], asked("missing kids")) == ""
    attended = "This workshop was attended by 41 multi-agency professionals working with Camden children."
    assert counts_another_thing(attended, ["41"], asked("people")) == ""
    assert counts_another_thing(attended, ["41"], asked("cin")) == "multi-agency professionals working"


def test_an_irregular_form_of_a_verb_says_its_base():
    """ "in writing" is said by "written confirmation": a stemmer leaves "written" as it is."""
    question = "if we suspend someone how fast do they have to confirm it in writing"
    context = "Where it is appropriate to suspend the person, written confirmation should be given within one day."
    assert coverage(read_measure(question), context, VOCABULARY, question).complete


def test_moving_schools_mid_year_is_an_in_year_transfer():
    question = "kid moving schools mid year, how many days to get the cp file to the new school"
    context = "The child protection file is transferred to the new school within 5 days for an in-year transfer."
    assert coverage(read_measure(question), context, VOCABULARY, question).complete


def test_a_table_the_question_points_to_is_where_to_look_not_what_is_measured(answerer):
    """ "(finance table)" says where the figure is; no sentence says "table", and before it was required."""
    answer = answerer.answer("what did camden ccg contribute to the cscb budget (finance table)?")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "£32, 448")


INFORMATION_PACK = """# Northtown multi-agency safeguarding information pack

## Impact of abuse and neglect

Between 1 April 2023 and 31 March 2024, there were 49,900 children subject to Child Protection Plans in England.
Neglect is the most common reason for a child to be on a plan, and its effects can last a lifetime.
"""


@pytest.fixture(scope="module")
def information_pack(tmp_path_factory):
    return answerer_over(tmp_path_factory.mktemp("pack"), {"northtown-information-pack.md": INFORMATION_PACK})


def test_a_reason_counted_by_said_only_in_the_heading_does_not_make_a_figure_count_it(information_pack):
    """ "Impact of abuse and neglect" says what the section is about, not that its 49,900 plans are plans for
    neglect; asked without the reason, the figure answers."""
    twin = information_pack.answer("how many children in england were on cp plans for neglect in 2023-24?")
    assert_abstains_naming(twin, "49,900", ["neglect (said only in the heading)"])
    answer = information_pack.answer("how many children in england were on cp plans in 2023-24?")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "49,900")


EXITS = """# Northtown care review 2023-24

## Exiting from care

Placement breakdowns remain a concern for the partnership.
The number of children leaving care under a special guardianship order (SGO) remained steady over the last two
years at about 3,800.
"""


def test_a_short_name_in_brackets_ends_no_clause_so_a_figure_of_children_leaving_counts_a_change(tmp_path):
    """ "(SGO)" ends no clause: 3,800 counts children leaving care, so it answers no question about children
    coming into care; asked about children leaving, it answers."""
    assert figure_clause("children leaving care under an order (SGO) stayed at 3,800.", "3,800").startswith("children")
    answerer = answerer_over(tmp_path, {"northtown-care-review.md": EXITS})
    twin = answerer.answer("how many sgo breakdowns led to kids coming into care in 2023-24")
    assert twin.abstained and "3,800" not in twin.text, twin.text
    answer = answerer.answer("how many children leaving care under an sgo in 2023-24")
    assert not answer.abstained, answer.reason
    assert_cited(answer, "3,800")


def test_a_figure_whose_own_clause_names_nothing_asked_comes_after_one_naming_it(answerer):
    """ "The majority of the CSCB budget continues to be derived from Camden local authority, which in 2018/19
    contributed £130, 826": the sentence names the budget, its figure is a contribution. Before, it answered ahead
    of the sentence giving the budget (£178,430)."""
    answer = answerer.answer("cscb budget 2018/19 in £?")
    assert not answer.abstained, answer.reason
    assert number_in("178,430", answer.citations[0].sentence.replace(", ", ",")), answer.text
