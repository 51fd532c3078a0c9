"""Build a corpus of hostile and broken files, one or more of every kind cuiscan must survive.

    python benchmarks/make_hostile.py OUT_DIR

Then: `cuiscan scan OUT_DIR` must complete, account for every file, and stay under 1 GB peak
memory (benchmarks/hostile_run.py measures it). Kinds: zip bombs (ratio and nested), deeply nested
archives, emails inside emails, XML entity expansion in OOXML, PDFs with self-referencing object
graphs and a huge page tree, truncated/corrupt files of every format, encrypted/looping legacy Office and OpenDocument files,
an encrypted PDF, a very large
sparse file, FIFOs, a device file, symlink loops, a long path, names with control characters and
undecodable bytes, files and folders without read permission.
"""
from __future__ import annotations

import io
import os
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

MB = 1024 * 1024


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression, compresslevel=9) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def ratio_bomb() -> bytes:
    """One member of 2 GiB of zeros, about 2 MB compressed (streamed, never held in memory)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("zeros.txt", "w", force_zip64=True) as member:
            chunk = b"\0" * MB
            for _ in range(2048):
                member.write(chunk)
    return buf.getvalue()


def nested_bomb(levels: int = 4, fan: int = 10) -> bytes:
    """42.zip-style: each level holds `fan` copies of the level below."""
    data = zip_bytes({"zeros.txt": b"\0" * MB})
    for level in range(levels):
        data = zip_bytes({f"l{level}-{i}.zip": data for i in range(fan)}, zipfile.ZIP_STORED)
    return data


def deep_zip(depth: int = 40) -> bytes:
    data = b"the innermost note\n"
    name = "note.txt"
    for i in range(depth):
        data, name = zip_bytes({name: data}), f"level{i}.zip"
    return data


def email_chain(depth: int = 30) -> bytes:
    inner = EmailMessage()
    inner["Subject"] = "innermost"
    inner.set_content("hello\n")
    for i in range(depth):
        outer = EmailMessage()
        outer["Subject"] = f"Fwd {i}"
        outer["From"] = "a@example.com"
        outer.set_content("see attached\n")
        outer.add_attachment(inner)
        inner = outer
    return bytes(inner)


def billion_laughs_docx() -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    lol = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'
                                      for i in range(1, 10)]
    doc_xml = ('<?xml version="1.0"?><!DOCTYPE w:document [' + "".join(lol) + ']>'
               '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               '<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    src = zipfile.ZipFile(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            data = doc_xml.encode() if item.filename == "word/document.xml" else src.read(item.filename)
            zf.writestr(item.filename, data)
    return out.getvalue()


def self_referencing_pdf() -> bytes:
    """A page tree whose Kids point back at itself, and an object that references itself."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources 5 0 R >>",
        b"<< /Length 5 0 R >>\nstream\nBT ET\nendstream",
        b"<< /Self 5 0 R /Font << /F1 5 0 R >> >>",
    ]
    return _pdf(objs)


def huge_page_count_pdf(count: int = 2_000_000) -> bytes:
    """A page tree that claims two million pages (it holds one)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    return _pdf(objs)


def _pdf(objs: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(612, 792)
    w.encrypt(user_password="s3cret", owner_password="owner")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def valid_docx() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("A perfectly ordinary paragraph. " * 20)
    d.save(buf)
    return buf.getvalue()


def legacy_files() -> dict[str, bytes]:
    """Broken, encrypted and looping legacy Office / OpenDocument files, from the committed seeds
    (LibreOffice-written, tests/fuzz/seeds) and the fixture helpers that lock them as Office does."""
    repo = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(repo / "tests" / "extract_legacy"))
    from lo_fixtures import doc_with_encryption_flag, ppt_with_encrypted_token, xls_with_filepass

    seeds = {name: (repo / "tests" / "fuzz" / "seeds" / name).read_bytes()
             for name in ("memo.doc", "book.xls", "deck.ppt", "memo.odt", "book.ods", "deck.odp")}
    out = {f"legacy/truncated-{name}": data[: len(data) // 2] for name, data in seeds.items()}
    out["legacy/garbage.doc"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(8192)
    out["legacy/encrypted.doc"] = doc_with_encryption_flag(seeds["memo.doc"])
    out["legacy/encrypted.xls"] = xls_with_filepass(seeds["book.xls"])
    out["legacy/encrypted.ppt"] = ppt_with_encrypted_token(seeds["deck.ppt"])
    out["legacy/piece-table-outside.doc"] = _patch_stream(seeds["memo.doc"], "WordDocument", _doc_clx_outside)
    out["legacy/edit-loop.ppt"] = _patch_stream(seeds["deck.ppt"], "PowerPoint Document", _ppt_edit_loop,
                                                user=seeds["deck.ppt"])
    with zipfile.ZipFile(io.BytesIO(seeds["memo.odt"])) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["content.xml"] = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
                              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                              b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
                              b'<office:body><office:text>&c;</office:text></office:body></office:document-content>')
    out["legacy/billion-laughs.odt"] = zip_bytes(members, zipfile.ZIP_STORED)
    return out


def _patch_stream(data: bytes, stream: str, patch, user: bytes | None = None) -> bytes:
    import olefile

    ole = olefile.OleFileIO(data)
    body = bytearray(ole.openstream(stream).read())
    extra = ole.openstream("Current User").read() if user is not None else None
    patch(body, extra)
    buf = io.BytesIO(data)
    with olefile.OleFileIO(buf, write_mode=True) as rw:
        rw.write_stream(stream, bytes(body))
    return buf.getvalue()


def _doc_clx_outside(word: bytearray, _user) -> None:
    """Point the piece table (fcClx, FibRgFcLcb97 pair 33) past the end of the table stream."""
    import struct

    csw = struct.unpack_from("<H", word, 0x20)[0]
    pos = 0x22 + 2 * csw
    cslw = struct.unpack_from("<H", word, pos)[0]
    pos += 2 + 4 * cslw + 2
    struct.pack_into("<I", word, pos + 8 * 33, 0x7FFFFFF0)


def _ppt_edit_loop(stream: bytearray, user: bytes) -> None:
    """Make the last UserEditAtom name itself as the previous edit: a loop the reader must stop."""
    import struct

    edit = struct.unpack_from("<I", user, 16)[0]
    struct.pack_into("<I", stream, edit + 16, edit)


def build(out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    made: list[str] = []

    def put(rel: str, data: bytes) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made.append(rel)

    put("bombs/ratio-bomb.zip", ratio_bomb())
    put("bombs/nested-bomb.zip", nested_bomb())
    put("bombs/deep-nesting.zip", deep_zip())
    put("bombs/email-chain.eml", email_chain())
    put("xml/billion-laughs.docx", billion_laughs_docx())
    put("pdf/self-reference.pdf", self_referencing_pdf())
    put("pdf/huge-page-count.pdf", huge_page_count_pdf())
    put("pdf/encrypted.pdf", encrypted_pdf())
    good = valid_docx()
    put("broken/truncated.docx", good[: len(good) // 2])
    put("broken/garbage.pdf", b"%PDF-1.7\n" + os.urandom(4096))
    put("broken/garbage.xlsx", b"PK\x03\x04" + os.urandom(2048))
    put("broken/garbage.pptx", zip_bytes({"ppt/presentation.xml": b"<not xml"}))
    put("broken/empty.docx", b"")
    put("broken/binary.dat", os.urandom(8192))
    for rel, data in legacy_files().items():
        put(rel, data)
    put("broken/bad-mime.eml", b"Subject: x\nContent-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\nbroken")
    put("names/" + "deep/" * 40 + "long-path-" + "x" * 200 + ".txt", b"deep file\n")
    put("names/bell\x07and\ttab.txt", b"control characters in the name\n")
    os.makedirs(out / "names", exist_ok=True)
    with open(os.path.join(os.fsencode(out / "names"), b"latin1-\xe9\xff.txt"), "wb") as fh:
        fh.write(b"undecodable file name\n")
    made.append("names/latin1-??.txt")
    sparse = out / "large" / "sparse-3GB.bin"
    sparse.parent.mkdir(parents=True, exist_ok=True)
    with open(sparse, "wb") as fh:
        fh.truncate(3 * 1024 * MB)
    made.append("large/sparse-3GB.bin")
    special = out / "special"
    special.mkdir(exist_ok=True)
    _try(lambda: os.mkfifo(special / "fifo"), made, "special/fifo")
    _try(lambda: os.mknod(special / "zero-device", 0o600 | 0o020000, os.makedev(1, 5)), made, "special/zero-device")
    _try(lambda: os.symlink("loop-b", special / "loop-a"), made, "special/loop-a")
    _try(lambda: os.symlink("loop-a", special / "loop-b"), made, "special/loop-b")
    _try(lambda: os.symlink("..", special / "parent-loop"), made, "special/parent-loop")
    locked = out / "locked"
    locked.mkdir(exist_ok=True)
    (locked / "secret.txt").write_text("no read permission\n")
    os.chmod(locked / "secret.txt", 0)
    closed = out / "closed-folder"
    closed.mkdir(exist_ok=True)
    (closed / "inside.txt").write_text("folder without permission\n")
    os.chmod(closed, 0)
    made += ["locked/secret.txt", "closed-folder/"]
    return made


def _try(fn, made: list[str], rel: str) -> None:
    try:
        fn()
        made.append(rel)
    except (OSError, PermissionError) as exc:
        print(f"note: could not create {rel}: {exc}", file=sys.stderr)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    items = build(target)
    print(f"hostile corpus: {len(items)} entries in {target}")
