"""Regenerate the committed legacy Office / OpenDocument fuzz seeds (tests/fuzz/seeds/): the docx,
pptx and xlsx seeds of fuzz_seeds.py converted by headless LibreOffice, the maintained writer of
these formats. Committed rather than built per run: a LibreOffice start costs seconds, and the
fuzzer's child processes each load the seeds.

    .venv/bin/python tests/fuzz/make_legacy_seeds.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "extract_legacy")]

import fuzz_seeds  # noqa: E402
from lo_fixtures import convert  # noqa: E402

TARGETS = {"doc": "memo.docx", "odt": "memo.docx", "xls": "book.xlsx", "ods": "book.xlsx",
           "ppt": "deck.pptx", "odp": "deck.pptx"}


def main() -> None:
    out = HERE / "seeds"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for target, seed in TARGETS.items():
            src = root / seed
            src.write_bytes(fuzz_seeds.seed(seed))
            (made,) = convert([src], target, root / target, root / "profile")
            dest = out / f"{Path(seed).stem}.{target}"
            dest.write_bytes(made.read_bytes())
            print(dest.relative_to(HERE.parent.parent), dest.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
