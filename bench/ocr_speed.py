"""OCR speed and quality on a scanned report: python -m bench.ocr_speed [--pages 40] [PDF ...]

Makes a long PDF from real reports, scans it (tests/scans.py: greyscale, turned, noisy, JPEG), ingests the
scan and the original through the real pipeline into a temporary store, and compares them page by page:
seconds a page (wall, and the reader's CPU time over two cores, which does not depend on what else the
machine is doing), the share of the original's words the OCR read (word recall), and the share of its
sentences found word for word in the OCR'd text (and nearly: a letter or two misread). The target is 10 s
a scanned page or less on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

from index.config import Settings
from index.registry import Registry
from ingest.pipeline import ingest_paths
from ingest.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = ROOT.parent / "shared" / "corpus" / "external"
DEFAULT_SOURCES = [
    "ofsted-manchester-ilacs-inspection-2025.pdf",
    "ofsted-west-northamptonshire-focused-visit-2025.pdf",
    "northamptonshire-scp-thresholds-guidance-2022.pdf",
    "dfe-information-sharing-advice-safeguarding-2024.pdf",
]
TARGET_SECONDS = 10.0
MIN_SENTENCE_CHARS = 40  # shorter "sentences" are headings and labels
NEAR_MATCH = 95  # rapidfuzz partial_ratio: a sentence with a misread letter or two still counts as found


def _words(text: str) -> Counter:
    return Counter(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _page_texts(registry: Registry, doc_id: str) -> dict[int, tuple[str, str, float | None]]:
    """page -> (text, source, confidence) from the stored document."""
    text = registry.text_of(doc_id)
    starts = registry.page_starts(doc_id)
    out = {}
    for start, after in zip(starts, [*starts[1:], None], strict=True):
        end = after.start if after else len(text)
        out[start.page] = (text[start.start : end], start.source, start.confidence)
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(sources: list[Path], pages: int, keep: Path | None) -> dict:
    from tests.scans import concatenated, scanned_copy

    work = Path(keep or tempfile.mkdtemp(prefix="ocr-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    original_dir, scan_dir = work / "original", work / "scan"
    original_dir.mkdir(exist_ok=True)
    scan_dir.mkdir(exist_ok=True)
    original = concatenated(sources, original_dir / "report.pdf", pages)
    started = time.perf_counter()
    scanned_copy(original, scan_dir / "report-scan.pdf")
    scan_seconds = time.perf_counter() - started
    settings = Settings.from_env(store=work / "store")
    load_before = os.getloadavg()[0]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    scanned_report = ingest_paths([scan_dir], settings, progress=False)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before  # the reader process, joined when the ingest ends
    load_after = os.getloadavg()[0]
    print(f"ingested the scan: {wall:.0f} s wall, reader CPU {cpu:.0f} s, load {load_before:.1f} -> {load_after:.1f}")
    ingest_paths([original_dir], settings, progress=False)
    registry = Registry(settings.store)
    try:
        ocr_pages = _page_texts(registry, "report-scan.pdf")
        text_pages = _page_texts(registry, "report.pdf")
    finally:
        registry.close()
    found_words = total_words = found_sentences = near_sentences = total_sentences = 0
    confidences = []
    ocr_count = 0
    for page, (text, _, _) in text_pages.items():
        ocr_text, source, confidence = ocr_pages.get(page, ("", "", None))
        if source == "ocr":
            ocr_count += 1
        if confidence is not None:
            confidences.append(confidence)
        want, got = _words(text), _words(ocr_text)
        total_words += sum(want.values())
        found_words += sum((want & got).values())
        squashed = _squash(ocr_text)
        for sentence in split_sentences(text, 0):
            if len(sentence.text) >= MIN_SENTENCE_CHARS:
                total_sentences += 1
                key = _squash(sentence.text)
                found_sentences += key in squashed
                near_sentences += key in squashed or fuzz.partial_ratio(key, squashed) >= NEAR_MATCH
    count = max(1, len(ocr_pages))
    return {
        "pages": len(ocr_pages),
        "ocr_pages": ocr_count,
        "refused": scanned_report.refused,
        "scan_seconds": scan_seconds,
        "wall_per_page": wall / count,
        "cpu_per_page_2_cores": cpu / count / 2,
        "load": (load_before, load_after),
        "word_recall": found_words / max(1, total_words),
        "sentence_share": found_sentences / max(1, total_sentences),
        "near_share": near_sentences / max(1, total_sentences),
        "sentences": total_sentences,
        "confidence": sum(confidences) / max(1, len(confidences)),
        "work": str(work),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDFs to take pages from (default: public reports)")
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="folder for the PDFs and store (default: a temporary folder)")
    args = parser.parse_args()
    sources = args.pdfs or [EXTERNAL / name for name in DEFAULT_SOURCES]
    result = run(sources, args.pages, args.keep)
    if result["refused"]:
        print("refused:", result["refused"])
    rows = [
        ("pages scanned / OCR'd", f"{result['pages']} / {result['ocr_pages']}"),
        ("ingest seconds a page (wall)", f"{result['wall_per_page']:.1f}"),
        ("reader CPU seconds a page (all threads)", f"{2 * result['cpu_per_page_2_cores']:.1f}"),
        ("... shared over 2 cores", f"{result['cpu_per_page_2_cores']:.1f} (target <= {TARGET_SECONDS:g})"),
        ("load average before / after", "{:.1f} / {:.1f}".format(*result["load"])),
        ("word recall against the text layer", f"{result['word_recall']:.1%}"),
        ("sentences found word for word", f"{result['sentence_share']:.1%} of {result['sentences']}"),
        (f"sentences found at >= {NEAR_MATCH}% alignment", f"{result['near_share']:.1%}"),
        ("mean OCR confidence", f"{result['confidence']:.3f}"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure':<{width}} | value |\n|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")


if __name__ == "__main__":
    main()
