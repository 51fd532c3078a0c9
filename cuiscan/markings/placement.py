"""Which page-like units lack a banner at the top / bottom: shared by BANNER-010, SLIDE-001, SHEET-001
and EMAIL-001 so every format applies the same notion of "banner present".

A position is a gap when no marking at all was parsed there. A position holding some other marking
(`FOUO`, `SENSITIVE//PRIVACY`, a DoD interior `UNCLASSIFIED`) is not a gap: the rule about that
marking (LEGACY-*, BANNER-001, BANNER-012) reports it. Units without any text (image-only pages)
are skipped: nothing can be seen there (SCAN-001 reports them).

Returns no gaps when the document shows no CUI marking, when it shows no CUI banner in banner
position and no banner line in the body either (BANNER-001 reports "no banner" once), or when it is
classified-marked (the CNSI/SPILL families own those documents).
"""
from __future__ import annotations

from dataclasses import dataclass

from cuiscan.markings.view import DocView, Unit
from cuiscan.records import Location, Zone

PLACEMENT_RULE = {"pptx": "SLIDE-001", "xlsx": "SHEET-001", "eml": "EMAIL-001", "msg": "EMAIL-001",
                  "mbox": "EMAIL-001"}


@dataclass(frozen=True, slots=True)
class Gap:
    position: str            # "top" | "bottom"
    units: tuple[Unit, ...]  # the units missing it
    all_units: bool          # every checkable unit misses it (report once for the document)

    @property
    def zone(self) -> Zone:
        return Zone.HEADER if self.position == "top" else Zone.FOOTER

    def locations(self) -> list[tuple[Unit, Location]]:
        return [(u, u.location(self.zone)) for u in self.units]


def placement_rule(view: DocView) -> str:
    """The rule that reports banner placement for this document's format."""
    return PLACEMENT_RULE.get(view.ftype, "BANNER-010")


def required_positions(profile: str) -> tuple[str, ...]:
    """DoD: top and bottom of every page; NARA: top (bottom is an optional best practice)."""
    return ("top", "bottom") if profile == "dod" else ("top",)


def banner_gaps(view: DocView, profile: str) -> list[Gap]:
    if not view.is_cui_marked or view.is_classified_marked:
        return []
    if not view.cui_banners and not view.body_banners:
        return []
    units = [u for u in view.units if not u.empty]
    marked = {(id(h.unit), h.position) for h in view.banners}
    gaps = []
    for pos in required_positions(profile):
        missing = tuple(u for u in units if (id(u), pos) not in marked)
        if missing:
            gaps.append(Gap(pos, missing, len(missing) == len(units) and len(units) > 1))
    return gaps
