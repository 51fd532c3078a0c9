"""Scan the hostile corpus with default settings and show that every file is accounted for.

    python benchmarks/hostile_run.py [--keep DIR] [--jobs N] [--as-root]

Builds benchmarks/make_hostile.py's corpus (plus the extra kinds the hardening work found) in a
temporary folder, runs `cuiscan scan` on it in a subprocess with default settings, samples the peak
RSS of the whole process tree (benchmarks/run.py PeakRSS), and prints: wall time, files accounted
for vs. files created, each file's status and reason, and peak memory (target: < 1 GB).

Run as root, the scan drops the capabilities that let root ignore file modes (CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH), as a service account would be refused; --as-root keeps them.
"""
from __future__ import annotations

import argparse
import ctypes
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_hostile  # noqa: E402
from run import PeakRSS  # noqa: E402

TARGET_PEAK = 1_000_000_000
MB = 1024 * 1024


def build_extras(out: Path) -> list[str]:
    """Kinds found while hardening (see tests/hardening/test_regressions.py)."""
    import docx

    extra = out / "extra"
    extra.mkdir(parents=True, exist_ok=True)
    # 4M one-character lines: ~1 KB and ~35 us each through the pipeline; used to take GBs.
    (extra / "tiny-lines.txt").write_bytes(b"a\n" * 4_000_000)
    # 1000 leaves of 1 MiB zeros, each under the ratio floor: used to hold ~1 GB at once.
    (extra / "nested-bomb-1gib.zip").write_bytes(make_hostile.nested_bomb(levels=3, fan=10))
    # _xDC00_ unescapes to a lone surrogate: used to end the whole scan at the inventory flush.
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "CUI//SP-PRVCY_xDC00_"
    d.add_paragraph("(CUI) body text _xD800_")
    buf = io.BytesIO()
    d.save(buf)
    (extra / "surrogate-escapes.docx").write_bytes(buf.getvalue())
    return ["extra/tiny-lines.txt", "extra/nested-bomb-1gib.zip", "extra/surrogate-escapes.docx"]


def _drop_file_privileges() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):   # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, out of the bounding set before exec
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused; use --as-root")


def run_scan(corpus: Path, work: Path, jobs: int | None, unprivileged: bool) -> tuple[dict, float, int, str]:
    report = work / "report.json"
    cmd = [sys.executable, "-m", "cuiscan", "scan", str(corpus), "--db", str(work / "inventory.sqlite"),
           "--format", "json", "--output", str(report), "--fail-on", "never", "--full"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    started = time.perf_counter()
    # cwd: an empty folder, so that no ./cuiscan.toml changes the defaults
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_drop_file_privileges if unprivileged else None)
    with PeakRSS(proc.pid) as mem:
        _, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0 or not report.exists():
        sys.exit(f"cuiscan scan failed (exit {proc.returncode}):\n{err[-4000:]}")
    return json.loads(report.read_text(encoding="utf-8")), seconds, mem.peak, err


def created_entries(corpus: Path) -> list[tuple[str, str]]:
    """(path as the report spells it, kind) for everything in the corpus."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(os.fsencode(corpus)):
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]):
            path = os.path.join(dirpath, name)
            kind = "symlink" if os.path.islink(path) else "file"
            entries.append((_display(path), kind))
    return entries


def _display(path: bytes) -> str:
    return os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _printable(text: str) -> str:
    """File names are attacker-chosen: escape control characters rather than send them to a terminal."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def account(entries: list[tuple[str, str]], report: dict) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Each created entry with how the scan accounted for it; and the entries it lost."""
    by_path = {f["path"]: f for f in report["files"]}
    failed_folders = [p for p, f in by_path.items() if f["status"] == "failed" and not Path(p).suffix]
    rows, lost = [], []
    for path, kind in entries:
        entry = by_path.get(path)
        if entry is not None:
            rows.append((path, entry["status"], entry["status_reason"] or entry["assessment"]))
        elif kind == "symlink":
            rows.append((path, "-", "symlink, not followed (follow_symlinks is off)"))
        elif any(path.startswith(folder + "/") for folder in failed_folders):
            rows.append((path, "-", "inside a folder reported as failed"))
        else:
            lost.append(path)
    for path, entry in by_path.items():   # folders reported on their own (unreadable, too long)
        if entry["status"] == "failed" and all(path != p for p, _ in entries):
            rows.append((path, entry["status"], entry["status_reason"]))
    return rows, lost


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="build the corpus here and keep it (default: a temp folder)")
    ap.add_argument("--jobs", type=int, help="worker processes (default: cuiscan's default, all cores)")
    ap.add_argument("--as-root", action="store_true", help="do not drop file-permission capabilities")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cuiscan-hostile-") as tmp:
        corpus = args.keep or Path(tmp) / "corpus"
        work = Path(tmp) / "work"
        work.mkdir()
        t0 = time.perf_counter()
        made = make_hostile.build(corpus) + build_extras(corpus)
        print(f"built {len(made)} hostile entries in {time.perf_counter() - t0:.0f} s: {corpus}")
        unprivileged = os.geteuid() == 0 and not args.as_root
        try:
            report, seconds, peak, err = run_scan(corpus, work, args.jobs, unprivileged)
        finally:
            os.chmod(corpus / "closed-folder", 0o755)   # so that the temp folder can be removed
        entries = created_entries(corpus)
        rows, lost = account(entries, report)
    counts = report["scan"]["counts"]
    print(f"\n{'status':9} {'reason / assessment':72} path")
    root = str(corpus) + "/"
    for path, status, reason in sorted(rows, key=lambda r: r[0]):
        print(f"{status:9} {_printable(reason or '')[:72]:72} {_printable(path.replace(root, ''))[:90]}")
    print(f"\nscan: {counts}" + (" (without permission overrides)" if unprivileged else " (as root)"))
    print(f"wall time:           {seconds:.1f} s")
    print(f"files accounted for: {len(entries) - len(lost)} of {len(entries)} created"
          + (f"; LOST: {lost}" if lost else ""))
    print(f"peak memory (tree):  {peak / 1e6:.0f} MB  (target < {TARGET_PEAK / 1e6:.0f})")
    tracebacks = err.count("Traceback")
    if tracebacks:
        print(f"stderr had {tracebacks} traceback(s):\n{err[-2000:]}")
    sys.exit(1 if lost or peak >= TARGET_PEAK or tracebacks else 0)


if __name__ == "__main__":
    main()
