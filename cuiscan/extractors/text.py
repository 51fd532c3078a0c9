"""Plain-text family: txt, md, csv, log, xml (one block per line), html (one block per element), rtf.

Line-based types are read as a stream and decoded incrementally, so a multi-gigabyte log costs one
chunk of memory; reading stops after `limits.max_text` characters with a "limit" problem (the text
read so far is still checked) instead of failing the whole file. `line` is always the 1-based line
of the source file, blank lines included, so a finding points at the line an editor shows.

The html helpers (`html_lines`, `parse_html`) are shared with the email extractors.
"""
from __future__ import annotations

import codecs
import re
from typing import BinaryIO, Iterator

from cuiscan.errors import CorruptError, LimitExceeded
from cuiscan.extractors.base import DocContext, Source
from cuiscan.records import Zone

__all__ = ["decode_bytes", "decode_html", "detect_encoding", "extract_html", "extract_rtf", "extract_text",
           "html_lines", "parse_html", "rtf_plain_text", "split_lines"]

_CHUNK = 1 << 20
_NEWLINE = re.compile(r"\r\n|\r|\n")
# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer labels short Western text as cp775/cp1250/cp1006 (measured on one-line cp1252
# samples), which garbles exactly the words we look for. Its guess is taken only where it adds what
# cp1252 cannot: multi-byte encodings and single-byte code pages of non-Latin scripts.
_TRUSTED_GUESSES = {
    "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be",
    "cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004", "iso2022_jp",
    "euc_kr", "cp949", "iso2022_kr", "johab", "gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs",
    "cp950", "cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp866", "cp855",
    "cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6", "cp874", "tis_620",
}
# Markup carries more bytes than text: html/rtf input is read up to this many bytes per text char.
_MARKUP_BYTES_PER_CHAR = 4
_RTF_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_RTF_HEADER_FOOTER = re.compile(r"\{\\(header|footer)([lrf]?)(?![a-z])")
_RTF_VARIANT = {"": "default", "r": "default", "l": "even", "f": "first"}
_HTML_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


def detect_encoding(head: bytes, final: bool = True) -> str:
    """Encoding of text whose first bytes are `head`: BOM, else UTF-8, else a trusted guess, else cp1252."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # costly import, only for non-UTF-8 text

    guess = from_bytes(head[: 256 * 1024]).best()
    if guess is not None and guess.encoding in _TRUSTED_GUESSES:
        return guess.encoding
    return "cp1252"


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode a whole byte string: the declared charset when Python knows it, else detection."""
    encoding = _known_codec(declared) if declared else None
    if encoding is None or encoding in ("ascii", "us-ascii"):
        encoding = detect_encoding(data)
    return data.decode(encoding, errors="replace")


def split_lines(text: str) -> list[str]:
    """Split on CR, LF and CRLF only (str.splitlines also splits on form feeds and U+2028)."""
    return _NEWLINE.split(text)


def extract_text(src: Source, ctx: DocContext) -> None:
    """txt md csv log xml: one block per non-empty line; xml keeps character data and comment text."""
    markup = XmlTextFilter() if ctx.ftype == "xml" else None
    with src.open() as fh:
        for number, line in enumerate(_read_lines(fh, ctx), 1):
            if markup is not None:
                line = markup.feed(line)
            ctx.add(line.strip(), Zone.BODY, line=number, kind="line")
    ctx.pages = None


def extract_html(src: Source, ctx: DocContext) -> None:
    """<title> -> TITLE; body text one block per block-level element or <br> line, numbered in order."""
    data, cut = _read_capped(src, ctx, "html")
    soup = parse_html(decode_html(data))
    title = soup.find("title")
    blocks: list[tuple[str, Zone, dict]] = []
    if title is not None:
        blocks.append((" ".join(title.get_text(" ").split()), Zone.TITLE, {"kind": "heading"}))
    for number, (text, quoted) in enumerate(html_lines(soup.body or soup), 1):
        blocks.append((text, Zone.BODY, {"line": number, "kind": "quote" if quoted else "line"}))
    _add_within_limit(ctx, blocks, cut)


def extract_rtf(src: Source, ctx: DocContext) -> None:
    """Body lines via striprtf; {\\header..}/{\\footer..} groups (which striprtf drops) as HEADER/FOOTER."""
    from striprtf.striprtf import rtf_to_text

    data, cut = _read_capped(src, ctx, "rtf")
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise CorruptError("not an RTF file: it does not start with {\\rtf")
    encoding = _rtf_encoding(data)
    raw = data.decode("latin-1")  # RTF is 7-bit; stray 8-bit bytes map 1:1 and \'hh escapes carry the text
    blocks: list[tuple[str, Zone, dict]] = []
    for kind, variant, group in _rtf_header_footer_groups(raw):
        zone = Zone.HEADER if kind == "header" else Zone.FOOTER
        for line in split_lines(rtf_to_text(group, encoding=encoding, errors="replace")):
            blocks.append((line.strip(), zone, {"variant": variant, "kind": "line"}))
    for number, line in enumerate(split_lines(rtf_plain_text(data)), 1):
        blocks.append((line.strip(), Zone.BODY, {"line": number, "kind": "line"}))
    _add_within_limit(ctx, blocks, cut)


def _add_within_limit(ctx: DocContext, blocks: list[tuple[str, Zone, dict]], cut: str | None) -> None:
    """Add blocks until max_text; past it, keep what fits and report one "limit" problem."""
    try:
        for text, zone, where in blocks:
            ctx.add(text, zone, **where)
    except LimitExceeded:
        ctx.problem("limit", f"only the first {ctx.limits.max_text} characters were read")
        return
    if cut:
        ctx.problem("limit", cut)


def rtf_plain_text(data: bytes) -> str:
    """Body text of an RTF document (striprtf; header/footer groups are not part of it)."""
    from striprtf.striprtf import rtf_to_text

    return rtf_to_text(data.decode("latin-1"), encoding=_rtf_encoding(data), errors="replace")


# --- reading -------------------------------------------------------------------------------------

def _read_lines(fh: BinaryIO, ctx: DocContext) -> Iterator[str]:
    """Decoded lines of a stream, stopping (with a "limit" problem) after max_text characters."""
    budget = ctx.limits.max_text
    buffer = ""
    for chunk in _decoded_chunks(fh):
        if len(chunk) > budget:
            chunk = chunk[:budget]
            budget = -1
        else:
            budget -= len(chunk)
        buffer += chunk
        held_cr = buffer.endswith("\r")  # may be the first half of a CRLF split across chunks
        if held_cr:
            buffer = buffer[:-1]
        lines = _NEWLINE.split(buffer)
        buffer = lines.pop() + ("\r" if held_cr else "")
        yield from lines
        if budget < 0:
            yield buffer.rstrip("\r")
            ctx.problem("limit", f"only the first {ctx.limits.max_text} characters were read")
            return
    yield from _NEWLINE.split(buffer)


def _decoded_chunks(fh: BinaryIO) -> Iterator[str]:
    head = fh.read(_CHUNK)
    if not head:
        return
    more = fh.read(_CHUNK)
    decoder = codecs.getincrementaldecoder(detect_encoding(head, final=not more))(errors="replace")
    yield decoder.decode(head)
    while more:
        yield decoder.decode(more)
        more = fh.read(_CHUNK)
    yield decoder.decode(b"", final=True)


def _read_capped(src: Source, ctx: DocContext, what: str) -> tuple[bytes, str | None]:
    """At most max_text * 4 bytes of markup, and the note to report when the file was longer."""
    cap = ctx.limits.max_text * _MARKUP_BYTES_PER_CHAR
    with src.open() as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        return data[:cap], f"{what} larger than {cap} bytes: only the first {cap} bytes were read"
    return data, None


def decode_html(data: bytes) -> str:
    """Html bytes to text: BOM, else <meta charset>, else detection."""
    meta = _HTML_META_CHARSET.search(data[:4096])
    declared = meta.group(1).decode("ascii") if meta else None
    if declared and data[:4].startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        declared = None  # a BOM outranks the meta tag (HTML standard)
    return decode_bytes(data, declared)


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except (LookupError, ValueError):
        return None


# --- rtf -----------------------------------------------------------------------------------------

def _rtf_encoding(data: bytes) -> str:
    match = _RTF_CODEPAGE.search(data[:8192])
    codec = _known_codec(f"cp{match.group(1).decode()}") if match else None
    return codec or "cp1252"


def _rtf_header_footer_groups(raw: str) -> Iterator[tuple[str, str, str]]:
    """(header|footer, variant, the group as a standalone RTF snippet) for each header/footer group."""
    for match in _RTF_HEADER_FOOTER.finditer(raw):
        end = _rtf_group_end(raw, match.start())
        if end is None:
            continue
        inner = raw[match.end():end]
        yield match.group(1), _RTF_VARIANT[match.group(2)], "{\\rtf1 " + inner + "}"


def _rtf_group_end(raw: str, start: int) -> int | None:
    """Index of the brace closing the group that opens at `start`, skipping escaped braces."""
    depth = 0
    i = start
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


# --- markup --------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_DROPPED_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "iframe", "object"})


def parse_html(html: str):
    """BeautifulSoup tree; lxml when present (fast, and a python-docx dependency), else html.parser."""
    from bs4 import BeautifulSoup

    try:
        return BeautifulSoup(html, "lxml")
    except Exception:  # bs4.FeatureNotFound when lxml is missing
        return BeautifulSoup(html, "html.parser")


def html_lines(root) -> list[tuple[str, bool]]:
    """Visible text of an html tree as lines: (text, inside a <blockquote>).

    A line ends at every block-level element boundary and at <br>; whitespace inside a line is
    collapsed as a browser does, except in <pre>. Walks with an explicit stack: hostile nesting
    depth must not hit Python's recursion limit.
    """
    from bs4 import CData, NavigableString, Tag

    lines: list[tuple[str, bool]] = []
    buf: list[str] = []
    quote_depth = 0
    pre_depth = 0

    def flush() -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            lines.append((text, quote_depth > 0))

    exit_marker = object()
    stack: list = list(reversed(list(root.children)))
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):  # leaving a block element
            _, name = node
            flush()
            if name == "blockquote":
                quote_depth -= 1
            elif name == "pre":
                pre_depth -= 1
            continue
        if isinstance(node, NavigableString):
            if type(node) is NavigableString or isinstance(node, CData):
                if pre_depth:
                    parts = split_lines(str(node))
                    for part in parts[:-1]:
                        buf.append(part)
                        flush()
                    buf.append(parts[-1])
                else:
                    buf.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = (node.name or "").lower()
        if name in _DROPPED_TAGS:
            continue
        if name == "br":
            flush()
            continue
        if name in _BLOCK_TAGS:
            flush()
            if name == "blockquote":
                quote_depth += 1
            elif name == "pre":
                pre_depth += 1
            stack.append((exit_marker, name))
        stack.extend(reversed(list(node.children)))
    flush()
    return lines


class XmlTextFilter:
    """Removes xml markup line by line, keeping line numbers aligned with the file.

    Tags, processing instructions and the DOCTYPE (internal subset included) are dropped unread;
    CDATA content, comment text and character data are kept (an XML file is read as source: a
    marking banner often stands in a comment, `<!-- CUI -->`, as in any other source file). Only the five predefined entities and
    numeric character references are decoded: no DTD entity is ever expanded (no XXE, no entity
    bombs), because nothing here parses a DTD at all.
    """

    _REF = re.compile(r"&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});")
    _NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}

    def __init__(self) -> None:
        self._state = "text"     # text | tag | comment | pi | cdata | decl
        self._quote = ""          # open quote character inside a tag or declaration
        self._brackets = 0        # [ ] depth inside <!DOCTYPE ... [ ... ]>

    def feed(self, line: str) -> str:
        out: list[str] = []
        i, n = 0, len(line)
        while i < n:
            state = self._state
            if state == "text":
                j = line.find("<", i)
                if j < 0:
                    out.append(self._unescape(line[i:]))
                    break
                out.append(self._unescape(line[i:j]))
                out.append(" ")
                i = self._open(line, j)
            elif state in ("comment", "pi", "cdata"):
                end = {"comment": "-->", "pi": "?>", "cdata": "]]>"}[state]
                j = line.find(end, i)
                if state != "pi":   # a comment is read like a source-code comment: "<!-- CUI -->"
                    out.append(line[i:] if j < 0 else line[i:j])
                if j < 0:
                    break
                self._state = "text"
                i = j + len(end)
            else:  # tag or declaration: ends at ">" outside quotes (and brackets, for a DOCTYPE)
                i = self._skip_tag(line, i)
        return " ".join("".join(out).split())

    def _open(self, line: str, j: int) -> int:
        rest = line[j:j + 9]
        if rest.startswith("<!--"):
            self._state = "comment"
            return j + 4
        if rest.startswith("<![CDATA["):
            self._state = "cdata"
            return j + 9
        if rest.startswith("<?"):
            self._state = "pi"
            return j + 2
        self._state = "decl" if rest.startswith("<!") else "tag"
        return j + 1

    def _skip_tag(self, line: str, i: int) -> int:
        for k in range(i, len(line)):
            ch = line[k]
            if self._quote:
                if ch == self._quote:
                    self._quote = ""
            elif ch in "\"'":
                self._quote = ch
            elif ch == "[" and self._state == "decl":
                self._brackets += 1
            elif ch == "]" and self._state == "decl":
                self._brackets -= 1
            elif ch == ">" and self._brackets <= 0:
                self._state = "text"
                self._brackets = 0
                return k + 1
        return len(line)

    def _unescape(self, text: str) -> str:
        if "&" not in text:
            return text
        return self._REF.sub(self._ref, text)

    def _ref(self, match: re.Match) -> str:
        name = match.group(1)
        if name[0] != "#":
            return self._NAMED[name]
        try:
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)
