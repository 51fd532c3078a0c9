"""Through the whole scan (real markings, pipeline and inventory): crawl order and reuse."""
from __future__ import annotations

from deriv_builders import UNRELATED_SAME_TOPIC, docx_with, eml_with, excerpt, marked_spec_docx, textwrap

from cuiscan.inventory.store import Inventory
from cuiscan.records import Assessment, Status
from cuiscan.scan import run_scan
from cuiscan.settings import Settings


def _current(inv, path):
    return inv.previous(str(path))


def test_scan_finds_a_derivative_crawled_before_its_source(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    note = eml_with(share / "aaa-note.eml", "Hi,\n\n" + textwrap.fill(excerpt(1), 72) + "\n\nSam\n")
    spec = marked_spec_docx(share / "zzz-spec.docx")
    other = docx_with(share / "mmm-article.docx", UNRELATED_SAME_TOPIC)
    settings = Settings(jobs=1)
    with Inventory.open(str(tmp_path / "inventory.sqlite")) as inv:
        run_scan([str(share)], settings, inv)
        assert _current(inv, spec).assessment is Assessment.MARKED_CUI
        result = _current(inv, note)
        assert result.assessment is Assessment.DERIVATIVE
        [finding] = [f for f in result.findings if f.rule_id == "DERIV-001"]
        assert str(spec) in finding.evidence and finding.fingerprint
        assert _current(inv, other).assessment is not Assessment.DERIVATIVE

        rescan = run_scan([str(share)], settings, inv)       # nothing changed: everything reused, same verdicts
        listed = {r.path: r for r in inv.iter_results(rescan.scan_id)}
        assert {r.status for r in listed.values()} == {Status.UNCHANGED}
        assert listed[str(note)].assessment is Assessment.DERIVATIVE
        again = _current(inv, note)
        assert [f.fingerprint for f in again.findings if f.rule_id == "DERIV-001"] == [finding.fingerprint]
