"""The cache on disk: JSON files under <project>/.course-cache/<kind>/, by content key.

Only JSON is written and read, and every value read is checked against the type the caller declares (codec.py):
a missing, corrupt or tampered entry is a miss, recomputed. A cache that cannot be written only costs speed.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, TypeVar

from .codec import CodecError, decode, encode

T = TypeVar("T")

CACHE_DIR = ".course-cache"
"""The cache folder inside a project (git-ignored; deleting it is always safe)."""


class Store:
    """Values under <folder>/<kind>/<key[:2]>/<key>.json; with folder None nothing is stored (--no-cache)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, kind: str, key: str, value_type: Any) -> Any | None:
        """The stored value of `value_type` (a dataclass, or Any for plain JSON), or None if absent or invalid."""
        if self.folder is None:
            return None
        try:
            data = json.loads(self._path(kind, key).read_bytes().decode("utf-8", "surrogatepass"))
            return decode(value_type, data)
        except (OSError, ValueError, CodecError, RecursionError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store a value atomically (a reader never sees half a file)."""
        if self.folder is None:
            return
        path = self._path(kind, key)
        try:
            data = json.dumps(encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except (OSError, ValueError, TypeError):
            return
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None and key.isalnum()
        return self.folder / kind / key[:2] / f"{key}.json"
