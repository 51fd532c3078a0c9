"""The marking checks, one module per rule family, run in the order of cuiscan.markings.CHECKS.

Each module has `check(view, ctx) -> Iterable[Finding]` and reports through `markings.common.finding`:
a check names the rule, the rule book (rules/markings/*.yaml) gives its severity and the profiles it
applies to. The document model they read (view.py: units, banners, portion marks, DI blocks) and the
parsers (grammar.py, vocab.py, diblock.py, shell.py, prefilter.py) stay in cuiscan.markings.
"""
