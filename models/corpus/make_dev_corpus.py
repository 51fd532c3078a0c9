"""Write models/corpus/blind_dev.jsonl: training passages from a DEV batch of the blind evaluation writers.

    python models/corpus/make_dev_corpus.py tests/detection/blind/dev/d1 [--out models/corpus/blind_dev.jsonl]

The dev batches (JSONL: id, label, category, format, style, why, where, content) were written by
sessions that never saw cuiscan's code, rules or training data; the project may tune on them (the
SEALED batches are never read). Their text is what neither the project's templates nor the broad
sentence banks are: other people's mail, decks and sheets.

A document's content becomes text (every string, table rows joined with " | "), cut into passages
of at most 3,000 characters at line ends, as the scanner groups blocks. Every passage of a not-CUI
document is a negative. A CUI document holds its controlled part in one place ("where"), so only its
passages that say something of it are positives: the passages that share the most words with the
writer's own "why" sentence (at least one, at most two); its other passages are left out, neither
positive nor negative. The category is the document's; the other categories are 0.
Each row carries "weight": WEIGHT (10): a few hundred passages by other hands against thirteen
thousand of the project's own (two-fold cross-validation on batch d1: see the model card).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

WEIGHT = 10.0
CATEGORIES = ("CTI", "EXPT", "ISVI", "OPSEC", "PROCURE", "PROPIN", "PRVCY", "SSEL")
WORD = re.compile(r"[a-z][a-z0-9\-]{2,}")


def flatten(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in flatten(v)]
    if isinstance(value, list):
        if value and all(isinstance(v, (str, int, float)) or v is None for v in value):
            return [" | ".join(str(v) for v in value if v is not None)]
        return [s for v in value for s in flatten(v)]
    return [] if value is None else [str(value)]


def passages(text: str, size: int = 3000) -> list[str]:
    out, current = [], ""
    for line in (x for x in text.replace("\r", "").split("\n") if x.strip()):
        if current and len(current) + len(line) > size:
            out.append(current)
            current = ""
        current += line[:size] + "\n"
    return out + [current] if current else out


def records(doc: dict) -> list[dict]:
    chunks = passages("\n".join(flatten(doc["content"])))
    zero = {c: 0.0 for c in CATEGORIES}
    if doc["label"] != "cui":
        return [{"text": t, "cats": {"CUI": 0.0, **zero}, "weight": WEIGHT} for t in chunks]
    why = set(WORD.findall(doc.get("why", "").lower()))
    ranked = sorted(range(len(chunks)), key=lambda i: -len(why & set(WORD.findall(chunks[i].lower()))))
    keep = ranked[:1] + [i for i in ranked[1:2] if len(why & set(WORD.findall(chunks[i].lower()))) >= 3]
    cats = {**zero, doc["category"]: 1.0} if doc["category"] in CATEGORIES else {}
    return [{"text": chunks[i], "cats": {"CUI": 1.0, **cats}, "weight": WEIGHT} for i in sorted(keep)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch", type=Path)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "blind_dev.jsonl"))
    parser.add_argument("--ids", help="only these document ids (file with one per line)")
    args = parser.parse_args(argv)
    wanted = set(Path(args.ids).read_text().split()) if args.ids else None
    docs = [json.loads(line) for path in sorted(args.batch.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for d in docs if wanted is None or d["id"] in wanted for r in records(d)]
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, sort_keys=True) + "\n")
    print(f"wrote {len(rows)} passages from {len(docs) if wanted is None else len(wanted)} documents to {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
