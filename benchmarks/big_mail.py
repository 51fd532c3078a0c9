"""Big mail without big memory: scan a ~200 MB .eml and a ~2 GB .mbox and print the peak RSS.

    python benchmarks/big_mail.py [--eml-mb 200] [--mbox-mb 2048] [--keep DIR]

Builds, in a temporary folder, one message of --eml-mb MB (a marked body, a marked docx, a ~1 MB
CSV export and binary instrument-data attachments of 4-24 MB each: read as unsupported binary
members, they cost the extractor their decoded bytes and nothing more) and an mbox of --mbox-mb MB (messages of
2-40 MB built the same way, a few of them over the 16 MB streaming threshold). Each is scanned by
`cuiscan scan` in a subprocess with default settings; the summed RSS of its process tree is sampled
(benchmarks/run.py PeakRSS). Target: each scan under 500 MB peak.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import PeakRSS  # noqa: E402

TARGET_PEAK = 500 * 1024 * 1024
MB = 1024 * 1024


def _docx(n: int) -> bytes:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "CUI"
    d.sections[0].footer.paragraphs[0].text = "CUI"
    d.add_paragraph(f"(CUI) Test memo {n}: the range schedule for block {n} is attached.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def message(rng: random.Random, target: int, number: int) -> bytes:
    """One message of about `target` bytes once encoded."""
    msg = EmailMessage()
    msg["From"], msg["To"] = "test.lead@example.mil", "range.ops@example.mil"
    msg["Subject"] = f"CUI test data drop {number}"
    msg["Date"] = "Mon, 01 Jan 2024 10:00:00 +0000"
    msg["Message-ID"] = f"<drop-{number}@example.mil>"
    msg.set_content("CUI\n\n(CUI) The test data for this week are attached.\n\nCUI\n")
    msg.add_attachment(_docx(number), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                       filename=f"memo-{number}.docx")
    # A CSV export of 200 rows, then binary attachments (instrument data, photos, archives) of 4-24 MB:
    # in real mail the bytes are mostly binary. The text stays within the per-file block budget
    # (max_blocks), so the whole mbox is read; what reaching that budget costs is another matter
    # (every block of a file is held until its checks run, whatever the format).
    row = f"{number},range alpha,{number * 7},nominal,J. Smith,202-555-0101\n".encode()
    msg.add_attachment(row * 200, maintype="text", subtype="csv", filename=f"export-{number}.csv")
    left, part = int(target / 1.37), 0     # base64 grows binary parts by 4/3 plus line breaks
    while left > 64 * 1024:
        part += 1
        size = min(left, rng.randint(4, 24) * MB)
        msg.add_attachment(rng.randbytes(size), maintype="application", subtype="octet-stream",
                           filename=f"telemetry-{part}.dat")
        left -= size
    return bytes(msg)


def build(out: Path, eml_mb: int, mbox_mb: int) -> tuple[Path, Path]:
    rng = random.Random(20240101)
    eml = out / "big" / "drop.eml"
    eml.parent.mkdir(parents=True, exist_ok=True)
    eml.write_bytes(message(rng, eml_mb * MB, 0))
    mbox = out / "mbox" / "archive.mbox"
    mbox.parent.mkdir(parents=True, exist_ok=True)
    number = 0
    with open(mbox, "wb") as fh:
        while fh.tell() < mbox_mb * MB:
            number += 1
            size = rng.choice((2, 3, 5, 8, 12, 40)) * MB
            fh.write(b"From test.lead@example.mil Mon Jan  1 10:00:00 2024\n")
            fh.write(message(rng, size, number).replace(b"\r\n", b"\n"))
            fh.write(b"\n")
    (out / "messages.txt").write_text(str(number))   # beside the scanned folder, not in it
    return eml, mbox


# Both are scanned with the default limits: an mbox is not skipped for its size (it is read one
# message at a time, each bounded as a file of its own: extractors/base.py Budget.own_limits).
MBOX_CONFIG = ""


def scan(target: Path, work: Path, config: str = "") -> tuple[dict, float, int]:
    work.mkdir(parents=True, exist_ok=True)
    (work / "cuiscan.toml").write_text(config)
    report = work / "report.json"
    cmd = [sys.executable, "-m", "cuiscan", "scan", str(target), "--db", str(work / "inventory.sqlite"),
           "--format", "json", "--output", str(report), "--fail-on", "never", "--full"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRSS(proc.pid) as mem:
        _, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0 or not report.exists():
        sys.exit(f"cuiscan scan failed (exit {proc.returncode}):\n{err[-4000:]}")
    return json.loads(report.read_text(encoding="utf-8")), seconds, mem.peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eml-mb", type=int, default=200)
    ap.add_argument("--mbox-mb", type=int, default=2048)
    ap.add_argument("--keep", type=Path, help="build the files here and keep them (reused when present)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cuiscan-bigmail-") as tmp:
        root = args.keep or Path(tmp)
        started = time.perf_counter()
        eml, mbox = root / "big" / "drop.eml", root / "mbox" / "archive.mbox"
        if not (args.keep and eml.exists() and mbox.exists()):
            eml, mbox = build(root, args.eml_mb, args.mbox_mb)
        print(f"built {eml.stat().st_size / MB:.0f} MB eml and {mbox.stat().st_size / MB:.0f} MB mbox "
              f"in {time.perf_counter() - started:.0f} s")
        worst = 0
        print("limits:", " ".join(MBOX_CONFIG.split()[1:]) or "the defaults")
        sys.path.insert(0, str(HERE.parent))
        from cuiscan.records import FileRef
        from cuiscan.settings import Limits
        from cuiscan.workers import file_timeout

        size = mbox.stat().st_size
        print(f"the mbox is over max_file_size ({Limits().max_file_size / MB:.0f} MB): scanned message by message, "
              f"timeout {file_timeout(FileRef(str(mbox), str(root), size, 0), Limits()):g} s")
        for target, config in ((eml, ""), (mbox, MBOX_CONFIG)):
            report, seconds, peak = scan(target.parent, root / f"work-{target.stem}", config)
            files = report.get("files", [])
            status = ", ".join(sorted({f"{f.get('status')} {f.get('assessment')} {f.get('status_reason') or ''}".strip()
                                       for f in files}))
            members = {((f.get("location") or {}).get("member") or "").split("/")[0] for f in report.get("findings", [])}
            print(f"{target.name}: {target.stat().st_size / MB:.0f} MB, {seconds:.1f} s, "
                  f"peak RSS {peak / MB:.0f} MB (target < {TARGET_PEAK / MB:.0f} MB); {status}; "
                  f"findings in {len(members - {''})} messages/attachments")
            worst = max(worst, peak)
        print(f"(the mbox holds {(mbox.parent.parent / 'messages.txt').read_text()} messages, each with a marked docx)")
        print("PASS" if worst < TARGET_PEAK else "FAIL", f"worst peak {worst / MB:.0f} MB")


if __name__ == "__main__":
    main()
