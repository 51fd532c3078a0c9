"""DETECT-001 on the real public documents that are not CUI (../shared/corpus/real, MANIFEST.tsv).

    python benchmarks/real_negatives.py [REAL_DIR]

Every file labelled not-cui, dist-statement or export-notice in the manifest is public text written
outside this project (READMEs with EAR notices, DoD guidance with statement A, CMMC documentation ...).
Targets (issue 13): no DETECT-001 error on any of them, DETECT-001 of any severity on <= 3%.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_findings import scan_detections  # noqa: E402

NEGATIVE_LABELS = ("not-cui", "dist-statement", "export-notice")


def default_dir() -> Path | None:
    """../shared/corpus/real beside the checkout (a worktree sits one level deeper)."""
    for up in Path(__file__).resolve().parents[1:4]:
        if (up / "shared" / "corpus" / "real" / "MANIFEST.tsv").is_file():
            return up / "shared" / "corpus" / "real"
    return None


def negatives(real_dir: Path) -> list[Path]:
    rows = (real_dir / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    head = rows[0].split("\t")
    at_path, at_label = head.index("path"), head.index("expected")
    out = []
    for row in rows[1:]:
        cols = row.split("\t")
        if len(cols) > at_label and cols[at_label] in NEGATIVE_LABELS and (real_dir / cols[at_path]).is_file():
            out.append((real_dir / cols[at_path]).resolve())
    return out


def evaluate(real_dir: Path, jobs: int = 2) -> tuple[list[Path], dict]:
    files = negatives(real_dir)
    found, _ = scan_detections(real_dir, jobs)
    return files, {p: found[p] for p in files if p in found}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("real_dir", type=Path, nargs="?", default=default_dir())
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    files, hits = evaluate(args.real_dir.resolve(), args.jobs)
    errors = [p for p, d in hits.items() if d.severity in ("error", "critical")]
    print(f"real public negatives: {len(files)}; DETECT-001 on {len(hits)} ({100 * len(hits) / max(len(files), 1):.1f}%, "
          f"target <= 3%); as error: {len(errors)} (target 0)")
    for p, d in sorted(hits.items()):
        print(f"  {d.severity}: {p.name} ({', '.join(d.categories)}) {d.evidence}")


if __name__ == "__main__":
    main()
