"""Practitioners' words and the documents' words (index.vocabulary): acronyms, synonyms, glossaries."""

from __future__ import annotations

from index.vocabulary import Vocabulary, acronyms_in, glossary_in


def test_vocabulary_from_tables_definitions_and_glossaries():
    vocabulary = Vocabulary(acronyms_in("The Multi-Agency Safeguarding Hub (MASH) received referrals."))
    assert "mash" in vocabulary.expansions("what did the front door do")
    assert "looked after children" in vocabulary.expansions("how many kids in care")
    glossary = glossary_in("Glossary\nCSE – Child Sexual Exploitation\nLADO: Local Authority Designated Officer\n")
    assert glossary == {"cse": "child sexual exploitation", "lado": "local authority designated officer"}


def test_an_acronym_the_documents_seldom_write_is_spelled_out_for_the_embedding():
    vocabulary = Vocabulary({"efh": "extra-familial harm"})
    passages = {"lac": 2, "looked after children": 40, "mash": 30, "multi-agency safeguarding hub": 3, "efh": 0}
    frequency = lambda term: passages.get(term, 5)  # noqa: E731
    assert vocabulary.spelled_out("leeds lac number in jan 2015", frequency) == (
        "leeds lac number in jan 2015 (looked after children)"
    )
    # The documents mostly write "MASH": the question already reads like them.
    assert vocabulary.spelled_out("how many referrals to the mash", frequency) == "how many referrals to the mash"
    # An acronym a document defines is spelled out as it defines it.
    assert vocabulary.spelled_out("% of efh children with a knife", frequency).endswith("(extra-familial harm)")
    assert vocabulary.spelled_out("how many looked after children", frequency) == "how many looked after children"


def test_the_searcher_embeds_a_question_as_it_would_its_spelled_out_form(searcher):
    import numpy as np

    # The bundled report writes "looked after children" often and "LAC" seldom if ever.
    assert searcher._passages_saying("lac") < searcher._passages_saying("looked after children")
    typed = searcher.embed_query("how many lac at the end of 2018/19")
    spelled = searcher.embedder.encode(["how many lac at the end of 2018/19 (looked after children)"])[0]
    assert float(np.dot(typed, spelled)) > 0.999


def test_an_acronym_and_its_long_form_are_one_term_in_either_direction_and_in_the_plural():
    vocabulary = Vocabulary(acronyms_in("Every child has a Personal Education Plan (PEP) reviewed termly."))
    assert ("pep", "personal education plan") in vocabulary.spellings("what did they recommend about PEPs")
    assert ("personal education plan", "pep") in vocabulary.spellings("are personal education plans any good")
    # A synonym is another word for a thing, not the same word spelled out: it stays half a match.
    assert vocabulary.spellings("how many referrals did the front door get") == []
    assert "mash" in vocabulary.expansions("how many referrals did the front door get")


def test_an_acronym_written_first_with_its_long_form_in_brackets_is_learnt():
    text = "The RISE (Reducing Incidents of Sexual Exploitation) Service Manager; see NHS (National Health Service)."
    assert acronyms_in(text) == {"rise": "reducing incidents of sexual exploitation", "nhs": "national health service"}
    # Brackets after capitals that do not spell the letters are not a definition.
    assert acronyms_in("Forms ABC (Appendix 3) and CP (Form Two).") == {}


def test_a_number_is_one_term_in_digits_and_in_words():
    vocabulary = Vocabulary()
    assert ("4", "four") in vocabulary.spellings("what are the 4 Cs of online safety")
    assert ("three", "3") in vocabulary.spellings("who are the three partners")
