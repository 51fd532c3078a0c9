"""The HTML pages fit the window: measured by a real headless Chromium at 1400 px and 1024 px on a
real scan of samples/ (long paths, long messages). A script appended to the page writes what it
measures into the DOM, which --dump-dom returns. Bars of the per-rule chart take their severity's
colour (a warning is not red)."""
from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest

from cuiscan.inventory.rollups import inventory_rollup
from cuiscan.inventory.store import Inventory
from cuiscan.records import Severity
from cuiscan.reporting import render
from cuiscan.reporting.inventory_report import render_inventory
from cuiscan.reporting.svg_charts import SEVERITY_COLORS
from cuiscan.scan import run_scan
from cuiscan.settings import Settings, ZoneConfig

from report_helpers import chromium

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
WIDTHS = (1400, 1024)

# Appended to the page: the page's width against the window's, and for every cell of the named
# columns whether it lies inside its table's visible box and shows all of its content.
MEASURE = """<script>(function(){
  function box(e){ return e.getBoundingClientRect(); }
  var out = {page: [document.documentElement.scrollWidth, document.documentElement.clientWidth], cells: []};
  document.querySelectorAll("[data-measure]").forEach(function(cell){
    var holder = cell.closest(".scroll") || cell.closest("section"), b = box(cell), h = box(holder);
    out.cells.push({what: cell.getAttribute("data-measure"), inside: b.right <= h.right + 1 && b.left >= h.left - 1,
                    whole: cell.scrollWidth <= cell.clientWidth + 1});
  });
  document.body.setAttribute("data-measured", JSON.stringify(out));
})();</script>"""


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    inv = Inventory.open(str(tmp_path_factory.mktemp("html") / "inv.sqlite"))
    zones = (ZoneConfig("Engineering CUI enclave (building 7, second floor)", (f"{SAMPLES}/dod/**",), True),
             ZoneConfig("Corporate shares", ("/**",), False))
    outcome = run_scan([str(SAMPLES)], Settings(jobs=1, zones=zones), inv)
    yield inv, outcome.scan_id, zones
    inv.close()


def _measure(tmp_path: Path, page_html: str, marks: dict[str, str], width: int) -> dict:
    for pattern, name in marks.items():    # tag the cells to measure
        page_html = re.sub(pattern, lambda m: m.group(0)[:-1] + f' data-measure="{name}">', page_html)
    page = tmp_path / f"page-{width}.html"
    page.write_text(page_html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    shot = tmp_path / f"page-{width}.png"
    chromium(tmp_path, f"--screenshot={shot}", f"--window-size={width},1600", page.as_uri())
    proc = chromium(tmp_path, "--dump-dom", f"--window-size={width},1600", page.as_uri())
    found = re.search(r'data-measured="([^"]*)"', proc.stdout)
    assert found, proc.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


def _assert_fits(measured: dict, names: set[str]) -> None:
    page_width, window = measured["page"]
    assert page_width <= window, f"page is {page_width} px wide in a {window} px window"
    cells = measured["cells"]
    assert {c["what"] for c in cells} == names
    cut = [c for c in cells if not (c["inside"] and c["whole"])]
    assert cut == [], f"{len(cut)} of {len(cells)} cells cut or hidden, e.g. {cut[:3]}"


@pytest.mark.parametrize("width", WIDTHS)
def test_report_findings_table_fits_the_window(scanned, tmp_path, width):
    inv, scan_id, _ = scanned
    out = io.StringIO()
    render("html", inv, scan_id, out)
    measured = _measure(tmp_path, out.getvalue(), {r'<td class="fp">': "fingerprint",
                                                   r'<td class="path">': "path", r"<th[^>]*>": "header"}, width)
    _assert_fits(measured, {"fingerprint", "path", "header"})


@pytest.mark.parametrize("width", WIDTHS)
def test_inventory_table_fits_the_window(scanned, tmp_path, width):
    inv, _, zones = scanned
    out = io.StringIO()
    render_inventory("html", inventory_rollup(inv, zones), out, "2026-12-06T22:00:00Z")
    measured = _measure(tmp_path, out.getvalue(), {r'<td class="cats">': "categories",
                                                   r'<td class="folder">': "folder", r"<th[^>]*>": "header"}, width)
    _assert_fits(measured, {"categories", "folder", "header"})


def test_rule_bars_take_their_severity_colour(scanned):
    inv, scan_id, _ = scanned
    out = io.StringIO()
    render("html", inv, scan_id, out)
    page = out.getvalue()
    chart = page[page.index('aria-label="Findings per rule"'):]
    chart = chart[:chart.index("</svg>")]
    bars = dict(re.findall(r"<title>([A-Z]+-\d+)</title>.*?<rect [^>]*fill=\"(#[0-9a-f]+)\"", chart))
    worst: dict[str, Severity] = {}
    for row in inv.iter_findings(scan_id):
        f = row.finding
        if f.rule_id not in worst or f.severity.rank > worst[f.rule_id].rank:
            worst[f.rule_id] = f.severity
    assert set(bars) == set(worst)                                     # every rule has its bar
    assert {rule: bars[rule] for rule in worst} == {rule: SEVERITY_COLORS[sev.value] for rule, sev in worst.items()}
    warnings = [rule for rule, sev in worst.items() if sev is Severity.WARNING]
    assert warnings and SEVERITY_COLORS["warning"] != SEVERITY_COLORS["error"]   # e.g. SHEET-001: not red
    assert bars["SPILL-001"] == SEVERITY_COLORS["critical"]
