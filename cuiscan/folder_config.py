"""Configuration that applies by location: `cuiscan.toml` and `.cuiscanignore` files in the scanned
folders and in the folders above a scan root.

- `.cuiscanignore` (gitignore syntax) excludes paths below its folder, wherever the scan starts:
  scanning `samples/nara` honours `samples/.cuiscanignore` as scanning `samples/` does.
- A `cuiscan.toml` found in a scanned folder, or above the root, sets the marking profile for the
  files below it (`profile = "nara"`); the nearest one wins. Only its `profile` applies by location:
  its other settings apply when it is the run's configuration file (`--config`, or the working
  directory's). A `--profile` given on the command line overrides every folder's.
Both files are the scanner's own configuration: they are never scanned as content.
"""
from __future__ import annotations

import os
import tomllib

from cuiscan.config_schema import check, choice
from cuiscan.errors import ConfigError

FOLDER_CONFIG = "cuiscan.toml"
IGNORE_FILE = ".cuiscanignore"
from cuiscan.settings import PROFILES  # noqa: E402  (one list of profiles)


def folder_profile(directory: str) -> str | None:
    """The `profile` of `directory`/cuiscan.toml; None when there is no such file or it sets none.
    Raises ConfigError (one line naming the file) for a file that cannot be read or is invalid."""
    path = os.path.join(directory, FOLDER_CONFIG)
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        return None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if "profile" not in raw:
        return None
    try:
        return check("profile", choice(*PROFILES), raw["profile"])
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def ancestors(path: str) -> list[str]:
    """The folders above `path` (absolute), nearest last: /, /srv, /srv/share for /srv/share/x."""
    out = []
    parent = os.path.dirname(path)
    while parent and parent not in out:
        out.append(parent)
        if os.path.dirname(parent) == parent:
            break
        parent = os.path.dirname(parent)
    return out[::-1]


def profile_above(path: str) -> tuple[str, str] | None:
    """(profile, config file) of the nearest cuiscan.toml above `path` that sets one; None if none.
    An unusable file above the root is an error of the run's configuration (ConfigError)."""
    for folder in reversed(ancestors(path)):
        profile = folder_profile(folder)
        if profile:
            return profile, os.path.join(folder, FOLDER_CONFIG)
    return None


def ignore_files_above(root: str) -> list[str]:
    """The folders above `root` holding a .cuiscanignore, outermost first."""
    return [folder for folder in ancestors(root) if os.path.isfile(os.path.join(folder, IGNORE_FILE))]
