"""Suppressions: findings an assessor accepted, by fingerprint, with a reason and optional expiry.

Two sources, one meaning: `cuiscan suppress FINGERPRINT --reason ...` (stored in the inventory) and
`[[suppress]]` entries of cuiscan.toml (fingerprint, reason, expires). A suppressed finding is hidden
from reports and exit codes but still counted, and listed with `--show-suppressed`. A suppression is
active through its expiry day (local date) and stops applying the day after, so the finding comes
back by itself: an accepted risk must be re-accepted, not forgotten.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from cuiscan.errors import ConfigError
from cuiscan.inventory.rows import utc_now

_FINGERPRINT = re.compile(r"[0-9a-f]{16,64}")


@dataclass(frozen=True, slots=True)
class Suppression:
    fingerprint: str
    reason: str
    expires: date | None = None
    source: str = "inventory"      # inventory | config
    created_at: str | None = None

    def active(self, today: date | None = None) -> bool:
        return self.expires is None or (today or date.today()) <= self.expires

    def to_dict(self, today: date | None = None) -> dict:
        return {"fingerprint": self.fingerprint, "reason": self.reason,
                "expires": self.expires.isoformat() if self.expires else None,
                "source": self.source, "created_at": self.created_at,
                "active": self.active(today)}


def parse_expires(value: object, where: str = "--expires") -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"{where}: expected a date YYYY-MM-DD, not {value!r}") from None


def check_fingerprint(value: object, where: str = "fingerprint") -> str:
    text = str(value or "").strip().lower()
    if not _FINGERPRINT.fullmatch(text):
        raise ConfigError(f"{where}: {value!r} is not a finding fingerprint (hex, as shown in reports)")
    return text


def add_suppression(inv, fingerprint: str, reason: str, expires: object = None) -> Suppression:
    """Store (or replace) a suppression in the inventory."""
    fp = check_fingerprint(fingerprint)
    reason = (reason or "").strip()
    if not reason:
        raise ConfigError("a suppression needs a reason (--reason TEXT)")
    until = parse_expires(expires)
    if until is not None and until < date.today():
        raise ConfigError(f"--expires {until.isoformat()} is in the past: the suppression would never apply")
    created = utc_now()
    with inv._write():
        inv.conn.execute(
            "INSERT INTO suppressions (fingerprint, reason, expires, created_at) VALUES (?,?,?,?) "
            "ON CONFLICT(fingerprint) DO UPDATE SET reason = excluded.reason, "
            "expires = excluded.expires, created_at = excluded.created_at",
            (fp, reason, until.isoformat() if until else None, created))
    return Suppression(fp, reason, until, "inventory", created)


def remove_suppression(inv, fingerprint: str) -> bool:
    fp = check_fingerprint(fingerprint)
    with inv._write():
        cur = inv.conn.execute("DELETE FROM suppressions WHERE fingerprint = ?", (fp,))
    return cur.rowcount > 0


def known_fingerprint(inv, fingerprint: str) -> bool:
    row = inv.conn.execute("SELECT 1 FROM findings WHERE fingerprint = ? LIMIT 1",
                           (fingerprint,)).fetchone()
    return row is not None


def from_config(entries: tuple[dict, ...] | list[dict]) -> list[Suppression]:
    """Validate the [[suppress]] entries of cuiscan.toml (Settings.suppressions)."""
    out = []
    for i, raw in enumerate(entries, 1):
        where = f"[[suppress]] #{i}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: must be a table with fingerprint and reason")
        extra = set(raw) - {"fingerprint", "reason", "expires"}
        if extra:
            raise ConfigError(f"{where}: unknown key(s): {', '.join(sorted(extra))}")
        reason = str(raw.get("reason") or "").strip()
        if not reason:
            raise ConfigError(f"{where}: needs a reason")
        out.append(Suppression(check_fingerprint(raw.get("fingerprint"), f"{where} fingerprint"),
                               reason, parse_expires(raw.get("expires"), f"{where} expires"), "config"))
    return out


@dataclass(frozen=True, slots=True)
class SuppressionPolicy:
    """What reports and exit codes leave out: the inventory's suppressions plus the [[suppress]]
    entries of cuiscan.toml, checked once, when the policy is built from Settings."""

    config: tuple[Suppression, ...] = ()

    @classmethod
    def from_settings(cls, settings) -> "SuppressionPolicy":
        return cls(tuple(from_config(settings.suppressions)))

    def all(self, inv) -> list[Suppression]:
        return all_suppressions(inv, self)

    def fingerprints(self, inv, today: date | None = None) -> frozenset[str]:
        """The fingerprints suppressed today: what exit codes, rollups and diffs leave out."""
        return active_fingerprints(inv, self, today)


def all_suppressions(inv, policy: SuppressionPolicy | None = None) -> list[Suppression]:
    stored = [
        Suppression(fp, reason, date.fromisoformat(expires) if expires else None, "inventory", created)
        for fp, reason, expires, created in inv.conn.execute(
            "SELECT fingerprint, reason, expires, created_at FROM suppressions ORDER BY created_at")
    ]
    return stored + list(policy.config if policy else ())


def active_fingerprints(inv, policy: SuppressionPolicy | None = None, today: date | None = None) -> frozenset[str]:
    return frozenset(s.fingerprint for s in all_suppressions(inv, policy) if s.active(today))


def active_map(inv, policy: SuppressionPolicy | None = None, today: date | None = None) -> dict[str, Suppression]:
    """fingerprint -> the active suppression (config entries win over stored ones: the file is policy)."""
    return {s.fingerprint: s for s in all_suppressions(inv, policy) if s.active(today)}
