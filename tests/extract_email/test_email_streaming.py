"""Big mail without big memory: messages above STREAM_ABOVE are indexed and read part by part.

The streamed path must read a message exactly as the whole-message parser does: every eml and mbox
test runs again with the threshold at zero (every message streamed, every mbox message spooled to a
temporary file), and a real 40 MB message with attachments gives the same documents both ways.
"""
from __future__ import annotations

import base64
import os
from email.message import EmailMessage

import pytest

import test_email_eml as eml_tests
import test_email_mbox_msg as mbox_tests
from email_builders import docx_bytes, extract
import cuiscan.extractors.email as email_extractor

_EML = sorted(n for n in dir(eml_tests) if n.startswith("test_"))
_MBOX = sorted(n for n in dir(mbox_tests) if n.startswith("test_") and "mbox" in n)


@pytest.mark.parametrize("name", _EML + _MBOX)
def test_streamed_path_passes_the_email_tests(name, tmp_path, monkeypatch):
    monkeypatch.setattr(email_extractor, "STREAM_ABOVE", -1)
    module = eml_tests if name in _EML else mbox_tests
    getattr(module, name)(tmp_path)


def _big_message(tmp_path):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.mil", "b@example.mil", "CUI test data drop"
    msg["Date"] = "Mon, 01 Jan 2024 10:00:00 +0000"
    msg.set_content("CUI\n\n(CUI) The test data are attached.\n\nCUI\n")
    msg.add_attachment(docx_bytes("CUI", "(CUI) Attached memo text."), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="memo.docx")
    rng = os.urandom(20 * 1024 * 1024)
    msg.add_attachment(rng, maintype="application", subtype="octet-stream", filename="telemetry.bin")
    msg.add_attachment("line of text\n" * 20_000, filename="log.txt")
    inner = EmailMessage()
    inner["Subject"], inner["From"] = "Earlier thread", "c@example.mil"
    inner.set_content("(CUI) forwarded body")
    msg.attach(_rfc822(inner))
    path = tmp_path / "big.eml"
    path.write_bytes(bytes(msg))
    return path, rng


def _rfc822(inner: EmailMessage) -> EmailMessage:
    part = EmailMessage()
    part.set_content(inner)
    return part


def test_big_message_reads_the_same_streamed(tmp_path, monkeypatch):
    path, rng = _big_message(tmp_path)
    assert path.stat().st_size > email_extractor.STREAM_ABOVE
    streamed = extract(path)
    monkeypatch.setattr(email_extractor, "STREAM_ABOVE", 1 << 40)
    whole = extract(path)
    assert [(d.member, d.ftype, d.blocks, d.problems) for d in streamed] == \
           [(d.member, d.ftype, d.blocks, d.problems) for d in whole]
    members = [d.member for d in streamed]
    assert members == [None, "memo.docx", "telemetry.bin", "log.txt", "Earlier thread.eml"]
    assert streamed[0].blocks[0].text == "CUI test data drop"
    assert any(b.text == "(CUI) Attached memo text." for b in streamed[1].blocks)


def test_streamed_base64_decodes_exactly(tmp_path):
    from cuiscan.extractors.email_stream import index_message

    path, rng = _big_message(tmp_path)
    with open(path, "rb") as fh:
        msg = index_message(fh)
        parts = [p for p in msg.walk() if p.get_filename() == "telemetry.bin"]
        assert len(parts) == 1 and parts[0].get_payload(decode=True) == rng


def test_big_mbox_message_is_spooled_and_read(tmp_path):
    path, _ = _big_message(tmp_path)
    mbox = tmp_path / "big.mbox"
    with open(mbox, "wb") as out:
        for n in range(2):
            out.write(b"From a@example.mil Mon Jan  1 10:00:00 2024\n")
            out.write(path.read_bytes().replace(b"\r\n", b"\n"))
            out.write(b"\n")
    docs = extract(mbox)
    tops = [d.member for d in docs if d.member and "/" not in d.member]
    assert tops == ["message-1.eml", "message-2.eml"]
    assert [d.member for d in docs if d.member and d.member.startswith("message-2.eml/")] == [
        "message-2.eml/memo.docx", "message-2.eml/telemetry.bin", "message-2.eml/log.txt",
        "message-2.eml/Earlier thread.eml"]
    # random bytes are the one thing not read, in each message
    assert sorted(p.member for d in docs for p in d.problems) == ["message-1.eml/telemetry.bin",
                                                                  "message-2.eml/telemetry.bin"]
