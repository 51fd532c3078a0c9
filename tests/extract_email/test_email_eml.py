"""eml extraction on real messages built with the email package."""
from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

from email_builders import (all_text, body, by_member, docx_bytes, extract, plain_message, write,
                            zip_bytes, zone_texts)

from cuiscan.records import Zone


def test_plain_email_zones_and_exact_line_numbers(tmp_path):
    text = "CUI\n\nPlease find the test schedule below.\n\n-- \nJ. Doe, DLA J6\nCUI\n"
    msg = plain_message(text, subject="CUI - Test schedule", Cc="Carol <carol@example.mil>")
    [doc] = extract(write(tmp_path, "m.eml", msg))

    assert doc.ftype == "eml" and doc.problems == ()
    assert zone_texts(doc, Zone.SUBJECT) == ["CUI - Test schedule"]
    assert zone_texts(doc, Zone.METADATA) == [
        "From: Alice Example <alice@example.mil>",
        "To: Bob Example <bob@example.mil>",
        "Cc: Carol <carol@example.mil>",
        "Date: Tue, 04 Mar 2025 05:06:07 +0000",
    ]
    assert all(b.kind == "property" for b in doc.blocks if b.loc.zone is Zone.METADATA)
    # Blank lines are not blocks but still count; the signature separator and signature are kept.
    assert body(doc) == [
        (1, "line", "CUI"),
        (3, "line", "Please find the test schedule below."),
        (5, "line", "--"),
        (6, "line", "J. Doe, DLA J6"),
        (7, "line", "CUI"),
    ]
    assert {b.variant for b in doc.blocks if b.loc.zone is Zone.BODY} == {"plain"}
    assert doc.fact("body_variant") == "plain" and doc.fact("attachments") == 0


def test_html_only_email_keeps_line_breaks_and_drops_script(tmp_path):
    msg = EmailMessage()
    msg["Subject"] = "Weekly"
    msg["From"] = "a@example.mil"
    msg.set_content(
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>CUI</p><p>First line<br>second   line</p>"
        "<script>var secret = 'not text';</script>"
        "<div>Table: <table><tr><td>cell A</td><td>cell B</td></tr></table></div>"
        "<blockquote><p>CUI//SP-PRVCY</p><p>old message</p></blockquote>"
        "<p>CUI</p></body></html>",
        subtype="html",
    )
    [doc] = extract(write(tmp_path, "h.eml", msg))

    assert body(doc) == [
        (1, "line", "CUI"),
        (2, "line", "First line"),
        (3, "line", "second line"),
        (4, "line", "Table:"),
        (5, "line", "cell A"),
        (6, "line", "cell B"),
        (7, "quote", "CUI//SP-PRVCY"),
        (8, "quote", "old message"),
        (9, "line", "CUI"),
    ]
    assert {b.variant for b in doc.blocks if b.loc.zone is Zone.BODY} == {"html"}
    assert "secret" not in all_text(doc) and "color" not in all_text(doc)


def test_quoted_reply_lines_at_any_depth(tmp_path):
    text = ("No banner here\n"
            "On Monday Bob wrote:\n"
            "> CUI//SP-PRVCY\n"
            ">> nested quote\n"
            "> > spaced nested\n"
            "  not > a quote\n")
    [doc] = extract(write(tmp_path, "r.eml", plain_message(text, subject="RE: schedule")))

    assert body(doc) == [
        (1, "line", "No banner here"),
        (2, "line", "On Monday Bob wrote:"),
        (3, "quote", "CUI//SP-PRVCY"),
        (4, "quote", "nested quote"),
        (5, "quote", "spaced nested"),
        (6, "line", "not > a quote"),
    ]


def test_alternative_body_prefers_plain_and_does_not_repeat_html(tmp_path):
    msg = plain_message("CUI\nplain body\nCUI")
    msg.add_alternative("<p>CUI</p><p>html body</p><p>CUI</p>", subtype="html")
    docs = extract(write(tmp_path, "alt.eml", msg))

    assert len(docs) == 1
    assert [t for _, _, t in body(docs[0])] == ["CUI", "plain body", "CUI"]


def test_docx_inside_zip_attachment_comes_back_as_nested_members(tmp_path):
    report = docx_bytes("CUI", "Propulsion test report: thrust 1200 N", "CUI")
    msg = plain_message("CUI\nTransmittal. When the attachment is removed, this email is "
                        "Uncontrolled Unclassified Information.\nCUI")
    msg.add_attachment(zip_bytes({"report.docx": report}), maintype="application",
                       subtype="zip", filename="x.zip")
    docs = by_member(extract(write(tmp_path, "t.eml", msg)))

    assert set(docs) == {None, "x.zip", "x.zip/report.docx"}
    assert docs[None].ftype == "eml" and docs[None].fact("attachments") == 1
    assert docs["x.zip"].ftype == "zip"
    nested = docs["x.zip/report.docx"]
    assert nested.ftype == "docx" and nested.problems == ()
    assert "Propulsion test report: thrust 1200 N" in all_text(nested)
    assert all(b.loc.member == "x.zip/report.docx" for b in nested.blocks)


def test_forwarded_message_becomes_eml_member_with_its_own_attachment(tmp_path):
    inner = plain_message("CUI//SP-PRVCY\nJ. Doe personnel record\nCUI//SP-PRVCY",
                          subject="Personnel record")
    inner.add_attachment(b"inner attachment text\n", maintype="text", subtype="plain",
                         filename="roster.txt")
    outer = plain_message("FYI, see below.")
    outer.add_attachment(inner)  # message/rfc822
    docs = by_member(extract(write(tmp_path, "fwd.eml", outer)))

    assert set(docs) == {None, "Personnel record.eml", "Personnel record.eml/roster.txt"}
    forwarded = docs["Personnel record.eml"]
    assert forwarded.ftype == "eml"
    assert zone_texts(forwarded, Zone.SUBJECT) == ["Personnel record"]
    assert body(forwarded) == [(1, "line", "CUI//SP-PRVCY"), (2, "line", "J. Doe personnel record"),
                               (3, "line", "CUI//SP-PRVCY")]
    assert "inner attachment text" in all_text(docs["Personnel record.eml/roster.txt"])


def test_rfc2047_subject_and_attachment_name_are_decoded(tmp_path):
    raw = (b"From: =?utf-8?q?J=C3=BCrgen?= <j@example.mil>\r\n"
           b"To: b@example.mil\r\n"
           b"Subject: =?utf-8?B?Q1VJIOKAkyBQcsO8ZnBsYW4=?=\r\n"
           b"MIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=\"BB\"\r\n\r\n"
           b"--BB\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCUI\r\n"
           b"--BB\r\nContent-Type: text/plain; name=\"=?utf-8?q?Pr=C3=BCfung.txt?=\"\r\n"
           b"Content-Disposition: attachment; filename=\"=?utf-8?q?Pr=C3=BCfung.txt?=\"\r\n\r\n"
           b"attached words\r\n--BB--\r\n")
    docs = by_member(extract(write(tmp_path, "enc.eml", raw)))

    assert zone_texts(docs[None], Zone.SUBJECT) == ["CUI \u2013 Pr\u00fcfplan"]
    assert "From: J\u00fcrgen <j@example.mil>" in zone_texts(docs[None], Zone.METADATA)
    assert set(docs) == {None, "Pr\u00fcfung.txt"}
    assert "attached words" in all_text(docs["Pr\u00fcfung.txt"])


def test_malformed_mime_does_not_crash(tmp_path):
    raw = (b"Subject: broken\r\nFrom: <<<not an address\r\nTo: @@@,,;\r\n"
           b"Content-Type: multipart/mixed; boundary=\"never-closed\"\r\n\r\n"
           b"--never-closed\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\nQ1VJCmJvZHkgd2l0aCBiYWQgYmFzZTY0!!!\r\n"
           b"--never-closed\r\nContent-Type: application/pdf\r\n"
           b"Content-Disposition: attachment; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 truncated")
    # ftype given: the raw "%PDF" in the first KB makes the content sniffer call this file a pdf.
    docs = by_member(extract(write(tmp_path, "bad.eml", raw), ftype="eml"))

    top = docs[None]
    assert zone_texts(top, Zone.SUBJECT) == ["broken"]
    assert [t for _, _, t in body(top)][0] == "CUI"
    assert "a.pdf" in docs  # the broken pdf is its own document with its own problem
    assert docs["a.pdf"].problems and docs["a.pdf"].problems[0].reason == "corrupt"


def test_unparseable_and_empty_files_are_corrupt(tmp_path):
    garbage = bytes(range(256)) * 8
    for name, data in (("garbage.eml", garbage), ("empty.eml", b"")):
        [doc] = extract(write(tmp_path, name, data), ftype="eml")
        assert doc.blocks == ()
        assert [p.reason for p in doc.problems] == ["corrupt"], name


def test_body_in_odd_charset_decodes_with_replacement(tmp_path):
    raw = (b"Subject: odd\r\nFrom: a@example.mil\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           b"CUI\r\ncaf\xe9 \xff\xfe end\r\n")
    [doc] = extract(write(tmp_path, "odd.eml", raw))
    lines = body(doc)
    assert lines[0] == (1, "line", "CUI")
    assert lines[1][0] == 2 and lines[1][2].startswith("caf\ufffd") and lines[1][2].endswith("end")

    koi8 = (b"Subject: koi\r\nFrom: a@example.mil\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n"
            + "CUI\r\nПривет\r\n".encode("koi8-r"))
    [doc] = extract(write(tmp_path, "koi.eml", koi8))
    assert [t for _, _, t in body(doc)] == ["CUI", "Привет"]


def test_smime_encrypted_message_is_reported_with_headers_kept(tmp_path):
    raw = (b"Subject: Encrypted\r\nFrom: a@example.mil\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n")
    [doc] = extract(write(tmp_path, "enc.eml", raw))
    assert [p.reason for p in doc.problems] == ["encrypted"]
    assert zone_texts(doc, Zone.SUBJECT) == ["Encrypted"]


def test_attachments_named_alike_stay_distinct_and_inline_logos_are_skipped(tmp_path):
    msg = plain_message("see attached")
    msg.add_attachment(b"first\n", maintype="text", subtype="plain", filename="notes.txt")
    msg.add_attachment(b"second\n", maintype="text", subtype="plain", filename="notes.txt")
    msg.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\0" * 32, maintype="image", subtype="png",
                       disposition="inline")  # nameless inline image: nothing to read
    docs = by_member(extract(write(tmp_path, "dup.eml", msg)))

    assert set(docs) == {None, "notes.txt", "notes (2).txt"}
    assert "first" in all_text(docs["notes.txt"]) and "second" in all_text(docs["notes (2).txt"])


def test_signature_part_is_not_a_member(tmp_path):
    msg = plain_message("CUI\nsigned body\nCUI")
    msg.make_mixed()
    msg.add_attachment(b"0\x82\x01\x00", maintype="application", subtype="pkcs7-signature",
                       filename="smime.p7s")
    docs = extract(write(tmp_path, "signed.eml", msg.as_bytes(policy=SMTP)))
    assert [d.member for d in docs] == [None]
    assert [t for _, _, t in body(docs[0])] == ["CUI", "signed body", "CUI"]


def test_bounce_report_keeps_the_returned_message_and_drops_the_status_part(tmp_path):
    raw = (b"Subject: Undeliverable: plan\r\nFrom: MAILER-DAEMON@example.mil\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n"
           b"--R\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
           b"--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.mil\r\n\r\n"
           b"Final-Recipient: rfc822; bob@example.mil\r\nAction: failed\r\n"
           b"--R\r\nContent-Type: message/rfc822\r\n\r\nSubject: plan\r\nFrom: a@example.mil\r\n\r\nCUI\r\n"
           b"--R--\r\n")
    docs = by_member(extract(write(tmp_path, "bounce.eml", raw)))
    assert set(docs) == {None, "plan.eml"}
    assert [t for _, _, t in body(docs[None])] == ["Delivery failed."]
    assert [t for _, _, t in body(docs["plan.eml"])] == ["CUI"]


def test_html_body_without_charset_parameter_uses_its_meta_charset(tmp_path):
    html = '<html><head><meta charset="windows-1252"></head><body><p>R\u00e9sum\u00e9 \u201cCUI\u201d</p></body></html>'
    raw = (b"Subject: meta\r\nFrom: a@example.mil\r\nContent-Type: text/html\r\n\r\n" + html.encode("cp1252"))
    [doc] = extract(write(tmp_path, "meta.eml", raw))
    assert body(doc) == [(1, "line", "R\u00e9sum\u00e9 \u201cCUI\u201d")]


def test_raw_8bit_subject_is_read_as_utf8(tmp_path):
    raw = "Subject: Pr\u00fcfplan CUI\r\nFrom: a@example.mil\r\n\r\nbody\r\n".encode("utf-8")
    [doc] = extract(write(tmp_path, "8bit.eml", raw))
    assert zone_texts(doc, Zone.SUBJECT) == ["Pr\u00fcfplan CUI"]
