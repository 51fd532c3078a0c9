"""Storage format of a file's DocPrints: a JSON head (members, word counts, block locations) and the raw
hash/position arrays, zlib-compressed. Workers encode, so the main process only stores bytes; no
pickle is ever read back from disk."""
from __future__ import annotations

import json
import struct
import zlib

from cuiscan.derivatives.fingerprint import DocPrint
from cuiscan.records import Location, Zone

_MAGIC = b"DP1"


def encode_prints(prints: tuple[DocPrint, ...]) -> bytes:
    head = [{"member": dp.member, "words": dp.words, "n": dp.count,
             "locations": [_loc_dict(loc) for loc in dp.locations]} for dp in prints]
    head_bytes = json.dumps(head, separators=(",", ":")).encode()
    body = b"".join(dp.hashes + dp.positions + dp.location_starts for dp in prints)
    return _MAGIC + zlib.compress(struct.pack("<I", len(head_bytes)) + head_bytes + body, 1)


def decode_prints(blob: bytes, locations: bool = True) -> tuple[DocPrint, ...]:
    """The DocPrints of an encoded blob; without `locations` (enough to match, and much faster) every
    DocPrint reports its matches at its member only."""
    if not blob.startswith(_MAGIC):
        raise ValueError("not an encoded DocPrint blob")
    raw = zlib.decompress(blob[len(_MAGIC):])
    (size,) = struct.unpack_from("<I", raw)
    head = json.loads(raw[4:4 + size])
    offset = 4 + size
    prints = []
    for item in head:
        n, nloc = item["n"], len(item["locations"])
        hashes = raw[offset:offset + 8 * n]
        positions = raw[offset + 8 * n:offset + 12 * n]
        starts = raw[offset + 12 * n:offset + 12 * n + 4 * nloc] if locations else b""
        offset += 12 * n + 4 * nloc
        located = tuple(_loc_from(d) for d in item["locations"]) if locations else ()
        prints.append(DocPrint(member=item["member"], hashes=hashes, positions=positions, words=item["words"],
                               locations=located, location_starts=starts))
    return tuple(prints)


def _loc_dict(loc: Location) -> dict:
    return {k: v for k, v in loc.to_dict().items() if v is not None}


def _loc_from(d: dict) -> Location:
    d = dict(d)
    return Location(zone=Zone(d.pop("zone", "body")), **d)
