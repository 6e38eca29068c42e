"""A content-addressed build cache: values stored under the hash of everything they were computed from."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".course-cache"


def content_key(*parts: Any) -> str:
    """sha256 of the canonical JSON of `parts` and the builder version."""
    blob = json.dumps([__version__, *parts], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class Cache:
    """Files under <project>/.course-cache/<kind>/; a missing or unwritable cache just means recomputing."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def get(self, kind: str, key: str) -> Any | None:
        """The stored JSON value, or None."""
        data = self.get_bytes(kind, key)
        try:
            return json.loads(data) if data is not None else None
        except ValueError:
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store a JSON value."""
        self.put_bytes(kind, key, json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8"))

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        """Stored bytes, or None."""
        if self.root is None:
            return None
        try:
            return (self.root / kind / key[:2] / key).read_bytes()
        except OSError:
            return None

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        """Store bytes atomically; failures are ignored: the cache is only an accelerator."""
        if self.root is None:
            return
        folder = self.root / kind / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            tmp.replace(folder / key)
        except OSError:
            pass

    def path(self, kind: str) -> Path | None:
        """The folder for a kind of cached value (for engines that keep their own files)."""
        return self.root / kind if self.root else None
