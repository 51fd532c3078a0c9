"""`--format table` (default on a terminal): a summary table, then findings grouped by file.

Findings are printed as lines under their file (like a linter), not as one rich Table: a Table is
laid out in memory, and a share with 30,000 findings must stream.
"""
from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape as _markup_escape
from rich.table import Table

from cuiscan.reporting.context import ReportContext
from cuiscan.textsafe import printable

SEVERITY_STYLE = {"critical": "bold white on red", "error": "bold red", "warning": "yellow", "info": "cyan"}
ASSESSMENT_STYLE = {"classified": "bold white on red", "derivative": "red", "unmarked-cui": "red",
                    "marked-cui": "green", "unknown": "yellow", "not-cui": "dim"}

def escape(text: str) -> str:
    """Rich markup escaping, and control characters shown as \\xNN: file names are attacker-chosen
    text, and ESC/BEL sequences must not reach the terminal (window title, screen clearing)."""
    return _markup_escape(printable(text))


def make_console(out: TextIO, min_width: int = 0) -> Console:
    # soft_wrap: long paths stay on one line (greppable) instead of being folded at 80 columns.
    console = Console(file=out, soft_wrap=True, highlight=False, emoji=False)
    if min_width and not console.is_terminal:   # a file or pipe has no width: do not squeeze tables
        console.width = max(console.width, min_width)
    return console


def render(ctx: ReportContext, out: TextIO) -> None:
    console = make_console(out, min_width=120)
    summary = ctx.summary()
    s = ctx.scan
    console.print(f"[bold]cuiscan[/] scan {escape(s.id)}  profile {escape(s.profile)}  "
                  f"roots {escape(', '.join(s.roots))}")
    console.print(f"started {s.started_at}  " + (f"finished {s.finished_at}" if s.finished_at
                                                  else "not finished (interrupted or still running)"))
    console.print(_summary_table(summary))
    current = None
    for row, supp in ctx.findings():
        if current is None:
            console.print("\n[bold]Findings[/] (per file)\n" + findings_header())
        if row.path != current:
            current = row.path
            zone = f"  [dim]zone {escape(row.file_zone)}[/]" if row.file_zone else ""
            style = ASSESSMENT_STYLE.get(row.assessment.value, "")
            console.print(f"\n[bold]{escape(row.path)}[/]  [{style}]{row.assessment.value}[/]{zone}")
        for line in finding_lines(row.finding, supp.reason if supp else None):
            console.print(line)
    hidden = summary["suppressed"]
    tail = f"{summary['findings']} finding(s)"
    if hidden:
        tail += f", {hidden} suppressed" + ("" if ctx.show_suppressed else " (--show-suppressed to list)")
    console.print(f"\n{tail}")


_INDENT = " " * 25   # under the message: past severity (8) and rule ID (13) and their gaps


def findings_header() -> str:
    """One header line: a finding is printed as these fields, then its evidence and fingerprint, labelled."""
    return f"[dim]  {'severity':<8} {'rule':<13} where: message[/]"


def finding_lines(f, suppressed: str | None = None) -> list[str]:
    """A finding as a linter would print it: severity, rule, where: message; then, labelled on their
    own line, the evidence and the fingerprint (which `cuiscan suppress` takes)."""
    sev = f.severity.value
    head = (f"  [{SEVERITY_STYLE[sev]}]{sev:<8}[/] {f.rule_id:<13} "
            f"{escape(f.location.describe())}: {escape(f.message)}")
    if suppressed is not None:
        head += f"  [dim](suppressed: {escape(suppressed)})[/]"
    tail = [f"evidence: {escape(f.evidence)}"] if f.evidence else []
    if f.fingerprint:
        tail.append(f"fingerprint: {f.fingerprint}")
    return [head] + ([f"[dim]{_INDENT}{'  ·  '.join(tail)}[/]"] if tail else [])


def _summary_table(summary: dict) -> Table:
    table = Table(title="Summary", show_header=True, header_style="bold")
    table.add_column("files")
    table.add_column("count", justify="right")
    table.add_column("findings")
    table.add_column("count", justify="right")
    left = [(k, v) for k, v in summary["counts"].items()]
    left += [(f"  {k}", v) for k, v in sorted(summary["assessments"].items())]
    right = [(k, v) for k, v in summary["findings_by_severity"].items()]
    right += [(f"  {k}", v) for k, v in summary["findings_by_rule"].items()]
    if summary["suppressed"]:
        right.append(("suppressed", summary["suppressed"]))
    for i in range(max(len(left), len(right))):
        lk, lv = left[i] if i < len(left) else ("", "")
        rk, rv = right[i] if i < len(right) else ("", "")
        table.add_row(escape(str(lk)), str(lv), escape(str(rk)), str(rv))
    return table
