"""`--format json`: the report contract's JSON object (schema cuiscan-report/1), written as a stream.

The object is assembled piecewise (one file or finding at a time) so 100,000 files never sit in
memory together; the output is still one ordinary JSON document.
"""
from __future__ import annotations

import json
from typing import TextIO

from cuiscan.reporting.context import ReportContext

SCHEMA = "cuiscan-report/1"


# One encoder for the whole report: json.dumps(ensure_ascii=False) would build a new one per call.
_dump = json.JSONEncoder(ensure_ascii=False).encode


def render(ctx: ReportContext, out: TextIO) -> None:
    out.write('{"schema": %s,\n "tool": %s,\n "scan": %s,\n "files": [' % (
        _dump(SCHEMA), _dump(ctx.tool()), _dump(ctx.scan_dict())))
    _write_array(out, ctx.file_dicts())
    out.write('],\n "findings": [')
    _write_array(out, (ctx.finding_dict(row, supp) for row, supp in ctx.findings()))
    out.write('],\n "summary": %s}\n' % _dump(ctx.summary()))


def _write_array(out: TextIO, items) -> None:
    first = True
    for item in items:
        out.write("\n  " if first else ",\n  ")
        out.write(_dump(item))
        first = False
    if not first:
        out.write("\n ")
