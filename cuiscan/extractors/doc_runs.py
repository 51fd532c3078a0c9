"""Character formatting of a .doc that the marking checks need: hidden and struck-through text.

The CHPX FKPs ([MS-DOC] 2.9.44: 512-byte pages listed by the PlcBteChpx) give, for runs of stream
positions, the sprms that differ from the paragraph style. Hidden (sprmCFVanish) and strike
(sprmCFStrike, sprmCFDStrike) set there are read; the same properties set by a style are not.
"""
from __future__ import annotations

import struct
from bisect import bisect_right

HIDDEN, STRUCK = 1, 2
_PLCF_BTE_CHPX = 12
_SPRM_VANISH, _SPRM_STRIKE, _SPRM_DSTRIKE = 0x083C, 0x0837, 0x2A53
_MAX_RUNS = 2_000_000


def sprms(grpprl: bytes):
    """(sprm, operand offset) of each property modifier in a grpprl ([MS-DOC] 2.2.5.1 spra sizes)."""
    pos = 0
    while pos + 2 <= len(grpprl):
        sprm, = struct.unpack_from("<H", grpprl, pos)
        pos += 2
        yield sprm, pos
        spra = sprm >> 13
        if spra in (0, 1):
            pos += 1
        elif spra in (2, 4, 5):
            pos += 2
        elif spra == 3:
            pos += 4
        elif spra == 7:
            pos += 3
        else:   # variable length: the first byte says how many follow
            pos += 1 + (grpprl[pos] if pos < len(grpprl) else 0)


class CharRuns:
    """Stream position -> HIDDEN/STRUCK flags, from the CHPX pages."""

    def __init__(self, word: bytes, table: bytes, fc: int, lcb: int):
        runs: list[tuple[int, int, int]] = []
        count = (lcb - 4) // 8 if lcb >= 12 and fc + lcb <= len(table) else 0
        pages = struct.unpack_from(f"<{count}I", table, fc + 4 * (count + 1)) if count else ()
        for pn in pages:
            page = (pn & 0x3FFFFF) * 512
            if page + 512 > len(word):
                continue
            crun = word[page + 511]
            if crun == 0 or 5 * crun + 4 > 511:
                continue
            bounds = struct.unpack_from(f"<{crun + 1}I", word, page)
            for i in range(crun):
                offset = word[page + 4 * (crun + 1) + i] * 2
                flags = self._flags(word, page + offset) if offset else 0
                if flags:
                    runs.append((bounds[i], bounds[i + 1], flags))
            if len(runs) > _MAX_RUNS:
                break
        runs.sort()
        self.starts = [r[0] for r in runs]
        self.runs = runs

    @staticmethod
    def _flags(word: bytes, at: int) -> int:
        size = word[at] if at < len(word) else 0
        grpprl = word[at + 1: at + 1 + size]
        flags = 0
        for sprm, pos in sprms(grpprl):
            if sprm in (_SPRM_VANISH, _SPRM_STRIKE, _SPRM_DSTRIKE) and pos < len(grpprl):
                value = grpprl[pos]
                on = value in (1, 0x81)   # 0x80/0x81: as the style / opposite of the style (off in Normal)
                bit = HIDDEN if sprm == _SPRM_VANISH else STRUCK
                flags = flags | bit if on else flags & ~bit
        return flags

    def split(self, start: int, end: int, width: int) -> list[tuple[int, int, int]]:
        """(first char, last char + 1, flags) of the characters at stream bytes start..end (width 1 or 2)."""
        if not self.runs:
            return [(0, (end - start) // width, 0)]
        out, pos = [], start
        i = max(bisect_right(self.starts, start) - 1, 0)
        while pos < end:
            while i < len(self.runs) and self.runs[i][1] <= pos:
                i += 1
            if i < len(self.runs) and self.runs[i][0] <= pos:
                stop, flags = min(self.runs[i][1], end), self.runs[i][2]
            else:
                stop, flags = min(self.runs[i][0], end) if i < len(self.runs) else end, 0
            stop = max(stop, pos + width)
            out.append(((pos - start) // width, (stop - start + width - 1) // width, flags))
            pos = start + out[-1][1] * width
        return out
