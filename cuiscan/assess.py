"""Combine marking and detection results into one conclusion per document and per file.

Per document: classified (spill) > marked CUI > unmarked CUI (detection over threshold) > not CUI;
a document that could not be read at all is `unknown`. A container takes the most serious
assessment of its documents (report contract order). Derivative matching happens later, in the
main process, against the whole inventory (cuiscan.derivatives).
"""
from __future__ import annotations

from dataclasses import replace

from cuiscan.records import (
    Assessment, DetectResult, ExtractedDoc, FileResult, Finding, MarkingResult, Signal, Status,
)

# Marking findings that by themselves establish unmarked CUI: an attachment the transmitting email
# declares to be CUI but which carries no marking of its own.
UNMARKED_CUI_RULES = frozenset({"EMAIL-006"})
# A legacy control marking (FOUO, SBU, LES ...) in marking position is a strong indicator that the
# content was meant to be protected (rule book DETECT-001): it leads the evidence of DETECT-001.
LEGACY_INDICATOR_SCORE = 0.8


def assess_file(base: FileResult, docs: list[ExtractedDoc], markings: list[MarkingResult],
                detections: list[DetectResult]) -> FileResult:
    from cuiscan.detection import detect_finding
    from cuiscan.pipeline import scan_finding

    findings: list[Finding] = []
    conclusions: list[tuple[Assessment, str]] = []
    categories: list[str] = []
    banner: str | None = None
    for doc, marking, detection in zip(docs, markings, detections):
        findings.extend(scan_finding(p) for p in doc.problems)
        findings.extend(marking.findings)
        if banner is None and doc.member is None:
            banner = marking.banner
        if marking.is_classified:
            conclusions.append((Assessment.CLASSIFIED, _where(doc, "classified markings")))
        elif marking.is_marked:
            conclusions.append((Assessment.MARKED_CUI, _where(doc, f"marked {marking.banner or 'CUI'}")))
            _extend_unique(categories, marking.categories)
        else:
            finding = detect_finding(with_legacy_indicator(detection, marking), marking)
            declared = [f for f in marking.findings if f.rule_id in UNMARKED_CUI_RULES]
            if finding is not None:   # flagged: over settings.detect_threshold on real evidence
                findings.append(finding)
                conclusions.append((Assessment.UNMARKED_CUI, _where(doc, detection.explanation or "likely CUI, unmarked")))
                _extend_unique(categories, detection.categories)
            elif declared:
                conclusions.append((Assessment.UNMARKED_CUI, _where(doc, declared[0].message.split(":")[0])))
                _extend_unique(categories, declared[0].categories)
            elif doc.problems and not doc.blocks:
                conclusions.append((Assessment.UNKNOWN, _where(doc, "could not be read")))
            else:
                conclusions.append((Assessment.NOT_CUI, ""))
    assessment, explanation = max(conclusions, key=lambda c: c[0].rank, default=(Assessment.NOT_CUI, ""))
    findings.sort(key=lambda f: (-f.severity.rank, f.rule_id, f.location.member or "", f.location.page or 0,
                                 f.location.slide or 0))
    return replace(base, status=Status.INSPECTED, assessment=assessment, banner=banner,
                   categories=tuple(categories), findings=tuple(findings), explanation=explanation)


def _where(doc: ExtractedDoc, text: str) -> str:
    return f"{doc.member}: {text}" if doc.member else text


def _extend_unique(target: list[str], items) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def with_legacy_indicator(detection: DetectResult, marking: MarkingResult) -> DetectResult:
    """Put the document's legacy marking first among the detection signals (rule book DETECT-001)."""
    legacy = next((f for f in marking.findings if f.rule_id.startswith("LEGACY-") and f.rule_id != "LEGACY-004"), None)
    if legacy is None or marking.is_marked:
        return detection
    signal = Signal(rule_id=legacy.rule_id, category=detection.categories[0] if detection.categories else "",
                    score=LEGACY_INDICATOR_SCORE, location=legacy.location,
                    evidence=f"[legacy marking {legacy.evidence}]", digest=legacy.match_digest)
    return replace(detection, signals=(signal, *detection.signals), flagged=True,
                   score=max(detection.score, LEGACY_INDICATOR_SCORE))
