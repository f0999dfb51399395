"""Splitting extracted text into sentences (ingest.sentences)."""

from __future__ import annotations


def test_a_line_ending_mid_sentence_continues_it():
    from ingest.sentences import split_sentences

    text = "217 children were home educated.\n14 of them are known to\nChildren Services and 6 have a plan.\n"
    assert [s.text for s in split_sentences(text)][-1] == "14 of them are known to Children Services and 6 have a plan."
