"""Blind-set cases (JSON Lines) -> real files, written with the real libraries.

One case: {"id", "label": "cui"|"not-cui", "category", "format", "style", "why", "where", "content"}.
`content` by format:
  eml                      {"subject", "from", "to", "date", "body", "attachments": [{"filename", "content"}]}
                           (an attachment's content has the schema of its file name's format)
  docx pdf txt md html     {"header", "footer", "blocks": [{"h": ..} | {"p": ..} | {"table": [[..]]} | {"list": [..]}]}
  pptx                     {"slides": [{"title", "bullets": [..], "table"?: [[..]], "notes"?}]}
  xlsx csv                 {"sheets": [{"name", "rows": [[..]]}]}

python-docx, fpdf2, python-pptx, openpyxl and the email package write the files, as a user's tools
would; text formats are plain writes. A writer's slip (a string where a list was meant, a missing
key) is rendered as well as it can be rather than dropping the case: the case still counts.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from email.message import EmailMessage
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

FORMATS = ("eml", "docx", "pptx", "xlsx", "pdf", "txt", "md", "csv", "html")
_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_MIME = {
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("application", "pdf"), "csv": ("text", "csv"), "txt": ("text", "plain"),
    "md": ("text", "markdown"), "html": ("text", "html"), "eml": ("message", "rfc822"),
}


def load_cases(directory: Path) -> list[dict]:
    """Every case of every *.jsonl file under `directory` (sorted by file, then line)."""
    cases = []
    for path in sorted(Path(directory).rglob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    cases.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path.name}:{number}: not JSON ({exc.msg})") from None
    return cases


def render_case(case: dict, out_dir: Path) -> Path:
    fmt = str(case.get("format", "txt")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"case {case.get('id')}: unknown format {fmt!r}")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(case["id"]))
    path = Path(out_dir) / f"{name}.{fmt}"
    path.write_bytes(render_bytes(fmt, case.get("content")))
    return path


def render_bytes(fmt: str, content) -> bytes:
    if fmt == "eml":
        return _eml(content if isinstance(content, dict) else {"body": _text(content)})
    if fmt == "pptx":
        return _pptx(_slides(content))
    if fmt in ("xlsx", "csv"):
        sheets = _sheets(content)
        return _xlsx(sheets) if fmt == "xlsx" else _csv(sheets)
    doc = _document(content)
    return {"docx": _docx, "pdf": _pdf, "txt": _txt, "md": _md, "html": _html}[fmt](doc)


# -- normalising what writers wrote -------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(_text(v) for v in value.values())
    return str(value)


def _document(content) -> dict:
    if isinstance(content, str):
        return {"blocks": [{"p": part} for part in content.split("\n\n") if part.strip()]}
    content = content or {}
    blocks = []
    for block in content.get("blocks") or []:
        if isinstance(block, str):
            blocks.append({"p": block})
        elif isinstance(block, dict):
            blocks.append(block)
    return {"header": _text(content.get("header")), "footer": _text(content.get("footer")), "blocks": blocks}


def _rows(table) -> list[list[str]]:
    rows = []
    for row in table or []:
        rows.append([_text(c) for c in row] if isinstance(row, (list, tuple)) else [_text(row)])
    return rows


def _items(value) -> list[str]:
    return [_text(v) for v in value] if isinstance(value, (list, tuple)) else [_text(value)]


def _slides(content) -> list[dict]:
    if isinstance(content, dict):
        return [s if isinstance(s, dict) else {"bullets": _items(s)} for s in content.get("slides") or []]
    return [{"bullets": _items(content)}]


def _sheets(content) -> list[dict]:
    if isinstance(content, dict) and "sheets" in content:
        return [{"name": _text(s.get("name")) or f"Sheet{i + 1}", "rows": _rows(s.get("rows"))}
                for i, s in enumerate(content["sheets"]) if isinstance(s, dict)]
    if isinstance(content, dict) and "rows" in content:
        return [{"name": "Sheet1", "rows": _rows(content["rows"])}]
    return [{"name": "Sheet1", "rows": [[line] for line in _text(content).splitlines()]}]


# -- writers -----------------------------------------------------------------------------------

def _docx(doc: dict) -> bytes:
    import docx

    d = docx.Document()
    section = d.sections[0]
    if doc["header"]:
        section.header.paragraphs[0].text = doc["header"]
    if doc["footer"]:
        section.footer.paragraphs[0].text = doc["footer"]
    for block in doc["blocks"]:
        if "h" in block:
            d.add_heading(_text(block["h"]), level=2)
        elif "table" in block:
            rows = _rows(block["table"])
            if rows:
                width = max(len(r) for r in rows)
                table = d.add_table(rows=len(rows), cols=width)
                for r, row in enumerate(rows):
                    for c, value in enumerate(row):
                        table.cell(r, c).text = value
        elif "list" in block:
            for item in _items(block["list"]):
                d.add_paragraph(item, style="List Bullet")
        else:
            for para in _text(block.get("p", _text(block))).split("\n"):
                d.add_paragraph(para)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf(doc: dict) -> bytes:
    from fpdf import FPDF

    unicode_font = _FONT.is_file()

    def clean(text: str) -> str:
        if unicode_font:
            return text
        table = {"\u2014": "-", "\u2013": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                 "\u2022": "*", "\u2026": "...", "\u2264": "<=", "\u2265": ">=", "\u2212": "-"}
        return "".join(table.get(ch, ch) for ch in text).encode("latin-1", "replace").decode("latin-1")

    class Pdf(FPDF):
        def header(self):
            if doc["header"]:
                self.set_font(self.body_font, size=9)
                self.cell(0, 6, clean(doc["header"]), align="C", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            if doc["footer"]:
                self.set_y(-15)
                self.set_font(self.body_font, size=9)
                self.cell(0, 6, clean(doc["footer"]), align="C")

    pdf = Pdf()
    if unicode_font:
        pdf.add_font("body", fname=str(_FONT))
        pdf.body_font = "body"
    else:
        pdf.body_font = "helvetica"
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    def para(text: str, size: int = 10) -> None:
        pdf.set_font(pdf.body_font, size=size)
        pdf.multi_cell(0, 5, clean(text) or " ", new_x="LMARGIN", new_y="NEXT")

    for block in doc["blocks"]:
        if "h" in block:
            para(_text(block["h"]), 13)
        elif "table" in block:
            for row in _rows(block["table"]):
                para(" | ".join(row), 9)
        elif "list" in block:
            for item in _items(block["list"]):
                para(f"- {item}")
        else:
            para(_text(block.get("p", _text(block))))
        pdf.ln(2)
    return bytes(pdf.output())


def _plain_blocks(doc: dict, table_row, bullet: str, heading: str) -> list[str]:
    out = []
    for block in doc["blocks"]:
        if "h" in block:
            out.append(heading + _text(block["h"]))
        elif "table" in block:
            rows = _rows(block["table"])
            out.append("\n".join(table_row(row, i) for i, row in enumerate(rows)))
        elif "list" in block:
            out.append("\n".join(bullet + item for item in _items(block["list"])))
        else:
            out.append(_text(block.get("p", _text(block))))
    return out


def _txt(doc: dict) -> bytes:
    parts = [doc["header"]] if doc["header"] else []
    parts += _plain_blocks(doc, lambda row, i: "\t".join(row), "- ", "")
    parts += [doc["footer"]] if doc["footer"] else []
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def _md(doc: dict) -> bytes:
    def row_md(row, i):
        line = "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"
        return line + ("\n|" + "---|" * len(row) if i == 0 else "")

    parts = [doc["header"]] if doc["header"] else []
    parts += _plain_blocks(doc, row_md, "- ", "## ")
    parts += [doc["footer"]] if doc["footer"] else []
    return ("\n\n".join(parts) + "\n").encode("utf-8")


def _html(doc: dict) -> bytes:
    e = html.escape
    body = [f"<header><p>{e(doc['header'])}</p></header>"] if doc["header"] else []
    for block in doc["blocks"]:
        if "h" in block:
            body.append(f"<h2>{e(_text(block['h']))}</h2>")
        elif "table" in block:
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in _rows(block["table"]))
            body.append(f"<table>{rows}</table>")
        elif "list" in block:
            body.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in _items(block["list"])) + "</ul>")
        else:
            body.append("".join(f"<p>{e(p)}</p>" for p in _text(block.get("p", _text(block))).split("\n")))
    if doc["footer"]:
        body.append(f"<footer><p>{e(doc['footer'])}</p></footer>")
    page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>document</title></head><body>\n" + \
        "\n".join(body) + "\n</body></html>\n"
    return page.encode("utf-8")


def _pptx(slides: list[dict]) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    for spec in slides or [{"bullets": [""]}]:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = _text(spec.get("title"))
        body = slide.placeholders[1].text_frame
        bullets = _items(spec.get("bullets") or [])
        body.text = bullets[0] if bullets else ""
        for item in bullets[1:]:
            body.add_paragraph().text = item
        rows = _rows(spec.get("table"))
        if rows:
            width = max(len(r) for r in rows)
            shape = slide.shapes.add_table(len(rows), width, Inches(0.5), Inches(4.2), Inches(9), Inches(0.3 * len(rows)))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = value
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = _text(spec["notes"])
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _xlsx(sheets: list[dict]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    used = set()
    for i, sheet in enumerate(sheets or [{"name": "Sheet1", "rows": []}]):
        title = re.sub(r"[\[\]:*?/\\]", "_", sheet["name"])[:31] or f"Sheet{i + 1}"
        while title in used:
            title = f"{title[:28]}_{i}"
        used.add(title)
        ws = wb.create_sheet(title)
        for row in sheet["rows"]:
            ws.append([_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value: str):
    """Numbers as numbers, the way a spreadsheet holds them; everything else as text."""
    if re.fullmatch(r"-?\d{1,12}", value):
        return int(value)
    if re.fullmatch(r"-?\d{1,12}\.\d{1,6}", value):
        return float(value)
    return value


def _csv(sheets: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    for sheet in sheets:
        writer.writerows(sheet["rows"])
    return buf.getvalue().encode("utf-8")


def _eml(content: dict) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = _text(content.get("subject")).replace("\n", " ")
    msg["From"] = _text(content.get("from")).replace("\n", " ") or "sender@example.com"
    msg["To"] = _text(content.get("to")).replace("\n", " ") or "recipient@example.com"
    msg["Date"] = _date(_text(content.get("date")))
    msg.set_content(_text(content.get("body")) or " ")
    for attachment in content.get("attachments") or []:
        if not isinstance(attachment, dict):
            continue
        filename = _text(attachment.get("filename")) or "attachment.txt"
        fmt = filename.rsplit(".", 1)[-1].lower() if "." in filename else "txt"
        fmt = fmt if fmt in FORMATS else "txt"
        data = render_bytes(fmt, attachment.get("content"))
        maintype, subtype = _MIME[fmt]
        if fmt == "eml":
            from email import message_from_bytes, policy

            msg.add_attachment(message_from_bytes(data, policy=policy.default), filename=filename)
        else:
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(msg)


def _date(text: str) -> str:
    from datetime import datetime, timezone

    try:
        return format_datetime(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return format_datetime(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    except ValueError:
        return "Mon, 02 Mar 2026 10:00:00 +0000"
