"""Helpers for the hardening tests: the lead's hostile-file generator, the real `cuiscan scan`
command in a subprocess (optionally without the power to ignore file permissions), peak memory
of the process tree, and hostile variants of real OOXML files.
"""
from __future__ import annotations

import ctypes
import importlib.util
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


def load_module(name: str, path: Path):
    """A module from a file outside the import path (benchmarks/), loaded once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def make_hostile():
    return load_module("make_hostile", REPO / "benchmarks" / "make_hostile.py")


def fuzz_seeds():
    """The fuzzers' seed builders: small real files of every type (tests/fuzz/fuzz_seeds.py)."""
    return load_module("fuzz_seeds", REPO / "tests" / "fuzz" / "fuzz_seeds.py")


def peak_rss_sampler():
    return load_module("bench_run", REPO / "benchmarks" / "run.py").PeakRSS


# --- running the real command --------------------------------------------------------------------

def drop_file_privileges() -> None:
    """preexec_fn: make a root child obey file modes, so that chmod 000 really denies it.

    The brief's setuid(65534) cannot start Python here: the interpreter lives under /root (0700).
    Dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set keeps uid 0 but takes
    away exactly the power to ignore permissions (also for access(2)). setuid is the fallback where
    prctl is refused. A non-root run needs neither.
    """
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    if all(libc.prctl(pr_capbset_drop, cap, 0, 0, 0) == 0 for cap in (cap_dac_override, cap_dac_read_search)):
        return
    os.setgid(65534)
    os.setuid(65534)


def run_scan_cli(root: Path, db: Path, *extra: str, unprivileged: bool = False, timeout: float = 240):
    """`python -m cuiscan scan ROOT --format json`: (report dict, seconds, peak RSS bytes, stderr)."""
    out = db.with_suffix(".json")
    cmd = [sys.executable, "-m", "cuiscan", "scan", str(root), "--db", str(db), "--format", "json",
           "--output", str(out), "--fail-on", "never", "--full", *extra]
    env = dict(os.environ, HOME=str(db.parent), PYTHONPATH=str(REPO))
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=db.parent, env=env,
                            preexec_fn=drop_file_privileges if unprivileged else None)
    with peak_rss_sampler()(proc.pid) as mem:
        _, err = proc.communicate(timeout=timeout)
    seconds = time.monotonic() - started
    assert proc.returncode == 0, f"cuiscan scan exited {proc.returncode}: {err[-3000:]}"
    return json.loads(out.read_text(encoding="utf-8")), seconds, mem.peak, err


def files_by_path(report: dict) -> dict[str, dict]:
    return {f["path"]: f for f in report["files"]}


def findings_for(report: dict, path: str) -> list[dict]:
    return [f for f in report["findings"] if f["path"] == path]


# --- hostile OOXML -------------------------------------------------------------------------------

LAUGHS = ('<!DOCTYPE r [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)) + ']>')


def with_doctype(package: bytes, part: str, doctype: str, entity_ref: str) -> bytes:
    """The package with `part` given a DOCTYPE and the entity referenced in its first text node."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                decl_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
                body = text[decl_end:]
                for closing in ("</w:t>", "</a:t>", "</t>", "</v>"):
                    if closing in body:
                        body = body.replace(closing, entity_ref + closing, 1)
                        break
                text = text[:decl_end] + doctype + body
                data = text.encode("utf-8")
            zf.writestr(item, data)
    return out.getvalue()


def ratio_bomb(mib: int = 64) -> bytes:
    """One member of `mib` MiB of zeros (~1000:1), streamed so the test never holds it."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("zeros.txt", "w", force_zip64=True) as member:
            chunk = b"\0" * MIB
            for _ in range(mib):
                member.write(chunk)
    return buf.getvalue()


def many_members_zip(count: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(count):
            zf.writestr(f"m{i}.txt", b"x")
    return buf.getvalue()
