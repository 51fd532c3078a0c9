"""`--format jsonl`: one finding object per line (the JSON report's keys), then {"summary": {...}}.

Made for SIEM pipelines: each line is a complete event. The summary line also carries the scan and
tool objects so a consumer reading only that line knows what it summarises.
"""
from __future__ import annotations

import json
from typing import TextIO

from cuiscan.reporting.context import ReportContext


_dump = json.JSONEncoder(ensure_ascii=False).encode


def render(ctx: ReportContext, out: TextIO) -> None:
    for row, supp in ctx.findings():
        data = ctx.finding_dict(row, supp)
        data["scan_id"] = ctx.scan.id
        data["file_zone"] = row.file_zone
        data["assessment"] = row.assessment.value
        out.write(_dump(data))
        out.write("\n")
    summary = ctx.summary()
    summary["scan"] = ctx.scan_dict()
    summary["tool"] = ctx.tool()
    out.write(_dump({"summary": summary}))
    out.write("\n")
