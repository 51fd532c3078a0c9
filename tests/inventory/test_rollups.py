"""The boundary inventory rollup: counts per zone and folder that add up."""
from __future__ import annotations

from cuiscan.inventory.rollups import NO_ZONES, grand_total, inventory_rollup, zone_totals
from cuiscan.inventory.store import Inventory
from cuiscan.inventory.zones import UNDECLARED, apply_boundary
from cuiscan.records import Assessment, Severity
from cuiscan.settings import ZoneConfig

from inv_builders import finding, mixed_share, result, store_scan

ZONES = (ZoneConfig("Enclave", ("/srv/share/eng/**",), True),
         ZoneConfig("Corporate", ("/srv/share/hr/**",), False),
         ZoneConfig("Archive", ("/srv/archive/**",), True))


def _by(rows):
    return {(r.zone, r.folder): r for r in rows}


def test_counts_per_zone_and_folder_add_up(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    files = [apply_boundary(r, ZONES) for r in mixed_share()]
    store_scan(inv, files)
    rows = inventory_rollup(inv, ZONES)
    by = _by(rows)
    eng = by[("Enclave", "/srv/share/eng")]
    assert (eng.files_seen, eng.inspected, eng.marked_cui, eng.mismarked, eng.boundary_violations) == (3, 3, 2, 1, 0)
    assert eng.allows_cui is True and eng.categories == ["CTI", "EXPT"] and eng.last_scan
    hr = by[("Corporate", "/srv/share/hr")]
    assert (hr.files_seen, hr.inspected, hr.unmarked_cui, hr.derivative, hr.classified, hr.uninspectable) == \
        (4, 3, 1, 1, 1, 1)
    assert hr.boundary_violations == 2            # unmarked + derivative; classified is SPILL-001's job
    assert hr.allows_cui is False and abs(hr.coverage - 0.75) < 1e-9
    readme = by[(UNDECLARED, "/srv/share")]
    assert readme.files_seen == 1 and readme.allows_cui is False
    archive = by[("Archive", "")]                 # declared, no files yet: still listed
    assert archive.files_seen == 0
    assert [r.zone for r in rows] == ["Enclave", "Corporate", "Archive", UNDECLARED]
    total = grand_total(rows)
    assert total.files_seen == len(files) == sum(z.files_seen for z in zone_totals(rows))
    assert total.marked_cui + total.unmarked_cui + total.derivative + total.classified == \
        sum(r.assessment in (Assessment.MARKED_CUI, Assessment.UNMARKED_CUI, Assessment.DERIVATIVE,
                             Assessment.CLASSIFIED) for r in files)
    inv.close()


def test_without_zones_groups_by_top_level_folder_of_each_root(tmp_path):
    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    store_scan(inv, mixed_share("/srv/share") + mixed_share("/mnt/other"), roots=("/srv/share", "/mnt/other"))
    rows = inventory_rollup(inv)
    assert {(r.zone, r.folder) for r in rows} == {
        (NO_ZONES, f) for f in ("/srv/share", "/srv/share/eng", "/srv/share/hr",
                                "/mnt/other", "/mnt/other/eng", "/mnt/other/hr")}
    assert all(r.allows_cui is None for r in rows)
    assert grand_total(rows).files_seen == 16
    inv.close()


def test_rollup_reflects_the_latest_state_and_suppressions(tmp_path):
    from cuiscan.inventory.suppressions import active_fingerprints, add_suppression

    inv = Inventory.open(str(tmp_path / "inv.sqlite"))
    first = store_scan(inv, mixed_share())
    fixed = result("/srv/share/eng/spec.docx", content="fixed", assessment=Assessment.MARKED_CUI)
    store_scan(inv, [fixed])                       # a later scan of one file
    inv.mark_removed(first, ["/srv/share/hr/old.pdf"])
    total = grand_total(inventory_rollup(inv))
    assert total.files_seen == 7 and total.classified == 0 and total.mismarked == 0

    bad = result("/srv/share/eng/new.docx", assessment=Assessment.MARKED_CUI,
                 findings=[finding("BANNER-002", Severity.ERROR, evidence="CUI//FOUO"),
                           finding("PORTION-001", Severity.WARNING, evidence="(C)")])
    store_scan(inv, [bad])
    assert grand_total(inventory_rollup(inv)).mismarked == 1
    add_suppression(inv, bad.findings[0].fingerprint, "accepted by ISSO")
    assert grand_total(inventory_rollup(inv, suppressed=active_fingerprints(inv))).mismarked == 0
    inv.close()
