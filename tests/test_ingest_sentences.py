"""Splitting extracted text into sentences (ingest.sentences)."""

from __future__ import annotations


def test_a_line_ending_mid_sentence_continues_it():
    from ingest.sentences import split_sentences

    text = "217 children were home educated.\n14 of them are known to\nChildren Services and 6 have a plan.\n"
    assert [s.text for s in split_sentences(text)][-1] == "14 of them are known to Children Services and 6 have a plan."


def test_a_list_item_going_on_over_a_line_break_is_one_paragraph_and_the_text_after_the_list_is_not():
    from ingest.sentences import one_paragraph

    item = (
        "➢ Red – child protection issues. For example: serious\ninjury to a child. A decision is made within 4 hours."
    )
    assert one_paragraph(item)
    after = (
        "• The concerns related to foster carers are reported separately.\n\nVirtually all referrals were discussed."
    )
    assert not one_paragraph(after)
