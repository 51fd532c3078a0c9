"""Derivative detection: unmarked copies and excerpts of known CUI documents (DERIV-001).

How it fits the scan (integration contract with the pipeline):

* Worker process: `fingerprint_docs(docs) -> tuple[DocPrint, ...]`, one DocPrint per extracted
  document (the file and each member) with at least a few words of content. A DocPrint is frozen
  and picklable: `member`, `hashes` (int64 winnowed k-gram hashes as bytes), `positions` (uint32,
  where each hashed passage starts), `words`, and the block `locations` with `location_starts`
  (so a match is reported at its block: zone, page/slide/sheet, line, member). Never any text.
  The pipeline stores the tuple in `FileResult.fingerprints`.
* Main process: `Linker(conn, settings)` on the inventory's SQLite connection. `ensure_schema()`
  creates the `deriv_*` tables (see index.py). `process(result)` for every result in crawl order:
  a `marked-cui` result's prints become a source (path + sha256, categories from the result,
  replacing the path's older content); any other inspected, unclassified result is matched, and
  on a hit comes back with a DERIV-001 finding (error; the sources' categories; evidence names the
  source and the share matched) and assessment `derivative`. `finish()` at the end of the scan
  re-checks the files crawled before a source they repeat was indexed and returns their updated
  results (order of crawling does not matter). `forget(path)` when a file is gone; called before
  `finish()`, the files of this scan that named it as their source are returned updated too.
  `watch` should call `finish()` after each batch of events (it also empties the scan's TEMP table).
  Results with status `unchanged` need no prints: they are found in the index by content hash, and
  an unchanged candidate is matched again only when the set of sources changed since its last check.
  The linker writes in its own short transactions (a savepoint inside the caller's, if one is open).
  Thresholds: `settings.derivative_min_words` (longest repeated passage, default 40 words) or
  `settings.derivative_min_share` (share of the source's fingerprints, default 0.5; the passage must
  still be at least half of min_words long).
* References: `references.add_reference(conn, path, categories, limits)`, `list_references(conn)`,
  `remove_reference(conn, path)`; CLI `cuiscan reference add|list|remove` (cuiscan/cli_reference.py).
  Only fingerprints are stored; the source is shown as "reference document <original path>".

Robustness: normalize.py (case, punctuation, Unicode, hyphenation, reflow, bullets, tables, email
quoting, portion marks); boilerplate.py (standard statements and labels never count); the index
drops hashes shared by many different sources (`common_cap`).
"""
from cuiscan.derivatives.fingerprint import DocPrint, fingerprint_docs
from cuiscan.derivatives.linker import Linker

__all__ = ["DocPrint", "Linker", "fingerprint_docs"]
