"""mbox (messages as members) and Outlook .msg (files built by msg_builder on extract-msg's CFB writer)."""
from __future__ import annotations

import datetime as dt

import compressed_rtf
import olefile
from email_builders import all_text, body, by_member, extract, plain_message, write, zone_texts
from msg_builder import MsgSpec, build_msg

from cuiscan.extractors import extract_file
from cuiscan.records import Zone
from cuiscan.settings import Limits


def _mbox(*messages) -> bytes:
    parts = []
    for msg in messages:
        text = msg.as_bytes().replace(b"\r\n", b"\n")
        text = b"\n".join(b">" + line if line.startswith(b"From ") else line for line in text.split(b"\n"))
        parts.append(b"From sender@example.mil Tue Mar  4 05:06:07 2025\n" + text.rstrip(b"\n") + b"\n\n")
    return b"".join(parts)


def test_mbox_messages_are_members_checked_on_their_own(tmp_path):
    first = plain_message("CUI\nFrom the lab: results attached\nCUI", subject="One")
    second = plain_message("Second body\nwith an unescaped line below\nFrom here it continues", subject="Two")
    third = plain_message("CUI//SP-PRVCY\nthird\nCUI//SP-PRVCY", subject="Three")
    third.add_attachment(b"roster\n", maintype="text", subtype="plain", filename="roster.txt")
    data = _mbox(first, second, third)
    # An mboxo writer leaves "From " unescaped inside a body; no blank line before it, so no split.
    data = data.replace(b">From here it continues", b"From here it continues")
    path = write(tmp_path, "inbox.mbox", data)
    docs = by_member(extract(path, ftype="mbox"))

    assert set(docs) == {None, "message-1.eml", "message-2.eml", "message-3.eml",
                         "message-3.eml/roster.txt"}
    assert docs[None].pages == 3 and docs[None].blocks == ()
    assert [zone_texts(docs[f"message-{n}.eml"], Zone.SUBJECT) for n in (1, 2, 3)] == [["One"], ["Two"], ["Three"]]
    assert body(docs["message-1.eml"]) == [(1, "line", "CUI"), (2, "line", "From the lab: results attached"),
                                          (3, "line", "CUI")]  # ">From" unescaped
    assert [t for _, _, t in body(docs["message-2.eml"])][-1] == "From here it continues"
    assert body(docs["message-3.eml"])[-1] == (3, "line", "CUI//SP-PRVCY")
    assert all(b.loc.member == "message-2.eml" for b in docs["message-2.eml"].blocks)


def test_mbox_member_limit_keeps_what_was_read(tmp_path):
    data = _mbox(*(plain_message(f"body {n}", subject=f"S{n}") for n in range(1, 6)))
    docs = extract_file(str(write(tmp_path, "big.mbox", data)), Limits(archive_members=2), ftype="mbox")
    top = by_member(docs)[None]
    assert [p.reason for p in top.problems] == ["limit"]
    assert [d.member for d in docs[1:]] == ["message-1.eml", "message-2.eml"]


def test_text_without_from_line_is_not_an_mbox(tmp_path):
    [doc] = extract(write(tmp_path, "x.mbox", b"Subject: hi\n\nbody\n"), ftype="mbox")
    assert [p.reason for p in doc.problems] == ["corrupt"]


def _outlook_message(**overrides) -> MsgSpec:
    fields = dict(subject="CUI - Test schedule", body="CUI\r\n\r\nSchedule attached.\r\n> CUI\r\nCUI",
                  sender="Alice Example <alice@example.mil>", to=[("Bob Example", "bob@example.mil")],
                  cc=[("Carol", "carol@example.mil")], sent=dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.timezone.utc))
    fields.update(overrides)
    return MsgSpec(**fields)


def test_msg_subject_metadata_body_and_attachments(tmp_path):
    inner = MsgSpec(subject="Earlier memo", body="CUI\r\ninner body\r\nCUI",
                    attachments=[("inner.txt", b"inner attached words\n")])
    spec = _outlook_message(attachments=[("schedule.txt", b"attached schedule text\n")], embedded=[inner])
    path = tmp_path / "m.msg"
    path.write_bytes(build_msg(spec))
    assert olefile.isOleFile(str(path))  # a genuine compound file, not something only we can read
    docs = by_member(extract(path))

    top = docs[None]
    assert top.ftype == "msg" and top.problems == ()
    assert zone_texts(top, Zone.SUBJECT) == ["CUI - Test schedule"]
    assert zone_texts(top, Zone.METADATA) == [
        "From: Alice Example <alice@example.mil>",
        "To: Bob Example <bob@example.mil>",
        "Cc: Carol <carol@example.mil>",
        "Date: Tue, 04 Mar 2025 05:06:07 +0000",
    ]
    assert body(top) == [(1, "line", "CUI"), (3, "line", "Schedule attached."), (4, "quote", "CUI"),
                         (5, "line", "CUI")]
    assert set(docs) == {None, "schedule.txt", "Earlier memo.msg", "Earlier memo.msg/inner.txt"}
    assert "attached schedule text" in all_text(docs["schedule.txt"])
    assert docs["Earlier memo.msg"].ftype == "msg"
    assert body(docs["Earlier memo.msg"]) == [(1, "line", "CUI"), (2, "line", "inner body"), (3, "line", "CUI")]
    assert "inner attached words" in all_text(docs["Earlier memo.msg/inner.txt"])


def test_msg_html_body_when_no_plain_body(tmp_path):
    html = b"<html><body><p>CUI</p><p>html only<br>second</p><p>CUI</p></body></html>"
    path = tmp_path / "h.msg"
    path.write_bytes(build_msg(_outlook_message(body=None, html=html)))
    [doc] = extract(path)
    assert body(doc) == [(1, "line", "CUI"), (2, "line", "html only"), (3, "line", "second"), (4, "line", "CUI")]
    assert {b.variant for b in doc.blocks if b.loc.zone is Zone.BODY} == {"html"}


def test_msg_rtf_body_when_nothing_else(tmp_path):
    rtf = rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\pard CUI\par Rich text body\par CUI\par}"
    path = tmp_path / "r.msg"
    path.write_bytes(build_msg(_outlook_message(body=None, rtf_compressed=compressed_rtf.compress(rtf))))
    [doc] = extract(path)
    assert [t for _, _, t in body(doc)] == ["CUI", "Rich text body", "CUI"]
    assert doc.fact("body_variant") == "rtf"


def test_smime_encrypted_msg_is_reported(tmp_path):
    enveloped = bytes.fromhex("3080" "06092a864886f70d010703" "a080") + b"\x00" * 64
    spec = _outlook_message(body=None, message_class="IPM.Note.SMIME",
                            attachments=[("smime.p7m", enveloped)])
    path = tmp_path / "e.msg"
    path.write_bytes(build_msg(spec))
    [doc] = extract(path)
    assert [p.reason for p in doc.problems] == ["encrypted"]
    assert "S/MIME" in doc.problems[0].message


def test_broken_msg_files_are_corrupt(tmp_path):
    valid = build_msg(_outlook_message())
    cases = {"truncated.msg": valid[:1000], "garbage.msg": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 4000,
             "text.msg": b"just some text, not an OLE file"}
    for name, data in cases.items():
        [doc] = extract(write(tmp_path, name, data), ftype="msg")
        assert doc.blocks == (), name
        assert [p.reason for p in doc.problems] == ["corrupt"], name
