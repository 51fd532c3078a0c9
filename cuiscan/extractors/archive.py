"""Zip archives: every member goes back to the dispatcher as its own document.

Nothing is ever written to disk; members are read into memory under hard caps. The declared sizes in
a zip are only claims, so each member is checked against them before reading (size, compression
ratio) and then streamed with a cap that holds whatever the headers say: a zip bomb ends as a
LimitExceeded (SCAN-001 "limit"), never as gigabytes in memory.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from cuiscan.errors import CorruptError, LimitExceeded
from cuiscan.extractors.base import DocContext, Source, describe_exception
from cuiscan.extractors.sniff import zip_directory_size

CHUNK = 1024 * 1024
# Small members of zeros or repeated records legitimately compress far beyond any sane ratio limit;
# only a member that would also be big can be a bomb.
RATIO_MIN_SIZE = 1024 * 1024


def extract_zip(src: Source, ctx: DocContext) -> None:
    with src.open() as fh:
        directory = zip_directory_size(fh)
        if directory is not None and directory[0] > ctx.limits.archive_members:
            raise LimitExceeded(f"archive lists {directory[0]} members, over the "
                                f"{ctx.limits.archive_members}-member limit")
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            raise CorruptError(f"not a readable zip archive ({describe_exception(exc)})") from None
        with archive:
            _extract_members(archive, ctx)


def _extract_members(archive: zipfile.ZipFile, ctx: DocContext) -> None:
    unsafe: list[str] = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        name, is_unsafe = safe_member_name(info.filename)
        if is_unsafe:
            unsafe.append(name)
        if ctx.depth + 1 > ctx.limits.archive_depth:
            raise LimitExceeded(f"nesting deeper than {ctx.limits.archive_depth} levels at "
                                f"{ctx.member_path(name)}")
        if info.flag_bits & 0x1:
            ctx.problem("encrypted", f"member {name} is encrypted")
            continue
        _check_ratio(name, info.file_size, info.compress_size, ctx)
        if info.file_size > ctx.limits.member_size:
            # Big but not a bomb (a video, a disk image): skip it and keep reading the others.
            ctx.problem("limit", f"member {name} declares {info.file_size} bytes, over the "
                                 f"{ctx.limits.member_size}-byte limit; not read")
            continue
        ctx.budget.ensure_room()  # a spent budget must not cost one more inflated member
        data = _read_member(archive, info, name, ctx)
        if data is not None:
            ctx.add_member(name, data)
    if unsafe:
        ctx.fact("unsafe_member_names", tuple(unsafe))


def _check_ratio(name: str, size: int, compressed: int, ctx: DocContext) -> None:
    if size > RATIO_MIN_SIZE and size > ctx.limits.archive_ratio * max(compressed, 1):
        raise LimitExceeded(f"member {name} expands {size / max(compressed, 1):.0f}:1, over the "
                            f"{ctx.limits.archive_ratio:.0f}:1 limit (zip bomb?)")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, ctx: DocContext) -> bytes | None:
    """The member's bytes, streamed under the caps; None (with a problem) if it cannot be read."""
    budget = ctx.budget
    cap = min(ctx.limits.member_size, max(ctx.limits.archive_total - budget.total_bytes, 0))
    out = io.BytesIO()
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                size = out.tell()
                if size > cap:
                    why = (f"member {name} expands past {cap} bytes (declared {info.file_size}); "
                           "reading stopped")
                    if cap < ctx.limits.member_size:  # the archive total ran out, not this member's cap
                        budget.exhaust(why)
                    raise LimitExceeded(why)
                _check_ratio(name, size, info.compress_size, ctx)
    except LimitExceeded:
        raise
    except NotImplementedError as exc:  # compression method zipfile lacks (deflate64, ppmd ...)
        ctx.problem("unsupported", f"member {name}: {describe_exception(exc)}")
        return None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as exc:
        # zipfile quotes the local header it disagrees with, and the member's bytes after it
        ctx.problem("corrupt", f"member {name} could not be read ({describe_exception(exc)})")
        return None
    return out.getvalue()


def safe_member_name(raw: str) -> tuple[str, bool]:
    """A printable member name, and whether the original was unsafe to use as a path.

    We never write members to disk, but the name lands in reports and terminals: control characters
    are escaped, and traversal ("..", absolute paths, drive letters) is flagged and shown as written.
    """
    escaped = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in raw)
    parts = raw.replace("\\", "/").split("/")
    unsafe = (
        escaped != raw
        or raw.startswith(("/", "\\"))
        or (len(raw) > 1 and raw[1] == ":")
        or ".." in parts
    )
    return escaped or "(unnamed)", unsafe
