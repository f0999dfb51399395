"""A sentence that leads in to a list is answered with the list.

"The main reasons for children being held in custody overnight include:" says nothing on its own: its
answer is the items under it ("1. Secure accommodation identified but too far away ...", "• If it might
undermine the investigation of a serious crime."). Ingest stores each item as a sentence of its own, so the
items are read back from the registry in document order.
"""

from __future__ import annotations

import re

from index.lexicon import BULLETS
from index.records import Sentence
from index.registry import Registry
from index.tuning import LIST_ITEMS, LIST_REACH_CHARS

# A list item opens with a bullet or a dash standing as one ...
BULLETED = re.compile(rf"^\s*(?:[{BULLETS}]|[-–*]\s)")
# ... or an enumerator ("1.", "2)", "a)", "B.", "(iv)"), which also numbers the paragraphs of an inspection
# report ("13. Once children become ..."): after a colon only.
ENUMERATED = re.compile(r"^\s*\(?(?:\d{1,2}|[A-Za-z]|[ivx]{1,4})[.)]\s")
# Between two items a list may carry one sentence that goes on with the item before it.
CARRIED = 1
# Under a colon, short lines that end no sentence are the items of a list whose bullets were lost
# ("include:" / "Fair Access Panel" / "Managed move").
ENTRY_WORDS = 12


def is_item(text: str) -> bool:
    return bool(BULLETED.match(text) or ENUMERATED.match(text))


def _is_entry(text: str) -> bool:
    return is_item(text) or (not text.rstrip().endswith((".", "!", "?")) and len(text.split()) <= ENTRY_WORDS)


def list_items(registry: Registry, doc_id: str, lead_in: str, end: int) -> list[Sentence]:
    """The items of the list a sentence (lead_in, ending at `end`) leads in to: those that follow it at once
    (none when the next sentence is no item). After a colon with no list, the one sentence it introduces
    ("Working Together defines neglect as:" and the definition)."""
    if is_item(lead_in):
        return []
    colon = lead_in.rstrip().endswith(":")
    opens = _is_entry if colon else BULLETED.match
    following = registry.sentences_in(doc_id, end, end + LIST_REACH_CHARS)
    if colon and following and not opens(following[0].text):
        return following[:1]
    items: list[Sentence] = []
    carried = 0
    for sentence in following:
        if opens(sentence.text):
            items.append(sentence)
            carried = 0
        elif not items or carried >= CARRIED or sentence.text.rstrip().endswith(":"):
            break  # no list, the list has ended, or the next one begins
        else:
            carried += 1
        if len(items) >= LIST_ITEMS:
            break
    return items
