"""Renderers for `cuiscan diff OLD NEW`: table, json, jsonl or csv."""
from __future__ import annotations

import csv
import json
from typing import TextIO

from rich.markup import escape

from cuiscan.errors import ConfigError
from cuiscan.inventory.diff import ScanDiff
from cuiscan.reporting.csv_report import safe_cell
from cuiscan.reporting.table import SEVERITY_STYLE, make_console

DIFF_FORMATS = ("table", "json", "jsonl", "csv")


def _finding(row) -> dict:
    return row.finding.to_dict(row.path)


def entries(diff: ScanDiff):
    """(change, finding dict, previous fingerprint or None) in report order."""
    for row in diff.new:
        yield "new", _finding(row), None
    for old, new in diff.changed:
        yield "changed", _finding(new), old.finding.fingerprint
    for row in diff.resolved:
        yield "resolved", _finding(row), None


def render_diff(fmt: str, diff: ScanDiff, out: TextIO) -> None:
    if fmt not in DIFF_FORMATS:
        raise ConfigError(f"diff format must be one of {', '.join(DIFF_FORMATS)}, not {fmt!r}")
    if fmt == "json":
        doc = {"schema": "cuiscan-diff/1", "old_scan": diff.old_scan, "new_scan": diff.new_scan,
               "counts": diff.counts(),
               "new": [_finding(r) for r in diff.new],
               "changed": [{"old_fingerprint": o.finding.fingerprint, **_finding(n)} for o, n in diff.changed],
               "resolved": [_finding(r) for r in diff.resolved],
               "removed_files": diff.removed_files}
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "jsonl":
        for change, data, previous in entries(diff):
            out.write(json.dumps({"change": change, "old_fingerprint": previous, **data}, ensure_ascii=False) + "\n")
        for path in diff.removed_files:
            out.write(json.dumps({"change": "removed-file", "path": path}) + "\n")
        out.write(json.dumps({"summary": {"old_scan": diff.old_scan, "new_scan": diff.new_scan,
                                          **diff.counts()}}) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("change", "rule_id", "severity", "path", "location", "message", "fingerprint",
                         "old_fingerprint"))
        for change, d, previous in entries(diff):
            loc = d["location"]
            where = "/".join(str(v) for v in (loc["member"], loc["zone"]) if v)
            writer.writerow([safe_cell(v) for v in (change, d["rule_id"], d["severity"], d["path"], where,
                                                    d["message"], d["fingerprint"], previous)])
        for path in diff.removed_files:
            writer.writerow(["removed-file", "", "", safe_cell(path), "", "", "", ""])
    else:
        _table(diff, out)


def _table(diff: ScanDiff, out: TextIO) -> None:
    console = make_console(out)
    c = diff.counts()
    console.print(f"[bold]diff[/] {escape(diff.old_scan)} -> {escape(diff.new_scan)}: "
                  f"{c['new']} new, {c['changed']} changed, {c['resolved']} resolved, "
                  f"{c['unchanged']} unchanged, {c['removed_files']} file(s) removed"
                  + (f", {c['suppressed']} suppressed" if c["suppressed"] else ""))
    labels = {"new": "[red]+ new     [/]", "changed": "[yellow]~ changed [/]", "resolved": "[green]- resolved[/]"}
    for change, d, _previous in entries(diff):
        sev = d["severity"]
        console.print(f"{labels[change]} [{SEVERITY_STYLE[sev]}]{sev:<8}[/] {d['rule_id']:<13} "
                      f"{escape(d['path'])}: {escape(d['message'])}  [dim]{d['fingerprint']}[/]")
    for path in diff.removed_files:
        console.print(f"[dim]x removed [/] {escape(path)}")
