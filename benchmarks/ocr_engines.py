"""Which OCR engine reads CUI banners and portion marks best, and how fast: libtesseract in-process
(tesserocr, cuiscan's engine), Debian's tesseract program, RapidOCR.

Pages are typeset with fpdf2's core fonts (Helvetica, Times, Courier), rasterised with PDFium at
150 and 300 dpi, and also degraded like a photocopy (blur, speckle noise, 0.7 degree skew, JPEG
q=40). Each page carries a banner at top and bottom and paragraphs that start with portion marks.
Scored: banner lines read exactly (whitespace aside), portion marks read exactly at the start of
their line, share of words read, seconds and CPU seconds per page. `--real` also reads the real scans of
../shared/corpus/real/scanned (first 3 pages of each PDF, at 300 dpi) and compares each engine's
words with tesserocr's. Both tesseract routes get the same prepared image (cuiscan's `_prepared`)
and the same model (models/ocr); engines that are not installed are skipped.

    python benchmarks/ocr_engines.py [--pages N] [--real]

The tesseract program: `apt-get install tesseract-ocr`; RapidOCR: `pip install rapidocr-onnxruntime`.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# shared/ sits beside the repository (CI) or beside the worktrees' folder (developers)
REAL = next((p / "shared/corpus/real/scanned" for p in Path(__file__).resolve().parents[1:4]
             if (p / "shared/corpus/real/scanned").is_dir()), Path("shared/corpus/real/scanned"))

BANNERS = ["CUI", "CUI//SP-CTI", "CUI//SP-EXPT//NOFORN", "CONTROLLED UNCLASSIFIED INFORMATION",
           "CUI//PRVCY/PROPIN//FEDCON", "CUI//SP-NNPI//REL TO USA, GBR"]
PORTIONS = ["(CUI)", "(U)", "(CUI//SP-CTI)", "(CUI//NF)", "(CUI//SP-EXPT)"]
WORDS = ("the contractor shall deliver drawings for the propulsion test article under the terms of "
         "section four and report any anomaly within thirty days to the program office").split()
FONTS = ["Helvetica", "Times", "Courier"]


def make_page(rng: random.Random) -> tuple[bytes, str, list[str], str]:
    from fpdf import FPDF

    banner = rng.choice(BANNERS)
    font = rng.choice(FONTS)
    pdf = FPDF(format="letter")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_xy(0, 10)
    pdf.cell(pdf.w, 8, banner, align="C")
    pdf.set_xy(0, pdf.h - 16)
    pdf.cell(pdf.w, 8, banner, align="C")
    pdf.set_font(font, "", 11)
    y, portions, words = 30.0, [], []
    for _ in range(6):
        mark = rng.choice(PORTIONS)
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 40)))
        portions.append(mark)
        words.extend(body.split())
        pdf.set_xy(20, y)
        pdf.multi_cell(pdf.w - 40, 6, f"{mark} {body}")
        y = pdf.get_y() + 6
    return bytes(pdf.output()), banner, portions, " ".join(words)


def rasterise(pdf_bytes: bytes, dpi: int, degrade: bool, rng: random.Random):
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    doc = pdfium.PdfDocument(pdf_bytes)
    image = doc[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    doc.close()
    if degrade:
        image = image.filter(ImageFilter.GaussianBlur(0.8)).rotate(0.7, fillcolor=255, expand=False)
        pixels = image.load()
        for _ in range(image.width * image.height // 400):
            pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.choice((0, 255))
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=40)
        image = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return image


def tesserocr_lines(image) -> list[str]:
    from cuiscan.extractors import ocr

    return [line.text for line in ocr.read_image(image, 600)]


def cli_lines(image) -> list[str]:
    """The route cuiscan used before: the tesseract program, PNG on stdin, TSV on stdout (the `tsv`
    config file lives beside Debian's model, not ours: the variable it sets is given directly)."""
    import subprocess

    from cuiscan.extractors import ocr

    prepared, _ = ocr._prepared(image)
    buf = io.BytesIO()
    prepared.save(buf, "PNG", compress_level=1)
    out = subprocess.run(["tesseract", "--tessdata-dir", str(ocr.MODEL_DIR), "stdin", "stdout", "-l", "eng",
                          "--psm", "3", "-c", "tessedit_create_tsv=1"], input=buf.getvalue(), capture_output=True, check=True,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return [line.text for line in ocr.parse_tsv(out.stdout.decode("utf-8", "replace"), prepared.height)]


_rapid = None


def rapid_lines(image) -> list[str]:
    global _rapid
    import numpy as np

    if _rapid is None:
        from rapidocr_onnxruntime import RapidOCR

        _rapid = RapidOCR()
    result, _ = _rapid(np.array(image.convert("RGB")))
    return [text for _, text, _ in (result or [])]


def score(lines: list[str], banner: str, portions: list[str], words: str) -> tuple[int, int, float]:
    squash = [re.sub(r"\s+", "", line) for line in lines]
    target = re.sub(r"\s+", "", banner)
    banners = min(2, sum(1 for s in squash if s == target))
    starts = [s for s in squash if s.startswith("(")]
    found = sum(1 for p in portions if any(s.startswith(p) for s in starts))
    seen = set(" ".join(lines).lower().split())
    want = words.lower().split()
    return banners, found, sum(1 for w in want if w in seen) / len(want)


def cpu_seconds() -> float:
    """CPU of this process and of the programs it ran (the tesseract program is a child): on a busy
    machine wall time says more about the neighbours than about the engine."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def engines_here() -> dict:
    engines = {}
    from cuiscan.extractors import ocr

    if ocr.unavailable() is None:
        engines["tesserocr"] = tesserocr_lines
    else:
        print(f"tesserocr: not available ({ocr.unavailable()})")
    if shutil.which("tesseract"):
        engines["tess-cli"] = cli_lines
    else:
        print("tesseract program: not installed")
    try:
        import rapidocr_onnxruntime  # noqa: F401
        engines["rapidocr"] = rapid_lines
    except ImportError:
        print("rapidocr: not available")
    return engines


def synthetic(engines: dict, pages: int) -> None:
    for dpi, degrade in ((150, False), (300, False), (300, True), (200, True)):
        rng = random.Random(dpi + degrade)
        made = [make_page(rng) for _ in range(pages)]
        images = [rasterise(p[0], dpi, degrade, rng) for p in made]
        for name, engine in engines.items():
            banners = portions = 0
            words = seconds = cpu = 0.0
            for image, (_, banner, marks, text) in zip(images, made):
                start, cpu_start = time.perf_counter(), cpu_seconds()
                lines = engine(image)
                seconds += time.perf_counter() - start
                cpu += cpu_seconds() - cpu_start
                b, p, w = score(lines, banner, marks, text)
                banners, portions, words = banners + b, portions + p, words + w
            n = len(made)
            print(f"{dpi} dpi {'degraded' if degrade else 'clean   '} {name:9s}: banners {banners}/{2 * n}, "
                  f"portion marks {portions}/{6 * n}, words {100 * words / n:.1f}%, "
                  f"{seconds / n:.2f} s/page, {cpu / n:.2f} CPU s/page", flush=True)


def real_pages() -> list[tuple[str, object]]:
    import pypdfium2 as pdfium
    from PIL import Image, ImageSequence

    pages = []
    for path in sorted(REAL.iterdir()):
        if path.suffix.lower() == ".pdf":
            doc = pdfium.PdfDocument(str(path))
            for i in range(min(3, len(doc))):
                pages.append((f"{path.name} p{i + 1}", doc[i].render(scale=300 / 72).to_pil()))
            doc.close()
        elif path.suffix.lower() in (".png", ".jpg", ".gif", ".tiff"):
            with Image.open(path) as image:
                pages.append((path.name, next(ImageSequence.Iterator(image)).copy()))
    return pages


def real(engines: dict) -> None:
    pages = real_pages()
    read: dict[str, list[set[str]]] = {}
    for name, engine in engines.items():
        seconds, read[name] = 0.0, []
        for _, image in pages:
            start = time.perf_counter()
            read[name].append({w.lower() for line in engine(image) for w in line.split()})
            seconds += time.perf_counter() - start
        words = sum(len(w) for w in read[name])
        print(f"real scans ({len(pages)} pages) {name:9s}: {words} distinct words per page summed, "
              f"{seconds / len(pages):.2f} s/page", flush=True)
    base = read.get("tesserocr")
    for name in read:
        if base is None or name == "tesserocr":
            continue
        same = sum(len(a & b) for a, b in zip(base, read[name]))
        union = sum(len(a | b) for a, b in zip(base, read[name]))
        identical = sum(1 for a, b in zip(base, read[name]) if a == b)
        print(f"  {name} vs tesserocr: word overlap {100 * same / max(union, 1):.1f}%, "
              f"pages with identical words {identical}/{len(pages)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--real", action="store_true", help="also the real scans of the shared corpus")
    args = parser.parse_args()
    engines = engines_here()
    if "rapidocr" in engines:   # first call loads the models; not a page's cost
        from PIL import Image
        rapid_lines(Image.new("L", (64, 64), 255))
    if "tesserocr" in engines:  # so does loading the tesseract model once per process
        from PIL import Image
        tesserocr_lines(Image.new("L", (64, 64), 255))
    synthetic(engines, args.pages)
    if args.real:
        real(engines)


if __name__ == "__main__":
    main()
