"""Pages per second of the two PDF backends on a generated 200-page document.

Usage: .venv/bin/python benchmarks/pdf_backends.py [PAGES] [RUNS]
Each page carries a banner at top and bottom and 40 lines of prose (about 3,500 characters).
The figure is the whole extractor (open, text, line grouping, zones), best of RUNS.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from fpdf import FPDF

from cuiscan.extractors.base import Budget, DocContext, Source
from cuiscan.extractors.pdf import extract_pdf
from cuiscan.settings import Limits

PROSE = "Technical data for the propulsion test stand, distribution limited to program staff."


def build(path: Path, pages: int) -> None:
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", "B", 12)
        pdf.cell(0, 10, "CUI//SP-CTI", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=10)
        for line in range(40):
            pdf.cell(0, 5.5, f"{line:02d} {PROSE}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-15)
        pdf.set_font("helvetica", "B", 12)
        pdf.cell(0, 10, "CUI//SP-CTI", align="C")
    pdf.output(str(path))


def measure(path: Path, backend: str, runs: int) -> tuple[float, int, int]:
    best = float("inf")
    for _ in range(runs):
        ctx = DocContext(ftype="pdf", member=None, depth=0, budget=Budget(Limits()), pdf_backend=backend)
        start = time.perf_counter()
        extract_pdf(Source(name=path.name, path=str(path)), ctx)
        best = min(best, time.perf_counter() - start)
    doc = ctx.finish()
    return best, doc.pages or 0, len(doc.blocks)


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.pdf"
        build(path, pages)
        print(f"document: {pages} pages, {path.stat().st_size / 1024:.0f} KiB, best of {runs} runs")
        for backend in ("pdfium", "pypdf"):
            seconds, counted, lines = measure(path, backend, runs)
            print(f"{backend:7s} {counted / seconds:8.0f} pages/s  ({seconds:.3f} s, {lines} lines)")


if __name__ == "__main__":
    main()
