"""Legacy Office and OpenDocument fixtures written by a maintained writer: LibreOffice (headless)
converts marked and unmarked docx/pptx/xlsx, built with the project's sample builders, to
doc/odt, ppt/odp and xls/ods. tests/run.sh installs LibreOffice (Debian's -nogui packages).

Each original is kept, so a test can compare the findings on the converted file with the findings
on the born-digital OOXML one.
"""
from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("sample_builders_lo", ROOT / "samples" / "builders.py")
b = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(b)

DOD_DI = ["Controlled by: Department of the Air Force", "Controlled by: AFRL/RQ", "CUI Category: PRVCY",
          "Distribution/Dissemination Control: FEDCON", "POC: J. Smith, 937-555-0100"]



def real_formats_dir() -> Path:
    """The shared corpus of real public files (../shared beside the repository, as CI lays it out)."""
    for candidate in (ROOT.parent / "shared", ROOT.parents[1] / "shared", Path("/work/shared")):
        folder = candidate / "corpus" / "real" / "formats"
        if folder.is_dir():
            return folder
    pytest.fail("the shared corpus (../shared/corpus/real/formats) is not beside the repository")


# Target format -> LibreOffice export filter.
FILTERS = {"doc": "doc:MS Word 97", "odt": "odt", "ppt": "ppt:MS PowerPoint 97", "odp": "odp",
           "xls": "xls:MS Excel 97", "ods": "ods"}
FAMILY = {"doc": "docx", "odt": "docx", "ppt": "pptx", "odp": "pptx", "xls": "xlsx", "ods": "xlsx"}


# A flat OpenDocument text (what LibreOffice saves as .fodt) with what python-docx cannot write: a
# footnote, an endnote, a comment and a first-page header different from the other pages.
NOTES_MEMO_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph"/>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>CUI</text:p></style:header>
   <style:header-first><text:p>CUI FIRST PAGE</text:p></style:header-first>
   <style:footer><text:p>CUI</text:p></style:footer>
   <style:footer-first><text:p>CUI</text:p></style:footer-first>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:p>(CUI) The range schedule is below.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>(CUI) Footnote naming the range.</text:p></text:note-body></text:note></text:p>
   <text:p>(U) Parking is in lot B.<office:annotation><dc:creator>Reviewer</dc:creator><text:p>Check the marking of this line</text:p></office:annotation></text:p>
   <text:p>(U) End of memo.<text:note text:id="edn1" text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>(U) Endnote text.</text:p></text:note-body></text:note></text:p>
  </office:text>
 </office:body>
</office:document>
"""


# A flat OpenDocument presentation whose banner is the footer of PowerPoint's Header and Footer
# dialog (a footer declaration used by each slide), not a text box.
FOOTER_DECK_FODP = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:automatic-styles>
  <style:page-layout style:name="PM1"><style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm"/></style:page-layout>
  <style:style style:name="dp1" style:family="drawing-page"><style:drawing-page-properties presentation:display-footer="true"/></style:style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Default" style:page-layout-name="PM1">
   <draw:frame presentation:class="footer" svg:x="9cm" svg:y="14.5cm" svg:width="10cm" svg:height="1cm"><draw:text-box><text:p><presentation:footer/></text:p></draw:text-box></draw:frame>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:presentation>
   <presentation:footer-decl presentation:name="ftr1">CUI</presentation:footer-decl>
   <draw:page draw:name="s1" draw:master-page-name="Default" draw:style-name="dp1" presentation:use-footer-name="ftr1">
    <draw:frame svg:x="1cm" svg:y="3cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>(CUI) Body of slide one</text:p></draw:text-box></draw:frame>
   </draw:page>
   <draw:page draw:name="s2" draw:master-page-name="Default" draw:style-name="dp1" presentation:use-footer-name="ftr1">
    <draw:frame svg:x="1cm" svg:y="3cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>(CUI) Body of slide two</text:p></draw:text-box></draw:frame>
   </draw:page>
  </office:presentation>
 </office:body>
</office:document>
"""


def originals() -> dict[str, bytes]:
    """name (without extension) + ".docx|.pptx|.xlsx" -> bytes."""
    marked_memo = b.docx_bytes([
        {"header": "CUI", "footer": "CUI",
         "paras": ["(CUI) The test schedule for the Block 3 radar is attached.", "(U) Lunch is at noon."]
         + DOD_DI},
        {"header": "CUI//FEDCON", "footer": "", "paras": ["(CUI) Annex A lists the test ranges."]},
    ], title="Block 3 test memo")
    plain_memo = b.docx_bytes([{"header": "", "footer": "", "paras": ["The picnic is on Friday.",
                                                                      "Bring a dish to share."]}])
    unmarked_cui = b.docx_bytes([{"header": "", "footer": "", "paras": [
        "Employee roster: Jane Roe, SSN 123-45-6789, home address 12 Elm St, Dayton OH.",
        "Supervisor: John Doe, SSN 987-65-4320."]}])
    deck = b.pptx_bytes([
        {"top": "CUI", "bottom": "CUI", "title": "Readiness review", "lines": ["(CUI) Test ranges"],
         "bottom_lines": DOD_DI, "notes": "(CUI) Speaker note about ranges"},
        {"top": "CUI", "bottom": "CUI", "title": "Staffing", "lines": ["(CUI) Staffing details"]},
        {"title": "Actions", "lines": ["(CUI) Actions for March"]},
    ])
    book = b.xlsx_bytes([
        {"name": "Roster", "header": "CUI", "footer": "CUI",
         "rows": [["Name", "Home phone"], ["A. Able", "202-555-0101"]] + [[line] for line in DOD_DI]},
        {"name": "Alternates", "rows": [["Name"], ["C. Clark"]]},
    ])
    return {"master_deck.pptx": _master_banner_deck(), "struck_memo.docx": _struck_memo(), "footer_deck.fodp": FOOTER_DECK_FODP.encode(), "notes_memo.fodt": NOTES_MEMO_FODT.encode(), "marked_memo.docx": marked_memo, "plain_memo.docx": plain_memo, "unmarked_cui.docx": unmarked_cui,
            "deck.pptx": deck, "book.xlsx": book}


def _master_banner_deck() -> bytes:
    """The banner on the slide master (a text box at the top and one at the bottom), not on the slides.
    python-pptx writes no master shapes: a text box made on a slide is moved into the master's tree."""
    import copy

    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slides = []
    for title in ("One", "Two"):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1)).text_frame.text = f"(CUI) Body {title}"
        slides.append(slide)
    for top in (0.05, 7.0):
        box = slides[0].shapes.add_textbox(Inches(4), Inches(top), Inches(2), Inches(0.4))
        box.text_frame.text = "CUI"
        prs.slide_master.shapes._spTree.append(copy.deepcopy(box._element))
        box._element.getparent().remove(box._element)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _struck_memo() -> bytes:
    """A superseded banner struck through in the header, and a hidden run in the body."""
    import docx

    d = docx.Document()
    header = d.sections[0].header.paragraphs[0]
    header.add_run("FOUO").font.strike = True
    d.sections[0].footer.paragraphs[0].text = "CUI"
    p = d.add_paragraph("(CUI) Visible text of the memo.")
    p.add_run(" SSN 123-45-6789 hidden note").font.hidden = True
    d.add_paragraph("(U) Second paragraph.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def convert(sources: list[Path], target: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert with one soffice run; fails (never skips) when LibreOffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed (tests/run.sh installs libreoffice-*-nogui)")
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", FILTERS[target], "--outdir", str(outdir), *map(str, sources)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=240)
    out = [outdir / f"{s.stem}.{target}" for s in sources]
    missing = [p.name for p in out if not p.exists()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return out


def build_corpus(root: Path) -> dict[str, Path]:
    """{"marked_memo.doc": path, "marked_memo.docx": path, ...} for every original and conversion."""
    src = root / "ooxml"
    src.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, data in originals().items():
        paths[name] = b.write(src / name, data)
    profile = root / "lo-profile"
    for target, family in FAMILY.items():
        kin = ("." + family, {"docx": ".fodt", "pptx": ".fodp", "xlsx": ".fods"}[family])
        sources = [p for name, p in list(paths.items()) if name.endswith(kin) and p.parent == src]
        for path in convert(sources, target, root / target, profile):
            paths[path.name] = path
    return paths


def xls_with_filepass(data: bytes) -> bytes:
    """The workbook as Excel writes a password-protected one: a FILEPASS record (XOR obfuscation,
    [MS-XLS] 2.4.117) in the globals. It takes the place of the WRITEACCESS record, padded with a
    record of an unused type, so the OLE stream keeps its size."""
    import olefile
    import struct

    ole = olefile.OleFileIO(data)
    stream = bytearray(ole.openstream("Workbook").read())
    pos = 0
    while pos + 4 <= len(stream):
        rtype, size = struct.unpack_from("<HH", stream, pos)
        if rtype == 0x005C and size >= 12:   # WRITEACCESS
            filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, 0x5678)
            filler = struct.pack("<HH", 0x7FFF, size - 10) + b"\0" * (size - 10)
            stream[pos: pos + 4 + size] = filepass + filler
            break
        pos += 4 + size
    else:
        raise AssertionError("no WRITEACCESS record to replace")
    out = io.BytesIO(data)
    with olefile.OleFileIO(out, write_mode=True) as rw:
        rw.write_stream("Workbook", bytes(stream))
    return out.getvalue()


def doc_with_encryption_flag(data: bytes) -> bytes:
    """The document as Word marks a password-protected one: fEncrypted set in the FIB ([MS-DOC] 2.5.2)."""
    import olefile

    ole = olefile.OleFileIO(data)
    word = bytearray(ole.openstream("WordDocument").read())
    word[0x0B] |= 0x01   # fEncrypted is bit 8 of the flags word at 0x0A
    out = io.BytesIO(data)
    with olefile.OleFileIO(out, write_mode=True) as rw:
        rw.write_stream("WordDocument", bytes(word))
    return out.getvalue()


def ppt_with_encrypted_token(data: bytes) -> bytes:
    """The presentation as PowerPoint marks an encrypted one: the Current User header token
    0xF3D1C4DF ([MS-PPT] 2.3.2)."""
    import olefile
    import struct

    ole = olefile.OleFileIO(data)
    user = bytearray(ole.openstream("Current User").read())
    struct.pack_into("<I", user, 12, 0xF3D1C4DF)
    out = io.BytesIO(data)
    with olefile.OleFileIO(out, write_mode=True) as rw:
        rw.write_stream("Current User", bytes(user))
    return out.getvalue()
