"""The self-contained HTML shell shared by the report and inventory pages.

Everything is inline (CSS, a small sort/filter script, SVG charts); a Content-Security-Policy meta tag
forbids any fetch, so the page shows the same offline, on an air-gapped assessor laptop, as anywhere.
Tables marked `class="sortable"` sort on header click; `#sort=<key>:<asc|desc>` in the URL sorts on
load. After sorting the script records the state in `data-sorted` on the table, and `data-ready` on
<body> once it has run (what the headless-browser test checks).
"""
from __future__ import annotations

from html import escape

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1c2833;background:#f4f6f8}
header{background:#1c2833;color:#fff;padding:16px 28px}header h1{margin:0 0 4px;font-size:22px}
header .meta{color:#c5ccd3;font-size:13px}main{padding:16px 28px}
section{background:#fff;border:1px solid #dde3e8;border-radius:6px;padding:14px 18px;margin:0 0 16px}
h2{font-size:17px;margin:0 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:10px;background:none;border:none;padding:0}
.card{background:#fff;border:1px solid #dde3e8;border-radius:6px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}.card span{color:#5d6d7e;font-size:12px}
.card.bad b{color:#c62828}.card.good b{color:#2e7d32}
.charts{display:flex;flex-wrap:wrap;gap:24px}
.chart-title{font-weight:600;font-size:13px}.chart-label,.chart-value,.chart-legend{font-size:12px;fill:#34495e}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e5e8eb;padding:5px 7px;text-align:left;vertical-align:top}
th{background:#eef1f4;position:sticky;top:0}th.sortable-key{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right}code,.fp{font-family:ui-monospace,Consolas,monospace;font-size:12px}
.fp{color:#7f8c8d}.small{font-size:12px;color:#5d6d7e}
.sev{display:inline-block;border-radius:3px;padding:0 6px;font-weight:600;font-size:12px}
.sev-critical{background:#b71c1c;color:#fff}.sev-error{background:#ffcdd2;color:#b71c1c}
.sev-warning{background:#fff3cd;color:#8a6d00}.sev-info{background:#e1f5fe;color:#01579b}
.as-classified,.as-derivative,.as-unmarked-cui{color:#c62828;font-weight:600}.as-marked-cui{color:#2e7d32}
.supp{background:#eceff1;color:#455a64;border-radius:3px;padding:0 5px;font-size:11px}
.filter{margin:0 0 8px;padding:5px 8px;width:320px;border:1px solid #c5ccd3;border-radius:4px}
dl.rules dt{font-weight:600;margin-top:10px}dl.rules dd{margin:2px 0 0 0}
tr.supp-row{color:#78909c}
.scroll{overflow-x:auto}
td{overflow-wrap:anywhere}td.num{overflow-wrap:normal;white-space:nowrap}table.fit{table-layout:fixed}td.fp{word-break:break-all}
col.w-sev{width:78px}col.w-rule{width:112px}col.w-path{width:18%}col.w-where{width:8%}
col.w-evidence{width:12%}col.w-cats{width:92px}col.w-fp{width:112px}
#inventory td,#inventory th{padding:4px 5px}#inventory td.folder,#inventory td.zone{min-width:9em}
th .v{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}th:has(.v){vertical-align:bottom}
"""

_SCRIPT = r"""
(function(){
  function cellValue(row, idx, numeric){
    var c = row.cells[idx]; if(!c) return numeric ? 0 : "";
    var v = c.getAttribute("data-sort"); if(v === null) v = c.textContent.trim();
    return numeric ? (parseFloat(v) || 0) : v.toLowerCase();
  }
  function sortTable(table, key, dir){
    var ths = table.tHead.rows[0].cells, idx = -1, numeric = false;
    for(var i = 0; i < ths.length; i++){
      ths[i].removeAttribute("aria-sort");
      if(ths[i].getAttribute("data-key") === key){ idx = i; numeric = ths[i].getAttribute("data-type") === "num"; }
    }
    if(idx < 0) return;
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows), sign = dir === "desc" ? -1 : 1;
    rows.forEach(function(r, n){ r._n = n; });
    rows.sort(function(a, b){
      var x = cellValue(a, idx, numeric), y = cellValue(b, idx, numeric);
      return (x < y ? -sign : x > y ? sign : 0) || a._n - b._n;
    });
    rows.forEach(function(r){ body.appendChild(r); });
    ths[idx].setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
    table.setAttribute("data-sorted", key + ":" + dir);
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function(table){
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th){
      if(!th.getAttribute("data-key")) return;
      th.className += " sortable-key";
      th.addEventListener("click", function(){
        var cur = table.getAttribute("data-sorted") || "", key = th.getAttribute("data-key");
        sortTable(table, key, cur === key + ":asc" ? "desc" : "asc");
      });
    });
    var input = document.getElementById(table.id + "-filter");
    if(input) input.addEventListener("input", function(){
      var q = input.value.toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function(r){
        r.style.display = !q || r.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
      });
    });
  });
  var m = /sort=([\w-]+):(asc|desc)/.exec(location.hash);
  if(m) Array.prototype.forEach.call(tables, function(t){ sortTable(t, m[1], m[2]); });
  document.body.setAttribute("data-ready", "1");
})();
"""


def page_start(title: str, subtitle: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>\n<body>"
        f"<header><h1>{escape(title)}</h1><div class=\"meta\">{subtitle}</div></header><main>\n"
    )


def page_end() -> str:
    return f"</main><script>{_SCRIPT}</script></body></html>\n"


def card(label: str, value: object, tone: str = "") -> str:
    return f'<div class="card {tone}"><b>{escape(str(value))}</b><span>{escape(label)}</span></div>'


def th(label: str, key: str | None = None, numeric: bool = False, vertical: bool = False) -> str:
    """A header cell; `vertical` writes the label bottom to top (narrow count columns of wide tables)."""
    attrs = f' data-key="{escape(key)}"' if key else ""
    if numeric:
        attrs += ' data-type="num"'
    text = f'<span class="v">{escape(label)}</span>' if vertical else escape(label)
    return f"<th{attrs}>{text}</th>"
