"""Storage format of a file's DocPrints: "DP3", the size of a zlib-compressed part (a JSON head with
members, word counts and block locations; the position arrays), then the raw hash arrays. Blobs of
earlier versions (DP1, DP2: all of it compressed) still decode. Workers encode, so the main process
only stores bytes; no pickle is ever read back from disk."""
from __future__ import annotations

import json
import struct
import zlib

import numpy as np

from cuiscan.derivatives.docprints import _HASH, DocPrint
from cuiscan.records import Location, Zone

_MAGIC = b"DP3"            # hashes stored after the compressed part, as they are
_MAGIC_V2 = b"DP2"         # everything compressed, locations by column
_MAGIC_V1 = b"DP1"         # one dict per location (inventories written before)
_FIELDS = ("zone", "page", "slide", "sheet", "line", "member", "section", "cell")
_SIZE = struct.Struct("<I")


def encode_prints(prints: tuple[DocPrint, ...]) -> bytes:
    """Head and positions compressed; the 64-bit hashes are random and would not shrink, so they
    are not put through zlib at all (that took 60% of the encoding time for nothing)."""
    head = [{"member": dp.member, "words": dp.words, "n": dp.count, "nloc": len(dp.locations),
             "columns": _columns(dp.locations)} for dp in prints]
    head_bytes = json.dumps(head, separators=(",", ":")).encode()
    packed = zlib.compress(_SIZE.pack(len(head_bytes)) + head_bytes
                           + b"".join(dp.positions + dp.location_starts for dp in prints), 1)
    return b"".join((_MAGIC, _SIZE.pack(len(packed)), packed, *(dp.hashes for dp in prints)))


def decode_prints(blob: bytes, locations: bool = True) -> tuple[DocPrint, ...]:
    """The DocPrints of an encoded blob; without `locations` (enough to match, and much faster) every
    DocPrint reports its matches at its member only."""
    magic = blob[:len(_MAGIC)]
    if magic == _MAGIC:
        (packed_size,) = _SIZE.unpack_from(blob, len(_MAGIC))
        start = len(_MAGIC) + _SIZE.size
        raw, hashes = zlib.decompress(blob[start:start + packed_size]), blob[start + packed_size:]
    elif magic in (_MAGIC_V2, _MAGIC_V1):
        raw, hashes = zlib.decompress(blob[len(_MAGIC):]), None
    else:
        raise ValueError("not an encoded DocPrint blob")
    (size,) = _SIZE.unpack_from(raw)
    head = json.loads(raw[4:4 + size])
    offset, hash_offset = 4 + size, 0
    prints = []
    for item in head:
        n = item["n"]
        nloc = item["nloc"] if magic != _MAGIC_V1 else len(item["locations"])
        if hashes is None:           # DP1, DP2: hashes, positions and starts of each print in turn
            dp_hashes = raw[offset:offset + 8 * n]
            offset += 8 * n
        else:
            dp_hashes = hashes[hash_offset:hash_offset + 8 * n]
            hash_offset += 8 * n
        positions = raw[offset:offset + 4 * n]
        starts = raw[offset + 4 * n:offset + 4 * n + 4 * nloc] if locations else b""
        offset += 4 * n + 4 * nloc
        located = _located(item, magic, nloc) if locations else ()
        prints.append(DocPrint(member=item["member"], hashes=dp_hashes, positions=positions, words=item["words"],
                               locations=located, location_starts=starts))
    return tuple(prints)


def blob_hashes(blob: bytes) -> np.ndarray:
    """Every fingerprint of an encoded blob (all members, repeats kept), without decompressing
    anything for DP3 blobs: their hashes are stored raw after the compressed part."""
    if blob[:len(_MAGIC)] == _MAGIC:
        (packed_size,) = _SIZE.unpack_from(blob, len(_MAGIC))
        return np.frombuffer(blob, dtype=_HASH, offset=len(_MAGIC) + _SIZE.size + packed_size)
    prints = decode_prints(blob, locations=False)
    return np.concatenate([dp.hash_array() for dp in prints]) if prints else np.empty(0, dtype=_HASH)


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
