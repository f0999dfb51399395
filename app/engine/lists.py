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


def is_item(text: str) -> bool:
    return bool(BULLETED.match(text) or ENUMERATED.match(text))


def list_items(registry: Registry, doc_id: str, lead_in: str, end: int) -> list[Sentence]:
    """The items of the list a sentence (lead_in, ending at `end`) leads in to: those that follow it at once
    (none when the next sentence is no item)."""
    if is_item(lead_in):
        return []
    opens = BULLETED.match if not lead_in.rstrip().endswith(":") else is_item
    following = registry.sentences_in(doc_id, end, end + LIST_REACH_CHARS)
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
