"""One answer from the answers to each part of a question that asks several things in words.

"Who is the safeguarding lead and who is the local link?" asks two things; searched as one, the answer is
whichever sentence best fits the words of both, and the other part can go unanswered and unsaid. A part the
whole answer does not speak to is answered on its own (Answerer._answer_by_part); the answers are joined here,
their citations numbered in one sequence, a sentence cited for two parts cited once, and a part no passage
answers said to be missing.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from index.records import Answer, Citation

# A part that leans on the first for its subject: a pronoun, or a question word alone ("and why?").
REFERS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|this|that|these|those|the one)\b|^\s*(?:why|how|when|where)\s*\??\s*$", re.I
)
CITATION_MARK = re.compile(r"\[(\d+)\]")


@dataclass
class PartAnswer:
    """A part of the question as asked (or the whole question), and the answer to it."""

    part: str
    answer: Answer


def leans_on_first(part: str) -> bool:
    return bool(REFERS_BACK.search(part))


def joined(question: str, answers: list[PartAnswer]) -> Answer:
    """The parts' answers in the order asked, as one answer."""
    citations: list[Citation] = []
    figures, texts = [], []
    for each in answers:
        if each.answer.abstained:
            texts.append(f"Not in the documents: {each.part}.")
            continue
        renumber, new = {}, False
        for citation in each.answer.citations:
            same = next((c for c in citations if _same_sentence(c, citation)), None)
            if same is None:
                same = Citation(
                    len(citations) + 1, citation.passage, citation.sentence, citation.page, citation.page_label
                )
                citations.append(same)
                new = True
            renumber[citation.n] = same.n
        if not new:
            continue  # every sentence it cites already answers an earlier part
        texts.append(_renumbered(each.answer.text, renumber))
        figures += [
            dataclasses.replace(
                f, citation=renumber.get(f.citation, f.citation), sources=[renumber.get(n, n) for n in f.sources]
            )
            for f in each.answer.figures
        ]
    answered = [each.answer for each in answers if not each.answer.abstained]
    return Answer(
        question,
        " ".join(texts),
        False,
        "",
        citations,
        figures,
        closest=answered[0].closest,
        period_used=next((a.period_used for a in answered if a.period_used), None),
        confidence=min(a.confidence for a in answered),
    )


def _renumbered(text: str, renumber: dict[int, int]) -> str:
    return CITATION_MARK.sub(lambda m: f"[{renumber.get(int(m.group(1)), m.group(1))}]", text)


def _same_sentence(a: Citation, b: Citation) -> bool:
    return a.passage.doc_id == b.passage.doc_id and a.sentence == b.sentence
