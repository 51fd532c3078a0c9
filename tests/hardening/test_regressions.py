"""Regression tests for what the hardening work found, each with its minimal input built here.

Part 1 pins bugs fixed in the extractor dispatcher, the zip extractor, the PDF backends and the
worker pool. Part 2 holds bugs in modules owned by others (detection/packs.py, pipeline.py,
inventory/store.py): these tests fail until those modules are fixed; the report names each one.
"""
from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from hardening_helpers import MIB, make_hostile
from cuiscan.detection import Detector
from cuiscan.discovery import iter_files
from cuiscan.extractors import extract_file, extract_source
from cuiscan.extractors.base import Source
from cuiscan.pipeline import Inspector
from cuiscan.records import Assessment, FileResult, Finding, Location, ScanCounts, Severity, Status, Zone
from cuiscan.settings import Limits, Settings
from cuiscan.workers import run_tasks

SSN = "123-45-6789"


def _limit_problems(docs) -> list[str]:
    return [p.message for d in docs for p in d.problems if p.reason == "limit"]


# --- part 1: fixed ------------------------------------------------------------------------------

def test_nested_bomb_members_are_streamed_not_all_held_at_once():
    """Found: the dispatcher queued every member's bytes breadth-first, so a 1.2 MB nested zip
    (1000 leaves of 1 MiB zeros, under every limit) held ~1 GB at once. Members now go depth first."""
    bomb = make_hostile().nested_bomb(levels=2, fan=10)   # 100 leaves of 1 MiB: 100 MiB if all held
    tracemalloc.start()
    try:
        docs = extract_source(Source("nested.zip", data=bomb), Limits())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(docs) == 1 + 10 + 100 + 100 and _limit_problems(docs) == []   # zip, 10 zips, 100 zips, 100 leaves
    assert peak < 16 * MIB, f"peak {peak / MIB:.0f} MiB"


def test_spent_member_budget_stops_every_open_container():
    """Found: after the member limit each remaining leaf zip was still opened and its member inflated
    before being refused: 9,000 limit problems (SCAN-001 findings) and 9 GB of inflating for one file."""
    bomb = make_hostile().nested_bomb(levels=3, fan=10)
    started = time.monotonic()
    docs = extract_source(Source("nested.zip", data=bomb), Limits(archive_members=50))
    assert time.monotonic() - started < 3
    limits = _limit_problems(docs)
    assert 1 <= len(limits) <= 4 and all(m == "more than 50 members" for m in limits), limits
    assert len(docs) <= 52


def test_archive_total_running_out_inside_a_member_stops_the_siblings_too():
    """Found: 'expands past N bytes' (the remaining archive total) was not sticky: 285 siblings each
    inflated their member up to the cap and failed in turn."""
    docs = extract_source(Source("nested.zip", data=make_hostile().nested_bomb(levels=2, fan=10)),
                          Limits(archive_total=5 * MIB))
    limits = _limit_problems(docs)
    assert 1 <= len(limits) <= 3 and all("expand" in m for m in limits), limits


def test_block_budget_caps_files_of_tiny_lines(tmp_path):
    """Found: max_text counts characters, but each line costs ~1 KB and ~35 us through the pipeline:
    2 MB of one-character lines took 1 GB and 36 s to inspect (4 MB: past the worker cap)."""
    lines = tmp_path / "lines.txt"
    lines.write_bytes(b"a\n" * 300_000)
    [doc] = extract_file(str(lines))
    assert len(doc.blocks) == 250_000
    assert [p.reason for p in doc.problems] == ["limit"] and "250000 runs of text" in doc.problems[0].message


def test_block_budget_is_shared_by_all_members_of_a_file():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("one.txt", "two.txt", "three.txt", "four.txt"):
            zf.writestr(name, b"a\n" * 40_000)
    docs = extract_source(Source("lines.zip", data=buf.getvalue()), Limits(max_blocks=100_000))
    assert sum(len(d.blocks) for d in docs) == 100_000
    assert [d.member for d in docs] == [None, "one.txt", "two.txt", "three.txt"]   # four.txt never opened
    assert len(_limit_problems(docs)) == 2   # the member cut short, and the zip that stopped there


def _pdf_with_broken_content_stream() -> bytes:
    """One byte off in an uncompressed content stream: pypdf raises, quoting the bytes around it."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(0, 8, f"SSN {SSN} employee record")
    return bytes(pdf.output()).replace(b"11.00 Tf", b"11|00 Tf", 1)


def test_pdf_problem_messages_do_not_quote_page_text():
    """Found: pypdf's exception text ("Invalid Elementary Object ... b'... (SSN 123-45-6789 ...'")
    went into the SCAN-001 message, i.e. into the inventory and every report."""
    pdf = _pdf_with_broken_content_stream()
    docs = extract_source(Source("record.pdf", data=pdf), Limits(), pdf_backend="pypdf")
    [problem] = docs[0].problems
    assert problem.reason == "corrupt" and problem.message.startswith("page 1 could not be read (PdfReadError: ")
    assert SSN not in problem.message and "employee" not in problem.message


def test_pypdf_logs_nothing_of_the_document(caplog, capsys):
    """Found: pypdf logs every repair at WARNING quoting the raw bytes (page text included); with no
    logging configured, Python's last-resort handler printed them on the scan's stderr."""
    data = _pdf_with_broken_content_stream().replace(b"(SSN", b"<<SN", 1)
    with caplog.at_level(logging.DEBUG):
        extract_source(Source("record.pdf", data=data), Limits(), pdf_backend="pypdf")
    said = caplog.text + capsys.readouterr().err
    assert SSN not in said and "employee" not in said


def test_zip_member_problem_does_not_quote_the_member_bytes():
    """Found by the atheris zip target: with a local header whose name length runs into the data,
    zipfile's BadZipFile quotes "header b'readme.txtSSN 123-45-6789 ...'" and the archive extractor
    copied it into the SCAN-001 message."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("readme.txt", f"SSN {SSN} employee record\n")
    data = bytearray(buf.getvalue())
    data[26:28] = (40).to_bytes(2, "little")   # local header: file name length 10 -> 40
    [doc] = extract_source(Source("bundle.zip", data=bytes(data)), Limits())
    [problem] = doc.problems
    assert problem.reason == "corrupt" and problem.message.startswith("member readme.txt could not be read (BadZipFile")
    assert SSN not in problem.message and "employee" not in problem.message


def test_lone_surrogates_from_ooxml_escapes_become_replacement_characters():
    """Found: '_xDC00_' in a docx header unescapes to a lone surrogate; the inventory flush could not
    encode it and the whole scan ended with a traceback and no report (one file, any share user)."""
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "CUI_xDC00_"
    d.add_paragraph("(CUI) body _xD800_ text")
    buf = io.BytesIO()
    d.save(buf)
    [doc] = extract_source(Source("s.docx", data=buf.getvalue()), Limits())
    texts = [b.text for b in doc.blocks]
    assert "CUI\ufffd" in texts and "(CUI) body \ufffd text" in texts
    for text in texts:
        text.encode("utf-8")


def _failing_assessment(monkeypatch, name: str, exc: Exception) -> None:
    """The stage after extraction raises for one file (a bug there), as forked workers inherit."""
    import cuiscan.pipeline as pipeline

    real = pipeline.inspect_docs

    def assess(base, docs, engine, *rest):      # rest: the profile a folder's cuiscan.toml sets
        if base.path.endswith(name):
            raise exc
        return real(base, docs, engine, *rest)

    monkeypatch.setattr(pipeline, "inspect_docs", assess)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bug_after_extraction_costs_one_file_in_process_too(tmp_path, monkeypatch, jobs):
    """Found: --jobs 1 (also the default on a one-CPU machine) had no last line of defence: an
    unexpected exception after extraction ended the whole scan. The message keeps no quoted input."""
    for name in ("a.txt", "bug.txt", "z.txt"):
        (tmp_path / name).write_text(f"text of {name}\n")
    _failing_assessment(monkeypatch, "bug.txt", KeyError(f"SSN {SSN}"))
    settings = Settings(jobs=jobs)
    engine = Inspector.from_settings(settings, Detector.load(settings, use_model=False))
    results = {os.path.basename(r.path): r for r in
               run_tasks(((ref, None) for ref in iter_files([str(tmp_path)], settings)), engine, jobs)}
    bug = results["bug.txt"]
    assert bug.status is Status.FAILED
    assert bug.status_reason == "corrupt: internal error while inspecting: KeyError: '…'"
    assert results["a.txt"].status is Status.INSPECTED and results["z.txt"].status is Status.INSPECTED


# --- part 2: bugs in modules owned by others (fail until fixed) ----------------------------------

def _real_rules() -> dict[str, tuple[str, dict]]:
    """One real rule of each kind from the shipped packs: (family, rule)."""
    from cuiscan.detection.packs import default_packs_dir

    found: dict[str, tuple[str, dict]] = {}
    for path in sorted(default_packs_dir().glob("*.yaml")):
        pack = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in pack["rules"]:
            found.setdefault(rule["kind"], (pack["family"], rule))
    return found


def _load_pack_text(tmp_path: Path, text: str):
    from cuiscan.detection.matching import RuleEngine
    from cuiscan.detection.packs import load_packs
    import spacy

    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    rules = load_packs(str(tmp_path))
    RuleEngine(rules.rules, spacy.blank("en"))   # what Detector.load does next


# (rule kind, field path, bad value): each found by the packs fuzz target and its field sweep.
BAD_FIELDS = [
    ("pattern", ("factor",), None), ("pattern", ("factor",), ""), ("pattern", ("score",), None),
    ("pattern", ("score",), ""), ("pattern", ("category",), []), ("pattern", ("anchors",), None),
    ("pattern", ("applies_to",), -1), ("pattern", ("references",), None), ("pattern", ("examples",), -1),
    ("pattern", ("examples", "match"), -1), ("pattern", ("examples", "no_match"), -1),
    ("pattern", ("kind",), "token"), ("phrase", ("min_distinct",), ""),
    ("phrase", ("min_distinct",), float("inf")), ("token", ("patterns",), ["x", None, 3]),
    ("token", ("patterns", 0), ""), ("token", ("context",), -1), ("token", ("context",), {"words": None}),
    ("token", ("context", "window"), None), ("token", ("context", "window"), float("inf")),
]


@pytest.mark.parametrize("kind, field, value", BAD_FIELDS, ids=lambda v: repr(v)[:30])
def test_packs_bad_field_types_are_a_config_error(tmp_path, kind, field, value):
    """detection/packs.py: a wrongly typed field must be a ConfigError naming the rule, not a traceback."""
    from cuiscan.errors import ConfigError

    family, rule = _real_rules()[kind]
    rule = yaml.safe_load(yaml.safe_dump(rule))
    node = rule
    for key in field[:-1]:
        node = node.setdefault(key, {}) if isinstance(key, str) else node[key]
    node[field[-1]] = value
    text = yaml.safe_dump({"family": family, "title": "t", "sources": [{"source": "s", "date": "2026-12-06"}], "rules": [rule]}, sort_keys=False)
    with pytest.raises(ConfigError):
        _load_pack_text(tmp_path, text)


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_packs_whose_top_level_is_not_a_mapping_are_a_config_error(tmp_path, text):
    """detection/packs.py: `data.get("family")` on a list / str / int raised AttributeError."""
    from cuiscan.errors import ConfigError

    with pytest.raises(ConfigError):
        _load_pack_text(tmp_path, text)


def test_pack_with_a_yaml_alias_bomb_is_refused_quickly(tmp_path):
    """detection/packs.py: 1 KB of YAML aliases (9^9 expansion) in `summary` hung the loader (str()
    of the expanded list). Run in a child so that the hang cannot take the test suite with it."""
    family, rule = _real_rules()["pattern"]
    anchors = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
    body = yaml.safe_dump({"family": family, "title": "t", "sources": [{"source": "s", "date": "2026-12-06"}], "rules": [dict(rule, summary="SUMMARY")]}, sort_keys=False)
    (tmp_path / "pack.yaml").write_text(anchors + body.replace("summary: SUMMARY", "summary: *a8"), encoding="utf-8")
    code = ("import sys\nfrom cuiscan.detection.packs import load_packs\nfrom cuiscan.errors import ConfigError\n"
            "try:\n    load_packs(sys.argv[1])\nexcept ConfigError:\n    print('config error')\n")
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=6)
    except subprocess.TimeoutExpired:
        pytest.fail("loading a 1 KB rule pack did not finish within 6 s (YAML alias expansion)")
    assert proc.stdout.strip() == "config error", proc.stderr[-500:]


def _swap_after_discovery(tmp_path, swap) -> tuple[FileResult, float]:
    (tmp_path / "share").mkdir()
    target = tmp_path / "share" / "report.txt"
    target.write_text("CUI\nordinary report\nCUI\n")
    settings = Settings(jobs=2, limits=Limits(timeout=3))
    refs = list(iter_files([str(tmp_path / "share")], settings))
    target.unlink()
    swap(target)
    engine = Inspector.from_settings(settings, Detector.load(settings, use_model=False))
    started = time.monotonic()
    [result] = run_tasks(((ref, None) for ref in refs), engine, 2)
    return result, time.monotonic() - started


def test_file_replaced_by_a_fifo_after_discovery_fails_at_once(tmp_path):
    """pipeline.py (sha256_file): open() on a FIFO blocks until a writer comes; the worker hangs for
    the whole per-file timeout (120 s by default). Open with O_NONBLOCK and check S_ISREG on the fd."""
    result, seconds = _swap_after_discovery(tmp_path, os.mkfifo)
    assert result.status is Status.FAILED and not result.status_reason.startswith("timeout"), result.status_reason
    assert seconds < 2


def test_file_replaced_by_a_symlink_to_a_device_after_discovery_fails_at_once(tmp_path):
    """pipeline.py (sha256_file): a symlink to /dev/zero is hashed forever (until the timeout)."""
    result, seconds = _swap_after_discovery(tmp_path, lambda p: os.symlink("/dev/zero", p))
    assert result.status is Status.FAILED and not result.status_reason.startswith("timeout"), result.status_reason
    assert seconds < 2


def test_file_replaced_by_a_symlink_out_of_scope_is_not_read(tmp_path):
    """pipeline.py / extractors: discovery does not follow symlinks, but inspection opens the path
    and follows one planted after the listing: anyone who can write to the share makes the scanner
    (often root) read and report on any file, e.g. record its CUI banner under their path. Open with
    O_NOFOLLOW (unless follow_symlinks) and compare st_dev/st_ino with the discovered FileRef."""
    outside = tmp_path / "outside.txt"
    outside.write_text("CUI//SP-PRVCY\nsomeone else's record\nCUI//SP-PRVCY\n")
    result, _ = _swap_after_discovery(tmp_path, lambda p: os.symlink(outside, p))
    assert result.status is Status.FAILED and result.banner is None and result.sha256 is None


def test_inventory_stores_a_result_whose_text_cannot_be_encoded(tmp_path):
    """inventory/store.py: one result with a lone surrogate (here in a finding's evidence) made the
    batch INSERT raise UnicodeEncodeError at flush: the whole batch lost and the scan ended with a
    traceback. Store it (replacing the character) or fail that one result with a reason."""
    from cuiscan.inventory.store import Inventory

    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    scan_id = inv.begin_scan("dod", [str(tmp_path)], {"tool": "t"})
    finding = Finding(rule_id="BANNER-001", severity=Severity.ERROR, message="bad banner",
                      location=Location(zone=Zone.HEADER), evidence="CUI\udc00", fingerprint="f" * 16)
    good = FileResult(path=str(tmp_path / "good.txt"), root=str(tmp_path), ftype="txt", size=1, mtime_ns=1, inode=1,
                      sha256="0" * 64, status=Status.INSPECTED, assessment=Assessment.NOT_CUI)
    bad = replace(good, path=str(tmp_path / "bad.docx"), ftype="docx", banner="CUI\udc00", findings=(finding,))
    inv.record(scan_id, good)
    inv.record(scan_id, bad)
    inv.finish_scan(scan_id, ScanCounts(files_seen=2, inspected=2))
    assert inv.previous(good.path) is not None and inv.previous(bad.path) is not None
