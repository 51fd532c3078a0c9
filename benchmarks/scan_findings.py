"""Run `cuiscan scan` on a folder (fresh inventory, JSON report) and collect DETECT-001 per file.

Shared by the detection evaluations (corpus_detect.py, blind_eval.py, the real-negatives test):
they all ask one question per file - did it get DETECT-001, at which severity, with which
categories and evidence - of a real scan, the way a user runs it.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Detection:
    severity: str
    confidence: float
    categories: tuple[str, ...]
    evidence: str


def scan_detections(root: Path, jobs: int = 2) -> tuple[dict[Path, Detection], dict]:
    """{resolved path: its DETECT-001} over every file under `root`, and the whole JSON report."""
    with tempfile.TemporaryDirectory(prefix="cuiscan-eval-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "cuiscan", "scan", str(root), "--format", "json", "--output", str(out),
               "--db", str(Path(tmp) / "inv.db"), "--jobs", str(jobs), "--fail-on", "never", "--quiet"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode not in (0, 1) or not out.is_file():
            raise SystemExit(f"cuiscan scan failed ({done.returncode}): {done.stderr.strip()[-800:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    found: dict[Path, Detection] = {}
    for f in report["findings"]:
        if f["rule_id"] != "DETECT-001":
            continue
        path = Path(f["path"]).resolve()
        prior = found.get(path)
        if prior is None or _rank(f["severity"]) > _rank(prior.severity):
            found[path] = Detection(f["severity"], float(f.get("confidence") or 0.0),
                                    tuple(f.get("categories") or ()), f.get("evidence") or "")
    return found, report


def _rank(severity: str) -> int:
    return ("info", "warning", "error", "critical").index(severity) if severity in (
        "info", "warning", "error", "critical") else -1
