"""File type by content (magic bytes, OOXML part names), falling back to the extension.

Placeholder by extension only; replaced by the real sniffer.
"""
from __future__ import annotations

import os

from cuiscan.extractors.base import Source


def sniff(src: Source) -> str:
    ext = os.path.splitext(src.name)[1].lower().lstrip(".")
    return {"htm": "html", "text": "txt"}.get(ext, ext or "binary")
