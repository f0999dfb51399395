"""The names practitioners give a document's issuing body ("per the adcs report", "what did ofsted say").

A question naming the body that issued some of the documents in scope is answered from those documents,
as a question naming a place is (places.py). A body is named by its initials ("ADCS" for the Association of
Directors of Children's Services), by an acronym the field writes for it ("DfE"), or, for an inspectorate's
report ("Ofsted: Leeds City Council"), by the inspectorate. Initials that are also a field term ("LSCP", any
local partnership) name no one body and are left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.lexicon import ACRONYM_JOINERS, BODY_ACRONYMS, DOCUMENT_KINDS, SYNONYM_GROUPS, alternation

MIN_INITIALS = 3  # two letters ("DE", "LA") name too many things
WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


@lru_cache(maxsize=1)
def _field_terms() -> frozenset[str]:
    return frozenset(term for group in SYNONYM_GROUPS for term in group)


@lru_cache(maxsize=1024)
def body_names(body: str | None) -> frozenset[str]:
    """The lower-case names a question may call this body by (remembered: every question reads every
    document's body)."""
    if not body:
        return frozenset()
    names = {acronym.lower() for acronym, long_form in BODY_ACRONYMS.items() if long_form.lower() in body.lower()}
    inspectorate, _, inspected = body.partition(":")
    if inspected.strip():
        body = inspected
    words = [w for w in WORD.findall(body) if w.lower() not in ACRONYM_JOINERS]
    initials = "".join(w[0] for w in words).lower()
    if len(initials) >= MIN_INITIALS:
        names.add(initials)
    names = {n for n in names if n not in _field_terms()}
    # The inspectorate is named outright ("Ofsted: Leeds City Council"), even though the field says "ofsted"
    # for inspectors in general.
    return frozenset(names | ({inspectorate.strip().lower()} if inspected.strip() else set()))


def bodies_named(question: str, bodies: dict[str, str | None]) -> set[str]:
    """The documents (of doc_id -> issuing body) whose body the question names."""
    words = set(re.findall(r"[a-z0-9]+", question.lower()))
    return {doc for doc, body in bodies.items() if body_names(body) & words}


# Words that join two clauses rather than name a document: "tell ofsted and report it" names no report.
_JOINING = r"(?!(?:and|or|to|about|if|when|what|how|the|a|an)\b)"


def names_a_document(question: str, name: str) -> bool:
    """Does the question name the body as the issuer of a document it asks of ("ofsted camden lscb review -
    ...", "the leeds ofsted report", "per ofsted")? Then it picks documents, though others speak of the body."""
    kinds = alternation(DOCUMENT_KINDS)
    body = re.escape(name)
    issuer = rf"\b{body}(?:[’']s)?(?:\s+{_JOINING}[\w’'-]+){{0,3}}\s+(?:{kinds})s?\b"
    cited = rf"\b(?:per|according to)\s+(?:the\s+)?{body}\b"
    return bool(re.search(f"{issuer}|{cited}", question, re.I))


def without_bodies(text: str, names: set[str]) -> str:
    """The text without these body names (and a possessive after one: "ofsted's")."""
    if not names:
        return text
    pattern = re.compile(r"\b(?:" + alternation(names) + r")\b(?:[’']s\b)?", re.I)
    stripped = " ".join(pattern.sub(" ", text).split())
    return stripped if re.search(r"\w", stripped) else text
