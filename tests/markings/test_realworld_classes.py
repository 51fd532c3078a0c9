"""Issue 14: the marking forms real documents carry, one class at a time, in every format where the
class occurs. Files are built with the real libraries (python-docx, fpdf2, python-pptx, openpyxl) and
go through the real extractors, the marking validator and the file assessment."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from realdocs import DOD_DI, STATEMENT_D, b, save

from cuiscan.detection import Detector
from cuiscan.discovery import iter_files
from cuiscan.pipeline import Inspector, inspect_file
from cuiscan.records import Assessment, FileResult, Severity, Zone
from cuiscan.settings import Settings

BODY = ["The turbine blade cooling tests ran on rig 4 at 1200 K.", "Results are summarised in table 2."]


@pytest.fixture(scope="module")
def engine() -> Inspector:
    settings = Settings()
    return Inspector.from_settings(settings, Detector.load(settings, use_model=False))


def scan(engine: Inspector, path: Path) -> FileResult:
    [ref] = list(iter_files([str(path)], Settings()))
    return inspect_file(ref, engine)


def ids(result: FileResult) -> set[str]:
    return {f.rule_id for f in result.findings}


def only(result: FileResult, rule: str):
    found = [f for f in result.findings if f.rule_id == rule]
    assert found, f"no {rule} in {sorted(ids(result))}"
    return found[0]


def errors(result: FileResult) -> list[str]:
    return [f.rule_id for f in result.findings if f.severity in (Severity.ERROR, Severity.CRITICAL)]


def text(tmp_path: Path, name: str, lines: list[str]) -> Path:
    return save(tmp_path, name, b.text_bytes(lines))


# ---- 1. spelled-out banners sharing their line with other text ----------------------------------------

@pytest.mark.parametrize("line", ["Controlled Unclassified Information Page 1",
                                  "CONTROLLED UNCLASSIFIED INFORMATION | Acme Corp | 12 Feb 2024",
                                  "Controlled Unclassified Information\tPage 1 of 1",
                                  "Page 1 of 1 Controlled Unclassified Information"])
def test_spelled_out_banner_with_other_text_in_pdf_and_docx(engine, tmp_path, line):
    pdf = save(tmp_path, "p.pdf", b.pdf_bytes([{"header": line, "lines": BODY, "footer": line}]))
    docx = save(tmp_path, "d.docx", b.docx_bytes([{"header": line, "footer": line, "paras": BODY}]))
    for path in (pdf, docx):
        r = scan(engine, path)
        assert r.assessment == Assessment.MARKED_CUI, path.name
        spelled = only(r, "BANNER-002")
        assert spelled.severity == Severity.WARNING and "spelled-out" in spelled.message
        assert spelled.location.zone == Zone.HEADER
        assert "BANNER-010" not in ids(r)   # the banner IS at the top and bottom: only its form is wrong


def test_spelled_out_banner_sharing_a_line_on_slides_and_in_text(engine, tmp_path):
    line = "CONTROLLED UNCLASSIFIED INFORMATION | Acme Corp"
    pptx = save(tmp_path, "s.pptx", b.pptx_bytes([{"top": line, "title": "Blade cooling", "lines": BODY,
                                                   "bottom": line}]))
    txt = text(tmp_path, "t.txt", [line, *BODY, line])
    for path in (pptx, txt):
        r = scan(engine, path)
        assert r.assessment == Assessment.MARKED_CUI and "BANNER-002" in ids(r), path.name


def test_a_sentence_starting_with_the_phrase_is_not_a_banner(engine, tmp_path):
    path = text(tmp_path, "prose.txt", ["Controlled Unclassified Information is information the Government "
                                        "creates or possesses.", *BODY, "Questions go to the records office."])
    r = scan(engine, path)
    assert r.assessment != Assessment.MARKED_CUI and not ids(r) & {"BANNER-002", "BANNER-010"}


# ---- 2. spreadsheets: first cell / first row, print header and footer codes ---------------------------

def test_first_cell_of_a_sheet_is_a_marking_place(engine, tmp_path):
    path = save(tmp_path, "a1.xlsx", b.xlsx_bytes([{"name": "Parts", "rows": [
        ["Controlled Unclassified Information (CUI)"], ["part", "qty"], ["blade", 3],
        ["Controlled Unclassified Information (CUI)"]]}]))
    r = scan(engine, path)
    assert r.assessment == Assessment.MARKED_CUI
    spelled = only(r, "BANNER-002")
    assert spelled.location.sheet == "Parts" and "SHEET-001" not in ids(r)


def test_first_row_with_other_cells_and_a_legacy_first_cell(engine, tmp_path):
    row = save(tmp_path, "row.xlsx", b.xlsx_bytes([{"name": "Q3", "rows": [
        ["CUI", "", "Project Kestrel"], ["part", "qty"], ["blade", 3]]}]))
    r = scan(engine, row)
    assert r.assessment == Assessment.MARKED_CUI and r.banner == "CUI"
    assert "SHEET-001" in ids(r)   # no CUI at the bottom of the sheet (DoD): found, and said
    fouo = save(tmp_path, "fouo.xlsx", b.xlsx_bytes([{"name": "Data", "rows": [
        ["For Official Use Only (FOUO)"], ["part", "qty"], ["blade", 3]]}]))
    r = scan(engine, fouo)
    legacy = only(r, "LEGACY-001")
    assert legacy.evidence == "For Official Use Only (FOUO)" and legacy.location.sheet == "Data"
    assert r.assessment != Assessment.MARKED_CUI


def test_print_header_and_footer_codes_are_decoded(engine, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Costs"
    ws.oddHeader.left.text = "Acme"
    ws.oddHeader.center.text = "CUI"
    ws.oddHeader.center.font = "Arial,Bold"
    ws.oddHeader.right.text = "Page &P of &N"
    ws.oddFooter.center.text = "CONTROLLED UNCLASSIFIED INFORMATION"
    ws.oddFooter.right.text = "&D"
    ws.append(["part", "cost"])
    ws.append(["blade", 1200])
    buf = io.BytesIO()
    wb.save(buf)
    raw = save(tmp_path, "hf.xlsx", buf.getvalue())
    r = scan(engine, raw)
    assert r.assessment == Assessment.MARKED_CUI and r.banner == "CUI"
    assert only(r, "BANNER-002").location.zone == Zone.FOOTER   # the spelled-out footer, seen through &C / &R
    assert "SHEET-001" not in ids(r)


# ---- 3. comment leaders in source and plain text; markdown tables and front matter --------------------

LEADERS = {
    "tool.py": ("# {}", ["import os", "print(os.getcwd())"]),
    "main.c": ("/* {} */", ["int main(void) { return 0; }"]),
    "lib.js": ("// {}", ["export const rate = 3;"]),
    "query.sql": ("-- {}", ["SELECT part, qty FROM blades;"]),
    "setup.ini": ("; {}", ["[rig]", "temperature = 1200"]),
    "run.bat": ("REM {}", ["echo starting rig"]),
    "notes.md": ("<!-- {} -->", ["# Rig notes", "The rig ran at 1200 K."]),
    "rig.xml": ("<!-- {} -->", ["<rig>", "  <temperature unit=\"K\">1200</temperature>", "</rig>"]),
}


@pytest.mark.parametrize("name", sorted(LEADERS))
def test_banner_and_di_behind_comment_leaders(engine, tmp_path, name):
    leader, code = LEADERS[name]
    lines = [leader.format("CUI"), *(leader.format(d) for d in DOD_DI), *code, leader.format("CUI")]
    r = scan(engine, text(tmp_path, name, lines))
    assert r.assessment == Assessment.MARKED_CUI and r.banner == "CUI", name
    assert not ids(r) & {"BANNER-010", "DI-003", "DI-001"}, sorted(ids(r))


def test_c_block_comment_continuation_lines(engine, tmp_path):
    lines = ["/*", " * CUI", *(f" * {d}" for d in DOD_DI), " */", "int rate = 3;", "/* CUI */"]
    r = scan(engine, text(tmp_path, "rate.c", lines))
    assert r.assessment == Assessment.MARKED_CUI and not ids(r) & {"DI-003", "DI-001"}


def test_shebang_or_xml_declaration_before_the_banner(engine, tmp_path):
    r = scan(engine, text(tmp_path, "run.py", ["#!/usr/bin/env python3", "# CUI", "print(1)", "# CUI"]))
    assert r.assessment == Assessment.MARKED_CUI and "BANNER-010" not in ids(r)
    r = scan(engine, text(tmp_path, "cfg.xml", ['<?xml version="1.0" encoding="utf-8"?>', "<!-- CUI -->",
                                                "<rig><t>1200</t></rig>", "<!-- CUI -->"]))
    assert r.assessment == Assessment.MARKED_CUI and "BANNER-010" not in ids(r)


def test_html_comment_is_no_marking_place(engine, tmp_path):
    """An html page is read as its reader sees it (visible text; <title>, script and style are not page
    text). A comment is never shown: `<!-- CUI -->` and a commented-out DI block leave the page
    unmarked, as a Word comment balloon does (marking-rules appendix B: comments are places to scan,
    not where banners live); the page is assessed from its content. The same banner shown in the page
    marks it. (.md and .xml are read as source, where `<!-- -->` is a comment leader: see above.)"""
    def page(banner: str) -> list[str]:
        return ["<!DOCTYPE html>", "<html><head><title>Rig report</title></head><body>", banner,
                *(f"<!-- {d} -->" for d in DOD_DI), "<h1>Rig report</h1>",
                *(f"<p>{line}</p>" for line in BODY), banner, "</body></html>"]

    hidden = scan(engine, text(tmp_path, "hidden.html", page("<!-- CUI -->")))
    assert hidden.assessment != Assessment.MARKED_CUI
    assert not [f for f in hidden.findings if f.rule_id.split("-")[0] in ("BANNER", "DI", "PORTION")]
    shown = scan(engine, text(tmp_path, "shown.html", page("<p>CUI</p>")))
    assert shown.assessment == Assessment.MARKED_CUI and shown.banner == "CUI"


def test_markdown_front_matter_and_table_fields(engine, tmp_path):
    front = text(tmp_path, "plan.md", ["---", "title: Test plan", "classification: CUI//SP-CTI", "---",
                                       "# Test plan", *BODY])
    table = text(tmp_path, "sheet.md", ["# Test plan", "| Field | Value |", "|---|---|",
                                        "| Classification | CUI // SP-CTI |", "", *BODY])
    for path in (front, table):
        r = scan(engine, path)
        assert r.assessment == Assessment.MARKED_CUI, path.name
        placement = [f for f in r.findings if f.rule_id == "BANNER-010"]
        assert placement and "appears only in the body" in placement[0].message   # a field is no banner line


def test_a_heading_or_bullet_about_cui_is_not_a_marking(engine, tmp_path):
    path = text(tmp_path, "guide.md", ["# Handling guide", "Intro text.", "## CUI", "- CUI data is stored on "
                                       "the enclave.", "- Classification of CUI follows the Registry.", "End."])
    assert scan(engine, path).assessment != Assessment.MARKED_CUI


# ---- 4. "Classification:" / "Marking:" fields naming a category the Registry does not have ------------

@pytest.mark.parametrize("field", ["**Classification:** CUI//SP-XXX", "Marking: CUI//WIDGETS",
                                   "Document Classification: CUI // SP-TESTDATA"])
def test_unknown_category_in_a_field_is_banner_004(engine, tmp_path, field):
    md = text(tmp_path, "f.md", ["# Report", field, *BODY])
    docx = save(tmp_path, "f.docx", b.docx_bytes([{"paras": ["Report", field.replace("**", ""), *BODY]}]))
    pdf = save(tmp_path, "f.pdf", b.pdf_bytes([{"lines": ["Report", field.replace("**", ""), *BODY]}]))
    for path in (md, docx, pdf):
        for profile in ("dod", "nara"):
            eng = Inspector.from_settings(Settings(profile=profile), engine.detector)
            r = scan(eng, path)
            assert r.assessment == Assessment.MARKED_CUI, (path.name, profile)
            f = only(r, "BANNER-004")
            assert f.severity == Severity.ERROR and "not a CUI Registry category" in f.message


def test_unknown_category_in_a_markdown_table_and_front_matter(engine, tmp_path):
    table = text(tmp_path, "t.md", ["# Report", "| Field | Value |", "|---|---|", "| Classification | CUI // SP-XXX |",
                                    "", *BODY])
    front = text(tmp_path, "f.md", ["---", "classification: 'CUI//SP-XXX'", "---", "# Report", *BODY])
    for path in (table, front):
        r = scan(engine, path)
        assert r.assessment == Assessment.MARKED_CUI and only(r, "BANNER-004").evidence.endswith("SP-XXX")


def test_run_together_docx_fields(engine, tmp_path):
    para = ("Version: 2.7 Date: February 17, 2026 Organization: Acme Reference: SSP Version 2.4 "
            "Classification: Controlled Unclassified Information (CUI) Owner: J. Smith, ISSO")
    r = scan(engine, save(tmp_path, "poam.docx", b.docx_bytes([{"paras": ["Plan of Action", para, *BODY]}])))
    assert r.assessment == Assessment.MARKED_CUI and "BANNER-002" in ids(r)
    code = text(tmp_path, "cfg.md", ["# Settings", "Set the maximum level:", "  Maximum Data Classification: "
                                     "\"CUI//SP-PRVCY\"", *BODY])
    assert scan(engine, code).assessment != Assessment.MARKED_CUI   # a setting in a code sample


# ---- 5. legacy and agency markings -----------------------------------------------------------------

@pytest.mark.parametrize("marking", ["LIMDIS", "LIMITED DISTRIBUTION", "SBU", "SENSITIVE BUT UNCLASSIFIED", "LES",
                                     "LAW ENFORCEMENT SENSITIVE", "For Official Use Only (FOUO)",
                                     "UNCLASSIFIED/FOUO", "UNCLASSIFIED // FOR OFFICIAL USE ONLY"])
def test_legacy_markings_in_text_docx_pdf_and_markdown(engine, tmp_path, marking):
    files = [
        text(tmp_path, "l.txt", [marking, *BODY, marking]),
        text(tmp_path, "l.md", ["# Convoy guide", *BODY, f"**{marking}**"]),
        text(tmp_path, "f.md", ["# Convoy guide", "", "Intro.", "", f"- **Classification**: {marking}", "", *BODY,
                                "", "More text.", "", "End."]),
        save(tmp_path, "l.docx", b.docx_bytes([{"header": marking, "footer": marking, "paras": BODY}])),
        save(tmp_path, "l.pdf", b.pdf_bytes([{"header": marking, "lines": BODY, "footer": marking}])),
    ]
    for path in files:
        r = scan(engine, path)
        legacy = [f for f in r.findings if f.rule_id in ("LEGACY-001", "LEGACY-002", "LEGACY-003")]
        assert legacy and legacy[0].evidence == marking, (path.name, sorted(ids(r)))
        assert r.assessment != Assessment.MARKED_CUI   # no CUI marking: assessed from its content
        assert "BANNER-001" not in ids(r)


def test_legacy_field_beside_a_cui_field_is_mixed(engine, tmp_path):
    path = text(tmp_path, "dash.md", ["# Status", "**Classification:** CUI | For Official Use Only", *BODY])
    r = scan(engine, path)
    assert r.assessment == Assessment.MARKED_CUI
    assert only(r, "LEGACY-002").evidence == "For Official Use Only"


@pytest.mark.parametrize("label", ["PRE-DECISIONAL // DELIBERATIVE", "PRE-DECISIONAL / DELIBERATIVE",
                                   "PREDECISIONAL/DELIBERATIVE"])
def test_predecisional_deliberative_alone_is_seen_not_a_cui_error(engine, tmp_path, label):
    for path in (text(tmp_path, "d.txt", [label, *BODY, label]),
                 save(tmp_path, "d.docx", b.docx_bytes([{"header": label, "footer": label, "paras": BODY}]))):
        r = scan(engine, path)
        f = only(r, "SUPP-001")
        assert f.severity == Severity.INFO and f.evidence == label
        assert not errors(r) and r.assessment != Assessment.MARKED_CUI


def test_predecisional_with_fouo_mixed_slashes_is_legacy(engine, tmp_path):
    r = scan(engine, text(tmp_path, "m.txt", ["PRE-DECISIONAL/DELIBERATIVE//FOUO", *BODY]))
    assert "LEGACY-001" in ids(r) and "BANNER-001" not in ids(r)


# ---- 6. company proprietary legends: PROPIN evidence, info only ----------------------------------------

@pytest.mark.parametrize("legend", ["Acme Company Sensitive and Proprietary", "For Authorized Use Only",
                                    "Company Proprietary"])
def test_company_legend_is_propin_info(engine, tmp_path, legend):
    files = [save(tmp_path, "c.docx", b.docx_bytes([{"footer": legend, "paras": BODY}])),
             save(tmp_path, "c.pdf", b.pdf_bytes([{"lines": BODY, "footer": legend}])),
             save(tmp_path, "c.pptx", b.pptx_bytes([{"title": "Rig results", "lines": BODY, "bottom": legend}])),
             text(tmp_path, "c.txt", [legend, *BODY])]
    for path in files:
        r = scan(engine, path)
        f = only(r, "LEGACY-004")
        assert f.severity == Severity.INFO and f.categories == ("PROPIN",), path.name
        assert not errors(r) and r.assessment != Assessment.MARKED_CUI


@pytest.mark.parametrize("legend", ["Company Sensitive and Proprietary", "For Authorized Use Only"])
def test_company_legend_in_a_sheet_is_propin_info(engine, tmp_path, legend):
    """The legend where a workbook shows it: the print footer (between other &L/&R sections) and, on a
    sheet without a print header/footer, its first cell. One info per document."""
    import openpyxl

    def workbook(in_footer: bool) -> bytes:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Costs"
        if in_footer:
            ws.oddFooter.left.text = "Acme Corp"
            ws.oddFooter.center.text = legend
            ws.oddFooter.right.text = "Page &P of &N"
        else:
            ws.append([legend])
        ws.append(["part", "cost"])
        ws.append(["blade", 1200])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    for name, in_footer, zone in (("footer.xlsx", True, Zone.FOOTER), ("cell.xlsx", False, Zone.BODY)):
        r = scan(engine, save(tmp_path, name, workbook(in_footer)))
        f = only(r, "LEGACY-004")
        assert (f.location.sheet, f.location.zone) == ("Costs", zone), name
        assert f.severity == Severity.INFO and f.categories == ("PROPIN",), name
        assert not errors(r) and r.assessment != Assessment.MARKED_CUI, name


def test_company_legend_on_a_cui_document_adds_no_error(engine, tmp_path):
    paras = [*DOD_DI, *BODY]
    path = save(tmp_path, "m.docx", b.docx_bytes([{"header": "CUI", "footer": "CUI | Company Proprietary",
                                                   "paras": paras}]))
    r = scan(engine, path)
    assert r.assessment == Assessment.MARKED_CUI and only(r, "LEGACY-004").severity == Severity.INFO
    assert not [f for f in r.findings if f.rule_id.startswith("LEGACY") and f.severity != Severity.INFO]


def test_proprietary_in_a_sentence_is_prose(engine, tmp_path):
    path = text(tmp_path, "p.txt", ["Rig report", "The vendor's proprietary cooling model predicted the blade "
                                    "temperatures to within two percent over the whole run.", *BODY])
    assert "LEGACY-004" not in ids(scan(engine, path))


# ---- 7. DI block and distribution statement sharing one text block -------------------------------------

def test_di_and_statement_in_one_slide_text_frame(engine, tmp_path):
    path = save(tmp_path, "brief.pptx", b.pptx_bytes([
        {"top": "CUI", "title": "Blade cooling", "bottom_lines": [*DOD_DI, STATEMENT_D], "bottom": "CUI"},
        {"top": "CUI", "lines": BODY, "bottom": "CUI"}]))
    r = scan(engine, path)
    assert r.assessment == Assessment.MARKED_CUI and not errors(r), sorted(ids(r))


def test_di_and_statement_in_one_table_cell_and_one_pdf_run(engine, tmp_path):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "CUI"
    document.sections[0].footer.paragraphs[0].text = "CUI"
    document.add_paragraph(BODY[0])
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "\n".join([*DOD_DI, STATEMENT_D])
    buf = io.BytesIO()
    document.save(buf)
    cell_doc = save(tmp_path, "cell.docx", buf.getvalue())
    pdf = save(tmp_path, "run.pdf", b.pdf_bytes([{"header": "CUI", "lines": BODY, "footer": "CUI",
                                                  "bottom_lines": [*DOD_DI, STATEMENT_D[:60], STATEMENT_D[60:120],
                                                                   STATEMENT_D[120:]]}]))
    for path in (cell_doc, pdf):
        r = scan(engine, path)
        assert r.assessment == Assessment.MARKED_CUI and "DIST-004" not in ids(r), (path.name, sorted(ids(r)))


def test_a_statement_only_mentioned_in_a_block_is_still_missing(engine, tmp_path):
    lines = [*DOD_DI, "Statement D applies; see distribution statement D in the program plan."]
    path = save(tmp_path, "m.pptx", b.pptx_bytes([{"top": "CUI", "title": "Blade cooling", "bottom_lines": lines,
                                                   "bottom": "CUI"}]))
    assert "DIST-004" in ids(scan(engine, path))
