"""Practitioners' words and the documents' words (index.vocabulary): acronyms, synonyms, glossaries."""

from __future__ import annotations

from index.vocabulary import Vocabulary, acronyms_in, glossary_in


def test_vocabulary_from_tables_definitions_and_glossaries():
    vocabulary = Vocabulary(acronyms_in("The Multi-Agency Safeguarding Hub (MASH) received referrals."))
    assert "mash" in vocabulary.expansions("what did the front door do")
    assert "looked after children" in vocabulary.expansions("how many kids in care")
    glossary = glossary_in("Glossary\nCSE – Child Sexual Exploitation\nLADO: Local Authority Designated Officer\n")
    assert glossary == {"cse": "child sexual exploitation", "lado": "local authority designated officer"}
