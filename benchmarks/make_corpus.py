"""Build a deterministic mixed corpus for the benchmarks.

    python benchmarks/make_corpus.py OUT_DIR [--files 2000] [--seed 7] [--scanned N]

Mix (by count): docx 25%, pdf 20%, pptx 10%, xlsx 10%, eml with attachments 15%, txt 20%.
Sizes run from about 1 KB to several MB (a few large PDFs, spreadsheets and text files).
About one file in eight carries CUI markings, one in twelve unmarked CUI indicators.
`--scanned N` adds N files that only OCR can read, in scans/: image-only PDFs of 1-3 pages, PNG and
JPEG pictures of pages, emails carrying a logo and a scanned page (pages typeset like the PDFs
above, rasterised by PDFium at 200 dpi). The --files part is the same with or without it
(docx files differ only by their save time, as between any two runs).

The generator's truth is written beside the corpus, to OUT_DIR.truth.tsv (outside the scanned tree):
one line per file, `path<TAB>kind<TAB>unmarked_cui`, where kind is marked / indicator / plain and
unmarked_cui is 1 only for the files that really got a DoD distribution statement D or export-control
warning written into them (pptx files drawn as "indicator" get none: the slide builder never wrote one).
Everything else is engineering word salad and must not be called CUI: `benchmarks/corpus_detect.py`
compares a scan's DETECT-001 findings with this truth.
"""
from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import time
from email.message import EmailMessage
from pathlib import Path

WORDS = ("system assembly bracket tolerance flange rotor harness connector firmware radar antenna sensor "
         "thermal vibration fatigue composite fastener torque housing gimbal actuator telemetry uplink "
         "schedule budget review meeting action item owner status milestone customer supplier quality "
         "inspection drawing revision baseline interface requirement verification test procedure result "
         "margin analysis load stress coating alloy weld seam pressure valve pump cable shield ground").split()

MARKED_HEAD = "CUI"
DI_BLOCK = ["Controlled by: Department of the Navy", "Controlled by: NAVSEA 05", "CUI Category: CTI",
            "Distribution/Dissemination Control: D", "POC: J. Smith, 202-555-0100"]
INDICATORS = [
    "DISTRIBUTION STATEMENT D. Distribution authorized to the Department of Defense and U.S. DoD contractors only; "
    "Critical Technology; 1 Mar 2024. Other requests for this document shall be referred to NAVSEA 05.",
    "WARNING - This document contains technical data whose export is restricted by the Arms Export Control Act "
    "(Title 22, U.S.C., Sec 2751, et seq.) or the Export Administration Act of 1979. Violations of these export "
    "laws are subject to severe criminal penalties. Disseminate in accordance with provisions of DoD Directive 5230.25.",
]


def sentence(rng: random.Random, n: int | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(8, 20))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def kind_of(rng: random.Random) -> str:
    r = rng.random()
    return "marked" if r < 0.125 else "indicator" if r < 0.21 else "plain"


def make_docx(path: Path, rng: random.Random, size: int, kind: str) -> None:
    import docx

    doc = docx.Document()
    if kind == "marked":
        doc.sections[0].header.paragraphs[0].text = MARKED_HEAD
        doc.sections[0].footer.paragraphs[0].text = MARKED_HEAD
        for line in DI_BLOCK:
            doc.add_paragraph(line)
    if kind == "indicator":
        doc.add_paragraph(INDICATORS[rng.randrange(2)])
    for _ in range(size):
        doc.add_paragraph(paragraph(rng, 4))
    doc.save(path)


def make_pdf(path: Path | None, rng: random.Random, pages: int, kind: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    pdf.set_font("helvetica", size=10)
    for p in range(pages):
        pdf.add_page()
        if kind == "marked":
            pdf.cell(0, 8, MARKED_HEAD, align="C", new_x="LMARGIN", new_y="NEXT")
        if kind == "indicator" and p == 0:
            pdf.multi_cell(0, 5, INDICATORS[rng.randrange(2)], new_x="LMARGIN", new_y="NEXT")
        for _ in range(6):
            pdf.multi_cell(0, 5, paragraph(rng, 3), new_x="LMARGIN", new_y="NEXT")
        if kind == "marked":
            pdf.set_y(-20)
            pdf.cell(0, 8, MARKED_HEAD, align="C")
    data = bytes(pdf.output())
    if path is not None:
        path.write_bytes(data)
    return data


def make_pptx(path: Path, rng: random.Random, slides: int, kind: str) -> None:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    for _ in range(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = sentence(rng, 5)
        body = slide.placeholders[1].text_frame
        body.text = sentence(rng)
        for _ in range(4):
            body.add_paragraph().text = sentence(rng)
        if kind == "marked":
            for top in (Inches(0.1), Inches(7.0)):
                box = slide.shapes.add_textbox(Inches(4), top, Inches(2), Inches(0.4))
                box.text_frame.text = MARKED_HEAD
                box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    prs.save(path)


def make_xlsx(path: Path, rng: random.Random, rows: int, kind: str) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    if kind == "marked":
        ws.oddHeader.center.text = MARKED_HEAD
        ws.oddFooter.center.text = MARKED_HEAD
    ws.append(["part", "description", "qty", "cost"])
    for i in range(rows):
        ws.append([f"P-{i:05d}", sentence(rng, 6), rng.randint(1, 99), round(rng.random() * 1000, 2)])
    if kind == "indicator":
        ws.append([INDICATORS[0]])
    wb.save(path)


def make_eml(path: Path, rng: random.Random, kind: str) -> None:
    msg = EmailMessage()
    msg["From"] = "j.doe@example.com"
    msg["To"] = "team@example.com"
    msg["Subject"] = sentence(rng, 5)
    msg["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
    lines = [paragraph(rng, 3) for _ in range(rng.randint(2, 8))]
    if kind == "marked":
        lines = [MARKED_HEAD] + lines + DI_BLOCK + [MARKED_HEAD]
    if kind == "indicator":
        lines.insert(1, INDICATORS[0])
    msg.set_content("\n\n".join(lines))
    if rng.random() < 0.5:
        buf = io.BytesIO()
        import docx

        d = docx.Document()
        for _ in range(rng.randint(3, 15)):
            d.add_paragraph(paragraph(rng, 3))
        d.save(buf)
        msg.add_attachment(buf.getvalue(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="notes.docx")
    path.write_bytes(bytes(msg))


def make_txt(path: Path, rng: random.Random, paragraphs: int, kind: str) -> None:
    parts = [paragraph(rng, 5) for _ in range(paragraphs)]
    if kind == "marked":
        parts = [MARKED_HEAD] + parts + [MARKED_HEAD]
    if kind == "indicator":
        parts.insert(0, INDICATORS[1])
    path.write_text("\n\n".join(parts), encoding="utf-8")


def page_images(rng: random.Random, pages: int, kind: str, dpi: int = 200) -> list:
    """Pictures of typeset pages, as a scanner would hand them over (greyscale)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(make_pdf(None, rng, pages, kind))
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def logo_png(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 80), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 70, 70), fill=(rng.randrange(256), 60, 160))
    draw.rectangle((90, 25, 230, 55), fill=(200, rng.randrange(256), 30))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def build_scanned(out: Path, count: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    folder = out / "scans"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        kind = "marked" if i % 3 == 0 else "plain"
        form = ("pdf", "png", "jpg", "eml")[i % 4]
        pages = page_images(rng, rng.randint(1, 3) if form == "pdf" else 1, kind)
        path = folder / f"scan{i:04d}.{form}"
        if form == "pdf":
            pages[0].save(path, "PDF", resolution=200, save_all=True, append_images=pages[1:])
        elif form in ("png", "jpg"):
            pages[0].save(path, "PNG" if form == "png" else "JPEG", dpi=(200, 200))
        else:
            msg = EmailMessage()
            msg["From"], msg["To"] = "j.doe@example.com", "team@example.com"
            msg["Subject"] = sentence(rng, 5)
            msg.set_content(paragraph(rng, 3))
            msg.add_attachment(logo_png(rng), maintype="image", subtype="png", filename="logo.png",
                               disposition="inline")
            buf = io.BytesIO()
            pages[0].save(buf, "JPEG", quality=80)
            msg.add_attachment(buf.getvalue(), maintype="image", subtype="jpeg", filename="scan.jpg")
            path.write_bytes(bytes(msg))


# formats whose builder writes an INDICATORS text for kind == "indicator"
INDICATOR_FORMATS = ("docx", "pdf", "xlsx", "eml", "txt")


def truth_path(out: Path) -> Path:
    return out.parent / f"{out.name}.truth.tsv"


def build(out: Path, files: int, seed: int) -> None:
    rng = random.Random(seed)
    truth = []
    out.mkdir(parents=True, exist_ok=True)
    plan = ["docx"] * 25 + ["pdf"] * 20 + ["pptx"] * 10 + ["xlsx"] * 10 + ["eml"] * 15 + ["txt"] * 20
    for i in range(files):
        fmt = plan[i % len(plan)]
        kind = kind_of(rng)
        big = i % 97 == 0            # a few files of several MB
        folder = out / f"share{i % 4}" / f"dept{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"file{i:05d}.{fmt}"
        carries = int(kind == "indicator" and fmt in INDICATOR_FORMATS)
        truth.append(f"{path.relative_to(out).as_posix()}\t{kind}\t{carries}\n")
        if fmt == "docx":
            make_docx(path, rng, 400 if big else rng.randint(3, 40), kind)
        elif fmt == "pdf":
            make_pdf(path, rng, 150 if big else rng.randint(1, 8), kind)
        elif fmt == "pptx":
            make_pptx(path, rng, 40 if big else rng.randint(2, 12), kind)
        elif fmt == "xlsx":
            make_xlsx(path, rng, 40000 if big else rng.randint(10, 400), kind)
        elif fmt == "eml":
            make_eml(path, rng, kind)
        else:
            make_txt(path, rng, 8000 if big else rng.randint(2, 60), kind)
    truth_path(out).write_text("path\tkind\tunmarked_cui\n" + "".join(truth), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scanned", type=int, default=0, help="also this many files that need OCR (in scans/)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    build(args.out, args.files, args.seed)
    if args.scanned:
        build_scanned(args.out, args.scanned, args.seed)
    total = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"corpus: {args.files} files + {args.scanned} scanned, {total / 1e6:.1f} MB in {args.out} "
          f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
