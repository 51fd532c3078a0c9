"""Check that fingerprinting gives bit-identical output before and after a change to it.

    python benchmarks/fingerprint_identity.py CORPUS_DIR --save BASELINE   # before the change
    python benchmarks/fingerprint_identity.py CORPUS_DIR --check BASELINE  # after it

Every file of the corpus is extracted as the pipeline does (`extract_file`) and fingerprinted
(`doc_prints`); every field of every DocPrint (member, hashes, positions, words, locations,
location_starts) is saved, or compared with the saved run. Exits 1 on any difference.
"""
from __future__ import annotations

import argparse
import gzip
import pickle
import sys
from pathlib import Path

from cuiscan.derivatives import doc_prints
from cuiscan.extractors import extract_file

FIELDS = ("member", "hashes", "positions", "words", "locations", "location_starts")


def prints_of(path: Path) -> tuple[tuple, ...]:
    """Every field of every DocPrint of one file, as plain comparable tuples."""
    return tuple(tuple(getattr(p, f) for f in FIELDS) for p in doc_prints(extract_file(str(path))))


def run(corpus: Path) -> dict[str, tuple]:
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    return {str(p.relative_to(corpus)): prints_of(p) for p in files}


def differences(old: dict[str, tuple], new: dict[str, tuple]) -> list[str]:
    """One line per file (or per field of a DocPrint) that differs."""
    out = [f"{name}: only in the baseline" for name in sorted(old.keys() - new.keys())]
    out += [f"{name}: not in the baseline" for name in sorted(new.keys() - old.keys())]
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name], new[name]
        if a == b:
            continue
        if len(a) != len(b):
            out.append(f"{name}: {len(a)} prints before, {len(b)} now")
            continue
        for i, (pa, pb) in enumerate(zip(a, b)):
            fields = [f for f, x, y in zip(FIELDS, pa, pb) if x != y]
            if fields:
                out.append(f"{name}: print {i} ({pa[0]!r}) differs in {', '.join(fields)}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="write this run's prints to this file")
    mode.add_argument("--check", type=Path, help="compare this run's prints with this file")
    args = ap.parse_args()
    result = run(args.corpus)
    prints = sum(len(v) for v in result.values())
    if args.save:
        with gzip.open(args.save, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        print(f"saved {len(result)} files, {prints} prints to {args.save}")
        return
    with gzip.open(args.check, "rb") as f:
        baseline = pickle.load(f)
    diffs = differences(baseline, result)
    for line in diffs[:50]:
        print(line)
    if diffs:
        print(f"DIFFERENT: {len(diffs)} differences ({len(result)} files, {prints} prints)")
        sys.exit(1)
    print(f"IDENTICAL: {len(result)} files, {prints} prints, every field equal")


if __name__ == "__main__":
    main()
