"""Helpers for the part-2 marking tests: build real files with samples/builders.py, run the real
extractors and the marking validator, and look at findings and view facts."""
from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

from cuiscan.extractors import extract_file
from cuiscan.markings import MarkingContext, build_views, check_file, load_checks
from cuiscan.records import Finding, MarkingResult

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 1)

_spec = importlib.util.spec_from_file_location("sample_builders", ROOT / "samples" / "builders.py")
b = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(b)   # the same builders the committed samples use

DOD_DI = ["Controlled by: Department of the Air Force", "Controlled by: AFRL/RQ", "CUI Category: CTI",
          "Distribution/Dissemination Control: D", "POC: Mark Owens, 937-555-0100"]
NARA_DI = ["Controlled by: Office of Grants Management, Department of Good Works",
           "POC: Dana Lee, 202-555-0199"]
STATEMENT_D = ("DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD "
               "contractors only; Critical Technology; 12 Feb 2024. Other requests for this document shall be "
               "referred to AFRL/RQ.")


def ctx(profile: str = "dod") -> MarkingContext:
    return MarkingContext(profile=profile, today=TODAY, strict=True)


def save(tmp_path: Path, name: str, data: bytes) -> Path:
    return b.write(tmp_path / name, data)


def results(path: Path, profile: str = "dod") -> list[MarkingResult]:
    return check_file(extract_file(str(path)), ctx(profile))


def all_findings(path: Path, profile: str = "dod") -> list[Finding]:
    return [f for r in results(path, profile) for f in r.findings]


def of(path: Path, rule_prefix: str | tuple[str, ...], profile: str = "dod") -> list[Finding]:
    """Findings of one rule family (prefix), over the file and all its members."""
    return [f for f in all_findings(path, profile) if f.rule_id.startswith(rule_prefix)]


def views(path: Path, profile: str = "dod"):
    """Run every check as check_file does, but return the DocViews (to read view.facts)."""
    c = ctx(profile)
    vs = build_views(extract_file(str(path)), c)
    modules = load_checks()
    for v in vs:
        if not v.doc.blocks:
            continue
        for _, module in modules:
            v.findings.extend(module.check(v, c))
    return vs


def docx(tmp_path: Path, name: str, paras: list[str], header: str | None = None, footer: str | None = None,
         more_sections: list[dict] = ()) -> Path:
    sections = [{"header": header, "footer": footer, "paras": paras}, *more_sections]
    return save(tmp_path, name, b.docx_bytes(sections))


def pdf(tmp_path: Path, name: str, pages: list[dict]) -> Path:
    return save(tmp_path, name, b.pdf_bytes(pages))


def txt(tmp_path: Path, name: str, lines: list[str]) -> Path:
    return save(tmp_path, name, b.text_bytes(lines))


def eml(tmp_path: Path, name: str, subject: str, lines: list[str], attachments=(), **kw) -> Path:
    return save(tmp_path, name, b.eml_bytes(subject, lines, list(attachments), **kw))
