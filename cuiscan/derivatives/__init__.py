"""Derivative detection (placeholder docstring, filled in below)."""
from cuiscan.derivatives.fingerprint import DocPrint, fingerprint_docs

__all__ = ["DocPrint", "fingerprint_docs"]
