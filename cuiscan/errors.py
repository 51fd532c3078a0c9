"""The exception tree.

    CuiscanError                      anything cuiscan raises on purpose
    ├── ConfigError                   bad configuration or usage            -> exit 2
    ├── InventoryError                the inventory cannot be opened/used   -> exit 3
    │   └── InventoryLocked           another scan holds the inventory lock
    └── ExtractionError               one file (or member) cannot be read   -> SCAN-001, scan goes on
        ├── EncryptedError            password protected / encrypted
        ├── CorruptError              not a valid file of its type
        ├── UnsupportedError          a type cuiscan cannot read (legacy .doc, images, binaries)
        └── LimitExceeded             over a size, depth, member-count or ratio limit (zip bombs)

ExtractionError.reason is the short code used in SCAN-001 messages and Problem.reason.
"""
from __future__ import annotations


class CuiscanError(Exception):
    """Base of every error cuiscan raises on purpose."""


class ConfigError(CuiscanError):
    """Bad configuration or command-line usage."""


class InventoryError(CuiscanError):
    """The inventory database cannot be opened, migrated or written."""


class InventoryLocked(InventoryError):
    """Another scan holds the inventory's scan lock."""


class ExtractionError(CuiscanError):
    reason = "corrupt"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EncryptedError(ExtractionError):
    reason = "encrypted"


class CorruptError(ExtractionError):
    reason = "corrupt"


class UnsupportedError(ExtractionError):
    reason = "unsupported"


class LimitExceeded(ExtractionError):
    reason = "limit"
