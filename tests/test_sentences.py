"""Which sentence answers (app.engine.sentences): definitions, a document's own questions, sections headed by a
question, comparisons in words, recommendations."""

from __future__ import annotations

import pytest
from documents import RIVERSIDE_MD

from app.engine.answer import Answerer
from app.engine.question import read_question
from app.engine.sentences import defines
from index.config import Settings
from index.search import Searcher
from ingest.pipeline import ingest_paths


def test_definition_questions_prefer_the_sentence_that_says_what_the_term_is():
    from app.engine.sentences import defines

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


def test_a_documents_own_question_is_answered_by_what_follows_it(tmp_path):
    question = "What should Riverside improve about early help?"
    answer = _answer_over(tmp_path, "riverside-inspection-2025.md", RIVERSIDE_MD, question)
    assert not answer.abstained
    sentences = [c.sentence for c in answer.citations]
    assert sentences[:2] == [
        "Written plans for families who step down from social care.",
        "The timeliness of return home interviews for children who go missing.",
    ]
    assert not any(s.endswith("?") for s in sentences)
    assert answer.citations[0].passage.section == "Early help"


def test_a_section_headed_by_a_question_is_answered_by_its_opening(tmp_path):
    text = (
        "# Eastshire focused visit 2025\n\n## Main findings\n\n"
        "Leaders know their services well and visit teams often.\n"
        "Social workers say their caseloads are manageable and supervision is regular.\n\n"
        "## What needs to improve?\n\nThe quality of written plans for children in care.\n\n"
        "## Fostering\n\nFoster carers receive training each year and feel supported by their social workers.\n"
    )
    question = "What does Eastshire still need to improve?"
    answer = _answer_over(tmp_path, "eastshire-focused-visit-2025.md", text, question)
    assert answer.citations[0].sentence == "The quality of written plans for children in care."
    assert not any(c.sentence.endswith("?") for c in answer.citations)


def test_a_question_heading_over_a_question_sentence_is_answered(tmp_path):
    text = (
        "# Westshire visit 2025\n\n## What needs to improve?\n\nWhat needs to improve in early help practice?\n"
        "Plans for families who step down from social care.\n\n## Fostering\n\nFoster carers are trained yearly.\n"
    )
    question = "What needs to improve in early help practice?"
    answer = _answer_over(tmp_path, "westshire-visit-2025.md", text, question)
    assert answer.citations[0].sentence == "Plans for families who step down from social care."


def _answer_over(tmp_path, name: str, text: str, question: str):
    """Ingest one Markdown document into a fresh store and ask it one question."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    settings = Settings.from_env(store=tmp_path / "store")
    ingest_paths([folder], settings, progress=False)
    return Answerer(Searcher(settings)).answer(question)


def test_a_comparison_stated_in_words_is_answered_in_words(tmp_path):
    """ "How do vacancy rates compare with the national average?" has no figure to give when the document
    answers in words; its sentence answers, and a number question with no figure still abstains."""
    text = (
        "# Northshire inspection 2025\n\n## Workforce\n\n"
        "Leaders have worked hard to recruit and keep social workers in Northshire.\n"
        "Vacancy rates for social workers in Northshire are now below the national average.\n"
        "Care leavers say that 21 is too young to lose the support of a personal adviser.\n"
    )
    question = "How do social worker vacancy rates in Northshire compare with the national picture?"
    answer = _answer_over(tmp_path, "northshire-inspection-2025.md", text, question)
    assert not answer.abstained
    assert answer.citations[0].sentence.startswith("Vacancy rates for social workers")
    assert not answer.figures


def test_a_question_about_recommendations_is_answered_by_one(tmp_path):
    """A finding about GPs and a recommendation about GPs are equally close in meaning; asked what the
    report recommends, the recommendation answers."""
    text = (
        "# Southshire rapid reviews report 2024\n\n## Housing\n\n"
        "Families placed in temporary accommodation often moved several times during the year.\n"
        "Housing officers did not always know which families had a social worker.\n\n"
        "## Schools\n\nSchools raised concerns about attendance for most of the children in the sample.\n"
        "Exclusions were followed by long gaps before a new school place was found.\n\n"
        "## Health\n\n"
        "The rapid reviews in this report found that information sharing with GPs was a gap.\n"
        "GPs were often unaware that children were subject to child protection plans.\n\n"
        "## Recommendations\n\n"
        "Housing providers should tell children's social care when a family with a plan moves home.\n"
        "Partners should make sure that GPs take part in every rapid review of a serious incident.\n"
    )
    question = "What does the rapid reviews report recommend about GPs?"
    answer = _answer_over(tmp_path, "southshire-rapid-reviews-2024.md", text, question)
    assert answer.citations[0].sentence.startswith("Partners should make sure that GPs")


@pytest.mark.parametrize(
    ("sentence", "term"),
    [
        ("A low-level concern is any concern, no matter how small, that an adult ...", "low level concern"),
        ("Definition: Private fostering is when a child under the age of 16 is cared for by ...", "private fostering"),
        ("• Unfounded: there is no evidence or proper basis which supports the allegation.", "unfounded"),
    ],
)
def test_definitions_are_told_by_their_shape_whatever_their_marks(sentence, term):
    assert defines(sentence, term)
    assert not defines("The term 'low-level' concern does not mean that it is insignificant.", "low level concern")
