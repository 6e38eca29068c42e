"""The cache on disk: JSON files under <project>/.course-cache/<kind>/, by content key.

The cache folder lives inside the project, so it can arrive with a cloned repository. Nothing in it is trusted:
- only JSON is read, and every value is checked against the type the caller declares (codec.py): reading never
  runs code or makes an object of a type the file chooses (no pickle);
- every entry carries an HMAC made with a secret kept outside the project (per user, or COURSE_CACHE_SECRET): an
  entry this user's builds did not write, or that was edited since, is a miss and is computed again. A committed
  cache can therefore neither run code nor slip content into the published site.
A cache that cannot be read or written only costs speed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import itertools
import json
import os
import secrets
from pathlib import Path
from typing import Any

from ..npm import cache_root
from .codec import CodecError, decode, encode

CACHE_DIR = ".course-cache"
"""The cache folder inside a project (git-ignored; deleting it is always safe)."""

SECRET_ENV = "COURSE_CACHE_SECRET"
"""Set to share one cache between machines (e.g. CI runners restoring .course-cache/): the same secret everywhere."""


class Store:
    """Values under <folder>/<kind>/<key[:2]>/<key>.json; with folder None nothing is stored (--no-cache).

    With `memory` (a dict a long-lived process keeps, as `course serve` does between rebuilds), values read or
    written are also kept there, decoded, so the next build gets them without reading or decoding a file. The
    values are this process's own (frozen dataclasses), so keeping them is as safe as computing them.
    """

    def __init__(self, folder: Path | None, memory: dict[tuple[str, str], Any] | None = None) -> None:
        self.folder = folder
        self.memory = memory
        self.used: set[tuple[str, str]] = set()
        """The entries this run asked for (what a long-lived memory keeps: see retain_used)."""
        self.referenced: set[str] = set()
        """Keys of entries this run did not read but a later run may: a map's layout that a build carried over
        unread (`Deferred`), read when its page is rendered again. The cache's sweep keeps them (sweep.py); a
        long-lived memory does not keep their values for them."""

    def get(self, kind: str, key: str, value_type: Any) -> Any | None:
        """The stored value of `value_type` (a dataclass, or Any for plain JSON), or None if absent or not ours."""
        self.used.add((kind, key))
        if self.memory is not None and (kind, key) in self.memory:
            return self.memory[(kind, key)]
        value = self._read(kind, key, value_type)
        if value is not None and self.memory is not None:
            self.memory[(kind, key)] = value
        return value

    def peek(self, kind: str, key: str, value_type: Any) -> Any | None:
        """The stored value, read from disk alone: neither counted as used nor kept in memory."""
        return self._read(kind, key, value_type)

    def recall(self, kind: str, key: str) -> Any | None:
        """A value this process keeps in memory under (kind, key), never read from disk; None without memory."""
        if self.memory is None:
            return None
        self.used.add((kind, key))
        return self.memory.get((kind, key))

    def keep(self, kind: str, key: str, value: Any) -> None:
        """Keep a value in memory only (nothing is written; a process without memory keeps nothing)."""
        if self.memory is not None:
            self.used.add((kind, key))
            self.memory[(kind, key)] = value

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is there, without reading it (it may still prove unreadable when read)."""
        self.used.add((kind, key))
        if self.memory is not None and (kind, key) in self.memory:
            return True
        return self.folder is not None and os.path.isfile(self._path(kind, key))

    def retain_used(self) -> None:
        """Forget the remembered values this run did not ask for (what edits replaced)."""
        if self.memory is not None:
            for entry in [e for e in self.memory if e not in self.used]:
                del self.memory[entry]

    def _read(self, kind: str, key: str, value_type: Any) -> Any | None:
        if self.folder is None:
            return None
        try:
            with open(self._path(kind, key), "rb") as file:
                mac, _, data = file.read().partition(b"\n")
            if not hmac.compare_digest(mac, _mac(kind, key, data)):
                return None
            return decode(value_type, json.loads(data.decode("utf-8", "surrogatepass")))
        except (OSError, ValueError, CodecError, RecursionError):
            return None

    def put(self, kind: str, key: str, value: Any, seen: dict[int, tuple[Any, Any]] | None = None) -> None:
        """Store a value atomically (a reader never sees half a file); `seen`: see codec.encode."""
        self.used.add((kind, key))
        if self.memory is not None:
            self.memory[(kind, key)] = value
        if self.folder is None:
            return
        path = self._path(kind, key)
        try:
            data = json.dumps(encode(value, seen), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
            folder = os.path.dirname(path)
            os.makedirs(folder, exist_ok=True)
            tmp = os.path.join(folder, f".tmp-{os.getpid()}-{next(_TEMP_NUMBERS)}")  # a name no other writer has
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except (OSError, ValueError, TypeError):
            return
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_mac(kind, key, data) + b"\n" + data)
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def _path(self, kind: str, key: str) -> str:
        """The entry's file (a string: a build reads thousands of entries, and pathlib costs more than the read)."""
        assert self.folder is not None and key.isalnum()
        return os.path.join(self.folder, kind, key[:2], key + ".json")


_TEMP_NUMBERS = itertools.count()
"""Numbers of this process's temporary files (tempfile.mkstemp costs a third more per entry, for randomness that
a name with the process id does not need)."""


def _mac(kind: str, key: str, data: bytes) -> bytes:
    """The entry's authentication code (hex)."""
    return hmac.new(_secret(), kind.encode() + b"\0" + key.encode() + b"\0" + data, hashlib.sha256).hexdigest().encode()


@functools.lru_cache(maxsize=1)
def _secret() -> bytes:
    """COURSE_CACHE_SECRET, else this user's secret (made once, readable by the user only), else one for this run."""
    given = os.environ.get(SECRET_ENV)
    if given:
        return given.encode()
    path = cache_root() / "cache-secret"
    try:
        return path.read_bytes()
    except OSError:
        pass
    value = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(value)
    except FileExistsError:  # another process made it first
        return path.read_bytes()
    except OSError:  # no writable home: the cache still works within this run
        pass
    return value
