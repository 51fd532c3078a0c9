"""Zip extractor: members go to the dispatcher as their own documents, under hard limits."""
from __future__ import annotations

import zipfile

import pytest

import zip_builders as build
from cuiscan.errors import CorruptError, LimitExceeded
from cuiscan.extractors import extract_file, extract_source
from cuiscan.extractors.archive import extract_zip, safe_member_name
from cuiscan.extractors.base import Budget, DocContext, Source
from cuiscan.settings import Limits


def run_zip(data: bytes, limits: Limits | None = None, depth: int = 0):
    ctx = DocContext(ftype="zip", member=None, depth=depth, budget=Budget(limits or Limits()))
    extract_zip(Source(name="outer.zip", data=data), ctx)
    return ctx


def test_members_are_queued_with_their_bytes():
    report = build.docx_bytes("CUI\nQuarterly report")
    data = build.zip_bytes({"docs/": b"", "docs/report.docx": report, "notes.txt": b"hello"})
    ctx = run_zip(data)
    assert ctx.pending_members == [("docs/report.docx", report), ("notes.txt", b"hello")]
    assert ctx.blocks == [] and ctx.problems == []


def test_nested_zip_and_docx_members_get_container_paths(tmp_path):
    inner = build.zip_bytes({"part-7.pdf": build.pdf_bytes("CUI", "Drawing notes", "CUI"),
                             "notes.txt": b"plain notes"})
    outer = tmp_path / "outer.zip"
    outer.write_bytes(build.zip_bytes({"report.docx": build.docx_bytes("CUI"), "drawings.zip": inner}))
    docs = extract_file(str(outer))
    assert [(d.ftype, d.member) for d in docs] == [
        ("zip", None),
        ("docx", "report.docx"),
        ("zip", "drawings.zip"),
        ("pdf", "drawings.zip/part-7.pdf"),
        ("txt", "drawings.zip/notes.txt"),
    ]
    pdf = docs[3]
    assert [(b.text, b.loc.member, b.loc.page) for b in pdf.blocks] == [
        ("CUI", "drawings.zip/part-7.pdf", 1), ("Drawing notes", "drawings.zip/part-7.pdf", 1),
        ("CUI", "drawings.zip/part-7.pdf", 1)]
    assert docs[0].problems == () and docs[2].problems == ()


def test_zip_bomb_stops_before_expanding(tmp_path):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(build.zero_bomb(1024))
    assert bomb.stat().st_size < 2 * build.MIB
    (doc,) = extract_file(str(bomb))
    assert [p.reason for p in doc.problems] == ["limit"]
    assert "zip bomb" in doc.problems[0].message and "zeros.bin" in doc.problems[0].message


def test_ratio_limit_applies_to_big_members_only():
    # Both members compress about 1000:1; only the one that would also be big counts as a bomb.
    zeros = build.zip_bytes({"small.bin": b"\0" * 100_000, "big.bin": b"\0" * (2 * build.MIB)})
    ctx = DocContext(ftype="zip", member=None, depth=0, budget=Budget(Limits()))
    with pytest.raises(LimitExceeded, match=r"big.bin expands \d+:1, over the 200:1 limit"):
        extract_zip(Source(name="zeros.zip", data=zeros), ctx)
    assert [name for name, _ in ctx.pending_members] == ["small.bin"]


def test_stream_is_capped_by_the_remaining_archive_budget():
    data = build.zip_bytes({"a.bin": build.incompressible(2 * build.MIB), "b.bin": build.incompressible(2 * build.MIB)})
    with pytest.raises(LimitExceeded, match="b.bin expands past"):
        run_zip(data, Limits(archive_total=3 * build.MIB))


def test_oversized_member_is_skipped_and_the_rest_read():
    data = build.zip_bytes({"video.bin": build.incompressible(5000), "memo.txt": b"CUI memo"})
    ctx = run_zip(data, Limits(member_size=4000))
    assert [name for name, _ in ctx.pending_members] == ["memo.txt"]
    assert [(p.reason, p.message) for p in ctx.problems] == [
        ("limit", "member video.bin declares 5000 bytes, over the 4000-byte limit; not read")]


def test_encrypted_members_are_reported_and_skipped():
    data = build.mark_encrypted(build.zip_bytes({"secret.pdf": b"%PDF-1.7 ...", "other.txt": b"x"}))
    ctx = run_zip(data)
    assert ctx.pending_members == []
    assert [(p.reason, p.message) for p in ctx.problems] == [
        ("encrypted", "member secret.pdf is encrypted"), ("encrypted", "member other.txt is encrypted")]


def test_nesting_beyond_the_depth_limit_is_a_limit_problem(tmp_path):
    chain = tmp_path / "l1.zip"
    chain.write_bytes(build.nested_chain(7))
    docs = extract_file(str(chain), Limits(archive_depth=5))
    members = [d.member for d in docs]
    assert members == [None, "l2.zip", "l2.zip/l3.zip", "l2.zip/l3.zip/l4.zip", "l2.zip/l3.zip/l4.zip/l5.zip",
                       "l2.zip/l3.zip/l4.zip/l5.zip/l6.zip"]
    deepest = docs[-1]
    assert [(p.reason, p.message) for p in deepest.problems] == [
        ("limit", "nesting deeper than 5 levels at l2.zip/l3.zip/l4.zip/l5.zip/l6.zip/l7.zip")]
    assert all(d.problems == () for d in docs[:-1])


def test_member_count_limit_checked_from_the_directory():
    data = build.zip_bytes({f"f{i}.txt": b"x" for i in range(5)})
    with pytest.raises(LimitExceeded, match="lists 5 members"):
        run_zip(data, Limits(archive_members=3))


def test_unsafe_names_are_escaped_and_flagged():
    data = build.zip_bytes({"../../etc/passwd": b"root", "/abs/path.txt": b"a", "evil\x1b[2J.txt": b"b",
                            "C:\\win.txt": b"c", "fine/name.txt": b"d"})
    ctx = run_zip(data)
    assert [name for name, _ in ctx.pending_members] == [
        "../../etc/passwd", "/abs/path.txt", "evil\\x1b[2J.txt", "C:\\win.txt", "fine/name.txt"]
    assert ctx.facts["unsafe_member_names"] == ("../../etc/passwd", "/abs/path.txt", "evil\\x1b[2J.txt",
                                                "C:\\win.txt")


def test_safe_member_name():
    assert safe_member_name("a/b.txt") == ("a/b.txt", False)
    assert safe_member_name("a/../b") == ("a/../b", True)
    assert safe_member_name("rtl\u202etxt.exe") == ("rtl\\x202etxt.exe", True)


def test_damaged_member_is_a_problem_and_the_rest_is_read():
    data = bytearray(build.zip_bytes({"bad.txt": b"A" * 5000, "good.txt": b"fine"}, zipfile.ZIP_STORED))
    pos = data.find(b"A" * 100)
    data[pos:pos + 10] = b"B" * 10  # the stored CRC no longer matches
    ctx = run_zip(bytes(data))
    assert [name for name, _ in ctx.pending_members] == ["good.txt"]
    assert [p.reason for p in ctx.problems] == ["corrupt"]
    assert ctx.problems[0].message.startswith("member bad.txt could not be read (BadZipFile")


def test_truncated_zip_is_corrupt():
    data = build.zip_bytes({"a.txt": b"hello" * 100})
    with pytest.raises(CorruptError, match="not a readable zip archive"):
        run_zip(data[: len(data) // 2])
    (doc,) = extract_source(Source(name="cut.zip", data=data[:30]), Limits())
    assert (doc.ftype, [p.reason for p in doc.problems]) == ("zip", ["corrupt"])


def test_empty_zip_has_no_members():
    ctx = run_zip(build.zip_bytes({}))
    assert (ctx.pending_members, ctx.problems) == ([], [])
