"""Which OCR engine reads CUI banners and portion marks best, and how fast: tesseract vs RapidOCR.

Pages are typeset with fpdf2's core fonts (Helvetica, Times, Courier), rasterised with PDFium at
150 and 300 dpi, and also degraded like a photocopy (blur, speckle noise, 0.7 degree skew, JPEG
q=40). Each page carries a banner at top and bottom and paragraphs that start with portion marks.
Scored: banner lines read exactly (whitespace aside), portion marks read exactly at the start of
their line, share of words read, seconds per page. Engines that are not installed are skipped.

    python benchmarks/ocr_engines.py [--pages N]

Run where both engines are installed (tesseract-ocr + pytesseract; rapidocr-onnxruntime).
"""
from __future__ import annotations

import argparse
import io
import random
import re
import time

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


def tesseract_lines(image) -> list[str]:
    import pytesseract

    data = pytesseract.image_to_data(image, lang="eng", config="--psm 3", output_type=pytesseract.Output.DICT)
    lines: dict[tuple, list[str]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            lines.setdefault(key, []).append(word)
    return [" ".join(ws) for ws in lines.values()]


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    engines = {}
    try:
        import pytesseract
        pytesseract.get_tesseract_version()
        engines["tesseract"] = tesseract_lines
    except Exception as exc:
        print(f"tesseract: not available ({type(exc).__name__})")
    try:
        import rapidocr_onnxruntime  # noqa: F401
        engines["rapidocr"] = rapid_lines
    except ImportError:
        print("rapidocr: not available")
    if "rapidocr" in engines:   # first call loads the models; not a page's cost
        from PIL import Image
        rapid_lines(Image.new("L", (64, 64), 255))
    for dpi, degrade in ((150, False), (300, False), (300, True), (200, True)):
        rng = random.Random(dpi + degrade)
        pages = [make_page(rng) for _ in range(args.pages)]
        images = [rasterise(p[0], dpi, degrade, rng) for p in pages]
        for name, engine in engines.items():
            banners = portions = 0
            words = seconds = 0.0
            for image, (_, banner, marks, text) in zip(images, pages):
                start = time.perf_counter()
                lines = engine(image)
                seconds += time.perf_counter() - start
                b, p, w = score(lines, banner, marks, text)
                banners, portions, words = banners + b, portions + p, words + w
            n = len(pages)
            print(f"{dpi} dpi {'degraded' if degrade else 'clean   '} {name:9s}: banners {banners}/{2 * n}, "
                  f"portion marks {portions}/{6 * n}, words {100 * words / n:.1f}%, "
                  f"{seconds / n:.2f} s/page")


if __name__ == "__main__":
    main()
