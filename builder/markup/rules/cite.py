"""Citations (filled in by the citations change)."""

from __future__ import annotations

from .kinds import Role

ROLES: dict[str, Role] = {}
