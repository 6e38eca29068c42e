"""The incremental layer: every cache key, the data-only store, cached_map, and the record of the last build."""

from .memo import Computed, Deferred, Memo, Pool, Summary

__all__ = ["Computed", "Deferred", "Memo", "Pool", "Summary"]
