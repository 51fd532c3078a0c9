"""Scan throughput against the extraction floor, in one run (the machines are noisy: compare ratios).

    python benchmarks/run.py CORPUS_DIR [--jobs N]

Prints, for the same files:
  floor      the extraction libraries called directly (python-docx, pypdfium2, python-pptx, openpyxl,
             email, plain read), no cuiscan around them, one process;
  --jobs 1   `cuiscan scan --full` in-process;
  --jobs N   `cuiscan scan --full` with N worker processes (default: all cores);
with files/s, MB/s, peak memory (RSS of the whole process tree, sampled), and the ratios that the
issues set targets for: jobs1/floor <= 1.3, jobs1/jobsN >= 1.7 on 2 cores, peak < 1 GB.
`--repeat N` runs the three N times, interleaved, and compares the best time of each (peak memory:
the highest seen). CPU seconds (user + system of the whole process tree) are printed beside: on a
shared machine they move less than wall time, so the jobs1/floor ratio is also given in CPU time.
"""
from __future__ import annotations

import argparse
import email
import email.policy
import io
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CUISCAN = [sys.executable, "-m", "cuiscan"]


def floor_extract(path: Path) -> int:
    """Text out of one file with the bare libraries; returns characters, so nothing is optimised away."""
    suffix = path.suffix
    if suffix == ".docx":
        return _docx_chars(path)
    if suffix == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        n = sum(len(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf)))
        pdf.close()
        return n
    if suffix == ".pptx":
        from pptx import Presentation

        prs = Presentation(str(path))
        n = 0
        for slide in prs.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    n += len(shape.text_frame.text)
        return n
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        n = sum(len(str(v)) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
        wb.close()
        return n
    if suffix == ".eml":
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = msg.get_body(("plain", "html"))
        n = len(body.get_content()) if body else 0
        for part in msg.iter_attachments():
            if (part.get_filename() or "").endswith(".docx"):
                n += _docx_chars(io.BytesIO(part.get_content()))
        return n
    return len(path.read_bytes().decode("utf-8", "replace"))


def _docx_chars(src) -> int:
    import docx

    d = docx.Document(src)
    n = sum(len(p.text) for p in d.paragraphs)
    for section in d.sections:
        n += sum(len(p.text) for p in section.header.paragraphs) + sum(len(p.text) for p in section.footer.paragraphs)
    return n


class PeakRSS:
    """Samples the summed RSS of a process and its descendants every 50 ms."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))
            time.sleep(0.05)


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_floor(files: list[Path]) -> tuple[float, int, float]:
    code = ("import sys, time; sys.path.insert(0, %r); from run import floor_extract; from pathlib import Path;"
            "files=[Path(l) for l in sys.stdin.read().splitlines()]; t=time.perf_counter();"
            "[floor_extract(f) for f in files]; print(time.perf_counter()-t)") % str(HERE)
    cpu = _children_cpu()
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    with PeakRSS(proc.pid) as mem:
        out, _ = proc.communicate("\n".join(map(str, files)))
    return float(out.strip()), mem.peak, _children_cpu() - cpu


def run_scan(corpus: Path, jobs: int) -> tuple[float, int, float]:
    cpu = _children_cpu()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = CUISCAN + ["scan", str(corpus), "--full", "--jobs", str(jobs), "--db", f"{tmp}/inv.sqlite",
                         "--format", "json", "--output", os.devnull, "--fail-on", "never", "--quiet"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        with PeakRSS(proc.pid) as mem:
            _, err = proc.communicate()
        elapsed = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            sys.exit(f"cuiscan scan failed ({proc.returncode}): {err}")
    return elapsed, mem.peak, _children_cpu() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds of the three runs; each row shows its best round (noisy machines)")
    args = ap.parse_args()
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    mb = sum(p.stat().st_size for p in files) / 1e6
    rounds = [[run_floor(files), run_scan(args.corpus, 1), run_scan(args.corpus, args.jobs)]
              for _ in range(args.repeat)]          # interleaved, so all three see the same machine
    names = ["floor (libraries only)", "cuiscan --jobs 1", f"cuiscan --jobs {args.jobs}"]
    rows = [(name, min(r[i][0] for r in rounds), max(r[i][1] for r in rounds), min(r[i][2] for r in rounds))
            for i, name in enumerate(names)]
    print(f"corpus: {len(files)} files, {mb:.1f} MB" + (f"; best of {args.repeat} rounds" if args.repeat > 1 else ""))
    if args.repeat > 1:
        for i, name in enumerate(names):
            print(f"  {name}: " + ", ".join(f"{r[i][0]:.1f} s" for r in rounds))
    print(f"{'run':26} {'seconds':>8} {'files/s':>8} {'MB/s':>7} {'peak MB':>8} {'CPU s':>7}")
    for name, secs, peak, cpu in rows:
        print(f"{name:26} {secs:8.1f} {len(files) / secs:8.1f} {mb / secs:7.2f} {peak / 1e6:8.0f} {cpu:7.1f}")
    floor, one, many = rows[0][1], rows[1][1], rows[2][1]
    print(f"ratio jobs1/floor: {one / floor:.2f}  (target <= 1.3; in CPU time: {rows[1][3] / rows[0][3]:.2f})")
    print(f"speed-up jobs{args.jobs}/jobs1: {one / many:.2f}x  (target >= 1.7 on 2 cores)")
    print(f"peak memory of the scan: {max(rows[1][2], rows[2][2]) / 1e6:.0f} MB  (target < 1000)")


if __name__ == "__main__":
    main()
