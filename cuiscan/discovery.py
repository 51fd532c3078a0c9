"""Crawl roots into FileRefs: one per regular file, in a stable order, without reading content.

Rules that matter on real shares:
- symlinks are not followed unless asked, and never to a target outside the roots (no escaping the
  declared scope, no loops: each directory is entered once per (device, inode));
- FIFOs, sockets and device files are skipped with a reason and never opened (a FIFO would block);
- hidden files are included (CUI hides in dotfiles too);
- a directory or file that cannot be listed or stat'ed becomes a FileRef with `error` set, so the
  audit shows the gap instead of silently losing it;
- excludes and `.cuiscanignore` files (gitignore syntax, applying to their own folder's subtree,
  also from the folders above a root) prune whole folders before they are listed;
- a folder's `cuiscan.toml` sets the profile of the files below it (folder_config.py).
"""
from __future__ import annotations

import operator
import os
import stat
from stat import S_ISDIR, S_ISREG
from collections.abc import Iterator
from dataclasses import dataclass

import pathspec

from cuiscan.errors import ConfigError
from cuiscan.folder_config import FOLDER_CONFIG, IGNORE_FILE, folder_profile, ignore_files_above, profile_above
from cuiscan.pathnames import display_path  # noqa: F401  (re-exported: where callers look for it)
from cuiscan.records import FileRef
from cuiscan.settings import Settings

_OWN_FILES = frozenset({IGNORE_FILE, FOLDER_CONFIG})   # the scanner's configuration, not content
_NAME = operator.attrgetter("name")


@dataclass(frozen=True, slots=True)
class _Ignore:
    base: str
    spec: pathspec.PathSpec

    def matches(self, path: str, is_dir: bool) -> bool:
        rel = os.path.relpath(path, self.base).replace(os.sep, "/")
        return self.spec.match_file(rel + "/" if is_dir else rel)


class Crawler:
    def __init__(self, roots: list[str], settings: Settings):
        self.roots = [os.path.abspath(os.path.normpath(r)) for r in roots]
        self.settings = settings
        self.include = pathspec.PathSpec.from_lines("gitignore", settings.include) if settings.include else None
        self.exclude = pathspec.PathSpec.from_lines("gitignore", settings.exclude) if settings.exclude else None
        self._seen_dirs: set[tuple[int, int]] = set()
        self.profiles_used: dict[str, str] = {}   # folder config file -> the profile it set (not the scan's)
        self._pending: list[FileRef] = []          # unusable folder config files, reported as failed files

    def __iter__(self) -> Iterator[FileRef]:
        for root in self.roots:
            yield from self._crawl_root(root)

    def _crawl_root(self, root: str) -> Iterator[FileRef]:
        try:
            st = os.stat(root)
        except OSError as exc:
            yield _failed(root, root, exc)
            return
        profile = self._profile_above(root)
        if stat.S_ISDIR(st.st_mode):
            yield from self._walk(root, profile)
        else:
            ref = self._file(root, root, st)
            ref.profile = profile
            yield ref
        yield from self._drain()

    def _profile_above(self, root: str) -> str | None:
        if not self.settings.location_profiles:
            return None
        try:
            found = profile_above(root)
        except ConfigError as exc:
            self._pending.append(_config_failed(str(exc).split(":", 1)[0], root, exc))
            return None
        if found is None:
            return None
        profile, config = found
        return self._use(profile, config)

    def _use(self, profile: str, config: str) -> str | None:
        if profile == self.settings.profile:
            return None
        self.profiles_used[config] = profile
        return profile

    def _drain(self) -> Iterator[FileRef]:
        while self._pending:
            yield self._pending.pop(0)

    def _ignores_above(self, root: str) -> list["_Ignore"]:
        out = []
        for folder in ignore_files_above(root):
            out += self._load_ignore(folder, None)
        return out

    def _walk(self, root: str, profile: str | None = None) -> Iterator[FileRef]:
        """Depth first, entries in name order; an explicit stack rather than recursion, so a file
        does not climb through one generator per folder level on its way out."""
        stack: list[tuple[Iterator[os.DirEntry], list[_Ignore], str | None]] = []
        max_size = self.settings.limits.max_file_size
        filtered = bool(self.exclude or self.include)
        opened = self._open_dir(root, root, self._ignores_above(root), profile)
        yield from self._drain()
        if isinstance(opened, FileRef):
            yield opened
        elif opened:
            stack.append(opened)
        while stack:
            entries, ignores, profile = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            if entry.name in _OWN_FILES:
                continue
            path = entry.path
            try:
                if entry.is_symlink():
                    if not self.settings.follow_symlinks:
                        continue
                    if not self._inside_roots(os.path.realpath(path)):
                        continue
                    st = os.stat(path)
                else:
                    st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                yield _failed(path, root, exc, what=_entry_kind(entry))
                continue
            mode = st.st_mode
            if S_ISDIR(mode):
                if not self._excluded(root, path, True, ignores):
                    opened = self._open_dir(root, path, ignores, profile)
                    yield from self._drain()
                    if isinstance(opened, FileRef):
                        yield opened
                    elif opened:
                        stack.append(opened)
            elif (filtered or ignores) and self._excluded(root, path, False, ignores):
                continue
            elif S_ISREG(mode) and st.st_size <= max_size:    # the common case, inline
                yield FileRef(path, root, st.st_size, st.st_mtime_ns, st.st_ino, None, None, profile)
            else:
                ref = self._file(path, root, st)
                ref.profile = profile
                yield ref

    def _open_dir(self, root: str, directory: str, ignores: list[_Ignore], profile: str | None):
        """(its entries in name order, the ignore rules and the profile that apply in it); a failure
        FileRef if it cannot be listed; None if this folder was entered already (a link loop)."""
        try:
            st = os.stat(directory)
            key = (st.st_dev, st.st_ino)
            if key in self._seen_dirs:
                return None
            self._seen_dirs.add(key)
            with os.scandir(directory) as it:
                entries = sorted(it, key=_NAME)
        except OSError as exc:
            return _failed(directory, root, exc, what="folder")
        if self.settings.location_profiles and any(e.name == FOLDER_CONFIG for e in entries):
            try:
                own = folder_profile(directory)
            except ConfigError as exc:
                self._pending.append(_config_failed(os.path.join(directory, FOLDER_CONFIG), root, exc))
                own = None
            if own is not None:
                profile = self._use(own, os.path.join(directory, FOLDER_CONFIG))
        return iter(entries), ignores + self._load_ignore(directory, entries), profile

    def _file(self, path: str, root: str, st: os.stat_result) -> FileRef:
        ref = FileRef(path, root, st.st_size, st.st_mtime_ns, st.st_ino)
        if not stat.S_ISREG(st.st_mode):
            return _with(ref, skip_reason=f"{_special_kind(st.st_mode)}, not a regular file")
        if st.st_size > self.settings.limits.max_file_size and not _is_mbox(path, self.settings.follow_symlinks):
            return _with(ref, skip_reason=f"over the size limit ({st.st_size} > {self.settings.limits.max_file_size} bytes)")
        return ref   # readability is learnt by opening it, in the worker (an access() call per file costs)

    def _excluded(self, root: str, path: str, is_dir: bool, ignores: list[_Ignore]) -> bool:
        if not (self.exclude or self.include or ignores):
            return False
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        if self.exclude and self.exclude.match_file(rel + "/" if is_dir else rel):
            return True
        if not is_dir and self.include and not self.include.match_file(rel):
            return True
        return any(ig.matches(path, is_dir) for ig in ignores)

    def _load_ignore(self, directory: str, entries: list[os.DirEntry] | None) -> list[_Ignore]:
        if entries is not None and not any(e.name == IGNORE_FILE for e in entries):
            return []
        try:
            with open(os.path.join(directory, IGNORE_FILE), encoding="utf-8", errors="replace") as fh:
                spec = pathspec.PathSpec.from_lines("gitignore", fh)
        except OSError:
            return []
        return [_Ignore(directory, spec)]

    def _inside_roots(self, target: str) -> bool:
        return any(target == r or target.startswith(r.rstrip(os.sep) + os.sep) for r in self.roots)


def iter_files(roots: list[str], settings: Settings, crawler: list | None = None) -> Iterator[FileRef]:
    """FileRefs under `roots`; `crawler`, if given, receives the Crawler (for its profiles_used)."""
    walker = Crawler(roots, settings)
    if crawler is not None:
        crawler.append(walker)
    return iter(walker)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device file"
    return "special file"


def _entry_kind(entry: os.DirEntry) -> str:
    """"folder" or "file" from the directory listing itself (no stat: stat is what just failed)."""
    try:
        return "folder" if entry.is_dir(follow_symlinks=False) else "file"
    except OSError:
        return "file"


def _failed(path: str, root: str, exc: OSError, what: str = "file") -> FileRef:
    reason = exc.strerror or type(exc).__name__
    return FileRef(path=path, root=root, size=0, mtime_ns=0, error=f"cannot read {what}: {reason}")


def _config_failed(path: str, root: str, exc: ConfigError) -> FileRef:
    """An unusable folder cuiscan.toml: reported (SCAN-001 on the file), the scan goes on."""
    return FileRef(path=path, root=root, size=0, mtime_ns=0, error=f"folder configuration not used: {exc}")


def _with(ref: FileRef, **changes) -> FileRef:
    from dataclasses import replace

    return replace(ref, **changes)


def _is_mbox(path: str, follow_symlinks: bool) -> bool:
    """An mbox is read one message at a time, each message bounded as a file of its own (see
    Budget.own_limits), so max_file_size, which bounds what one document may cost, does not apply to
    it: a mail archive of many GB is scanned. Sniffed by content; only files over the limit are
    opened here, so this costs nothing on an ordinary share. Opened without blocking or following a
    link planted since the stat: a FIFO swapped in must not hang discovery."""
    from cuiscan.extractors.base import Source
    from cuiscan.extractors.sniff import HEAD_BYTES, sniff

    try:
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags if follow_symlinks else flags | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        if not S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, HEAD_BYTES)
        return sniff(Source(name=os.path.basename(path), data=head)) == "mbox"
    except (OSError, ValueError):
        return False
    finally:
        os.close(fd)
