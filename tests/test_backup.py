"""Export and import round-trip the store; a tampered or unsafe archive is refused before extraction."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from helpers import run_cli

from index import vectors
from index.backup import ROOT
from index.config import Settings
from index.registry import Registry
from index.search import Searcher

QUERIES = ["how many referrals did the MASH get in 2018-19", "looked after children at year end", "board budget"]


def _results(store):
    searcher = Searcher(Settings.from_env(store=store))
    return [[(p.chunk_id, p.score) for p in searcher.search(q, k=5)] for q in QUERIES]


def _identity(store) -> tuple[str | None, str | None]:
    registry = Registry(store)
    try:
        return registry.meta("store_id"), registry.meta(vectors.COLLECTION_KEY)
    finally:
        registry.close()


def _assert_same_results(restored, original):
    """Same passages in the same order; scores equal up to float noise of the query embedding."""
    for got, want in zip(_results(restored), _results(original), strict=True):
        assert [chunk for chunk, _ in got] == [chunk for chunk, _ in want]
        assert [score for _, score in got] == pytest.approx([score for _, score in want], abs=0.005)


def _rewrite(archive, target, change):
    """Copy an archive member by member, letting change(name, data) alter a member's bytes."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as sink:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            data = change(member.name, data)
            if data is not None:
                member.size = len(data)
                sink.addfile(member, io.BytesIO(data))
            else:
                sink.addfile(member)


def test_export_import_round_trip_and_tampering(writable_store, tmp_path):
    archive = tmp_path / "store.tar.gz"
    run_cli("export", str(archive), store=writable_store, check=True)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert f"{ROOT}/manifest.json" in names and f"{ROOT}/registry.sqlite" in names
    restored = tmp_path / "restored"
    run_cli("import", str(archive), store=restored, check=True)
    # The copy gets a store id of its own (two stores never share a Chroma server collection); an embedded store
    # keeps the collection its own Chroma database holds, so the restored store opens its vectors.
    (old_id, old_collection), (new_id, new_collection) = _identity(writable_store), _identity(restored)
    assert new_collection == old_collection and new_collection and new_id and new_id != old_id
    _assert_same_results(restored, writable_store)
    assert json.loads(run_cli("docs", "--json", store=restored, check=True).stdout)[0]["chunks"] > 100
    # Importing over an existing store is refused: nothing already stored is lost.
    again = run_cli("import", str(archive), store=restored)
    assert again.returncode == 2 and "already holds a store" in again.stderr

    tampered = tmp_path / "tampered.tar.gz"

    def flip(name, data):
        if name.endswith("registry.sqlite"):
            return data[:-1] + bytes([data[-1] ^ 1])
        return data

    _rewrite(archive, tampered, flip)
    refused = run_cli("import", str(tampered), store=tmp_path / "fresh")
    assert refused.returncode == 2 and "checksum mismatch" in refused.stderr
    assert not (tmp_path / "fresh" / "registry.sqlite").exists()


def test_unsafe_archive_members_are_refused(tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        manifest = json.dumps({"format": 1, "files": {}}).encode()
        info = tarfile.TarInfo(f"{ROOT}/manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
        payload = b"owned"
        info = tarfile.TarInfo(f"{ROOT}/../../escaped.txt")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    result = run_cli("import", str(evil), store=tmp_path / "target")
    assert result.returncode == 2 and "unsafe path" in result.stderr
    assert not (tmp_path / "escaped.txt").exists()
    link = tmp_path / "link.tar.gz"
    with tarfile.open(link, "w:gz") as tar:
        info = tarfile.TarInfo(f"{ROOT}/registry.sqlite")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    result = run_cli("import", str(link), store=tmp_path / "target2")
    assert result.returncode == 2 and "link" in result.stderr
