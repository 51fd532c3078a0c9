"""How much the marking validator adds to extraction time. Prints figures; target: < 10 %.

    .venv/bin/python benchmarks/markings_overhead.py [--docs 40] [--paras 300]

Builds a corpus of marked and unmarked docx/pdf/txt/eml files in a temp dir (real libraries), extracts
each file once, then times check_file on the extracted documents under both profiles.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "markings"))

import mk_builders as B  # noqa: E402
from cuiscan.extractors import extract_file  # noqa: E402
from cuiscan.markings import MarkingContext, check_file, warm_up  # noqa: E402

WORDS = ("engine test results thermal margin schedule crew roster program review budget contract the of and "
         "to in for with on at by from CUI FOUO secret information controlled").split()


def paragraph(rng: random.Random, marked: bool) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60))).capitalize() + "."
    return (rng.choice(["(U) ", "(CUI) ", "(CUI//SP-CTI) "]) + text) if marked else text


def corpus(tmp: Path, docs: int, paras: int, formats: str = "docx,pdf,txt,eml") -> list[Path]:
    rng = random.Random(7)
    kinds = [("docx", "pdf", "txt", "eml").index(f) for f in formats.split(",")]
    out = []
    for i in range(docs):
        marked = i % 2 == 0
        body = [paragraph(rng, marked) for _ in range(paras)] + B.DOD_DI
        kind = kinds[i % len(kinds)]
        if kind == 0:
            out.append(B.docx(tmp / f"d{i}.docx", body, header="CUI" if marked else None,
                              footer="CUI" if marked else None))
        elif kind == 1:
            pages = [("CUI" if marked else None, body[j:j + 8], "CUI" if marked else None)
                     for j in range(0, len(body), 8)]
            out.append(B.pdf(tmp / f"p{i}.pdf", pages))
        elif kind == 2:
            out.append(B.txt(tmp / f"t{i}.txt", ["CUI", ""] + [x for b in body for x in (b, "")] + ["CUI"]))
        else:
            out.append(B.eml(tmp / f"e{i}.eml", "CUI\n\n" + "\n\n".join(body) + "\n\nCUI\n"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--paras", type=int, default=300)
    ap.add_argument("--formats", default="docx,pdf,txt,eml", help="comma list of docx,pdf,txt,eml")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = corpus(Path(tmp), args.docs, args.paras, args.formats)
        t0 = time.perf_counter()
        extracted = [extract_file(str(f)) for f in files]
        t_extract = time.perf_counter() - t0
        warm_up(MarkingContext())   # once per process: registry, check modules, scan tables
        times = {}
        for profile in ("dod", "nara"):
            ctx = MarkingContext(profile=profile)
            t0 = time.perf_counter()
            n = sum(len(r.findings) for docs in extracted for r in check_file(docs, ctx))
            times[profile] = (time.perf_counter() - t0, n)
        split = _per_module(extracted, MarkingContext(profile="dod"))
    blocks = sum(len(d.blocks) for docs in extracted for d in docs)
    print(f"files: {len(files)}  blocks: {blocks}  extraction: {t_extract:.3f} s")
    for profile, (t, n) in times.items():
        print(f"markings ({profile}): {t:.3f} s  = {100 * t / t_extract:.1f} % of extraction  "
              f"({1e6 * t / blocks:.1f} us/block, {n} findings)")
    print("dod split: " + "  ".join(f"{name} {100 * t / t_extract:.1f}%" for name, t in split))


def _per_module(extracted, ctx) -> list[tuple[str, float]]:
    """Where the time goes: building the views once (text scan, units, parsing), then each check module."""
    from cuiscan.markings import build_views, load_checks

    t0 = time.perf_counter()
    views = [v for docs in extracted for v in build_views(docs, ctx)]
    out = [("views(scan+parse)", time.perf_counter() - t0)]
    for name, module in load_checks():
        t0 = time.perf_counter()
        for v in views:
            list(module.check(v, ctx))
        out.append((name, time.perf_counter() - t0))
    return out


if __name__ == "__main__":
    main()
