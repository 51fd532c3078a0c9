"""Deterministic mutations of real files: `mutate(data, ops)` with ops as plain (kind, a, b, c) tuples.

Plain tuples so that hypothesis can generate and shrink them, atheris' custom mutator can draw them
from its seed, and a crash found either way replays from four integers in a regression test.
Byte-level ops (flip, truncate, splice, magic tokens, number tweaks) plus structure-aware ones: a
zip member rewritten (its XML mutated, bytes flipped, truncated, dropped, duplicated), zip header
fields overwritten in place (sizes, CRC, method, offsets, entry counts), and XML tree edits (delete,
duplicate, deep nesting, odd text and attributes, DOCTYPE with entities).
"""
from __future__ import annotations

import copy
import io
import re
import struct
import warnings
import zipfile
from collections.abc import Sequence

Op = tuple[str, int, int, int]

BYTE_OPS = ("flip", "set", "truncate", "delete", "duplicate", "insert", "number")
STRUCT_OPS = ("zip-member", "zip-header", "xml")
OP_KINDS = BYTE_OPS + STRUCT_OPS

TOKENS = (
    b"\x00", b"\xff\xff\xff\xff", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xfe\xff\x00", b"%PDF-1.7\n",
    b"PK\x03\x04", b"PK\x05\x06", b" 0 R", b"1 0 obj", b"endobj", b"stream\n", b"endstream", b"trailer",
    b"/Count 2147483647", b"/Kids [1 0 R]", b"<<" * 40, b"[" * 200, b"\r\n\r\n", b"\n--b\n",
    b"Content-Type: multipart/mixed; boundary=b\n", b"Content-Transfer-Encoding: base64\n",
    b"=?utf-8?b?////?=", b"{\\rtf1", b"{" * 300, b"\\u-32768?", b"\\bin99999 ", b"<" * 60,
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>", b"&b;", b"_xD800_", b"_x0000_",
    b"CUI//", b"//SP-", b"(CUI)", b"&#0;", b"&#xD800;", b"<![CDATA[", b"From x Mon Jan  1 00:00:00 2024\n",
)
NUMBERS = (b"0", b"-1", b"1", b"255", b"65535", b"2147483647", b"4294967296", b"9223372036854775807",
           b"99999999999999999999", b"1e308", b"-0", b"00000000000000000001")
TEXTS = ("", " ", "CUI", "CUI//SP-PRVCY//NOFORN", "(CUI)", "\u202e\u200b", "\U0001f600" * 50,
         "_xD800__x0001_", "A" * 5000, "\t\n" * 100, "x" * 70000)
ATTRS = ("", "-1", "0", "99999999999", "NaN", "rId999", "../../../etc/passwd", "A1:XFD1048576", "true")
DOCTYPES = ('<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
            '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            '<!DOCTYPE r SYSTEM "http://example.invalid/evil.dtd">')

# (field offset, struct format) per zip record signature
_ZIP_FIELDS = {
    b"PK\x03\x04": ((4, "<H"), (6, "<H"), (8, "<H"), (14, "<I"), (18, "<I"), (22, "<I"), (26, "<H"), (28, "<H")),
    b"PK\x01\x02": ((8, "<H"), (10, "<H"), (16, "<I"), (20, "<I"), (24, "<I"), (28, "<H"), (30, "<H"),
                    (32, "<H"), (42, "<I")),
    b"PK\x05\x06": ((8, "<H"), (10, "<H"), (12, "<I"), (16, "<I"), (20, "<H")),
}
_INTERESTING_INTS = (0, 1, 8, 12, 99, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF)


def mutate(data: bytes, ops: Sequence[Op]) -> bytes:
    for op in ops:
        data = apply_op(data, op)
    return data


def apply_op(data: bytes, op: Op) -> bytes:
    kind, a, b, c = op
    if kind in STRUCT_OPS:
        changed = {"zip-member": _zip_member, "zip-header": _zip_header, "xml": _xml}[kind](data, a, b, c)
        # Not a zip / not XML: fall back to a byte op, so that no example is wasted.
        return changed if changed is not None else apply_op(data, (BYTE_OPS[c % len(BYTE_OPS)], a, b, c))
    return _byte_op(data, kind, a, b, c)


def _byte_op(data: bytes, kind: str, a: int, b: int, c: int) -> bytes:
    n = len(data)
    if n == 0:
        return TOKENS[b % len(TOKENS)] if kind == "insert" else data
    i = a % n
    if kind == "flip":
        return data[:i] + bytes([data[i] ^ (1 << (b % 8))]) + data[i + 1:]
    if kind == "set":
        return data[:i] + bytes([b % 256]) + data[i + 1:]
    if kind == "truncate":
        return data[:i]
    if kind == "delete":
        return data[:i] + data[i + 1 + b % 64:]
    if kind == "duplicate":
        chunk = data[i:i + 1 + b % 256]
        return data[:i] + chunk * (2 + c % 8) + data[i + len(chunk):]
    if kind == "insert":
        return data[:i] + TOKENS[b % len(TOKENS)] * (1 + c % 4) + data[i:]
    if kind == "number":
        runs = list(re.finditer(rb"\d+", data))
        if not runs:
            return data
        m = runs[a % len(runs)]
        return data[:m.start()] + NUMBERS[b % len(NUMBERS)] + data[m.end():]
    raise ValueError(f"unknown op {kind!r}")


def _zip_members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if not infos or len(infos) > 500:
                return None
            return [(info, zf.read(info)) for info in infos]
    except Exception:  # a zip already broken by an earlier op: let the byte ops have it
        return None


def _zip_member(data: bytes, a: int, b: int, c: int) -> bytes | None:
    members = _zip_members(data)
    if members is None:
        return None
    k = a % len(members)
    info, body = members[k]
    action = b % 6
    if action == 0:
        body = _xml(body, c, c >> 3, c >> 6) or _byte_op(body, "flip", c, c >> 3, 0)
    elif action == 1:
        body = _byte_op(body, "flip", c, c >> 3, 0)
    elif action == 2:
        body = body[: c % (len(body) + 1)]
    members[k] = (info, body)
    if action == 3:
        del members[k]
    elif action == 4:
        members.append((info, body))
    elif action == 5:
        members[k] = (zipfile.ZipInfo(_rename(info.filename, c)), body)
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we make on purpose
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for item, content in members:
                method = zipfile.ZIP_STORED if c % 3 == 0 else zipfile.ZIP_DEFLATED
                zf.writestr(item, content, compress_type=method)
    return out.getvalue()


def _rename(name: str, c: int) -> str:
    choices = ("../" + name, "/" + name, name.upper(), name + "\x00x", "a" * 300, name.replace("/", "\\"),
               "[Content_Types].xml", "word/document.xml", "xl/workbook.xml", "ppt/presentation.xml")
    return choices[c % len(choices)]


def _zip_header(data: bytes, a: int, b: int, c: int) -> bytes | None:
    spots = sorted((m.start(), sig) for sig in _ZIP_FIELDS for m in re.finditer(re.escape(sig), data))
    if not spots:
        return None
    start, sig = spots[a % len(spots)]
    offset, fmt = _ZIP_FIELDS[sig][b % len(_ZIP_FIELDS[sig])]
    pos = start + offset
    width = struct.calcsize(fmt)
    if pos + width > len(data):
        return None
    value = _INTERESTING_INTS[c % len(_INTERESTING_INTS)] & (0xFFFF if width == 2 else 0xFFFFFFFF)
    return data[:pos] + struct.pack(fmt, value) + data[pos + width:]


def _xml(data: bytes, a: int, b: int, c: int) -> bytes | None:
    from lxml import etree

    if data.lstrip()[:1] != b"<":
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except Exception:  # not XML (yet): the byte ops take over
        return None
    elements = list(root.iter())
    el = elements[a % len(elements)]
    action = c % 8
    if action == 0 and el is not root:
        el.getparent().remove(el)
    elif action == 1 and el is not root:
        parent = el.getparent()
        index = parent.index(el)
        for _ in range(2 + b % 60):
            parent.insert(index, copy.deepcopy(el))
    elif action == 2:
        nested = copy.deepcopy(el)
        for _ in range(20 + b % 400):
            wrapper = etree.Element(el.tag if isinstance(el.tag, str) else "x")
            wrapper.append(nested)
            nested = wrapper
        if el is root:
            root = nested
        else:
            el.getparent().replace(el, nested)
    elif action == 3:
        el.text = TEXTS[b % len(TEXTS)]
    elif action == 4 and el.attrib:
        keys = list(el.attrib)
        el.set(keys[b % len(keys)], ATTRS[b % len(ATTRS)])
    elif action == 5:
        body = etree.tostring(root)
        if b % 2:
            body = body.replace(b">", b">&c;&x;", 1)
        return b'<?xml version="1.0"?>' + DOCTYPES[b % len(DOCTYPES)].encode() + body
    elif action == 6:
        el.tail = (el.tail or "") + "_xD83D__x0000_\u2028"
    elif action == 7 and isinstance(el.tag, str):
        el.tag = ("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t", "x", el.tag + "x")[b % 3]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- detection rule packs (YAML) -------------------------------------------------------------------

YAML_OPS = ("yaml-set", "yaml-del", "yaml-text")
YAML_VALUES = (None, -1, 0, 2.5, float("inf"), 10 ** 30, True, "", "x", "(?P<v>", "[", "((a+)+)+$", "2024-01-01",
               [], {}, [[1, 2]], [{"LOWER": 5}], [{"OP": "+"}], {"a": {"b": None}}, ["x", None, 3], "CTI",
               "EXPT-999", "signal", "dampen", "pattern", "phrase", "token", {"words": None})
_ALIAS_BOMB = ("\nbomb: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" for i in range(1, 8)))


def mutate_yaml(text: str, ops: Sequence[Op]) -> str:
    """Structure-aware edits of a rule pack (a value replaced or deleted anywhere in the tree),
    or byte ops on its text; YAML that no longer parses stays as text for the loader to reject."""
    for kind, a, b, c in ops:
        if kind in ("yaml-set", "yaml-del"):
            text = _yaml_edit(text, kind, a, b)
        elif kind == "yaml-text" and b % 5 == 0:
            text += _ALIAS_BOMB
        else:
            raw = _byte_op(text.encode("utf-8", "surrogatepass"), BYTE_OPS[c % len(BYTE_OPS)], a, b, c)
            text = raw.decode("utf-8", "replace")
    return text


def _yaml_edit(text: str, kind: str, a: int, b: int) -> str:
    import yaml

    fast_load = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml: the mutator must not be the slow part
    fast_dump = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    try:
        tree = yaml.load(text, Loader=fast_load)
    except yaml.YAMLError:
        return text
    slots = []

    def walk(node, depth=0):
        if depth > 12:
            return
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            slots.append((node, key))
            walk(value, depth + 1)

    walk(tree)
    if not slots:
        return yaml.dump(YAML_VALUES[b % len(YAML_VALUES)], Dumper=fast_dump)
    node, key = slots[a % len(slots)]
    if kind == "yaml-del":
        del node[key]
    else:
        node[key] = YAML_VALUES[b % len(YAML_VALUES)]
    return yaml.dump(tree, Dumper=fast_dump, sort_keys=False, allow_unicode=True)
