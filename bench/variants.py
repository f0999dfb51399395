"""Variants of a document's text for the scale benchmark: other places, other numbers, other wording.

A byte copy would be deduplicated by the embedding cache and would add no new BM25 terms, so it would
measure nothing. A variant keeps the document's shape (sections, sentence lengths, figures with their
formatting) but changes what the indexes see: real place names become fictitious ones, every number is
perturbed deterministically (1,234 stays grouped, 12% stays a percentage, years shift together), and a
seeded share of common words are swapped for synonyms. Same text, variant number and seed: same output.
"""

from __future__ import annotations

import random
import re

# Places the external documents are about or mention often; longest first so "West Northamptonshire"
# is replaced as one name.
REAL_PLACES = [
    "West Northamptonshire",
    "North Northamptonshire",
    "Northamptonshire",
    "Northampton",
    "Oxfordshire",
    "Oxford",
    "Camden",
    "Islington",
    "Lambeth",
    "Southwark",
    "Leeds",
    "Manchester",
    "London",
    "Worthing",
    "West Sussex",
    "Sussex",
    "Kettering",
    "Corby",
    "Wellingborough",
    "Daventry",
    "Banbury",
]
FICTITIOUS_PLACES = [
    "Ashcombe",
    "Brackenshire",
    "Calderford",
    "Dunmere",
    "Elmsworth",
    "Fernleigh Vale",
    "Glenhallow",
    "Harrowdene",
    "Kestrelbury",
    "Larkhampton",
    "Millbourne",
    "Northwold",
    "Oakhurst",
    "Pennridge",
    "Queensmere",
    "Ravensholt",
    "Stonebury",
    "Thornwick",
    "Ulverdale",
    "Wrenfield",
    "Yarrowshire",
    "East Fallowmere",
    "Brindleton",
    "Sedgecombe",
]

# Pairs of interchangeable wordings; a variant swaps a seeded subset of them in both directions.
SYNONYMS = [
    ("children", "young people"),
    ("referrals", "contacts referred"),
    ("referral", "request for support"),
    ("board", "partnership"),
    ("local authority", "council"),
    ("local authorities", "councils"),
    ("practitioners", "professionals"),
    ("families", "households"),
    ("ensure", "make sure"),
    ("should", "ought to"),
    ("support", "help"),
    ("assessment", "evaluation"),
    ("assessments", "evaluations"),
    ("concerns", "worries"),
    ("agencies", "organisations"),
    ("staff", "workforce"),
    ("school", "academy"),
    ("schools", "academies"),
    ("social workers", "caseworkers"),
    ("social worker", "caseworker"),
    ("abuse", "maltreatment"),
    ("increase", "rise"),
    ("important", "vital"),
    ("information", "details"),
    ("meeting", "session"),
    ("vulnerable", "at-risk"),
    ("identify", "recognise"),
    ("parents", "carers"),
    ("services", "provision"),
    ("plan", "programme"),
    ("review", "audit"),
    ("statutory", "legal"),
    ("guidance", "advice"),
    ("effective", "successful"),
    ("timely", "prompt"),
    ("young person", "adolescent"),
    ("partners", "partner agencies"),
    ("provide", "offer"),
    ("process", "procedure"),
    ("consider", "think about"),
]
SWAP_SHARE = 0.7

# Common words with several wordings; a variant picks one wording of each for the whole document, so
# the many sentences that hold no place, number or synonym above still differ between variants.
WORDINGS = [
    ("and", "as well as", "plus", "together with"),
    ("with", "alongside", "along with"),
    ("may", "might", "can possibly"),
    ("will", "shall", "are expected to"),
    ("also", "additionally", "as well"),
    ("however", "but", "nevertheless"),
    ("because", "since", "as"),
    ("within", "inside", "in"),
    ("about", "regarding", "concerning"),
    ("including", "such as", "among them"),
    ("there is", "there exists", "we find"),
    ("need to", "have to", "are required to"),
    ("all", "every one of the", "the whole set of"),
    ("when", "whenever", "at the point when"),
    ("where", "in cases where", "wherever"),
]
# Sentence openers; a variant opens a share of its sentences with one of them.
OPENERS = [
    "In practice",
    "Locally",
    "At present",
    "As a rule",
    "In this area",
    "Overall",
    "Typically",
    "Where possible",
    "For this edition",
    "In summary",
    "Notably",
    "As noted",
    "In most cases",
    "By design",
    "Currently",
    "Importantly",
    "In {place}",
    "Across {place}",
    "For {place}",
    "Within {place}",
    "Here in {place}",
    "Throughout {place}",
    "In {place} at present",
    "Locally in {place}",
]
OPENER_SHARE = 0.85
# A capital letter after a sentence end, at the start of a paragraph or of a bullet point.
SENTENCE_START = re.compile(r"(?:(?<=[.!?])[ \t]+|(?<=[.!?:]\n)|(?<=\n\n)|(?<=[•·▪-] ))(?=[A-Z][a-z])")

# 1,234 or 1234 or 12.5, optionally a percentage; not part of a word, a code (A12) or a longer number.
# A financial or school year ("2023/24", "2023-24", "2023–2024") is matched whole: both ends move together.
NUMBER = re.compile(
    r"(?<![\w.,/-])(?:(?P<start>(?:19|20)\d\d)(?P<sep>[/\-–])(?P<end>\d{2}|(?:19|20)\d\d)(?![\w])|(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?(?P<pct>\s?%)?(?![\w]))"
)
# Legal references stay as they are: "section 47" is a name, not a quantity.
LEGAL = re.compile(r"(?:section|sections|s\.|Act|Regulations?|schedule|article)\s*$", re.I)


def make_variant(text: str, variant: int, seed: int = 6, name: str = "") -> str:
    rng = random.Random(f"{seed}:{variant}:{name}")
    text, home = _replace_places(text, rng)
    text = _swap_wording(text, rng)
    text = _reword_common(text, rng)
    text = _add_openers(text, rng, home)
    return _perturb_numbers(text, rng, year_shift=rng.choice([-3, -2, -1, 1, 2, 3]))


def _replace_places(text: str, rng: random.Random) -> tuple[str, str]:
    """The text with fictitious places, and the variant's own place (for sentence openers)."""
    names = FICTITIOUS_PLACES[:]
    rng.shuffle(names)
    mapping = {real: names[i % len(names)] for i, real in enumerate(REAL_PLACES)}
    pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in REAL_PLACES) + r")\b")
    return pattern.sub(lambda m: mapping[m.group(1)], text), names[-1]


def _swap_wording(text: str, rng: random.Random) -> str:
    mapping: dict[str, str] = {}
    for a, b in SYNONYMS:
        if rng.random() < SWAP_SHARE:
            mapping.setdefault(a, b)
            mapping.setdefault(b, a)
    if not mapping:
        return text
    words = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)

    def swap(match: re.Match) -> str:
        found = match.group(1)
        replacement = mapping[found.lower()]
        if found.isupper() and len(found) > 1:
            return replacement.upper()
        if found[0].isupper():
            return replacement[0].upper() + replacement[1:]
        return replacement

    return pattern.sub(swap, text)


def _reword_common(text: str, rng: random.Random) -> str:
    mapping = {}
    for group in WORDINGS:
        choice = rng.choice(group[1:])  # never the original wording: the variant must differ
        mapping[group[0]] = choice
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(mapping, key=len, reverse=True)) + r")\b", re.I)

    def reword(match: re.Match) -> str:
        found = match.group(1)
        replacement = mapping[found.lower()]
        return replacement[0].upper() + replacement[1:] if found[0].isupper() else replacement

    return pattern.sub(reword, text)


def _add_openers(text: str, rng: random.Random, place: str) -> str:
    # A capitalised first word that the document also writes in lower case ("The", "However") is lowered
    # after the opener; a name ("Ofsted") keeps its capital.
    lower_words = set(re.findall(r"\b[a-z][a-z-]*\b", text))
    out, last = [], 0
    for match in SENTENCE_START.finditer(text):
        if rng.random() >= OPENER_SHARE:
            continue
        word = re.match(r"[A-Za-z-]+", text[match.end() :]).group(0)
        out.append(text[last : match.end()] + rng.choice(OPENERS).format(place=place) + ", ")
        out.append(word.lower() if word.lower() in lower_words else word)
        last = match.end() + len(word)
    out.append(text[last:])
    return "".join(out)


def _perturb_numbers(text: str, rng: random.Random, year_shift: int) -> str:
    def perturb(match: re.Match) -> str:
        if LEGAL.search(text, max(0, match.start() - 12), match.start()):
            return match.group(0)
        if match.group("start"):
            end = match.group("end")
            end = str(int(end) + year_shift) if len(end) == 4 else f"{(int(end) + year_shift) % 100:02d}"
            return f"{int(match.group('start')) + year_shift}{match.group('sep')}{end}"
        return perturb_number(match.group("int"), match.group("dec") or "", match.group("pct") or "", rng, year_shift)

    return NUMBER.sub(perturb, text)


def perturb_number(whole: str, decimals: str, percent: str, rng: random.Random, year_shift: int = 1) -> str:
    """A different number written the same way: grouping, decimal places, leading zeros, a % sign."""
    grouped = "," in whole
    digits = whole.replace(",", "")
    places = len(decimals) - 1 if decimals else 0
    value = float(digits + decimals)
    if not grouped and not decimals and not percent and len(digits) == 4 and 1950 <= int(digits) <= 2040:
        return str(int(digits) + year_shift)  # a year: all of a document's years move together
    new = value * rng.uniform(0.7, 1.3)
    if percent:
        new = min(new, 100.0)
    new = round(new, places)
    if new == value:
        step = 10**-places if places else 1
        new = round(value - step if percent and value >= 100 else value + step, places)
    if places:
        body = f"{new:,.{places}f}" if grouped else f"{new:.{places}f}"
    else:
        body = f"{int(new):,}" if grouped else str(int(new)).zfill(len(digits) if digits.startswith("0") else 0)
    return body + percent
