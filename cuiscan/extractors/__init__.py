"""Format -> extractor registry and the dispatcher that walks a file and all its members.

`extract_file(path, limits)` returns one ExtractedDoc for the file itself followed by one per
member (attachments, archive entries, recursively). A document that cannot be read becomes an
ExtractedDoc with a Problem and no blocks; the others are still returned.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import replace

from cuiscan.errors import ExtractionError, UnsupportedError
from cuiscan.extractors.base import Budget, DocContext, Extractor, Source, describe_exception
from cuiscan.extractors.sniff import sniff
from cuiscan.records import ExtractedDoc, Problem
from cuiscan.settings import Limits

# type -> "module:function"; modules load on first use so a scan of text files never imports pdfium.
_REGISTRY: dict[str, str] = {
    "docx": "cuiscan.extractors.word:extract_docx",
    "pdf": "cuiscan.extractors.pdf:extract_pdf",
    "pptx": "cuiscan.extractors.slides:extract_pptx",
    "xlsx": "cuiscan.extractors.sheets:extract_xlsx",
    "eml": "cuiscan.extractors.email:extract_eml",
    "mbox": "cuiscan.extractors.email:extract_mbox",
    "msg": "cuiscan.extractors.email_msg:extract_msg",
    "txt": "cuiscan.extractors.text:extract_text",
    "md": "cuiscan.extractors.text:extract_text",
    "csv": "cuiscan.extractors.text:extract_text",
    "log": "cuiscan.extractors.text:extract_text",
    "xml": "cuiscan.extractors.text:extract_text",
    "html": "cuiscan.extractors.text:extract_html",
    "rtf": "cuiscan.extractors.text:extract_rtf",
    "zip": "cuiscan.extractors.archive:extract_zip",
    "image": "cuiscan.extractors.images:extract_image",
    "xls": "cuiscan.extractors.xls:extract_xls",
    "doc": "cuiscan.extractors.doc:extract_doc",
    "ppt": "cuiscan.extractors.ppt:extract_ppt",
    "odt": "cuiscan.extractors.odf:extract_odt",
    "ods": "cuiscan.extractors.odf:extract_ods",
    "odp": "cuiscan.extractors.odf:extract_odp",
}

# Types we recognise but cannot read: reported as SCAN-001 (unsupported), never silently passed.
UNSUPPORTED = {
    "binary": "binary file of an unsupported type",
    "ole": "OLE compound file of an unsupported type",
    "archive": "archive format other than zip is not supported",
}

_loaded: dict[str, Extractor] = {}


def get_extractor(ftype: str) -> Extractor:
    if ftype not in _REGISTRY:
        raise UnsupportedError(UNSUPPORTED.get(ftype, f"unsupported file type: {ftype}"))
    fn = _loaded.get(ftype)
    if fn is None:
        module, _, name = _REGISTRY[ftype].partition(":")
        fn = getattr(importlib.import_module(module), name)
        _loaded[ftype] = fn
    return fn


def extract_file(path: str, limits: Limits | None = None, pdf_backend: str = "auto",
                 ftype: str | None = None, name: str | None = None, ocr: str = "auto") -> list[ExtractedDoc]:
    """Extract a file on disk and, recursively, every member it contains. `name` (default: the
    path's base name) is what type hints and messages use, e.g. when `path` is /proc/self/fd/N."""
    src = Source(name=name or os.path.basename(path), path=path)
    return extract_source(src, limits or Limits(), pdf_backend=pdf_backend, ftype=ftype, ocr=ocr)


def extract_source(src: Source, limits: Limits, pdf_backend: str = "auto",
                   ftype: str | None = None, ocr: str = "auto") -> list[ExtractedDoc]:
    budget = Budget(limits)
    docs: list[ExtractedDoc | None] = []

    def extract(source: Source, member: str | None, depth: int, known_type: str | None) -> None:
        # Depth first: a member is read the moment its container hands it over, so memory holds the
        # members on one nesting path, not every member of an archive (up to archive_total) at once.
        slot = len(docs)
        docs.append(None)  # the container keeps its place before its members
        doc_type = known_type or _safe_sniff(source)
        ctx = DocContext(ftype=doc_type, member=member, depth=depth, budget=budget, pdf_backend=pdf_backend,
                         ocr=ocr)
        ctx.on_member = lambda name, data: extract(
            Source(name=name, path=data.path) if isinstance(data, Source) else Source(name=name, data=data),
            ctx.member_path(name), depth + 1, None)
        try:
            get_extractor(doc_type)(source, ctx)
        except ExtractionError as exc:
            ctx.problems.append(Problem(reason=exc.reason, message=exc.message, member=member))
        except MemoryError:
            ctx.problems.append(Problem(reason="limit", message="ran out of memory while reading", member=member))
        except RecursionError:
            ctx.problems.append(Problem(reason="corrupt", message="structure nested too deeply to read", member=member))
        except Exception as exc:  # a third-party parser choking on hostile input must not end the scan
            ctx.problems.append(Problem(reason="corrupt", message=_describe(doc_type, exc), member=member))
        docs[slot] = ctx.finish()

    extract(src, None, 0, ftype)
    if budget.ocr_pages or budget.images_skipped:   # the file's OCR coverage, members included
        top = docs[0]
        docs[0] = replace(top, facts=top.facts + (("ocr_pages", budget.ocr_pages),
                                                  ("images_skipped", budget.images_skipped)))
    return docs  # type: ignore[return-value]  (every slot is filled)


def _safe_sniff(src: Source) -> str:
    try:
        return sniff(src)
    except OSError:
        raise
    except Exception:
        return "binary"


def _describe(ftype: str, exc: Exception) -> str:
    return f"not a readable {ftype} file ({describe_exception(exc, 200)})"
