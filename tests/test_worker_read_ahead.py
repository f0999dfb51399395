"""The reader process reads the next file while the current one is embedded, and a file read ahead that is
not asked for after all never stands in for another."""

from __future__ import annotations

from pathlib import Path

from index.config import Settings
from ingest.parse import parse_file
from ingest.pipeline import file_sha256
from ingest.worker import ParseWorker
from tests.hostile import report_text


def _files(folder: Path, names: list[str]) -> list[tuple[Path, str, str, str, str]]:
    requests = []
    for i, name in enumerate(names):
        path = folder / name
        path.write_text(report_text(900 + i))
        requests.append((path, name, name, file_sha256(path), "default"))
    return requests


def test_the_next_file_is_read_before_it_is_asked_for(tmp_path):
    first, second = _files(tmp_path, ["a.txt", "b.txt"])
    settings = Settings.from_env(store=tmp_path / "store")
    with ParseWorker(settings) as reader:
        reader.read_ahead = second
        parsed_first = reader.parse(*first)
        # The second file's answer arrives without being asked for: it was read meanwhile.
        assert reader._conn.poll(120)
        parsed_second = reader.parse(*second)
    alone = parse_file(*second, settings)
    assert parsed_first.document.doc_id == "a.txt"
    assert parsed_second.document.doc_id == "b.txt"
    assert [c.text for c in parsed_second.chunks] == [c.text for c in alone.chunks]


def test_a_file_read_ahead_but_not_asked_for_is_dropped(tmp_path):
    first, skipped, third = _files(tmp_path, ["a.txt", "b.txt", "c.txt"])
    settings = Settings.from_env(store=tmp_path / "store")
    with ParseWorker(settings) as reader:
        reader.read_ahead = skipped  # refused before its turn (say it became a link): never asked for
        reader.parse(*first)
        parsed = reader.parse(*third)
    assert parsed.document.doc_id == "c.txt"
    assert [c.text for c in parsed.chunks] == [c.text for c in parse_file(*third, settings).chunks]
