"""Content detection: rule packs (rules/detection/*.yaml) + a small spaCy passage classifier.

Public API:
    Detector.load(settings) -> Detector          once per worker process (picklable recipe)
    detect_file(docs, markings, detector)        -> list[DetectResult], one per ExtractedDoc
    detect_finding(doc_result, marking_result)   -> Finding | None   (DETECT-001)
    load_packs(directory=None) -> RuleSet         the rule packs, checked
    rules_version(), model_version(), describe_rules()   cheap facts for --version and `cuiscan rules`
"""
from cuiscan.detection.detector import Detector, DetectorOptions, detect_file
from cuiscan.detection.finding import detect_finding
from cuiscan.detection.info import describe_rules, model_version, rules_version
from cuiscan.detection.packs import Rule, RuleSet, load_packs

__all__ = ["Detector", "DetectorOptions", "Rule", "RuleSet", "describe_rules", "detect_file", "detect_finding",
           "load_packs", "model_version", "rules_version"]
