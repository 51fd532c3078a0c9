"""`--format sarif`: SARIF 2.1.0 with one run, streamed result by result.

Rules: every rulebook rule plus any other rule ID that occurs (tool and detection-pack rules).
Levels: critical/error -> error, warning -> warning, info -> note (the exact severity is kept in the
result's properties). The artifact location is the file's URI; the container member is a logical
location, and page/slide/sheet/section go in the result's properties. The fingerprint is a
partialFingerprint so code-scanning dashboards track findings across scans as cuiscan does.
"""
from __future__ import annotations

import json
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import TextIO
from urllib.parse import quote

from cuiscan.reporting.context import ReportContext
from cuiscan.reporting.ruledocs import RuleDocs

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "cuiscanFingerprint/v1"


_dump = json.JSONEncoder(ensure_ascii=False).encode


def file_uri(path: str) -> str:
    pure: PurePath = PureWindowsPath(path) if ":" in path[:3] or path.startswith("\\\\") else PurePosixPath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(path.replace("\\", "/"))


def _rule(info, rule_id: str) -> dict:
    data = {
        "id": rule_id,
        "name": info.title,
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.summary},
        "help": {"text": info.fix},
        "defaultConfiguration": {"level": LEVELS[info.severity.value]},
        "properties": {"severity": info.severity.value},
    }
    if info.source:
        data["properties"]["source"] = info.source
    return data


def _result(ctx: ReportContext, row, supp, index: dict[str, int]) -> dict:
    f, loc = row.finding, row.finding.location
    location: dict = {"physicalLocation": {"artifactLocation": {"uri": file_uri(row.path)}}}
    if loc.line is not None:
        location["physicalLocation"]["region"] = {"startLine": loc.line}
    if loc.member:
        location["logicalLocations"] = [{"name": loc.member, "fullyQualifiedName": loc.member,
                                         "kind": "resource"}]
    result = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": LEVELS[f.severity.value],
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "severity": f.severity.value,
            "confidence": round(f.confidence, 3),
            "categories": list(f.categories),
            "evidence": f.evidence,
            "location": loc.to_dict(),
            "where": loc.describe(),
            "assessment": row.assessment.value,
            "fileZone": row.file_zone,
        },
    }
    if supp is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": supp.reason}]
    return result


def render(ctx: ReportContext, out: TextIO) -> None:
    docs = RuleDocs()
    rule_ids = sorted(set(docs.known_ids()) | set(ctx.rule_ids()))
    index = {rid: i for i, rid in enumerate(rule_ids)}
    tool = ctx.tool()
    driver = {
        "name": "cuiscan",
        "version": tool["version"],
        "informationUri": "https://github.com/cuiscan/cuiscan",
        "properties": {"rules_version": tool["rules_version"], "model_version": tool["model_version"]},
        "rules": [_rule(docs.get(rid), rid) for rid in rule_ids],
    }
    invocation = {"executionSuccessful": True}
    if ctx.scan.started_at:
        invocation["startTimeUtc"] = ctx.scan.started_at
    if ctx.scan.finished_at:
        invocation["endTimeUtc"] = ctx.scan.finished_at
    head = {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"cuiscan/{ctx.scan.id}"},
        "invocations": [invocation],
    }
    out.write('{"$schema": %s, "version": "2.1.0", "runs": [' % json.dumps(SARIF_SCHEMA_URI))
    out.write(json.dumps(head, ensure_ascii=False)[:-1])   # keep the run object open for the results
    out.write(', "results": [')
    for n, (row, supp) in enumerate(ctx.findings()):
        out.write(",\n" if n else "\n")
        out.write(_dump(_result(ctx, row, supp, index)))
    props = {"scan": ctx.scan_dict(), "summary": ctx.summary()}
    out.write('\n], "properties": %s}]}\n' % json.dumps(props, ensure_ascii=False))
