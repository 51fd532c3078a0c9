"""Rule explanations for reports (SARIF rule metadata, HTML explanations).

Marking rules come from the rulebook (rules/markings/*.yaml). The contract's tool rules get a short
built-in text when the rulebook does not carry them, and a detection-pack rule ID that only occurs in
findings gets a generic entry: a report must never fail because a rule is undocumented.
"""
from __future__ import annotations

from dataclasses import dataclass

from cuiscan.errors import ConfigError
from cuiscan.records import Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    title: str
    severity: Severity
    summary: str
    fix: str
    source: str = ""


_TOOL_RULES = {
    "DETECT-001": RuleInfo("DETECT-001", "Likely CUI without a CUI banner", Severity.WARNING,
                           "The file holds likely CUI (indicators, rule-pack detections or the NLP model) "
                           "but carries no CUI banner.",
                           "Review the file; if it is CUI, mark it (banner, designation indicator); "
                           "if not, suppress the finding with a reason.", "32 CFR 2002.20"),
    "DERIV-001": RuleInfo("DERIV-001", "Unmarked copy of a known CUI document", Severity.ERROR,
                          "An unmarked file repeats passages of a known CUI document.",
                          "Mark the file as CUI like its source, or remove the copied CUI passages.",
                          "32 CFR 2002.20(a)"),
    "SPILL-001": RuleInfo("SPILL-001", "Classified markings on an unclassified share", Severity.CRITICAL,
                          "Classified markings were found on a system not approved for classified data.",
                          "Treat as a potential spill: do not open or copy further; report to the "
                          "security office at once.", "32 CFR 2001.48"),
    "BOUNDARY-001": RuleInfo("BOUNDARY-001", "CUI stored outside the CUI boundary", Severity.ERROR,
                             "CUI (marked, unmarked or derivative) is stored outside every zone that "
                             "the boundary configuration allows CUI in.",
                             "Move the file into an approved CUI enclave, or correct the boundary "
                             "configuration if the zone is approved.", "NIST SP 800-171 3.1.3, 3.8.1"),
    "SCAN-001": RuleInfo("SCAN-001", "File could not be inspected", Severity.WARNING,
                         "The file could not be inspected (encrypted, corrupt, timed out, over a "
                         "limit, image-only or unsupported), so it was not checked for CUI.",
                         "Inspect the file by hand, or convert it to a readable format and rescan.", ""),
}


class RuleDocs:
    """Lookup of RuleInfo by rule ID, loaded once per report."""

    def __init__(self, rulebook: dict | None = None):
        if rulebook is None:
            try:
                from cuiscan.rulebook import load_rulebook

                rulebook = load_rulebook()
            except (ConfigError, OSError):
                rulebook = {}
        self._book = {
            rid: RuleInfo(rid, doc.title, doc.severity, doc.summary, doc.fix, doc.source)
            for rid, doc in rulebook.items()
        }

    def known_ids(self) -> list[str]:
        return sorted(set(self._book) | set(_TOOL_RULES))

    def get(self, rule_id: str) -> RuleInfo:
        found = self._book.get(rule_id) or _TOOL_RULES.get(rule_id)
        if found:
            return found
        return RuleInfo(rule_id, f"Rule {rule_id}", Severity.WARNING,
                        f"See `cuiscan rules show {rule_id}` for what this rule checks.",
                        "Follow the rule's guidance (`cuiscan rules show ID`), then rescan.")
