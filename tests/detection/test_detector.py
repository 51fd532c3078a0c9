"""Detection on real files: what raises and lowers scores, what reaches DETECT-001, and what never does."""
from __future__ import annotations

import hashlib
import multiprocessing
import pickle
from pathlib import Path

import pytest

from detect_builders import write_docx, write_eml, write_pdf, write_xlsx
from cuiscan.detection import Detector, detect_file, detect_finding
from cuiscan.detection.evaluate import check_markings
from cuiscan.errors import ConfigError
from cuiscan.extractors import extract_file
from cuiscan.records import MarkingResult, Severity, Zone
from cuiscan.settings import Settings

STATEMENT_C = ("DISTRIBUTION STATEMENT C. Distribution authorized to U.S. Government agencies and their contractors; "
               "Critical Technology; 4 Apr 2024. Other requests for this document shall be referred to PEO STRI.")
TECH = "The seeker gimbal housing failed vibration at 410 Hz; the missile program office wants the test results."


def run(path: Path, detector: Detector):
    docs = extract_file(str(path))
    markings = check_markings(docs, Settings())
    results = detect_file(docs, markings, detector)
    findings = [detect_finding(r, m) for r, m in zip(results, markings)]
    return docs, markings, results, findings


def test_statement_c_report_gets_detect_001_with_location_and_category(tmp_path, detector):
    path = write_pdf(tmp_path / "report.pdf", [TECH, STATEMENT_C], title="Test report")
    _, _, results, findings = run(path, detector)
    finding = findings[0]
    assert finding is not None and finding.rule_id == "DETECT-001"
    assert finding.severity is Severity.ERROR   # a statement B-F on technical data: strong evidence
    assert finding.categories[0] == "CTI"
    assert finding.confidence == pytest.approx(results[0].score, abs=1e-3) and finding.confidence >= 0.85
    assert finding.location.page == 1 and finding.location.zone is Zone.BODY
    assert finding.evidence.startswith("CTI-002 [distribution statement C]")
    assert "CTI-002" in results[0].explanation and "model" in results[0].explanation


def test_marked_cui_file_never_gets_detect_001(tmp_path, detector):
    path = write_docx(tmp_path / "marked.docx", [STATEMENT_C, TECH, "Controlled by: PEO STRI", "CUI Category: CTI"],
                      banner="CUI")
    _, markings, results, findings = run(path, detector)
    assert markings[0].is_marked
    assert findings == [None]
    assert "own CUI banner" in results[0].explanation


def test_classified_marking_defers_to_spill(detector):
    result = detector.detect(_doc(STATEMENT_C))
    assert detect_finding(result, MarkingResult(member=None, is_classified=True)) is None
    assert detect_finding(result, MarkingResult(member=None)) is not None


def test_statement_a_lowers_technical_scores(tmp_path, detector):
    plain = write_docx(tmp_path / "plain.docx", [TECH, "DIST STATEMENT D - Critical Technology"])
    public = write_docx(tmp_path / "public.docx", [TECH, "DIST STATEMENT D - Critical Technology",
                                                   "Approved for public release; distribution is unlimited."])
    s_plain = run(plain, detector)[2][0]
    s_public = run(public, detector)[2][0]
    assert s_plain.flagged and not s_public.flagged
    assert s_public.score < 0.5 * s_plain.score
    assert "CTX-001" in s_public.explanation


def test_article_about_cui_is_not_flagged(tmp_path, detector):
    path = write_pdf(tmp_path / "article.pdf", [
        "Executive Order 13556 created the CUI program. The CUI Registry lists the categories and 32 CFR Part 2002 "
        "sets marking requirements.",
        "Technical documents carry a statement such as: Distribution authorized to U.S. Government agencies only. "
        "Export-controlled technical data and Social Security numbers are common examples of CUI."])
    _, _, results, findings = run(path, detector)
    assert findings == [None]
    assert "CTX-002" in results[0].explanation


def test_context_words_raise_the_score(detector):
    bare = detector.detect(_doc("Reference 523-41-7789 and 611-20-4431"))
    labelled = detector.detect(_doc("Employee SSN 523-41-7789 and SSN 611-20-4431"))
    assert labelled.score > bare.score
    assert labelled.flagged


def test_identifiers_alone_never_flag(tmp_path, detector, rules_detector):
    rows = [["Contract", "CAGE", "NSN"]] + [
        [f"W91CRB-2{i}-C-00{i}{i}", f"{i}K7Q{i}", f"1410-01-45{i}-78{i}0"] for i in range(1, 9)]
    path = write_xlsx(tmp_path / "ids.xlsx", {"Awards": rows})
    for det in (detector, rules_detector):
        _, _, results, findings = run(path, det)
        assert findings == [None]
        assert any(s.rule_id.startswith("IDENT-") for s in results[0].signals)
        assert not results[0].flagged


def test_identifiers_raise_an_existing_score(rules_detector):
    base = rules_detector.detect(_doc("Attached are the engineering drawings for the torpedo afterbody."))
    more = rules_detector.detect(_doc("Attached are the engineering drawings for the torpedo afterbody. "
                                      "Contract N0002421C5102, CAGE Code: 3K7Q9."))
    assert 0 < base.score < more.score


def test_ssn_evidence_is_redacted_and_digest_is_sha256(tmp_path, detector):
    ssns = ["412-55-6789", "523-11-9876", "231-45-6780"]
    path = write_xlsx(tmp_path / "roster.xlsx", {"Roster": [["Name", "SSN"]] + [[f"Person {i}", s] for i, s in enumerate(ssns)]})
    _, _, results, findings = run(path, detector)
    finding = findings[0]
    assert finding is not None and "PRVCY" in finding.categories
    signal = next(s for s in results[0].signals if s.rule_id == "PRVCY-001")
    assert signal.evidence in {"***-**-" + s[-4:] for s in ssns}
    raw = next(s for s in ssns if s.endswith(signal.evidence[-4:]))
    assert signal.digest == hashlib.sha256(raw.encode()).hexdigest()
    everything = finding.evidence + finding.message + results[0].explanation + repr(results[0].signals)
    assert not any(s in everything or s.replace("-", "") in everything for s in ssns)
    assert finding.location.sheet == "Roster"


def test_show_evidence_gives_raw_excerpts(tmp_path):
    det = Detector.load(Settings(show_evidence=True), use_model=False)
    result = det.detect(_doc("SSN: 412-55-6789"))
    assert result.signals[0].raw == "412-55-6789"
    assert result.signals[0].evidence == "***-**-6789"    # what may be stored stays redacted


def test_email_attachment_is_its_own_document(tmp_path, detector):
    attachment = write_docx(tmp_path / "a.docx", [STATEMENT_C, TECH]).read_bytes()
    path = write_eml(tmp_path / "m.eml", "weekly status", "Status attached. Thanks.",
                     attachments=[("spec.docx", attachment,
                                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document")])
    docs, _, results, findings = run(path, detector)
    assert [r.member for r in results] == [d.member for d in docs] == [None, "spec.docx"]
    assert findings[0] is None
    assert findings[1] is not None and findings[1].location.member == "spec.docx"


def test_threshold_is_configurable(rules_detector):
    text = "Attached are the engineering drawings for the torpedo afterbody. DIST STATEMENT D"
    strict = Detector.load(Settings(detect_threshold=0.95), use_model=False)
    assert rules_detector.detect(_doc(text)).flagged
    assert not strict.detect(_doc(text)).flagged


def test_detector_pickles_as_a_recipe_and_works_in_a_forked_worker(detector):
    clone = pickle.loads(pickle.dumps(detector))
    assert clone.version == detector.version
    assert len(pickle.dumps(detector)) < 2000   # the recipe, not the model
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        score = pool.apply(_score_in_worker, (detector, STATEMENT_C))
    assert score == pytest.approx(detector.detect(_doc(STATEMENT_C)).score)


def test_bad_model_directory_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no model at .*expected weights.npz or a spaCy config.cfg"):
        Detector.load(model_dir=tmp_path)
    (tmp_path / "weights.npz").write_bytes(b"not a numpy archive")
    (tmp_path / "meta.json").write_text('{"format": "cuiscan-vectors-mlp/1", "labels": ["CUI"], "vectors": "."}')
    with pytest.raises(ConfigError, match="cannot load the model"):
        Detector.load(model_dir=tmp_path)


def test_empty_and_unreadable_documents_score_zero(tmp_path, detector):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    docs, _, results, findings = run(path, detector)
    assert docs[0].problems and results[0].score == 0.0 and findings == [None]


def _score_in_worker(det: Detector, text: str) -> float:
    return det.detect(_doc(text)).score


def _doc(text: str):
    from cuiscan.records import ExtractedDoc, Location, TextBlock

    return ExtractedDoc(ftype="txt", member=None, blocks=(TextBlock(text=text, loc=Location(line=1)),))
