"""The HTML report: self-contained, escaped, and rendered by a real headless Chromium."""
from __future__ import annotations

import io
import re
from html import escape

from PIL import Image

from cuiscan.reporting import render
from cuiscan.reporting.ruledocs import RuleDocs

from report_helpers import HOSTILE, all_findings, chromium


def _html(inv, scan_id) -> str:
    out = io.StringIO()
    render("html", inv, scan_id, out)
    return out.getvalue()


def test_page_is_self_contained_and_escapes_document_text(stored):
    inv, scan_id, files = stored
    page = _html(inv, scan_id)
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page                        # the browser may fetch nothing
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert HOSTILE not in page and "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<svg") == 3
    docs = RuleDocs()
    for path, f in all_findings(files):
        assert f.fingerprint in page
        assert f'id="rule-{f.rule_id}"' in page and escape(docs.get(f.rule_id).fix) in page


def test_page_renders_and_sorts_in_headless_chromium(stored, tmp_path):
    inv, scan_id, files = stored
    page = tmp_path / "report.html"
    page.write_text(_html(inv, scan_id), encoding="utf-8")
    shot = tmp_path / "report.png"
    proc = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert shot.is_file(), proc.stderr[-2000:]
    with Image.open(shot) as img:
        assert img.size == (1280, 2000)
        colors = img.convert("RGB").getcolors(maxcolors=1_000_000)
        assert len(colors) > 50          # text, charts, badges: not a blank or error page
    server_order = [int(r) for r in re.findall(r'<td data-sort="(\d)"><span class="sev', page.read_text())]

    for key, direction in (("severity", "asc"), ("severity", "desc"), ("path", "desc")):
        proc = chromium(tmp_path, "--dump-dom", f"{page.as_uri()}#sort={key}:{direction}")
        dom = proc.stdout
        assert 'data-ready="1"' in dom, proc.stderr[-2000:]
        assert f'data-sorted="{key}:{direction}"' in dom
        table = dom[dom.index('<table id="findings"'):dom.index("</table>", dom.index('<table id="findings"'))]
        ranks = [int(r) for r in re.findall(r'<td data-sort="(\d)"><span class="sev', table)]
        paths = re.findall(r"<td class=\"path\"><code>([^<]+)</code></td>", table)
        assert len(ranks) == len(all_findings(files)) == len(paths)
        if key == "severity":
            assert ranks == sorted(ranks, reverse=direction == "desc") and ranks != server_order
        else:
            assert paths == sorted(paths, reverse=True)


def test_inventory_page_renders_and_sorts_in_headless_chromium(stored, tmp_path):
    from cuiscan.inventory.rollups import inventory_rollup
    from cuiscan.reporting.inventory_report import render_inventory
    from report_helpers import ZONES

    inv, _, files = stored
    page = tmp_path / "inventory.html"
    with page.open("w", encoding="utf-8") as out:
        render_inventory("html", inventory_rollup(inv, ZONES), out, "2026-11-28T05:00:00Z")
    proc = chromium(tmp_path, "--dump-dom", f"{page.as_uri()}#sort=files_seen:desc")
    dom = proc.stdout
    assert 'data-ready="1"' in dom and 'data-sorted="files_seen:desc"' in dom, proc.stderr[-2000:]
    body = dom[dom.index('<table id="inventory"'):]
    counts = [int(n) for n in re.findall(r'<tr><td class="zone">[^<]*</td><td>[^<]*</td><td class="folder"><code>[^<]*</code></td>'
                                         r'<td class="num">(\d+)</td>', body)]
    assert sum(counts) == len(files) and counts == sorted(counts, reverse=True) and len(counts) >= 3
