"""OpenDocument odt/ods/odp: zones from page styles, slides and sheets; findings as for OOXML."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from legacy_compare import findings, layout_keys
from lo_fixtures import real_formats_dir
from cuiscan.extractors import extract_file
from cuiscan.extractors.base import Source
from cuiscan.extractors.sniff import sniff
from cuiscan.records import Zone



@pytest.mark.parametrize("name", ["marked_memo.odt", "deck.odp", "book.ods", "plain_memo.odt"])
def test_findings_match_the_ooxml_original(lo_corpus, name):
    original = lo_corpus[name.rsplit(".", 1)[0] + {"odt": ".docx", "odp": ".pptx", "ods": ".xlsx"}[name[-3:]]]
    assert layout_keys(lo_corpus[name]) == layout_keys(original)


def test_odt_page_style_headers_are_sections(lo_corpus):
    doc = extract_file(str(lo_corpus["marked_memo.odt"]))[0]
    assert doc.ftype == "odt"
    edges = sorted((b.loc.section, b.loc.zone.value, b.text) for b in doc.blocks if b.loc.zone in (Zone.HEADER, Zone.FOOTER))
    assert edges == [(1, "footer", "CUI"), (1, "header", "CUI"), (2, "header", "CUI//FEDCON")]
    body = [(b.loc.section, b.text) for b in doc.blocks if b.loc.zone is Zone.BODY]
    assert body[0] == (1, "(CUI) The test schedule for the Block 3 radar is attached.")
    assert body[-1] == (2, "(CUI) Annex A lists the test ranges.")
    assert dict(doc.facts)["sections"] == 2


def test_marked_odt_has_no_placement_or_di_errors(lo_corpus):
    ids = {f.rule_id for f in findings(lo_corpus["marked_memo.odt"])}
    assert "DI-003" not in ids
    assert not {i for i in ids if i.startswith("BANNER-01") and i != "BANNER-011" and i != "BANNER-010"}
    # section 2 really lacks its bottom banner: the one BANNER-010 is there, at section 2's footer
    b010 = [f for f in findings(lo_corpus["marked_memo.odt"]) if f.rule_id == "BANNER-010"]
    assert [(f.location.section, f.location.zone) for f in b010] == [(2, Zone.FOOTER)]


def test_odp_slides_notes_and_edges(lo_corpus):
    doc = extract_file(str(lo_corpus["deck.odp"]))[0]
    assert doc.ftype == "odp" and doc.pages == 3
    first = [(b.loc.zone, b.text) for b in doc.blocks if b.loc.slide == 1]
    assert (Zone.HEADER, "CUI") in first and (Zone.FOOTER, "CUI") in first
    assert (Zone.NOTES, "(CUI) Speaker note about ranges") in first
    assert not any(b.text == "<number>" for b in doc.blocks)


def test_ods_rows_cells_and_sheet_headers(lo_corpus):
    doc = extract_file(str(lo_corpus["book.ods"]))[0]
    assert doc.ftype == "ods" and doc.pages == 2
    rows = [(b.loc.sheet, b.loc.line, b.loc.cell, b.text) for b in doc.blocks if b.kind == "row"]
    assert rows[:2] == [("Roster", 1, "A1", "Name | Home phone"), ("Roster", 2, "A2", "A. Able | 202-555-0101")]
    edges = sorted((b.loc.sheet, b.loc.zone.value, b.text) for b in doc.blocks if b.loc.zone in (Zone.HEADER, Zone.FOOTER))
    assert ("Roster", "header", "CUI") in edges and ("Roster", "footer", "CUI") in edges
    assert not [e for e in edges if e[0] == "Alternates" and e[2] == "CUI"]


def test_real_odt_header_and_footer_are_zones():
    doc = extract_file(f"{real_formats_dir()}/eea__odfpy__headerfooter.odt")[0]
    zones = {b.loc.zone for b in doc.blocks}
    assert {Zone.HEADER, Zone.FOOTER, Zone.BODY} <= zones


@pytest.mark.parametrize("name,ftype", [("marked_memo.odt", "odt"), ("deck.odp", "odp"), ("book.ods", "ods")])
def test_sniffed_by_content_not_name(lo_corpus, name, ftype):
    data = lo_corpus[name].read_bytes()
    assert sniff(Source(name="renamed.dat", data=data)) == ftype
    assert sniff(Source(name="looks.zip", data=data)) == ftype


def _rewrite(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, replace.get(info.filename, zin.read(info)))
    return out.getvalue()


def test_encrypted_odt_is_a_finding_not_a_crash(lo_corpus, tmp_path):
    data = lo_corpus["marked_memo.odt"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        manifest = z.read("META-INF/manifest.xml").decode()
    # what LibreOffice writes for a password-protected file: each part's entry has encryption-data
    encrypted = re.sub(r'(<manifest:file-entry manifest:full-path="content.xml"[^>]*?)/>',
                       r'\1><manifest:encryption-data manifest:checksum-type="SHA1/1K" '
                       r'manifest:checksum="AAAA"/></manifest:file-entry>', manifest)
    assert encrypted != manifest
    path = tmp_path / "locked.odt"
    path.write_bytes(_rewrite(data, {"META-INF/manifest.xml": encrypted.encode()}))
    doc = extract_file(str(path))[0]
    assert [p.reason for p in doc.problems] == ["encrypted"] and not doc.blocks


@pytest.mark.parametrize("cut", [0.3, 0.7, 0.95])
def test_truncated_odf_is_corrupt(lo_corpus, tmp_path, cut):
    for name in ("marked_memo.odt", "deck.odp", "book.ods"):
        data = lo_corpus[name].read_bytes()
        path = tmp_path / name
        path.write_bytes(data[: int(len(data) * cut)])
        doc = extract_file(str(path))[0]
        assert doc.problems and doc.problems[0].reason in ("corrupt", "unsupported")
