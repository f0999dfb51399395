"""Every tuned weight and threshold, in one place, each with the benchmark that chose it.

Chosen on the dev splits of both question sets, never on test or lockbox questions. Re-run the named
benchmark after a change to retrieval or answering, and change the number here only.
"""

from __future__ import annotations

# -- search (python -m bench.fusion_sweep) ------------------------------------------------------------
DENSE_CANDIDATES = 100  # nearest chunks asked of Chroma per query
KEYWORD_CANDIDATES = 50  # keyword hits that also get a dense score, so fusion can weigh both for them
KEYWORD_WEIGHT = 0.4  # BM25's share of the fused score (dense gets the rest)
EXPANSION_WEIGHT = 0.25  # weight of synonyms and acronyms added to a query, against its own words
RRF_K = 60  # reciprocal-rank fusion constant (the evaluator's alternative fusion)

# -- answers: abstention (python -m bench.calibrate_abstention [--mode bm25]) ----------------------------
# The most abstention on unanswerable dev questions with at most 10% false abstention on answerable ones.
ABSTAIN_THRESHOLD = 0.43
# The same calibration for the keyword-only configuration: no dense retrieval and no sentence vectors,
# so its confidence is keyword evidence alone.
KEYWORD_ONLY_THRESHOLD = 0.34
MAX_FALSE_ABSTENTION = 0.10  # the calibration's limit
# How much lower the threshold is for a figure that passed the measure check (app/engine/measure.py):
# chosen on the dev splits of both blind question sets.
MEASURED_RELIEF = 0.08

# -- answers: choosing sentences (python -m bench.answer_check, dev splits) ------------------------------
PASSAGES = 8  # hybrid passages read for an answer
DENSE_EXTRA = 4  # passages added by meaning alone (paraphrases that share no words)
NEIGHBOURS_OF = 3  # best passages whose neighbouring chunks are read too
MAX_SENTENCES = 3  # sentences in a non-figure answer
MARGIN = 0.08  # a further sentence joins the answer when it scores within this of the best
FOLLOW_CHARS = 600  # how far after a document's own question its answer is looked for
MEASURE_CANDIDATES = 12  # best figure sentences checked for measuring what was asked
LEAD_IN_CHARS = 400  # how far before a figure's sentence its lead-in is read ("Of the 103 referrals:")
LEAD_IN_SENTENCES = 2
LIST_LEAD_IN_CHARS = 2000  # how far before a list item the sentence opening its list is read
ITEM_SENTENCES = 3  # sentences of a list item read as one: its opening and what goes on with it ...
ITEM_CHARS = 300  # ... within this many characters of the item's opening
LIST_ITEMS = 8  # items of a list given under the sentence that leads in to it
LIST_REACH_CHARS = 1500  # how far after a lead-in its list is read
ADVICE_PASSAGES = 2  # passages of recommendation sections added for a question asking what was recommended
DOCUMENT_NAMED = 0.5  # share of a question's words (by rarity) a document's title must say to be the one named
DOCUMENTS_FOUND = 3  # the documents found first whose recommendation sections or cover fields are read
PART_PASSAGES = 4  # passages searched for each further part of a question asking several things
SIDE_BY_SIDE_CHARS = 800  # how far from a chosen figure's sentence one answering another joined thing is read
TOPIC_CHARS = 1500  # how far back in its section the thing a figure's sentence refers to is looked for
SUBGROUP_PENALTY = 0.05  # per qualifier a figure's counted phrase adds to what was asked
SUBGROUP_QUALIFIERS = 3  # the most qualifiers weighed; a count of a part of what was asked weighs as many
LABEL_WEIGHT = 0.2  # a figure whose label names what "how many" counts
# A question word no document uses is said by a context word this alike in meaning (app/engine/meaning.py):
# "wrongly" ~ "incorrectly" 0.79, "max" ~ "maximum" 0.86; co-ordinate words sit just below ("boys" ~ "girls"
# 0.74, "mother" ~ "father" 0.73).
WORD_MEANING_SIMILARITY = 0.75
LOOSE_UNIT = 0.25  # a figure of a unit that can still answer (a count for "what share")
# How a sentence's ranking score is made from its signals.
SENTENCE_WEIGHTS = {
    "dense": 0.45,
    "keyword": 0.35,
    "passage": 0.2,
    "unit": 0.15,
    "period": 0.1,
    "label": LABEL_WEIGHT,
}
# How sure a sentence answers: meaning and subject words only, never "holds a number".
CONFIDENCE_WEIGHTS = {"dense": 0.5, "keyword": 0.25, "context": 0.25}
KEYWORD_ONLY_CONFIDENCE_WEIGHTS = {"keyword": 0.5, "context": 0.5}

# -- claim checks (tests/test_check.py claims) ------------------------------------------------------
CHECK_CANDIDATES = 10  # sentences read for figures of the claim's quantity
SUPPORT_WINDOW = 3  # a claim is supported when one of the best few matching figures has its value
# A word written more often than this per million English words (symspellpy's frequency dictionary) is an
# everyday word, never a name picking documents ("staff" 280, "nursery" 16; "preschool" 9, "montessori" 2).
EVERYDAY_PER_MILLION = 10.0
