"""Storage format of a file's DocPrints: a JSON head (members, word counts, block locations) and the raw
hash/position arrays, zlib-compressed. Workers encode, so the main process only stores bytes; no
pickle is ever read back from disk."""
from __future__ import annotations

import json
import struct
import zlib

from cuiscan.derivatives.fingerprint import DocPrint
from cuiscan.records import Location, Zone

_MAGIC = b"DP2"            # locations stored by column
_MAGIC_V1 = b"DP1"         # one dict per location (inventories written before)
_FIELDS = ("zone", "page", "slide", "sheet", "line", "member", "section", "cell")


def encode_prints(prints: tuple[DocPrint, ...]) -> bytes:
    head = [{"member": dp.member, "words": dp.words, "n": dp.count, "nloc": len(dp.locations),
             "columns": _columns(dp.locations)} for dp in prints]
    head_bytes = json.dumps(head, separators=(",", ":")).encode()
    body = b"".join(dp.hashes + dp.positions + dp.location_starts for dp in prints)
    return _MAGIC + zlib.compress(struct.pack("<I", len(head_bytes)) + head_bytes + body, 1)


def decode_prints(blob: bytes, locations: bool = True) -> tuple[DocPrint, ...]:
    """The DocPrints of an encoded blob; without `locations` (enough to match, and much faster) every
    DocPrint reports its matches at its member only."""
    magic = blob[:len(_MAGIC)]
    if magic not in (_MAGIC, _MAGIC_V1):
        raise ValueError("not an encoded DocPrint blob")
    raw = zlib.decompress(blob[len(_MAGIC):])
    (size,) = struct.unpack_from("<I", raw)
    head = json.loads(raw[4:4 + size])
    offset = 4 + size
    prints = []
    for item in head:
        n = item["n"]
        nloc = item["nloc"] if magic == _MAGIC else len(item["locations"])
        hashes = raw[offset:offset + 8 * n]
        positions = raw[offset + 8 * n:offset + 12 * n]
        starts = raw[offset + 12 * n:offset + 12 * n + 4 * nloc] if locations else b""
        offset += 12 * n + 4 * nloc
        located = _located(item, magic, nloc) if locations else ()
        prints.append(DocPrint(member=item["member"], hashes=hashes, positions=positions, words=item["words"],
                               locations=located, location_starts=starts))
    return tuple(prints)


def _columns(locations: tuple[Location, ...]) -> dict[str, list]:
    """Each Location field as a list, fields that are None throughout left out: a spreadsheet has a
    location per row, and lists of plain values encode many times faster than a dict per row."""
    out = {"zone": [loc.zone.value for loc in locations]}
    for name in _FIELDS[1:]:
        values = [getattr(loc, name) for loc in locations]
        if any(v is not None for v in values):
            out[name] = values
    return out


def _located(item: dict, magic: bytes, nloc: int) -> tuple[Location, ...]:
    if magic == _MAGIC_V1:
        return tuple(_loc_from(d) for d in item["locations"])
    columns = item["columns"]
    absent = [None] * nloc
    return tuple(Location(Zone(zone), *rest) for zone, *rest in
                 zip(columns["zone"], *(columns.get(name, absent) for name in _FIELDS[1:])))


def _loc_from(d: dict) -> Location:
    d = dict(d)
    return Location(zone=Zone(d.pop("zone", "body")), **d)
