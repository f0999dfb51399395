"""A question naming a document by a word only that document uses ("little acorns - ...") is answered from it,
never from another document that happens to answer the same kind of question; and who holds a role is
answered from a sentence naming the holder, whatever name the document gives the role."""

from __future__ import annotations

import pytest
from helpers import answerer_over

NURSERY = """# Little Acorns Nursery safeguarding policy

## Designated staff

Our Manager is the designated safeguarding officer, and our Deputy Manager acts in her absence.

## Training

All staff complete safeguarding training every three years, and new staff are trained at induction.
"""

GUIDANCE = """# Keeping pupils safe: statutory guidance for schools

## The designated safeguarding lead

The designated safeguarding lead should undergo training to provide them with the knowledge and skills
required to carry out the role. This training should be updated at least every two years. Their knowledge
and skills should also be refreshed at regular intervals, as required, through bulletins and network meetings.
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory):
    files = {"little-acorns-nursery-policy.md": NURSERY, "keeping-pupils-safe-guidance.md": GUIDANCE}
    return answerer_over(tmp_path_factory.mktemp("named"), files)


def test_a_document_named_by_its_own_word_is_the_only_one_answering(answerer):
    """The guidance's "every two years" and "at regular intervals" are about schools' leads, not the nursery's:
    neither answers, nor is given as what the documents say instead."""
    answer = answerer.answer("little acorns - how often should the dsl refresh their knowledge?")
    said = f"{answer.text} {answer.reason}"
    assert "regular intervals" not in said and "two years" not in said, said
    assert all(c.passage.doc_id == "little-acorns-nursery-policy.md" for c in answer.citations), answer.text


def test_who_holds_a_role_under_another_name_of_it(answerer):
    answer = answerer.answer("who is the designated safeguarding lead at little acorns nursery")
    assert not answer.abstained, answer.reason
    assert answer.citations[0].sentence.startswith("Our Manager is the designated safeguarding officer")


def test_refreshing_training_is_updating_it(answerer):
    answer = answerer.answer("how often does the dsl need to refresh their training")
    assert not answer.abstained, answer.reason
    assert "two years" in answer.citations[0].sentence, answer.text
