"""A mail archive of many GB under the default limits: an mbox is not skipped for its size (it is
read one message at a time), and each message is bounded as a file of its own (archive_total,
member_size), while what bounds the memory of the whole file (max_blocks) and the number of
messages (archive_members) still holds for the mbox."""
from __future__ import annotations

from email_builders import by_member, plain_message, write
from test_email_mbox_msg import _mbox

from cuiscan.discovery import iter_files
from cuiscan.extractors import extract_file
from cuiscan.settings import Limits, Settings


def _with_attachment(n: int, size: int):
    msg = plain_message(f"CUI\n(CUI) Message {n}: the export is attached.\nCUI", subject=f"Export {n}")
    msg.add_attachment(("row,value\n" * (size // 10)).encode(), maintype="text", subtype="csv",
                       filename=f"export-{n}.csv")
    return msg


def test_an_mbox_over_the_size_limit_is_scanned_other_files_are_skipped(tmp_path):
    write(tmp_path, "archive.mbox", _mbox(*(_with_attachment(n, 2_000) for n in range(3))))
    (tmp_path / "log.txt").write_bytes(b"From the start this is a log line\n" * 200)        # not an mbox
    (tmp_path / "named.mbox").write_bytes(b"Subject: no From line\n\n" + b"x" * 5000)      # named so, not one
    found = {ref.path.rsplit("/", 1)[-1]: ref for ref in iter_files([str(tmp_path)], Settings(limits=Limits(max_file_size=1000)))}
    assert found["archive.mbox"].skip_reason is None
    assert found["log.txt"].skip_reason.startswith("over the size limit")
    assert found["named.mbox"].skip_reason.startswith("over the size limit")


def test_archive_total_bounds_each_message_not_the_whole_mbox(tmp_path):
    path = write(tmp_path, "archive.mbox", _mbox(*(_with_attachment(n, 30_000) for n in range(1, 5))))
    docs = by_member(extract_file(str(path), Limits(archive_total=80_000)))
    # 4 messages of ~41 KB (+ a 30 KB decoded attachment each): ~280 KB read in all, ~71 KB per message
    assert [m for m in docs if m] == [f"message-{n}.eml{part}" for n in range(1, 5) for part in ("", f"/export-{n}.csv")]
    assert all(doc.problems == () for doc in docs.values())


def test_a_message_over_its_bounds_is_noted_and_the_next_one_read(tmp_path):
    small, big = _with_attachment(1, 1_000), _with_attachment(2, 60_000)
    path = write(tmp_path, "archive.mbox", _mbox(small, big, _with_attachment(3, 1_000)))
    docs = by_member(extract_file(str(path), Limits(member_size=50_000)))
    [problem] = docs[None].problems
    assert problem.reason == "limit" and problem.message.startswith("message-2.eml not read: member message-2.eml is ")
    assert {"message-1.eml", "message-1.eml/export-1.csv", "message-3.eml", "message-3.eml/export-3.csv"} <= set(docs)
    assert "message-2.eml" not in docs
    # a message whose attachment spends archive_total (~80 KB message + 60 KB decoded): noted on it,
    # the next message read afresh
    docs = by_member(extract_file(str(path), Limits(archive_total=100_000)))
    assert [p.reason for p in docs["message-2.eml"].problems] == ["limit"]
    assert "message-2.eml/export-2.csv" not in docs and "message-3.eml/export-3.csv" in docs


def test_blocks_still_bound_the_whole_mbox(tmp_path):
    path = write(tmp_path, "archive.mbox", _mbox(*(_with_attachment(n, 2_000) for n in range(1, 30))))
    docs = extract_file(str(path), Limits(max_blocks=2_000))   # ~210 blocks per message
    top = by_member(docs)[None]
    assert [p.reason for p in top.problems] == ["limit"] and "runs of text" in top.problems[0].message
    assert 1 < sum(1 for d in docs if d.member and "/" not in d.member) < 29


def test_a_big_mbox_gets_the_timeout_once_per_max_file_size_of_it():
    from cuiscan.records import FileRef
    from cuiscan.workers import file_timeout

    limits = Limits()   # 120 s, 512 MiB
    mbox = FileRef("/s/archive.mbox", "/s", size=2 * 1024**3 + 1, mtime_ns=0)
    assert file_timeout(mbox, limits) == 5 * 120.0
    assert file_timeout(FileRef("/s/a.mbox", "/s", size=100, mtime_ns=0), limits) == 120.0
    skipped = FileRef("/s/big.bin", "/s", size=3 * 1024**3, mtime_ns=0, skip_reason="over the size limit")
    assert file_timeout(skipped, limits) == 120.0
    assert file_timeout(mbox, Limits(timeout=0)) == 0


def test_an_mbox_over_the_size_limit_is_scanned_end_to_end(tmp_path):
    from cuiscan.pipeline import Inspector
    from cuiscan.records import Assessment, Status
    from cuiscan.workers import run_tasks

    write(tmp_path, "archive.mbox", _mbox(*(_with_attachment(n, 2_000) for n in range(1, 4))))
    settings = Settings(jobs=1, limits=Limits(max_file_size=5_000))
    [result] = run_tasks(((ref, None) for ref in iter_files([str(tmp_path)], settings)), Inspector.from_settings(settings), 1)
    assert (result.status, result.assessment) == (Status.INSPECTED, Assessment.MARKED_CUI)
    assert not [f for f in result.findings if f.rule_id == "SCAN-001"]
