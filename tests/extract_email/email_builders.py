"""Real email fixtures built with the stdlib email package (and python-docx for attachments)."""
from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from cuiscan.extractors import extract_file
from cuiscan.records import ExtractedDoc, Zone


def plain_message(body: str, subject: str = "Test schedule", **headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = headers.get("From", "Alice Example <alice@example.mil>")
    msg["To"] = headers.get("To", "Bob Example <bob@example.mil>")
    if "Cc" in headers:
        msg["Cc"] = headers["Cc"]
    msg["Date"] = headers.get("Date", "Tue, 04 Mar 2025 05:06:07 +0000")
    msg.set_content(body)
    return msg


def write(tmp_path: Path, name: str, msg: EmailMessage | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(msg if isinstance(msg, bytes) else msg.as_bytes(policy=SMTP))
    return path


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def extract(path: Path, ftype: str | None = None) -> list[ExtractedDoc]:
    return extract_file(str(path), ftype=ftype)


def by_member(docs: list[ExtractedDoc]) -> dict[str | None, ExtractedDoc]:
    return {doc.member: doc for doc in docs}


def body(doc: ExtractedDoc) -> list[tuple[int | None, str, str]]:
    """(line, kind, text) of the body blocks, in order."""
    return [(b.loc.line, b.kind, b.text) for b in doc.blocks if b.loc.zone is Zone.BODY]


def zone_texts(doc: ExtractedDoc, zone: Zone) -> list[str]:
    return [b.text for b in doc.blocks if b.loc.zone is zone]


def all_text(doc: ExtractedDoc) -> str:
    return "\n".join(b.text for b in doc.blocks)
