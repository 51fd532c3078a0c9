"""DETECT-001: a document that looks like CUI but carries no CUI banner (report contract section 3)."""
from __future__ import annotations

from cuiscan.records import DetectResult, Finding, Location, MarkingResult, Severity

RULE_ID = "DETECT-001"
EVIDENCE_SIGNALS = 3
# Every finding says what to do (32 CFR 2002.20: banner + designation indicator).
FIX = ("Fix: if it is CUI, mark it with the banner CUI (CUI//SP-<category> for a specified category) and "
       "a designation indicator (Controlled by / CUI Category / POC); if not, record why with "
       "`cuiscan suppress FINGERPRINT --reason TEXT`")


def detect_finding(doc_result: DetectResult, marking_result: MarkingResult | None) -> Finding | None:
    """The DETECT-001 finding for one document, or None.

    Only for documents the detector flagged (score at or over the threshold, on more than supporting
    identifiers) that carry no CUI banner and no classified marking (classified is SPILL-001's business).
    Severity from confidence: an error when the detector found strong evidence (DetectResult.strong,
    see scoring.STRONG_SCORE), else a warning.
    """
    if not doc_result.flagged or not doc_result.signals:
        return None
    if marking_result is not None and (marking_result.is_marked or marking_result.is_classified):
        return None
    strongest = doc_result.signals[0]
    top = doc_result.signals[:EVIDENCE_SIGNALS]
    evidence = "; ".join(f"{s.rule_id} {s.evidence}" for s in top)
    raw_evidence = "; ".join(f"{s.rule_id} {s.raw or s.evidence}" for s in top) if any(s.raw for s in top) else ""
    cats = ", ".join(doc_result.categories) or strongest.category
    message = (f"possible unmarked CUI{f' ({cats})' if cats else ''}: score {doc_result.score:.2f}, strongest "
               f"indicator {strongest.rule_id} at {strongest.location.describe()}; the document carries no "
               f"CUI banner. {FIX}")
    return Finding(
        rule_id=RULE_ID,
        severity=Severity.ERROR if doc_result.strong else Severity.WARNING,
        message=message,
        location=strongest.location if isinstance(strongest.location, Location) else Location(),
        confidence=round(doc_result.score, 3),
        categories=doc_result.categories,
        evidence=evidence,
        raw_evidence=raw_evidence,
        match_digest=strongest.digest,
    )
