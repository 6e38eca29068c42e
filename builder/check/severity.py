"""site.yaml's per-code severity settings, applied to a run's findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..model.diagnostics import ERROR, WARNING, Diagnostic, with_severity


def apply_severity(diags: Iterable[Diagnostic], overrides: Mapping[str, str]) -> list[Diagnostic]:
    """Each finding with the severity site.yaml sets for its code ("off" drops it)."""
    out = []
    for d in diags:
        severity = overrides.get(d.code)
        if severity == "off":
            continue
        out.append(with_severity(d, severity) if severity in (ERROR, WARNING) else d)
    return out
