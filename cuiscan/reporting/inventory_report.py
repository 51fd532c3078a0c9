"""Renderers for `cuiscan inventory`: the boundary rollup as table, json, csv or html.

Rows: one per zone and top-level folder, a total per zone and a grand total. The JSON keeps the
same numbers (`zones[].folders[]`) so a dashboard can draw what the assessor sees.
"""
from __future__ import annotations

import csv
import json
import os
from html import escape
from typing import TextIO

from rich.markup import escape as rich_escape
from rich.measure import Measurement
from rich.table import Table

from cuiscan.errors import ConfigError
from cuiscan.inventory.rollups import RollupRow, grand_total, zone_totals
from cuiscan.reporting.csv_report import safe_cell
from cuiscan.reporting.html_page import card, page_end, page_start, th
from cuiscan.reporting.svg_charts import bar_chart, stacked_chart
from cuiscan.reporting.table import make_console

INVENTORY_FORMATS = ("table", "json", "csv", "html")
_SHORT = {"files_seen": "files", "marked_cui": "marked", "unmarked_cui": "unmarked", "derivative": "deriv.",
          "boundary_violations": "outside boundary", "uninspectable": "failed"}
_COUNTS = ("files_seen", "inspected", "marked_cui", "unmarked_cui", "derivative", "mismarked",
           "classified", "boundary_violations", "uninspectable", "skipped")


def render_inventory(fmt: str, rows: list[RollupRow], out: TextIO, generated_at: str) -> None:
    if fmt not in INVENTORY_FORMATS:
        raise ConfigError(f"inventory format must be one of {', '.join(INVENTORY_FORMATS)}, not {fmt!r}")
    {"table": _table, "json": _json, "csv": _csv, "html": _html}[fmt](rows, out, generated_at)


def _allows(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _short_folders(rows) -> tuple[str, dict[str, str]]:
    """The folders' common parent and each folder below it: on a terminal the folder column must
    show what tells folders apart (`dod`, `nara`), not a cut `/work/.../samples…`."""
    folders = sorted({r.folder for r in rows if r.folder})
    if len(folders) < 2:
        return "", {f: f for f in folders}
    try:
        common = os.path.commonpath(folders)
    except ValueError:       # relative and absolute, or different drives: show them whole
        return "", {f: f for f in folders}
    if common in folders:
        common = os.path.dirname(common)
    if common in ("", os.sep):
        return "", {f: f for f in folders}
    return common, {f: os.path.relpath(f, common) for f in folders}


def _table(rows, out, generated_at) -> None:
    console = make_console(out, min_width=200)
    table = _build_table(rows, generated_at, "", {})
    unbounded = console.options.update(max_width=100_000)
    if Measurement.get(console, unbounded, table).maximum > console.width:   # narrow terminal: short folder names
        table = _build_table(rows, generated_at, *_short_folders(rows))
    console.print(table)


def _build_table(rows, generated_at: str, common: str, short: dict[str, str]) -> Table:
    caption = f"folders below {rich_escape(common)}" if common else None
    table = Table(title=f"CUI inventory ({generated_at})", header_style="bold", caption=caption,
                  caption_justify="left")
    longest = max((len(short.get(r.folder, r.folder)) for r in rows), default=6)
    for name in ("zone", "CUI ok", "folder", "files", "coverage", "marked", "unmarked", "deriv.",
                 "mismarked", "classified", "boundary", "failed", "categories", "last scan"):
        # The folder is never cut: it takes its width first; the other columns fold their text.
        table.add_column(name, justify="left" if name in ("zone", "folder", "categories") else "right",
                         overflow="fold", no_wrap=name == "folder",
                         min_width=max(longest, 12) if name == "folder" else None)
    for total in zone_totals(rows):
        folders = [r for r in rows if r.zone == total.zone]
        for r in folders + ([total] if len(folders) > 1 else []):
            label = short.get(r.folder, r.folder) or ("(zone total)" if r.files_seen else "(no files)")
            table.add_row(rich_escape(r.zone), _allows(r.allows_cui), rich_escape(label), str(r.files_seen),
                          f"{r.coverage:.0%}" if r.files_seen else "-", str(r.marked_cui),
                          str(r.unmarked_cui), str(r.derivative), str(r.mismarked), str(r.classified),
                          str(r.boundary_violations), str(r.uninspectable),
                          rich_escape(", ".join(r.categories)), r.last_scan or "-")
    g = grand_total(rows)
    table.add_row("[bold](all)[/]", "", "", str(g.files_seen), f"{g.coverage:.0%}" if g.files_seen else "-",
                  str(g.marked_cui), str(g.unmarked_cui), str(g.derivative), str(g.mismarked),
                  str(g.classified), str(g.boundary_violations), str(g.uninspectable),
                  rich_escape(", ".join(g.categories)), g.last_scan or "-")
    return table


def _json(rows, out, generated_at) -> None:
    zones = []
    for total in zone_totals(rows):
        data = total.to_dict()
        data.pop("folder")
        data["folders"] = [r.to_dict() for r in rows if r.zone == total.zone and (r.folder or r.files_seen)]
        zones.append(data)
    doc = {"schema": "cuiscan-inventory/1", "generated_at": generated_at,
           "total": grand_total(rows).to_dict(), "zones": zones}
    json.dump(doc, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _csv_bool(value: bool | None) -> str:
    """true / false, or empty where no zones are declared (a spreadsheet reads that as no value)."""
    return "" if value is None else ("true" if value else "false")


def _csv(rows, out, generated_at) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("zone", "allows_cui", "folder", *_COUNTS, "coverage", "categories", "last_scan"))
    for r in rows:
        writer.writerow([safe_cell(v) for v in (
            r.zone, _csv_bool(r.allows_cui), r.folder, *(getattr(r, c) for c in _COUNTS),
            f"{r.coverage:.4f}", ";".join(r.categories), r.last_scan or "")])


def _html(rows, out, generated_at) -> None:
    g = grand_total(rows)
    out.write(page_start("cuiscan CUI inventory", f"generated {escape(generated_at)}"))
    out.write('<section class="cards">' + "".join([
        card("files", g.files_seen), card("coverage", f"{g.coverage:.0%}" if g.files_seen else "-"),
        card("marked CUI", g.marked_cui, "good" if g.marked_cui else ""),
        card("unmarked CUI", g.unmarked_cui, "bad" if g.unmarked_cui else ""),
        card("derivatives", g.derivative, "bad" if g.derivative else ""),
        card("mismarked", g.mismarked, "bad" if g.mismarked else ""),
        card("classified", g.classified, "bad" if g.classified else ""),
        card("outside boundary", g.boundary_violations, "bad" if g.boundary_violations else ""),
        card("uninspectable", g.uninspectable, "bad" if g.uninspectable else ""),
    ]) + "</section>\n")
    per_zone = [(t.zone, {"marked-cui": t.marked_cui, "unmarked-cui": t.unmarked_cui,
                          "derivative": t.derivative, "classified": t.classified,
                          "unknown": t.uninspectable}) for t in zone_totals(rows)]
    cats: dict[str, int] = {}
    for r in rows:
        for c in r.categories:
            cats[c] = cats.get(c, 0) + 1
    out.write('<section><h2>Where CUI lives</h2><div class="charts">'
              + stacked_chart("CUI and uninspectable files per zone", per_zone)
              + bar_chart("Folders holding each category", sorted(cats.items(), key=lambda kv: -kv[1]))
              + "</div></section>\n")
    out.write('<section><h2>Zones and folders</h2><input class="filter" id="inventory-filter" '
              'type="search" placeholder="filter"><div class="scroll">'
              '<table id="inventory" class="sortable"><thead><tr>'
              + th("Zone", "zone") + th("CUI allowed", "allows") + th("Folder", "folder")
              + "".join(th(_SHORT.get(c, c), c, numeric=True, vertical=True) for c in _COUNTS)
              + th("coverage", "coverage", numeric=True, vertical=True) + th("Categories") + th("Last scan", "last")
              + "</tr></thead><tbody>\n")
    for r in rows:
        counts = "".join(f'<td class="num">{getattr(r, c)}</td>' for c in _COUNTS)
        out.write(f'<tr><td class="zone">{escape(r.zone)}</td><td>{_allows(r.allows_cui)}</td>'
                  f'<td class="folder"><code>{escape(r.folder)}</code></td>{counts}'
                  f'<td class="num" data-sort="{r.coverage:.4f}">'
                  f'{f"{r.coverage:.0%}" if r.files_seen else "-"}</td>'
                  f'<td class="cats">{escape(", ".join(r.categories))}</td><td>{escape(r.last_scan or "-")}</td></tr>\n')
    out.write("</tbody></table></div></section>\n")
    out.write(page_end())
