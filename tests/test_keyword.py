"""The BM25 keyword index (index.keyword): stores saved in the older flat layout still load."""

from __future__ import annotations

import json

from index.keyword import FORMAT, KeywordIndex


def test_keyword_index_in_the_older_flat_layout_loads_and_is_replaced(tmp_path):
    """Stores saved before the pointer layout keep their BM25 index; the next save moves it into a folder."""
    index = KeywordIndex.build(["a.txt@1#0", "b.txt@2#0"], ["front door referrals", "police told: child missing"], 3)
    folder = tmp_path / "bm25"
    index.retriever.save(str(folder), show_progress=False)
    meta = {"format": FORMAT, "generation": 3, "chunk_ids": index.chunk_ids}
    (folder / "ids.json").write_text(json.dumps(meta))
    loaded = KeywordIndex.load(folder)
    assert loaded is not None and set(loaded.scores("referrals")) == {"a.txt@1#0"}
    loaded.save(folder)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and names[0].startswith("data-") and names[1] == "ids.json"
    assert set(KeywordIndex.load(folder).scores("police")) == {"b.txt@2#0"}
