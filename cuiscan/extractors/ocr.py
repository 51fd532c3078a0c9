"""OCR of page images: lines of text with their position and confidence, read by tesseract.

Engine: libtesseract 5 in-process through `tesserocr` (a PyPI wheel that bundles the library), with
English `tessdata_fast` data shipped in models/ocr/ and loaded by path, so `pip install -e .` alone
gives OCR and every machine reads with the same library and the same model (checked by sha256 in
models/ocr/SOURCE.json). Why tesseract (benchmarks/ocr_engines.py): it read banners and portion marks
more often than RapidOCR (PP-OCRv4 on onnxruntime) at a fraction of its time per page. Why in-process
and not Debian's `tesseract` program: the same TSV, no program to install, no process per page (faster
per page, see the benchmark), and no system-dependent version or model changing what is read.
The image is handed over in memory: page text never lands on disk.

Where no tesserocr wheel exists (pyproject's marker), `unavailable()` says how to get it and callers
record the pages and images as not read.
"""
from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "ocr"   # eng.traineddata, loaded by path
LANG = "eng"
RENDER_DPI = 300                   # PDF pages are rasterised at this resolution for OCR
LOW_CONFIDENCE = 0.6               # below this a line's reading is a guess: it never makes an error alone
MIN_SIDE = 16                      # pixels; an image smaller than this holds no readable text
MAX_PIXELS = 60_000_000            # a larger image is scaled down first (memory, time)
_INSTALL = "pip install tesserocr; where PyPI has no wheel it builds against a system libtesseract"


@dataclass(frozen=True, slots=True)
class OcrLine:
    text: str
    top: float              # 0.0 top of the image .. 1.0 bottom (upper edge of the line)
    bottom: float
    confidence: float       # 0..1, mean of the words' confidence
    paragraph_start: bool   # first line of a paragraph as tesseract laid the page out


_api: tuple[int, object] | None = None     # (pid, PyTessBaseAPI): one per process, made on first use
_why_not: str | None = None


def _engine():
    """This process's tesseract API, or None (then `_why_not` says why). Loaded once per process:
    a worker forked after the parent loaded it makes its own, no state is shared across processes."""
    global _api, _why_not
    if _api is not None and _api[0] == os.getpid():
        return _api[1]
    if _why_not is not None:
        return None
    _why_not = _missing()
    if _why_not is not None:
        return None
    try:
        import tesserocr
    except ImportError:     # found but not loadable (a broken install)
        _why_not = f"OCR engine not installed ({_INSTALL})"
        return None
    try:
        api = tesserocr.PyTessBaseAPI(path=f"{MODEL_DIR}{os.sep}", lang=LANG, psm=tesserocr.PSM.AUTO)
    except RuntimeError as exc:
        _why_not = f"OCR engine cannot start ({exc})"
        return None
    _api = (os.getpid(), api)
    return api


def engine_name() -> str:
    """What reads the pages (`cuiscan --version`): 'tesseract 5.5.4 (tesserocr), eng 7d4322bd2a77' or why none."""
    if _engine() is None:
        return f"none: {_why_not}"
    import hashlib

    import tesserocr

    digest = hashlib.sha256((MODEL_DIR / f"{LANG}.traineddata").read_bytes()).hexdigest()
    return f"tesseract {tesserocr.tesseract_version().split()[1]} (tesserocr), {LANG} {digest[:12]}"


def _missing() -> str | None:
    """Why OCR cannot run here, found without loading the engine: the scan's parent process asks
    (incremental scan versions) and forks its workers, which would each carry a loaded engine's
    ~26 MB they may never use. The workers load it on their first page."""
    try:
        found = importlib.util.find_spec("tesserocr") is not None
    except (ImportError, ValueError, AttributeError):    # taken out of sys.modules: not there
        found = False
    if not found:
        return f"OCR engine not installed ({_INSTALL})"
    if not (MODEL_DIR / f"{LANG}.traineddata").is_file():
        return f"OCR model missing ({MODEL_DIR / (LANG + '.traineddata')})"
    return None


def unavailable() -> str | None:
    """Why OCR cannot run here, or None when it can (an engine that then fails to start says so
    on the first page it was given)."""
    if _api is not None and _api[0] == os.getpid():
        return None
    return _why_not or _missing()


def reset() -> None:
    """Forget the loaded engine (tests that take it away and give it back)."""
    global _api, _why_not
    _api, _why_not = None, None


class OcrTimeout(Exception):
    pass


def read_image(image, timeout: float, dpi: int | None = None) -> list[OcrLine]:
    """OCR one PIL image. Raises OcrTimeout past `timeout` seconds, RuntimeError if the engine fails.
    Recognition stops at the deadline; layout analysis before it cannot be interrupted (a fraction
    of a second per page), and the per-file timeout still kills the worker around all of it."""
    api = _engine()
    if api is None:
        raise RuntimeError(_why_not)
    image, scale = _prepared(image)
    try:
        api.SetImage(image)
        if dpi:
            api.SetSourceResolution(int(dpi * scale))
        done = api.Recognize(max(1, int(timeout * 1000)))   # 0 would mean no deadline
        if not done:
            raise OcrTimeout()
        tsv = api.GetTSVText(0)
    except RuntimeError as exc:
        raise RuntimeError(f"OCR engine failed ({exc})") from None
    finally:
        api.Clear()      # the page's image and results are not kept past this call
    return parse_tsv(tsv, image.height)


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
    """Tesseract's TSV (one row per word, with block/paragraph/line numbers) -> lines in reading order.
    Rows other than words (level 5), the program's header line among them, are left out."""
    lines: dict[tuple[int, int, int], list] = {}
    for row in tsv.splitlines():
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
