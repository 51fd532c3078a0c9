"""`cuiscan inspect FILE`: show the blocks the extractors produced, so users see what we see."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from cuiscan.extractors import extract_file
from cuiscan.fileio import sha256_file
from cuiscan.pipeline import Inspector, inspect_docs, new_result
from cuiscan.reporting.table import escape, finding_lines, findings_header
from cuiscan.settings import Settings


def show_file(path: str, settings: Settings, with_findings: bool = True, explain: bool = False) -> str | None:
    """Print the blocks (or, with `explain`, detection's view of each passage and why the verdict),
    then the findings; returns the highest finding severity, for the exit code."""
    console = Console()
    inspector = Inspector.from_settings(settings)
    o = inspector.options
    docs = extract_file(path, o.limits, pdf_backend=o.pdf_backend, ocr=o.ocr)
    if explain:
        _show_explanation(console, path, docs, inspector)
    for doc in docs if not explain else ():
        # Everything from the file is escaped: rich would eat "[distribution statement D]" as markup.
        title = escape(f"{doc.member or path}  [{doc.ftype}]") + (f"  {doc.pages} pages/slides/sheets" if doc.pages else "")
        table = Table(title=title, show_lines=False, expand=True)
        for col in ("#", "where", "kind", "text"):
            table.add_column(col, overflow="fold")
        for block in doc.blocks:
            where = block.loc.describe() + (f" [{block.variant}]" if block.variant else "")
            if block.top is not None:
                where += f" y={block.top:.2f}"
            if block.loc.ocr is not None:
                where += f" read {block.loc.ocr:.2f}"
            flags = "".join(f" ({f})" for f, on in (("hidden", block.hidden), ("struck", block.struck)) if on)
            table.add_row(str(block.order), escape(where), block.kind + flags, escape(block.text))
        console.print(table)
        for problem in doc.problems:
            console.print(f"[yellow]problem[/yellow] {problem.reason}: {escape(problem.message)}")
    if with_findings:
        worst = max(_show_findings(console, path, docs, inspector), key=lambda f: f.severity.rank, default=None)
        return worst.severity.value if worst else None
    return None


def _show_explanation(console: Console, path: str, docs, inspector: Inspector) -> None:
    from cuiscan.detection.explain import explain_file
    from cuiscan.markings import check_file

    markings = check_file(docs, inspector.marking_ctx)
    for item in explain_file(inspector.detector, docs, markings, inspector.options.show_evidence):
        console.print(f"\n[bold]{escape(item.member or path)}[/bold]  ({len(item.passages)} passages with "
                      f"something to say, {item.quiet} quiet)")
        for view in item.passages:
            console.print(f"  [cyan]passage at {escape(view.where)}[/cyan] ({view.chars} chars)")
            for line in view.fired:
                console.print(f"    fired  {escape(line)}")
            for line in view.held:
                console.print(f"    held   {escape(line)}")
            if view.model:
                console.print(f"    model  {escape(view.model)}")
            if view.terms:
                console.print(f"    terms  {escape(view.terms)}")
        for line in item.verdict:
            console.print(f"  [bold]{escape(line)}[/bold]")


def _show_findings(console: Console, path: str, docs, inspector: Inspector) -> list:
    result = inspect_docs(new_result(path, sha256=sha256_file(path)), docs, inspector)
    console.print(f"\n[bold]assessment:[/bold] {result.assessment.value}  {escape(result.explanation)}")
    if result.findings:
        console.print(findings_header())
    for f in result.findings:
        for line in finding_lines(f):
            console.print(line)
    return result.findings
