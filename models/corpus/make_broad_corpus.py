"""Write models/corpus/broad.jsonl: passages in many registers from the sentence banks of broad_text.py.

    python models/corpus/make_broad_corpus.py [--seed 29] [--out models/corpus/broad.jsonl]

Each positive passage holds one to three sentences of one category, sometimes between ordinary office
lines, dressed as a mail, chat line, meeting note, slide, spreadsheet row or memo paragraph. Negatives
are the hard negatives of broad_text.py in the same dress, and engineering word salad (random words of
the pools, no sentence said): vocabulary alone must not make a passage CUI. Two more kinds of negatives
keep the model from calling anything unfamiliar CUI: ordinary English prose about software (docstrings
of the Python standard library, PSF License; taken from the Python that runs this script, so the
committed broad.jsonl records them) and fragments (names, lorem ipsum, one-word cells, citations,
identifiers, foreign words). Deterministic for a seed and a Python version.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from broad_text import FILL, NEGATIVE, POSITIVE, SALAD_POOLS  # noqa: E402

CATEGORIES = ("CTI", "EXPT", "ISVI", "OPSEC", "PROPIN", "PRVCY", "SSEL")
OFFICE = [s for s in NEGATIVE if any(w in s for w in ("Reminder", "lunch", "Meeting notes", "parking", "slides"))]
PER_CATEGORY = {"CTI": 700, "ISVI": 260, "SSEL": 200, "PROPIN": 200, "PRVCY": 200, "OPSEC": 160, "EXPT": 160}
NEGATIVES, SALAD, PROSE, FRAGMENTS = 2600, 700, 1500, 700
STDLIB = ("argparse", "asyncio.events", "collections", "csv", "datetime", "decimal", "email.message", "functools",
          "http.client", "json", "logging", "os", "pathlib", "random", "shutil", "socket", "sqlite3", "statistics",
          "subprocess", "tarfile", "threading", "unittest.case", "urllib.request", "zipfile", "ftplib", "imaplib",
          "smtplib", "tempfile", "textwrap", "typing", "uuid", "xml.dom.minidom", "calendar", "configparser")
FRAGMENT_WORDS = ("Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
                  "et dolore magna aliqua Mallory Jenkins Ottino Amaral Eins Tsvey Dray hipsum Col Row Sheet1 TOTAL "
                  "N/A TBD Figure Table Appendix Page Contents Index Navigation menu Article Talk Edit Search Login "
                  "IEEE Proc Conf vol pp doi arXiv et al ibid Fig Eq README LICENSE v1.2.3 foo_bar getValue "
                  "http://example.org Montag Dienstag lundi mardi hola gracias").split()


def fill(rng: random.Random, text: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(FILL[m.group(1)]), text)


def dress(rng: random.Random, sentences: list[str]) -> str:
    who, to = rng.choice(FILL["name"]), rng.choice(FILL["name"])
    style = rng.randrange(7)
    if style == 0:
        return f"Hi {to},\n\n" + " ".join(sentences) + f"\n\nThanks,\n{who}"
    if style == 1:
        return "\n".join(f"[{rng.randint(7, 18):02d}:{rng.randint(0, 59):02d}] {who}: {s}" for s in sentences)
    if style == 2:
        return f"Notes {rng.choice(FILL['date'])}\n" + "\n".join(f"* {s}" for s in sentences)
    if style == 3:
        title = rng.choice(["Status", "Test summary", "Open items", "Update", "Review", "Next steps"])
        return title + "\n" + "\n".join(f"- {s}" for s in sentences)
    if style == 4:
        return " | ".join(s.rstrip(".") for s in sentences)
    if style == 5:
        return "\n\n".join(sentences)
    return " ".join(sentences)


def positive(rng: random.Random, category: str) -> dict:
    said = [fill(rng, s) for s in rng.sample(POSITIVE[category], k=min(len(POSITIVE[category]), rng.randint(1, 3)))]
    if rng.random() < 0.35:
        said.insert(rng.randrange(len(said) + 1), fill(rng, rng.choice(OFFICE)))
    cats = {c: float(c == category) for c in CATEGORIES}
    return {"text": dress(rng, said), "cats": {"CUI": 1.0, **cats}}


def negative(rng: random.Random) -> dict:
    said = [fill(rng, s) for s in rng.sample(NEGATIVE, k=rng.randint(1, 4))]
    return {"text": dress(rng, said), "cats": {"CUI": 0.0, **{c: 0.0 for c in CATEGORIES}}}


def salad(rng: random.Random) -> dict:
    pool = rng.choice(SALAD_POOLS) + (SALAD_POOLS[0] if rng.random() < 0.5 else [])
    sentences = [" ".join(rng.choice(pool) for _ in range(rng.randint(8, 20))).capitalize() + "."
                 for _ in range(rng.randint(1, 6))]
    return {"text": dress(rng, sentences) if rng.random() < 0.5 else " ".join(sentences),
            "cats": {"CUI": 0.0, **{c: 0.0 for c in CATEGORIES}}}


def prose_paragraphs() -> list[str]:
    """Paragraphs of the standard library's docstrings (ordinary technical English, nothing controlled)."""
    import importlib
    import inspect

    out = []
    for name in STDLIB:
        module = importlib.import_module(name)
        for _, obj in sorted(vars(module).items()):
            doc = inspect.getdoc(obj) if (inspect.isclass(obj) or inspect.isfunction(obj)) else None
            for para in (doc or "").split("\n\n"):
                para = " ".join(para.split())
                if len(para.split()) >= 12 and not para.startswith((">>>", "..")):
                    out.append(para)
    return sorted(set(out))


def prose(rng: random.Random, paragraphs: list[str]) -> dict:
    said = rng.sample(paragraphs, k=rng.randint(1, 3))
    return {"text": dress(rng, said), "cats": {"CUI": 0.0, **{c: 0.0 for c in CATEGORIES}}}


def fragment(rng: random.Random) -> dict:
    text = " ".join(rng.choice(FRAGMENT_WORDS) for _ in range(rng.randint(1, 12)))
    if rng.random() < 0.3:
        text = " | ".join(text.split()[:6])
    return {"text": text, "cats": {"CUI": 0.0, **{c: 0.0 for c in CATEGORIES}}}


def build(seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = [positive(rng, c) for c, n in PER_CATEGORY.items() for _ in range(n)]
    rows += [negative(rng) for _ in range(NEGATIVES)] + [salad(rng) for _ in range(SALAD)]
    paragraphs = prose_paragraphs()
    rows += [prose(rng, paragraphs) for _ in range(PROSE)] + [fragment(rng) for _ in range(FRAGMENTS)]
    rng.shuffle(rows)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "broad.jsonl"))
    args = parser.parse_args(argv)
    rows = build(args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, sort_keys=True) + "\n")
    print(f"wrote {len(rows)} passages to {args.out}")


if __name__ == "__main__":
    main()
