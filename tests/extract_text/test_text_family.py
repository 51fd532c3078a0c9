"""txt/md/csv/log/xml: encodings, exact line numbers, xml markup without entity expansion, limits."""
from __future__ import annotations

import time

import pytest

from cuiscan.extractors import extract_file
from cuiscan.extractors.text import detect_encoding
from cuiscan.records import Zone
from cuiscan.settings import Limits

SAMPLE = "CUI\n\nCaf\u00e9 \u201cquoted\u201d \u2013 na\u00efve r\u00e9sum\u00e9\n  indented line  \nCUI\n"
EXPECTED = [(1, "CUI"), (3, "Caf\u00e9 \u201cquoted\u201d \u2013 na\u00efve r\u00e9sum\u00e9"),
            (4, "indented line"), (5, "CUI")]


def lines(path, ftype=None, limits=None):
    [doc] = extract_file(str(path), limits, ftype=ftype)
    assert all(b.loc.zone is Zone.BODY and b.kind == "line" for b in doc.blocks)
    return doc, [(b.loc.line, b.text) for b in doc.blocks]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "cp1252"])
def test_encodings_decode_to_the_same_lines(tmp_path, encoding):
    data = SAMPLE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # the BOM, as Windows Notepad writes "UTF-16 BE"
    path = tmp_path / "note.txt"
    path.write_bytes(data)
    doc, got = lines(path, ftype="txt")
    assert got == EXPECTED
    assert doc.problems == ()


def test_short_cp1252_text_is_not_mislabelled_by_the_guesser():
    # charset-normalizer alone calls this cp1006 (Urdu) and garbles it.
    assert detect_encoding("d\u00e9j\u00e0 vu".encode("cp1252")) == "cp1252"


def test_cyrillic_code_page_is_detected():
    text = "Привет, мир. Это тестовый документ для проверки кодировки текста на русском языке.\n" * 3
    assert detect_encoding(text.encode("cp1251")) == "cp1251"


def test_crlf_cr_and_lf_line_endings_number_alike(tmp_path):
    path = tmp_path / "mixed.log"
    path.write_bytes(b"one\r\ntwo\rthree\n\r\nfive\x0cstill five")
    _, got = lines(path, ftype="log")
    assert got == [(1, "one"), (2, "two"), (3, "three"), (5, "five\x0cstill five")]


def test_crlf_split_across_read_chunks_counts_once(tmp_path):
    chunk = 1 << 20
    head = b"a" * (chunk - 1) + b"\r"  # the CR ends the first 1 MiB chunk, its LF starts the next
    path = tmp_path / "big.txt"
    path.write_bytes(head + b"\nsecond\r\nthird\n")
    _, got = lines(path, ftype="txt")
    assert [n for n, _ in got] == [1, 2, 3] and got[1:] == [(2, "second"), (3, "third")]


def test_csv_and_markdown_are_lines(tmp_path):
    (tmp_path / "t.csv").write_text("name,ssn\nJ. Doe,123-45-6789\n", encoding="utf-8")
    (tmp_path / "r.md").write_text("# CUI\n\n* item\n", encoding="utf-8")
    assert lines(tmp_path / "t.csv")[1] == [(1, "name,ssn"), (2, "J. Doe,123-45-6789")]
    assert lines(tmp_path / "r.md")[1] == [(1, "# CUI"), (3, "* item")]


def test_text_past_max_text_stops_with_a_limit_problem(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("".join(f"line {n:04d}\n" for n in range(1, 1001)), encoding="utf-8")
    doc, got = lines(path, ftype="txt", limits=Limits(max_text=100))
    assert [p.reason for p in doc.problems] == ["limit"]
    assert got[0] == (1, "line 0001")
    assert sum(len(t) for _, t in got) <= 100
    assert got[-1][0] < 12  # 10 characters a line: nothing after the first ~100 characters


def test_xml_keeps_character_data_and_comments_on_their_source_lines(tmp_path):
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n'
           '<doc classification="x>y">\n'
           '  <banner>CUI</banner>\n'
           '  <!-- a comment\n'
           '       spanning lines -->\n'
           '  <p>Fish &amp; chips &#x41;&#66; <b>bold</b></p>\n'
           '  <code><![CDATA[if (a < b) {}]]></code>\n'
           '</doc>\n')
    (tmp_path / "d.xml").write_text(xml, encoding="utf-8")
    _, got = lines(tmp_path / "d.xml")
    assert got == [(3, "CUI"), (4, "a comment"), (5, "spanning lines"), (6, "Fish & chips AB bold"),
                   (7, "if (a < b) {}")]   # comment text is kept: markings stand in comments


def test_xml_entities_are_never_expanded(tmp_path):
    bomb = ['<?xml version="1.0"?>', "<!DOCTYPE lolz [", ' <!ENTITY lol "lol">']
    bomb += [f' <!ENTITY lol{n} "' + f"&lol{n - 1};" * 10 + '">' for n in range(1, 10)]
    bomb += ['  <!ENTITY xxe SYSTEM "file:///etc/passwd">', "]>", "<lolz>&lol9; &xxe; CUI</lolz>"]
    (tmp_path / "bomb.xml").write_text("\n".join(bomb), encoding="utf-8")
    started = time.perf_counter()
    _, got = lines(tmp_path / "bomb.xml")
    assert time.perf_counter() - started < 2
    assert got == [(len(bomb), "&lol9; &xxe; CUI")]
