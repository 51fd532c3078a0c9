from __future__ import annotations

import re

import openpyxl
import pytest

from cuiscan.extractors.sheets import header_footer_text
from cuiscan.records import Zone


def _sheet(doc, name, zone=None):
    return [b for b in doc.blocks if b.loc.sheet == name and (zone is None or b.loc.zone is zone)]


def test_rows_joined_with_cell_of_first_value(sample_xlsx, extract):
    doc = extract(sample_xlsx, "xlsx")
    assert doc.problems == ()
    assert doc.pages == 3
    rows = [(b.loc.line, b.loc.cell, b.text, b.kind) for b in _sheet(doc, "Summary", Zone.BODY)]
    assert rows == [
        (1, "A1", "Name | Program | 42", "row"),
        (3, "B3", "Only B3 | TRUE", "row"),
        (5, "A5", "hidden row text", "row"),
    ]
    by_line = {b.loc.line: b for b in _sheet(doc, "Summary", Zone.BODY)}
    assert by_line[5].hidden is True and by_line[1].hidden is False


def test_hidden_sheet_is_read_and_flagged(sample_xlsx, extract):
    doc = extract(sample_xlsx, "xlsx")
    stash = _sheet(doc, "Stash")
    assert [(b.text, b.loc.cell, b.hidden) for b in stash] == [("Hidden sheet text", "B2", True)]
    assert doc.fact("hidden_sheets") == ("Stash",)
    assert not any(b.hidden for b in _sheet(doc, "Pages"))


def test_headers_and_footers_stripped_of_codes(sample_xlsx, extract):
    doc = extract(sample_xlsx, "xlsx")
    header = [(b.variant, b.text) for b in _sheet(doc, "Summary", Zone.HEADER)]
    assert header == [("odd", "CUI")]    # evenHeader is not printed: differentOddEven is off
    footer = [(b.variant, b.text) for b in _sheet(doc, "Summary", Zone.FOOTER)]
    assert footer == [("odd", "Page of\tCUI & Co")]
    pages = {(b.loc.zone, b.variant, b.text) for b in _sheet(doc, "Pages") if b.loc.zone is not Zone.BODY}
    assert pages == {(Zone.HEADER, "odd", "CUI odd"), (Zone.HEADER, "first", "CUI first page")}


def test_cell_comment_in_notes(sample_xlsx, extract):
    doc = extract(sample_xlsx, "xlsx")
    notes = [(b.loc.sheet, b.loc.cell, b.text, b.kind) for b in doc.blocks if b.loc.zone is Zone.NOTES]
    assert notes == [("Summary", "C1", "Reviewer: CUI//SP-EXPT", "comment")]


@pytest.mark.parametrize("code, printed", [
    ('&C&"Arial,Bold"CUI', "CUI"),
    ("&LLeft&CCentre&RRight", "Left\tCentre\tRight"),
    ("&L&12Big&C&KFF0000Red&R&K01+000Theme", "Big\tRed\tTheme"),
    ("&C&P of &N &D &T &F &A", "of"),
    ("&B&I&U&E&S&X&YCUI&B", "CUI"),
    ("R&&D", "R&D"),
    ("no codes at all", "no codes at all"),
    ("&R&P+1", ""),
])
def test_header_footer_code_stripping(code, printed):
    assert header_footer_text(code) == printed


def _to_shared_strings(path):
    """Rewrite openpyxl's inline strings as a sharedStrings part, which is how Excel saves."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    strings: list[str] = []

    def share(match):
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>([^<]*)</t></is></c>', share,
                   src.read("xl/worksheets/sheet1.xml").decode())
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + "".join(f"<si><t>{s}</t></si>" for s in strings)
           # a rich-text string with a phonetic run that must not be part of the text
           + '<si><r><t>CUI</t></r><r><rPr><b/></rPr><t>//SP-CTI</t></r><rPh sb="0" eb="1"><t>ruby</t></rPh></si>'
           + "</sst>")
    sheet = sheet.replace("</sheetData>", f'<row r="9"><c r="C9" t="s"><v>{len(strings)}</v></c></row></sheetData>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            dst.writestr(info.filename, data)
        dst.writestr("xl/sharedStrings.xml", sst)
    path.write_bytes(out.getvalue())


def test_shared_strings_and_rich_text(tmp_path, extract):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["alpha", 7, "beta"])
    path = tmp_path / "sst.xlsx"
    wb.save(path)
    _to_shared_strings(path)
    assert openpyxl.load_workbook(path).active["C9"].value == "CUI//SP-CTI"   # the file is valid
    rows = [(b.loc.line, b.loc.cell, b.text) for b in extract(path, "xlsx").blocks if b.loc.zone is Zone.BODY]
    assert rows == [(1, "A1", "alpha | 7 | beta"), (9, "C9", "CUI//SP-CTI")]


def test_text_box_on_sheet(tmp_path, extract):
    """A banner drawn as a text box over the grid (openpyxl cannot write one: injected)."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "data"
    path = tmp_path / "box.xlsx"
    wb.save(path)
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
        '<xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
        '<xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
        '<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/>'
        '<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>CUI</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
        '<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>'
    )
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdD" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>')
    _rewrite_sheet(path, lambda xml: xml.replace(b"</worksheet>", b'<drawing xmlns:r="http://schemas.openxmlformats.org/'
                                                 b'officeDocument/2006/relationships" r:id="rIdD"/></worksheet>'),
                   {"xl/worksheets/_rels/sheet1.xml.rels": rels, "xl/drawings/drawing1.xml": drawing})
    boxes = [(b.text, b.loc.cell, b.kind) for b in extract(path, "xlsx").blocks if b.kind == "textbox"]
    assert boxes == [("CUI", "D1", "textbox")]


def test_max_text_limit_ends_document(tmp_path):
    from cuiscan.extractors import extract_file
    from cuiscan.settings import Limits

    wb = openpyxl.Workbook()
    for i in range(200):
        wb.active.append([f"row {i} " + "x" * 50])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    [doc] = extract_file(str(path), Limits(max_text=2000), ftype="xlsx")
    assert [p.reason for p in doc.problems] == ["limit"]
    assert 0 < len(doc.blocks) < 200


def test_every_cell_type_as_excel_stores_it(tmp_path, extract):
    """Cells as Excel writes them, beside openpyxl's inline strings: a formula before its cached
    value, booleans, _xHHHH_ escapes, errors, an empty value, an inline string with a stray <v>."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "placeholder"
    path = tmp_path / "types.xlsx"
    wb.save(path)
    cells = ('<row r="1"><c r="A1" t="str"><f>CONCAT("CUI","x")</f><v>CUI_x000D_x</v></c>'
             '<c r="B1" t="b"><v>0</v></c><c r="C1" t="e"><v>#N/A</v></c><c r="D1"><v>3.5</v></c>'
             '<c r="E1" t="n"><v/></c><c r="F1" t="inlineStr"><v>stale</v><is><t>in</t><r><t>line</t></r></is></c>'
             '<c r="G1" t="s"><is><t>ignored: not an inline string</t></is></c><c r="H1"><f>1+1</f></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>   </t></is></c><c r="C2" t="b"><v>1</v></c></row>')
    _rewrite_sheet(path, lambda xml: re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + cells.encode()
                                            + b"</sheetData>", xml))
    assert openpyxl.load_workbook(path).active["B1"].value is False     # the file is valid
    rows = [(b.loc.line, b.loc.cell, b.text) for b in extract(path, "xlsx").blocks if b.loc.zone is Zone.BODY]
    assert rows == [(1, "A1", "CUI\rx | FALSE | #N/A | 3.5 | inline"), (2, "C2", "TRUE")]


def _rewrite_sheet(path, edit, extra_parts: dict[str, str] | None = None) -> None:
    """Rewrite the first sheet's XML in place with `edit`, adding `extra_parts` (XML openpyxl cannot write)."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, edit(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
        for name, text in (extra_parts or {}).items():
            dst.writestr(name, text)
    path.write_bytes(out.getvalue())
