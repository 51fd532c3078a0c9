"""`cuiscan rules` and `cuiscan rules show ID`, printed from the same data the checks use."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from cuiscan.rulebook import load_rulebook


def list_rules() -> None:
    console = Console()
    table = Table(title="Marking and tool rules", expand=True)
    for col in ("ID", "severity", "profile", "checked", "title"):
        table.add_column(col, overflow="fold")
    for doc in sorted(load_rulebook().values(), key=lambda d: _sort_key(d.id)):
        table.add_row(doc.id, doc.severity.value, doc.profile, doc.checkable, doc.title)
    console.print(table)
    packs = _detection_rules()
    if packs:
        table = Table(title="Detection rule packs", expand=True)
        for col in ("ID", "category", "score", "summary"):
            table.add_column(col, overflow="fold")
        for r in packs:
            table.add_row(r["id"], r["category"], f"{r['score']:.2f}", r["summary"])
        console.print(table)


def show_rule(rule_id: str) -> bool:
    console = Console()
    doc = load_rulebook().get(rule_id.upper())
    if doc is not None:
        console.print(f"[bold]{doc.id}[/bold] — {doc.title}")
        console.print(f"profile: {doc.profile}   severity: {doc.severity.value}"
                      + (f" ({doc.severity_note})" if doc.severity_note else "") + f"   checked: {doc.checkable}")
        if doc.check_note:
            console.print(f"what cuiscan cannot check: {doc.check_note}")
        for label, text in (("checks", doc.summary), ("why", doc.why), ("fix", doc.fix), ("source", doc.source)):
            console.print(f"\n[bold]{label}[/bold]\n{text}")
        console.print("\n[bold]compliant[/bold]")
        for ex in doc.compliant:
            console.print(f"  ✓ {ex}", markup=False)
        console.print("\n[bold]non-compliant[/bold]")
        for ex in doc.non_compliant:
            console.print(f"  ✗ {ex}", markup=False)
        return True
    for r in _detection_rules():
        if r["id"].upper() == rule_id.upper():
            console.print(f"[bold]{r['id']}[/bold] — {r['summary']}")
            for key in ("category", "kind", "score", "severity", "rationale", "references"):
                value = r.get(key)
                if value not in (None, "", []):
                    text = "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
                    console.print(f"{key}: {text}", markup=False)
            examples = r.get("examples") or {}
            console.print("\n[bold]matches[/bold]")
            for ex in examples.get("match", []):
                console.print(f"  ✓ {ex}", markup=False)
            console.print("\n[bold]does not match[/bold]")
            for ex in examples.get("no_match", []):
                console.print(f"  ✗ {ex}", markup=False)
            return True
    return False


def _detection_rules() -> list[dict]:
    from cuiscan.detection import describe_rules

    return describe_rules()


def _sort_key(rule_id: str) -> tuple[str, int]:
    family, _, num = rule_id.rpartition("-")
    return family, int(num) if num.isdigit() else 0
