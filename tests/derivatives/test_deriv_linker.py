"""The linker across a scan and between scans: crawl order, reused results, removals, storage."""
from __future__ import annotations

import pickle
import sqlite3
from dataclasses import replace

import numpy as np
import pytest
from deriv_linking import check, inspected
from deriv_builders import SPEC_PARAGRAPHS, docx_with, eml_with, excerpt, marked_spec_docx, textwrap

from cuiscan.derivatives import DocPrint, LinkOptions, Linker
from cuiscan.derivatives.codec import blob_hashes, decode_prints, encode_prints
from cuiscan.records import Assessment, FileResult, Status
from cuiscan.settings import Settings


def _deriv(result: FileResult) -> list:
    return [f for f in result.findings if f.rule_id == "DERIV-001"]


@pytest.fixture
def files(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    spec = marked_spec_docx(share / "spec.docx")
    body = "Notes from the design review.\n\n" + textwrap.fill(excerpt(2), 72) + "\n\nSam\n"
    copy = eml_with(share / "aaa-copy.eml", body)
    other = docx_with(share / "other.docx", ["Lunch is at noon in the atrium.",
                                                          "Parking is limited this week."])
    return spec, copy, other


def _reuse(result: FileResult) -> FileResult:
    """What the pipeline hands over for an unchanged file: the stored result, without fingerprints."""
    return replace(result, status=Status.UNCHANGED, prints=b"")


def test_derivative_crawled_before_its_source_is_found_at_finish(linker, files):
    spec, copy, other = files
    first = linker.process(inspected(copy, Assessment.NOT_CUI))
    assert first.assessment is Assessment.NOT_CUI and not _deriv(first)
    linker.process(inspected(other, Assessment.NOT_CUI))
    linker.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    updated = linker.finish()
    assert [r.path for r in updated] == [str(copy)]
    [result] = updated
    assert result.assessment is Assessment.DERIVATIVE
    assert str(spec) in _deriv(result)[0].evidence
    assert linker.finish() == []      # the scan's state is gone


def test_crawl_order_does_not_change_the_finding(tmp_path, conn, files):
    spec, copy, _ = files
    early = Linker(conn, LinkOptions.from_settings(Settings()))
    early.ensure_schema()
    early.process(inspected(copy, Assessment.NOT_CUI))
    early.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    [late_found] = early.finish()

    other_conn = sqlite3.connect(tmp_path / "second.sqlite")
    normal = Linker(other_conn, LinkOptions.from_settings(Settings()))
    normal.ensure_schema()
    normal.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    [found] = [check(normal, inspected(copy, Assessment.NOT_CUI))]
    a, b = _deriv(late_found)[0], _deriv(found)[0]
    assert (a.message, a.evidence, a.location, a.fingerprint) == (b.message, b.evidence, b.location, b.fingerprint)


def test_unchanged_files_stay_sources_and_candidates(conn, files):
    spec, copy, _ = files
    first = Linker(conn, LinkOptions.from_settings(Settings()))
    first.ensure_schema()
    spec_result = first.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    copy_result = check(first, inspected(copy, Assessment.NOT_CUI))
    assert _deriv(copy_result)

    # Next scan: both reused from the inventory, copy first. Still a derivative, no change to record.
    second = Linker(conn, LinkOptions.from_settings(Settings()))
    again = second.process(_reuse(copy_result))
    assert again.assessment is Assessment.DERIVATIVE and _deriv(again)
    assert second.process(_reuse(spec_result)) == _reuse(spec_result)
    assert second.finish() == []


def test_unchanged_candidate_meets_a_new_source(tmp_path, conn, files):
    spec, copy, _ = files
    first = Linker(conn, LinkOptions.from_settings(Settings()))
    first.ensure_schema()
    copy_result = first.process(inspected(copy, Assessment.NOT_CUI))
    assert not _deriv(copy_result)
    first.finish()
    # Next scan: the spec is new on the share, crawled after the unchanged copy.
    second = Linker(conn, LinkOptions.from_settings(Settings()))
    assert not _deriv(second.process(_reuse(copy_result)))
    second.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    [updated] = second.finish()
    assert updated.path == str(copy) and updated.assessment is Assessment.DERIVATIVE


def test_source_removed_or_unmarked(conn, files, tmp_path):
    spec, copy, _ = files
    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    link.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    copy_result = check(link, inspected(copy, Assessment.NOT_CUI))
    assert _deriv(copy_result)
    link.forget(str(spec))
    link.flush()
    assert conn.execute("SELECT count(*) FROM deriv_posting").fetchone()[0] == 0
    # The stored derivative, reused, is checked again and falls back to its content verdict.
    next_scan = Linker(conn, LinkOptions.from_settings(Settings()))
    next_scan.process(_reuse(copy_result))
    [back] = next_scan.finish()
    assert back.assessment is Assessment.NOT_CUI and not _deriv(back)

    # A file that loses its marking stops being a source (and is not a derivative of itself).
    link.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    unmarked = check(link, inspected(spec, Assessment.NOT_CUI))
    assert not _deriv(unmarked)
    assert conn.execute("SELECT count(*) FROM deriv_file WHERE kind = 'source'").fetchone()[0] == 0


def test_changed_source_replaces_its_old_content(conn, files, tmp_path):
    spec, copy, _ = files
    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    link.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    marked_spec_docx(spec, paragraphs=SPEC_PARAGRAPHS[3:])      # rewritten: paragraph 2 is gone
    link.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    link.flush()
    assert conn.execute("SELECT count(*) FROM deriv_content").fetchone()[0] == 1
    assert not _deriv(check(link, inspected(copy, Assessment.NOT_CUI)))


def test_not_inspected_and_classified_results_pass_through(linker, files):
    spec, copy, _ = files
    linker.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    failed = replace(inspected(copy, Assessment.UNKNOWN), status=Status.FAILED, prints=b"")
    assert linker.process(failed) is failed
    classified = inspected(copy, Assessment.CLASSIFIED)
    assert linker.process(classified) is classified


def test_no_text_reaches_the_inventory(tmp_path, conn, files):
    spec, copy, _ = files
    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    link.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    link.process(inspected(copy, Assessment.NOT_CUI))
    link.finish()
    conn.commit()
    conn.execute("VACUUM")
    raw = (tmp_path / "inventory.sqlite").read_bytes().lower()
    assert b"deriv_content" in raw         # the tables are there, and readable as bytes
    for word in ("polyalphaolefin", "centrifugal", "kilopascals", "thermocouples", "spectrometer", "gallium",
                 "exchanger", "auxiliary", "reservoir", "northwind"):
        assert word.encode() not in raw, word


def test_docprint_pickles_and_encodes(files):
    spec, _, _ = files
    prints = decode_prints(inspected(spec, Assessment.MARKED_CUI).prints)
    assert prints and all(isinstance(p, DocPrint) for p in prints)
    assert pickle.loads(pickle.dumps(prints)) == prints
    assert decode_prints(encode_prints(prints)) == prints
    dp = prints[0]
    assert dp.count == len(dp.hash_array()) and np.all(np.diff(dp.position_array().astype(np.int64)) > 0)
    # Density of winnowing with a window of 6: about 2/7 of the words' k-grams are kept.
    assert 0.15 < dp.count / dp.words < 0.45


def test_hashes_shared_by_many_sources_are_ignored(tmp_path, conn):
    """A passage that every source carries (an in-house template paragraph) is boilerplate."""
    template = excerpt(4)
    link = Linker(conn, LinkOptions.from_settings(Settings()), common_cap=4)
    link.ensure_schema()
    for i in range(5):
        body = [template, f"Unit {i} of the program has its own paragraph number {i}, different from the rest "
                          f"and short enough to matter little for sharing across many source documents."]
        link.process(inspected(docx_with(tmp_path / f"src{i}.docx", body), Assessment.MARKED_CUI, ("CTI",)))
    copy = docx_with(tmp_path / "copy.docx", ["Our template says:", template])
    assert not _deriv(check(link, inspected(copy, Assessment.NOT_CUI)))
    # Below the cap the same passage is found.
    few = Linker(conn, LinkOptions.from_settings(Settings()), common_cap=50)
    assert _deriv(check(few, inspected(copy, Assessment.NOT_CUI)))


def test_source_removed_during_the_scan_clears_the_findings_at_finish(linker, conn, files):
    spec, copy, _ = files
    linker.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    found = check(linker, inspected(copy, Assessment.NOT_CUI))
    assert _deriv(found)
    next_scan = Linker(conn, LinkOptions.from_settings(Settings()))
    next_scan.process(_reuse(found))
    next_scan.forget(str(spec))        # the crawl found the spec gone
    [updated] = next_scan.finish()
    assert updated.path == str(copy) and updated.assessment is Assessment.NOT_CUI and not _deriv(updated)


def test_a_file_deleted_during_the_scan_is_not_returned_by_finish(linker, files):
    spec, copy, _ = files
    linker.process(inspected(copy, Assessment.NOT_CUI))
    linker.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    linker.forget(str(copy))
    assert linker.finish() == []


def test_memory_snapshot_answers_like_the_sql_index(tmp_path, conn):
    """The end-of-scan matcher reads the index into memory when it is worth it: same answers."""
    from cuiscan.derivatives.matcher import Thresholds, find_sources
    from cuiscan.derivatives.snapshot import PostingSnapshot

    template = excerpt(4)
    link = Linker(conn, LinkOptions.from_settings(Settings()), common_cap=3)
    link.ensure_schema()
    for i in range(5):      # more sources than the cap share the template: at most 3 postings per hash
        body = [template, excerpt(i % 3)]
        link.process(inspected(docx_with(tmp_path / f"src{i}.docx", body), Assessment.MARKED_CUI, ("CTI",)))
    link.flush()
    link.index.write_pending()     # a scan's postings wait for its end
    assert conn.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM deriv_posting GROUP BY hash)").fetchone()[0] == 3
    copy = inspected(docx_with(tmp_path / "copy.docx", ["Our notes:", excerpt(1), template]), Assessment.NOT_CUI)
    prints = decode_prints(copy.prints)
    in_sql = find_sources(prints, link.index, Thresholds())
    in_memory = find_sources(prints, PostingSnapshot(link.index), Thresholds())
    assert in_sql and in_sql == in_memory
    import numpy as np     # the lookups themselves, with repeated hashes and hashes no source has

    hashes = np.concatenate([dp.hash_array() for dp in prints] * 2 + [np.array([-1, 7, 2**62], dtype=np.int64)])
    found = PostingSnapshot(link.index).postings(hashes)
    assert found and found == link.index.postings(hashes)


def test_prints_stored_by_earlier_versions_still_decode(files):
    """Inventories written before locations were stored by column hold 'DP1' blobs: a dict per location."""
    spec, _, _ = files
    prints = decode_prints(inspected(spec, Assessment.MARKED_CUI).prints)
    head = [{"member": dp.member, "words": dp.words, "n": dp.count,
             "locations": [{k: v for k, v in loc.to_dict().items() if v is not None} for loc in dp.locations]}
            for dp in prints]
    _assert_old_blob_decodes(b"DP1", head, prints)


def test_prints_of_many_documents_round_trip_and_dp2_blobs_still_decode(tmp_path, files):
    """An email with a spec attached: two DocPrints. The current format keeps the hashes out of zlib;
    the one before ('DP2', inventories of earlier versions) compressed them with the rest."""
    from email.message import EmailMessage

    spec, _, _ = files
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = "Spec for review", "a@example.com", "b@example.com"
    msg.set_content(textwrap.fill(excerpt(1), 72))
    msg.add_attachment(spec.read_bytes(), maintype="application", subtype="octet-stream", filename="spec.docx")
    mail = tmp_path / "mail.eml"
    mail.write_bytes(msg.as_bytes())
    blob = inspected(mail, Assessment.NOT_CUI).prints
    prints = decode_prints(blob)
    assert len(prints) == 2 and [dp.member for dp in prints] == [None, "spec.docx"]
    assert blob.startswith(b"DP3") and blob.endswith(b"".join(dp.hashes for dp in prints))
    assert decode_prints(encode_prints(prints)) == prints
    head = [{"member": dp.member, "words": dp.words, "n": dp.count, "nloc": len(dp.locations),
             "columns": {name: [getattr(loc, name) for loc in dp.locations] for name in
                         ("page", "slide", "sheet", "line", "member", "section", "cell")}
             | {"zone": [loc.zone.value for loc in dp.locations]}} for dp in prints]
    _assert_old_blob_decodes(b"DP2", head, prints)


def _assert_old_blob_decodes(magic: bytes, head: list[dict], prints: tuple[DocPrint, ...]) -> None:
    """A blob as DP1 and DP2 wrote it (the JSON head and every array of each print, all through
    zlib) decodes to `prints`, and to their hashes without locations."""
    import json
    import struct
    import zlib

    head_bytes = json.dumps(head).encode()
    body = b"".join(dp.hashes + dp.positions + dp.location_starts for dp in prints)
    blob = magic + zlib.compress(struct.pack("<I", len(head_bytes)) + head_bytes + body)
    assert decode_prints(blob) == prints
    assert [dp.hashes for dp in decode_prints(blob, locations=False)] == [dp.hashes for dp in prints]
    assert blob_hashes(blob).tobytes() == b"".join(dp.hashes for dp in prints)
    # the current format gives the same hashes without decompressing anything
    assert blob_hashes(encode_prints(prints)).tobytes() == b"".join(dp.hashes for dp in prints)


def test_a_scan_without_any_source_matches_nothing(tmp_path, conn):
    """Enough candidates for the in-memory index, and not one source: nothing is a derivative."""
    from cuiscan.derivatives.snapshot import MIN_CANDIDATES

    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    note = inspected(docx_with(tmp_path / "note.docx", [excerpt(1)]), Assessment.NOT_CUI)
    for i in range(MIN_CANDIDATES):
        link.process(replace(note, path=f"{note.path}.{i}"))
    assert link.finish() == []
    assert conn.execute("SELECT count(*) FROM deriv_file WHERE kind = 'candidate' AND checked_gen != -1"
                        ).fetchone()[0] == MIN_CANDIDATES


@pytest.mark.parametrize("count", [1, 255, 256, 3 * 256 + 17, 256 * 256 + 300])
def test_postings_are_written_whole_however_they_fall_into_statements(conn, count):
    """Postings go in by many rows per INSERT: full statements and the rest must all arrive, once."""
    from cuiscan.derivatives.index import PrintIndex, _insert_postings

    PrintIndex(conn).ensure_schema()
    rng = np.random.default_rng(count)
    rows = np.stack([np.sort(rng.integers(-2**63, 2**63 - 1, count, dtype=np.int64)),
                     rng.integers(1, 50, count), rng.integers(0, 10**6, count)], axis=1)
    _insert_postings(conn, rows)
    _insert_postings(conn, rows[: count // 2])      # already there: ignored, not doubled
    stored = conn.execute("SELECT hash, content_id, pos FROM deriv_posting ORDER BY hash").fetchall()
    assert stored == [tuple(r) for r in rows.tolist()]


def _postings(conn) -> list[tuple]:
    return conn.execute("SELECT hash, content_id, pos FROM deriv_posting ORDER BY hash, content_id").fetchall()


def _two_sources(tmp_path) -> list[FileResult]:
    return [inspected(docx_with(tmp_path / f"src{i}.docx", [excerpt(i), excerpt(i + 2)]), Assessment.MARKED_CUI, ("CTI",))
            for i in range(2)]


def test_a_scan_writes_its_postings_once_at_the_end(tmp_path, conn):
    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    for result in _two_sources(tmp_path):
        link.process(result)
    link.flush()
    assert _postings(conn) == [] and link.index.indexed_hashes() > 0     # committed as indexed, postings held
    assert link.index._meta("postings_complete", 1) == 0
    link.finish()
    assert len(_postings(conn)) == link.index.indexed_hashes()
    assert link.index._meta("postings_complete", 1) == 1


def test_postings_held_by_a_process_that_died_are_rebuilt(tmp_path, conn):
    """SIGKILL between a batch commit and the end of the scan: the contents are marked indexed, their
    postings were never written. The next index on the inventory writes them."""
    sources = _two_sources(tmp_path)
    done = sqlite3.connect(tmp_path / "done.sqlite")
    for c, finish in ((done, True), (conn, False)):
        link = Linker(c, LinkOptions.from_settings(Settings()))
        link.ensure_schema()
        for result in sources:
            link.process(result)
        link.flush()
        if finish:
            link.finish()
    assert _postings(conn) == []               # the second linker is dropped here, unfinished
    reopened = Linker(conn, LinkOptions.from_settings(Settings()))
    reopened.ensure_schema()
    assert _postings(conn) == _postings(done) != []
    assert reopened.index._meta("postings_complete", 1) == 1


def test_a_lookup_in_sql_writes_deferred_postings_first(tmp_path, conn):
    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    [first, _] = _two_sources(tmp_path)
    link.process(first)
    link.flush()
    hashes = decode_prints(first.prints)[0].hash_array()
    assert _postings(conn) == [] and link.index.postings(hashes)


def test_a_rolled_back_batch_keeps_the_postings_of_earlier_ones(tmp_path, conn):
    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    kept, lost = _two_sources(tmp_path)
    link.process(kept)
    link.flush()
    with pytest.raises(RuntimeError):
        with link.index.transaction():
            link.index.attach(lost.path, "source", lost.sha256, lost.prints)
            raise RuntimeError("disk full")
    link.index.write_pending()
    stored = {content_id for _, content_id, _ in _postings(conn)}
    assert stored == {link.index.entry(kept.path, "source").content_id}
    assert link.index.entry(lost.path, "source") is None


def test_the_end_of_scan_index_built_from_written_postings_equals_the_one_from_stored_prints(tmp_path, conn):
    from cuiscan.derivatives.snapshot import PostingSnapshot

    link = Linker(conn, LinkOptions.from_settings(Settings()))
    link.ensure_schema()
    older, newer = _two_sources(tmp_path)
    link.process(older)
    link.finish()                       # an earlier scan's source: only its stored prints are at hand
    link.process(newer)
    link.flush()
    written = link.index.pending_points()
    link.index.write_pending()
    assert list(written) == [link.index.entry(newer.path, "source").content_id]
    reused, decoded = PostingSnapshot(link.index, written), PostingSnapshot(link.index)
    for name in ("hashes", "content_ids", "positions"):
        assert np.array_equal(getattr(reused, name), getattr(decoded, name)), name
    assert len(set(reused.content_ids.tolist())) == 2


@pytest.mark.parametrize("database, jobs, thread, forked", [
    ("file", 2, False, True), ("file", 1, False, False), ("memory", 2, False, False), ("file", 2, True, False)])
def test_end_of_scan_matching_in_forked_processes_finds_the_same(tmp_path, files, monkeypatch, database, jobs,
                                                                 thread, forked):
    """Enough candidates for the in-memory index: with --jobs 2 and an inventory file they are matched
    in a forked process while the postings are written; otherwise (also while another thread runs,
    which a fork could catch holding a lock) here, after the write."""
    import threading

    from cuiscan.derivatives import endmatch
    from cuiscan.derivatives.snapshot import MIN_CANDIDATES

    collected = []
    original = endmatch._collect
    monkeypatch.setattr(endmatch, "_collect", lambda *a: collected.append(1) or original(*a))
    db = sqlite3.connect(tmp_path / "inv.sqlite" if database == "file" else ":memory:")
    link = Linker(db, LinkOptions.from_settings(Settings(jobs=jobs)))
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    if thread:
        other.start()
    try:
        _one_derivative_among_many_candidates(link, files)
    finally:
        release.set()
    assert bool(collected) is forked
    assert db.execute("SELECT count(*) FROM deriv_posting").fetchone()[0] == link.index.indexed_hashes() > 0
    assert db.execute("SELECT count(*) FROM deriv_file WHERE kind = 'candidate' AND checked_gen = ?",
                      (link.index.generation(),)).fetchone()[0] == MIN_CANDIDATES + 1


def test_a_matching_process_that_dies_is_made_up_for_here(tmp_path, files, monkeypatch):
    from cuiscan.derivatives import endmatch

    monkeypatch.setattr(endmatch, "_child", lambda send, *a: __import__("os")._exit(3))
    _one_derivative_among_many_candidates(Linker(sqlite3.connect(tmp_path / "inv.sqlite"), LinkOptions.from_settings(Settings(jobs=2))), files)


def _one_derivative_among_many_candidates(link: Linker, files) -> None:
    """A source, enough unrelated candidates for the in-memory index, one copy: finish finds the copy."""
    from cuiscan.derivatives.snapshot import MIN_CANDIDATES

    spec, copy, other = files
    link.ensure_schema()
    link.process(inspected(spec, Assessment.MARKED_CUI, ("CTI",)))
    unrelated = inspected(other, Assessment.NOT_CUI)
    for i in range(MIN_CANDIDATES):
        link.process(replace(unrelated, path=f"{unrelated.path}.{i}"))
    link.process(inspected(copy, Assessment.NOT_CUI))
    [derivative] = link.finish()
    assert derivative.path == str(copy) and _deriv(derivative)
