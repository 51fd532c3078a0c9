"""OCR of page images: lines of text with their position and confidence, read by tesseract.

Engine choice (benchmarks/ocr_engines.py): Debian's tesseract 5 read banners and portion marks more
often than RapidOCR (PP-OCRv4 on onnxruntime) on clean and photocopied pages, at a quarter of its
time per page, and it installs as a few MB instead of 180 MB of onnxruntime + OpenCV. It is called
as a program with the image on stdin and TSV on stdout: no temporary files (page text never lands
on disk), a hard timeout, and no compiled binding to keep in step with the library.

Tesseract is a system package (`apt-get install tesseract-ocr tesseract-ocr-eng`): when it is not
there, `unavailable()` says so and callers record the pages and images as not read.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from functools import lru_cache

ENGINE_ENV = "CUISCAN_TESSERACT"   # path of the tesseract program, to use another build (or none: "")
RENDER_DPI = 300                   # PDF pages are rasterised at this resolution for OCR
LOW_CONFIDENCE = 0.6               # below this a line's reading is a guess: it never makes an error alone
MIN_SIDE = 16                      # pixels; an image smaller than this holds no readable text
MAX_PIXELS = 60_000_000            # a larger image is scaled down first (memory, time)
_INSTALL = "apt-get install tesseract-ocr tesseract-ocr-eng"


@dataclass(frozen=True, slots=True)
class OcrLine:
    text: str
    top: float              # 0.0 top of the image .. 1.0 bottom (upper edge of the line)
    bottom: float
    confidence: float       # 0..1, mean of the words' confidence
    paragraph_start: bool   # first line of a paragraph as tesseract laid the page out


@lru_cache(maxsize=1)
def _engine() -> tuple[str | None, str | None]:
    """(program path, None) or (None, why OCR cannot run)."""
    exe = os.environ.get(ENGINE_ENV)
    if exe is None:
        exe = shutil.which("tesseract")
    if not exe:
        return None, f"OCR engine not installed ({_INSTALL})"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30, env=_env())
    except (OSError, subprocess.SubprocessError):
        return None, f"OCR engine cannot run ({_INSTALL})"
    langs = (out.stdout + out.stderr).decode("utf-8", "replace").split()
    if "eng" not in langs:
        return None, "OCR engine has no English data (apt-get install tesseract-ocr-eng)"
    return exe, None


def unavailable() -> str | None:
    """Why OCR cannot run on this machine, or None when it can."""
    return _engine()[1]


def _env() -> dict[str, str]:
    # One thread per OCR: the scan already runs one worker per core, more threads only contend.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _die_with_parent() -> None:
    # A worker killed at the file timeout must not leave its tesseract running on.
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except Exception:
        pass


class OcrTimeout(Exception):
    pass


def read_image(image, timeout: float, dpi: int | None = None) -> list[OcrLine]:
    """OCR one PIL image. Raises OcrTimeout past `timeout` seconds, RuntimeError if the engine fails."""
    exe, why = _engine()
    if exe is None:
        raise RuntimeError(why)
    image, scale = _prepared(image)
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    cmd = [exe, "stdin", "stdout", "-l", "eng", "--psm", "3"]
    if dpi:
        cmd += ["--dpi", str(int(dpi * scale))]
    try:
        out = subprocess.run(cmd + ["tsv"], input=buf.getvalue(), capture_output=True, timeout=max(timeout, 1.0),
                             env=_env(), preexec_fn=_die_with_parent if os.name == "posix" else None)
    except subprocess.TimeoutExpired:
        raise OcrTimeout() from None
    if out.returncode != 0:
        raise RuntimeError(f"OCR engine failed (exit {out.returncode})")
    return parse_tsv(out.stdout.decode("utf-8", "replace"), image.height)


def _prepared(image) -> tuple[object, float]:
    """Greyscale, not too large; small images (screenshots, logos) doubled so tesseract sees the glyphs."""
    from PIL import Image

    if image.mode not in ("L", "RGB"):
        if "A" in image.getbands() or image.mode == "P":
            # transparent logos: text drawn on nothing reads as black on black without a background
            background = Image.new("RGBA", image.size, (255, 255, 255, 255))
            image = Image.alpha_composite(background, image.convert("RGBA"))
        image = image.convert("RGB")
    image = image.convert("L")
    pixels = image.width * image.height
    scale = 1.0
    if pixels > MAX_PIXELS:
        scale = (MAX_PIXELS / pixels) ** 0.5
        image = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    elif max(image.width, image.height) < 1200:
        scale = 2.0
        image = image.resize((image.width * 2, image.height * 2), Image.LANCZOS)
    return image, scale


def parse_tsv(tsv: str, height: int) -> list[OcrLine]:
    """Tesseract's TSV (one row per word, with block/paragraph/line numbers) -> lines in reading order."""
    lines: dict[tuple[int, int, int], list] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        top, h, conf = int(cols[7]), int(cols[9]), float(cols[10])
        entry = lines.setdefault(key, [[], [], top, top + h])
        entry[0].append(text)
        entry[1].append(max(conf, 0.0) / 100.0)
        entry[2], entry[3] = min(entry[2], top), max(entry[3], top + h)
    result: list[OcrLine] = []
    seen_paragraphs: set[tuple[int, int]] = set()
    height = max(height, 1)
    for (block, par, _), (words, confs, top, bottom) in lines.items():
        text, confidence = repair(" ".join(words), sum(confs) / len(confs))
        if _is_noise(text, confidence):
            continue
        start = (block, par) not in seen_paragraphs
        seen_paragraphs.add((block, par))
        result.append(OcrLine(text, round(top / height, 4), round(bottom / height, 4), round(confidence, 3), start))
    return result


# Tesseract reads the "I)" of a portion mark as one "D" ("(CUD", "(CUI//SP-CTD") and a lone I as "l"
# or "1" in "CUI": the mark then parses as nothing at all. Repaired only at the start of a line, in a
# token that opens like a CUI mark, and the line's confidence is capped: it was a guess.
_CUI_MISREAD = re.compile(r"^(\(?)C[uU][Il1|](?=$|[\s/)])")
REPAIRED_CONFIDENCE = 0.7


def repair(text: str, confidence: float) -> tuple[str, float]:
    fixed = _CUI_MISREAD.sub(r"\1CUI", text)
    head, sep, rest = fixed.partition(" ")
    if head.startswith("(CU") and ")" not in head and head.endswith("D"):
        fixed = head[:-1] + "I)" + sep + rest
    if fixed != text:
        return fixed, min(confidence, REPAIRED_CONFIDENCE)
    return text, confidence


def _is_noise(text: str, confidence: float) -> bool:
    """Specks, rules and stamps' edges read as '|', '~', '—': no letter or digit, or a shred of one."""
    alnum = sum(ch.isalnum() for ch in text)
    return alnum == 0 or (alnum < 3 and confidence < 0.5)
