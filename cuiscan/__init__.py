"""cuiscan: find Controlled Unclassified Information on file shares and audit its markings."""

__version__ = "0.1.0"
