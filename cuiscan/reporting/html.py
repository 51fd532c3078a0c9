"""`--format html`: one self-contained page for an assessor.

Summary cards, three inline SVG charts (assessments per boundary zone, findings per rule, categories),
the findings table (sortable, filterable; each row names its rule's title and links to the rule's
explanation: what it checks and how to fix it), the files that hold or may hold CUI, and the rule
explanations. Rows are written as the store yields them. Every piece of text from a document or a
path is HTML-escaped: evidence is attacker-controlled input.
"""
from __future__ import annotations

from html import escape
from typing import TextIO

from cuiscan.records import Assessment
from cuiscan.reporting.context import ReportContext
from cuiscan.reporting.html_page import card, page_end, page_start, th
from cuiscan.reporting.ruledocs import RuleDocs
from cuiscan.reporting.svg_charts import SEVERITY_COLORS, bar_chart, stacked_chart

_NO_ZONE = "(no zones declared)"


def render(ctx: ReportContext, out: TextIO) -> None:
    docs = RuleDocs()
    summary = ctx.summary()
    s = ctx.scan
    subtitle = (f"scan <code>{escape(s.id)}</code> &middot; profile {escape(s.profile)} &middot; "
                f"roots {escape(', '.join(s.roots))} &middot; {escape(s.started_at)} &rarr; "
                f"{escape(s.finished_at or 'not finished')} &middot; cuiscan {escape(ctx.tool()['version'])}")
    out.write(page_start("cuiscan report", subtitle))
    out.write(_cards(summary))
    out.write(_charts(summary))
    rules_seen = _findings_table(ctx, docs, out)
    _files_table(ctx, out)
    out.write(_rule_explanations(docs, rules_seen))
    out.write(page_end())


def _cards(summary: dict) -> str:
    a = summary["assessments"]
    counts = summary["counts"]     # the scan's own counts, as the CLI line, JSON, JSONL and SARIF give them
    cui = a.get("marked-cui", 0)
    risky = a.get("unmarked-cui", 0) + a.get("derivative", 0) + a.get("classified", 0)
    return '<section class="cards">' + "".join([
        card("files seen", counts["files_seen"]),
        card("inspected", counts["inspected"]),
        card("unchanged", counts["unchanged"]),
        card("skipped", counts["skipped"]),
        card("failed", counts["failed"], "bad" if counts["failed"] else ""),
        card("marked CUI", cui, "good" if cui else ""),
        card("unmarked / derivative / classified", risky, "bad" if risky else ""),
        card("findings", summary["findings"], "bad" if summary["findings"] else "good"),
        card("suppressed", summary["suppressed"]),
    ]) + "</section>\n"


def _charts(summary: dict) -> str:
    zones = [(z or _NO_ZONE, counts) for z, counts in sorted(summary["zones"].items())]
    # Most severe rules first (the chart shows 15): a single critical finding is never left out.
    rank = {"critical": 4, "error": 3, "warning": 2, "info": 1}
    severity = summary["rule_severity"]
    rules = sorted(summary["findings_by_rule"].items(),
                   key=lambda kv: (-rank.get(severity.get(kv[0], ""), 0), -kv[1], kv[0]))
    cats = list(summary["findings_by_category"].items())
    return ('<section><h2>Summary</h2><div class="charts">'
            + stacked_chart("Assessments per zone", zones)
            + bar_chart("Findings per rule", rules, limit=40, colors={rule: SEVERITY_COLORS[sev] for rule, sev
                                                            in summary["rule_severity"].items()})
            + bar_chart("Categories in findings", cats, "#1565c0")
            + "</div></section>\n")


def _findings_table(ctx: ReportContext, docs: RuleDocs, out: TextIO) -> set[str]:
    out.write('<section><h2>Findings</h2>'
              '<input class="filter" id="findings-filter" type="search" placeholder="filter findings">'
              '<table id="findings" class="sortable fit"><colgroup><col class="w-sev"><col class="w-rule">'
              '<col class="w-path"><col class="w-where"><col><col class="w-evidence"><col class="w-cats">'
              '<col class="w-fp"></colgroup><thead><tr>'
              + th("Severity", "severity", numeric=True) + th("Rule", "rule") + th("File", "path")
              + th("Where", "where") + th("Message") + th("Evidence") + th("Categories", "categories")
              + th("Fingerprint") + "</tr></thead><tbody>\n")
    seen: set[str] = set()
    for row, supp in ctx.findings():
        f = row.finding
        seen.add(f.rule_id)
        info = docs.get(f.rule_id)
        sev = f.severity.value
        badge = f' <span class="supp" title="{escape(supp.reason)}">suppressed</span>' if supp else ""
        out.write(
            f'<tr class="{"supp-row" if supp else ""}" data-rule="{escape(f.rule_id)}">'
            f'<td data-sort="{f.severity.rank}"><span class="sev sev-{sev}">{sev}</span>{badge}</td>'
            f'<td><a href="#rule-{escape(f.rule_id)}">{escape(f.rule_id)}</a>'
            f'<div class="small">{escape(info.title)}</div></td>'
            f'<td class="path"><code>{escape(row.path)}</code></td>'
            f"<td>{escape(f.location.describe())}</td><td>{escape(f.message)}</td>"
            f"<td><code>{escape(f.evidence)}</code></td><td>{escape(', '.join(f.categories))}</td>"
            f'<td class="fp">{escape(f.fingerprint)}</td></tr>\n')
    out.write("</tbody></table>")
    if not seen:
        out.write('<p class="small">No findings to show.</p>')
    out.write("</section>\n")
    return seen


def _files_table(ctx: ReportContext, out: TextIO) -> None:
    out.write('<section><h2>Files with CUI or not inspected</h2>'
              '<table id="files" class="sortable"><thead><tr>'
              + th("File", "path") + th("Type", "type") + th("Assessment", "assessment")
              + th("Banner") + th("Categories", "categories") + th("Zone", "zone") + th("Status", "status")
              + th("Why") + "</tr></thead><tbody>\n")
    shown = 0
    for fr in ctx.files():
        if fr.assessment is Assessment.NOT_CUI:
            continue
        shown += 1
        a = fr.assessment.value
        status = fr.status.value + (f" ({fr.status_reason})" if fr.status_reason else "")
        out.write(f"<tr><td><code>{escape(fr.path)}</code></td><td>{escape(fr.ftype or '')}</td>"
                  f'<td class="as-{a}">{a}</td><td><code>{escape(fr.banner or "")}</code></td>'
                  f"<td>{escape(', '.join(fr.categories))}</td><td>{escape(fr.zone or '')}</td>"
                  f"<td>{escape(status)}</td><td>{escape(fr.explanation)}</td></tr>\n")
    out.write("</tbody></table>")
    if not shown:
        out.write('<p class="small">No file holds CUI, and every file was inspected.</p>')
    out.write("</section>\n")


def _rule_explanations(docs: RuleDocs, rule_ids: set[str]) -> str:
    items = []
    for rid in sorted(rule_ids):
        info = docs.get(rid)
        source = f' <span class="small">({escape(info.source)})</span>' if info.source else ""
        items.append(f'<dt id="rule-{escape(rid)}">{escape(rid)} &mdash; {escape(info.title)}{source}</dt>'
                     f"<dd>{escape(info.summary)}</dd><dd><b>Fix:</b> {escape(info.fix)}</dd>")
    body = "".join(items) or '<dd class="small">No rules fired.</dd>'
    return f'<section><h2>What the rules mean</h2><dl class="rules">{body}</dl></section>\n'
