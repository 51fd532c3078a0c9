"""What the pipeline hands the linker, and what a scan records after the linker's end-of-scan pass."""
from __future__ import annotations

import os

from cuiscan.derivatives import Linker, encode_prints, doc_prints
from cuiscan.extractors import extract_file
from cuiscan.fileio import sha256_file
from cuiscan.records import Assessment, FileResult, Status


def inspected(path, assessment: Assessment, categories=(), findings=()) -> FileResult:
    """What the pipeline hands the linker for a file: real extraction, real fingerprints."""
    path = str(path)
    st = os.stat(path)
    docs = extract_file(path)
    assert any(d.blocks for d in docs), f"extraction found no text in {path}: {[d.problems for d in docs]}"
    return FileResult(path=path, root=os.path.dirname(path), ftype=docs[0].ftype, size=st.st_size,
                      mtime_ns=st.st_mtime_ns, inode=st.st_ino, sha256=sha256_file(path),
                      status=Status.INSPECTED, assessment=assessment, categories=tuple(categories),
                      findings=tuple(findings), prints=encode_prints(doc_prints(docs)))


def check(linker: Linker, result: FileResult) -> FileResult:
    """The result as the scan ends up recording it: processed, then matched at the end of the scan."""
    processed = linker.process(result)
    updated = {r.path: r for r in linker.finish()}
    return updated.get(result.path, processed)
