"""Derivative detection: unmarked copies and excerpts of known CUI documents (DERIV-001).

How it fits the scan (integration contract with the pipeline):

* Worker process: `doc_prints(docs) -> tuple[DocPrint, ...]`, one DocPrint per extracted
  document (the file and each member) with at least a few words of content: `member`, `hashes`
  (int64 winnowed k-gram hashes as bytes), `positions` (uint32, where each hashed passage starts),
  `words`, and the block `locations` with `location_starts` (so a match is reported at its block:
  zone, page/slide/sheet, line, member). Never any text. The pipeline stores them encoded
  (`encode_prints`, codec.py) in `FileResult.prints`: the main process only stores bytes.
* Main process: `Linker(conn, LinkOptions.from_settings(settings), inventory=inv)` on the
  inventory's SQLite connection (the `deriv_*` tables are the inventory's: inventory/schema.py). `process(result)` for every result
  in crawl order only records it: a `marked-cui` result becomes a source (path + sha256, categories
  from the result, replacing the path's older content), any other inspected, unclassified result a
  candidate. Its writes commit with the inventory's batches. `finish()` at the end of the scan
  matches every candidate of the scan not yet matched against the present sources, so crawl order
  does not matter, and returns the results that change: a DERIV-001 finding (error; the sources'
  categories; evidence names the source and the share matched) and assessment `derivative` added,
  or removed when the source is gone. `forget(path)` when a file is gone. `note_unchanged(paths)`
  for files carried forward unchanged: they are matched again only when the sources changed since
  their last match. `watch` calls `finish()` after each batch of events; `close()` at the end.
  Thresholds (LinkOptions): `settings.derivative_min_words` (longest repeated passage, default 40
  words) or `settings.derivative_min_share` (share of the source's fingerprints, default 0.5; the passage must
  still be at least half of min_words long).
* References: `references.add_reference(conn, path, categories, limits)`, `list_references(conn)`,
  `remove_reference(conn, path)`; CLI `cuiscan reference add|list|remove` (cuiscan/cli/reference_cmd.py).
  Only fingerprints are stored; the source is shown as "reference document <original path>".
  `references.add_public_reference` (`cuiscan reference add --public`) registers public text instead.
* Common text (common.py): fingerprints a source shares with a public reference or with
  `settings.derivative_common_docs` unmarked documents of the inventory (default 5, this one
  included) never count; a candidate with hits is judged again without them. A file that carries
  any CUI marking (banner, or a BANNER/PORTION/LDC/DECON finding) is never a candidate.

Robustness: normalize.py (case, punctuation, Unicode, hyphenation, reflow, bullets, tables, email
quoting, portion marks); boilerplate.py (standard statements and labels never count); the index
drops hashes shared by many different sources (`common_cap`).
"""
from cuiscan.derivatives.codec import decode_prints, encode_prints
from cuiscan.derivatives.docprints import DocPrint, doc_prints
from cuiscan.derivatives.linker import LinkOptions, Linker

__all__ = ["DocPrint", "LinkOptions", "Linker", "decode_prints", "encode_prints", "doc_prints"]
