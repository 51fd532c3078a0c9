"""`--format csv`: one row per finding, a header row first.

Cells that a spreadsheet would run as a formula (starting with = + - @ tab or CR) get a leading
apostrophe: messages and evidence quote document text, and a report must not execute it when an
assessor opens it in Excel (CSV injection).
"""
from __future__ import annotations

import csv
from typing import TextIO

from cuiscan.reporting.context import ReportContext

COLUMNS = (
    "rule_id", "severity", "confidence", "path", "location_zone", "page", "slide", "sheet", "line",
    "member", "section", "cell", "message", "categories", "evidence", "fingerprint", "assessment",
    "file_zone", "suppressed", "suppression_reason",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(ctx: ReportContext, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row, supp in ctx.findings():
        f, loc = row.finding, row.finding.location
        writer.writerow([safe_cell(v) for v in (
            f.rule_id, f.severity.value, round(f.confidence, 3), row.path, loc.zone.value, loc.page,
            loc.slide, loc.sheet, loc.line, loc.member, loc.section, loc.cell, f.message,
            ";".join(f.categories), f.evidence, f.fingerprint, row.assessment.value, row.file_zone,
            "yes" if supp else "no", supp.reason if supp else "",
        )])
