"""Hostile input: the extractors themselves may only raise ExtractionError (the dispatcher's catch-all
would hide any other crash, so these tests call the extractor functions directly)."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msg_builder import MsgSpec, build_msg

from cuiscan.errors import ExtractionError
from cuiscan.extractors.base import Budget, DocContext, Source
from cuiscan.extractors.email import extract_eml, extract_mbox
from cuiscan.extractors.email_msg import extract_msg
from cuiscan.settings import Limits

FRAGMENTS = [
    b"Subject: =?utf-8?B?broken", b"Subject: =?x-unknown?q?a=ZZ?=", b"From: <<<@>>>", b"To: ,,;;\"",
    b"Content-Type: multipart/mixed; boundary=b", b"Content-Type: multipart/alternative; boundary=\"b\"",
    b"Content-Type: message/rfc822", b"Content-Type: text/html; charset=nope",
    b"Content-Type: text/plain; charset=utf-16", b"Content-Transfer-Encoding: base64",
    b"Content-Transfer-Encoding: quoted-printable", b"Content-Disposition: attachment; filename*=bad''%ZZ",
    b"--b", b"--b--", b"", b"<p>CUI</p><blockquote>", b"> quoted", b"=E9=\r", b"Q1VJ!!==", b"From x",
    b"\xff\xfe\x00", b"Content-Type: application/pkcs7-mime", b"Content-Type: multipart/encrypted",
]
RELAXED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(extractor, data: bytes, name: str, ftype: str) -> DocContext:
    ctx = DocContext(ftype=ftype, member=None, depth=0, budget=Budget(Limits()))
    try:
        extractor(Source(name=name, data=data), ctx)
    except ExtractionError:
        pass
    return ctx


@RELAXED
@given(st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=40), max_size=30))
def test_eml_and_mbox_survive_mime_soup(parts):
    data = b"\r\n".join(parts)
    run(extract_eml, data, "x.eml", "eml")
    run(extract_mbox, b"From a@b Mon Jan  1 00:00:00 2024\n" + data, "x.mbox", "mbox")


_VALID_MSG = build_msg(MsgSpec(subject="S", body="CUI\r\nbody", sender="a", to=[("b", "b@x")],
                               sent=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc),
                               attachments=[("a.txt", b"attached")], embedded=[MsgSpec(subject="inner", body="x")]))


@RELAXED
@given(st.lists(st.tuples(st.integers(512, len(_VALID_MSG) - 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_msg_survives_damaged_compound_files(flips):
    data = bytearray(_VALID_MSG)
    for offset, value in flips:
        data[offset] = value
    run(extract_msg, bytes(data), "x.msg", "msg")
