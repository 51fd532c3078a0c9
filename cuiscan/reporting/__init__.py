"""Report formats: an explicit name -> renderer registry, loaded on first use.

Each format module has `render(ctx: ReportContext, out: TextIO) -> None` and streams from the store.
The inventory rollup and the scan diff have their own small renderers (inventory_report, diff_report).
"""
from __future__ import annotations

import importlib
from datetime import date
from typing import Callable, TextIO

from cuiscan.errors import ConfigError
from cuiscan.inventory.suppressions import SuppressionPolicy
from cuiscan.reporting.context import ReportContext

RENDERERS: dict[str, str] = {
    "table": "cuiscan.reporting.table:render",
    "json": "cuiscan.reporting.json_report:render",
    "jsonl": "cuiscan.reporting.jsonl:render",
    "csv": "cuiscan.reporting.csv_report:render",
    "sarif": "cuiscan.reporting.sarif:render",
    "html": "cuiscan.reporting.html:render",
}
FORMATS = tuple(RENDERERS)


def get_renderer(fmt: str) -> Callable[[ReportContext, TextIO], None]:
    try:
        target = RENDERERS[fmt]
    except KeyError:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}") from None
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(module), func)


def render(fmt: str, inv, scan_id: str, out: TextIO, *, show_suppressed: bool = False,
           min_severity=None, suppressions: SuppressionPolicy | None = None, today: date | None = None,
           reveal: dict[str, str] | None = None) -> ReportContext:
    """Write stored scan `scan_id` to `out` in format `fmt`; returns the context (for its summary).

    `suppressions`: the policy built from Settings (the [[suppress]] entries of cuiscan.toml); the
    inventory's own suppressions always apply. `reveal`: fingerprint -> raw evidence, for the report
    of a `scan --show-evidence` run only (the inventory holds redacted evidence alone).
    """
    renderer = get_renderer(fmt)
    ctx = ReportContext.build(inv, scan_id, show_suppressed=show_suppressed, min_severity=min_severity,
                              suppressions=suppressions, today=today,
                              reveal=reveal)
    renderer(ctx, out)
    return ctx
