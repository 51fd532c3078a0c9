"""Zip archives for the archive extractor tests, including hostile ones no tool writes on purpose."""
from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

import docx
from fpdf import FPDF

MIB = 1024 * 1024


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)  # ZipInfo keeps names writestr would normalise ("/abs" -> "abs")
            info.compress_type = compression
            archive.writestr(info, data)
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(*lines: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def nested_chain(levels: int, leaf: bytes = b"CUI at the bottom\n") -> bytes:
    """l1.zip holds l2.zip holds ... l<levels>.zip holds leaf.txt; returns the outermost archive."""
    data = zip_bytes({"leaf.txt": leaf})
    for level in range(levels, 1, -1):
        data = zip_bytes({f"l{level}.zip": data})
    return data


def incompressible(size: int) -> bytes:
    return os.urandom(size)


def mark_encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag bit on every entry, as a ZipCrypto/AES archive has it."""
    out = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (pos := out.find(signature, start)) >= 0:
            flags = struct.unpack_from("<H", out, pos + flag_offset)[0]
            struct.pack_into("<H", out, pos + flag_offset, flags | 0x1)
            start = pos + 4
    return bytes(out)


def zero_bomb(megabytes: int = 1024, name: str = "zeros.bin") -> bytes:
    """One member of `megabytes` MiB of zeros, deflated to about a thousandth of that.

    Deflating a gigabyte takes seconds; instead one MiB is deflated once and its block repeated:
    after a full flush deflate starts afresh, so every further MiB of zeros gives the same bytes.
    """
    zeros = b"\0" * MIB
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    assert comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH) == block
    stream = first + block * (megabytes - 1) + comp.flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    return _single_member_zip(name, stream, crc, megabytes * MIB)


def _single_member_zip(name: str, deflated: bytes, crc: int, size: int) -> bytes:
    encoded = name.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(deflated), size,
                        len(encoded), 0) + encoded
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(deflated),
                          size, len(encoded), 0, 0, 0, 0, 0, 0) + encoded
    directory_offset = len(local) + len(deflated)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), directory_offset, 0)
    return local + deflated + central + end
