"""site.yaml -> SiteConfig: the declared schema of every key, and load_config()."""

from __future__ import annotations

import re
from pathlib import Path

from ..model.config import DEFAULT_DEPTHS, LESSON_TYPES, SEVERITIES, Rules, SiteConfig
from ..model.diagnostics import CODES, Diagnostic, Pos, error
from ..model.errors import ConfigError
from ..suggest import did_you_mean
from .files import read_text
from .yaml_schema import Field, Record, YamlSource

MODULE_ID = re.compile(r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$")
"""A module id names a folder (lessons/<id>/) and a page (modules/<id>/): no slashes, no `..`."""

RULES_SCHEMA: dict[str, Field] = {
    "max_new_concepts": Field("map", "new concepts a lesson of each type may bring, e.g. {STRETCH: 3, BUILD: 2, CONSOLIDATE: 3}"),
    "adjacent_stretch": Field("str", "severity of two STRETCH lessons in a row: error | warning | off", choices=SEVERITIES),
    "min_misconceptions": Field("int", "misconceptions each lesson must address"),
    "min_examples": Field("map", "examples each lesson needs by kind, e.g. {positive: 2, negative: 1}"),
    "min_modalities": Field("int", "distinct modalities each lesson must use"),
    "severity": Field("map", "override the severity of a diagnostic code, e.g. {CB310: off, CB403: error}"),
}

SITE_SCHEMA: dict[str, Field] = {
    "title": Field("str", "the course title, shown on every page", required=True),
    "description": Field("str", "one sentence about the course (home page and meta description)"),
    "base_url": Field("str", "path prefix when the site is served under a sub-path, e.g. /course/"),
    "url": Field("str", "the published address, e.g. https://example.org/course/ (enables sitemap.xml)"),
    "output": Field("str", "build output directory, relative to the project (default _site)"),
    "modules": Field("strlist", "module ids in order: content/modules/<id>.md and lessons/<id>/", required=True),
    "depths": Field("strlist", "the ordered depth scale, lowest first"),
    "rules": Field("map", "ledger rules and their limits"),
    "math": Field("map", "math settings: {macros: {\\\\R: \\\\mathbb{R}}}"),
    "markdown": Field("map", "Markdown settings: {allow_html: false}"),
    "theme_dir": Field("str", "a folder whose templates and assets override the default theme's"),
    "repo_url": Field("str", "source repository URL for \"edit this page\" links, e.g. https://github.com/org/repo/edit/main/"),
    "language": Field("str", "the site's language code (default en)"),
    "figures": Field("map", "figure settings: {timeout: 300} (seconds a figure function may run)"),
}


def load_config(root: Path) -> SiteConfig:
    """Read and validate site.yaml; ConfigError with every finding when it is missing or has any error."""
    path = root / "site.yaml"
    rel = "site.yaml"
    if not path.is_file():
        raise ConfigError([error("CB100", rel, None, f"no site.yaml in {root}",
                                 "Run `course` in a project directory (one with site.yaml), or pass the project directory.")])
    unreadable: list[Diagnostic] = []
    text = read_text(root, path, unreadable)
    if text is None:
        raise ConfigError([_with_code(d, "CB100") for d in unreadable])
    src = YamlSource(rel, text)
    node = src.compose()
    if node is None and not src.diagnostics:
        raise ConfigError([error("CB100", rel, Pos(1), "site.yaml is empty",
                                 "Give it at least `title:` and `modules:`; see the README's quick start.")])
    if node is None:
        raise ConfigError([_as_config_code(d) for d in src.diagnostics])
    rec = src.record(node, SITE_SCHEMA, "site.yaml", code_unknown="CB101")
    diags = [_as_config_code(d) for d in src.diagnostics]
    if rec is None or "title" not in rec.values or "modules" not in rec.values:
        raise ConfigError(diags or [error("CB101", rel, Pos(1), "site.yaml is not usable", "Give it `title:` and `modules:`.")])
    config, more = _build(root, rec, src)
    diags += more
    if diags:
        raise ConfigError(diags)
    return config


def _as_config_code(d: Diagnostic) -> Diagnostic:
    return _with_code(d, "CB101" if d.code != "CB202" else "CB100")


def _with_code(d: Diagnostic, code: str) -> Diagnostic:
    return Diagnostic(d.path, d.line, d.column, code, d.severity, d.message, d.hint)


def _build(root: Path, rec: Record, src: YamlSource) -> tuple[SiteConfig, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    rel = "site.yaml"
    depths = tuple(rec.get("depths") or DEFAULT_DEPTHS)
    if len(set(depths)) != len(depths) or len(depths) < 2:
        diags.append(error("CB101", rel, rec.pos("depths"), "`depths` must list at least two distinct depths, lowest first",
                           "Use the default: [MENTIONED, INTRODUCED, DEVELOPED]."))
        depths = DEFAULT_DEPTHS
    modules = tuple(str(m) for m in rec.get("modules", ()))
    if len(set(modules)) != len(modules):
        diags.append(error("CB101", rel, rec.pos("modules"), "a module is listed twice in `modules`", "List each module id once."))
    for module in modules:
        if not MODULE_ID.match(module):
            diags.append(error("CB101", rel, rec.pos("modules"), f"module id `{module}` is not allowed",
                               "Module ids name a folder and a page: letters, digits, and `.`, `-` or `_` between them, "
                               "e.g. `\"1.3\"` or `intro`."))
    rules = _rules(rec, diags)
    written = str(rec.get("base_url", "/"))
    base = written if written.endswith("/") else written + "/"
    if not (base.startswith("/") or _is_web_url(base)) or base.startswith("//"):
        diags.append(error("CB101", rel, rec.pos("base_url"), f"`base_url: {written}` must be a path that starts with `/`",
                           "Write the path prefix the site is served under, e.g. `base_url: /course/` (or `/`)."))
        base = "/"
    for key in ("url", "repo_url"):
        if rec.get(key) and not _is_web_url(str(rec.get(key))):
            diags.append(error("CB101", rel, rec.pos(key), f"`{key}` must be an http:// or https:// address",
                               f"{SITE_SCHEMA[key].doc[0].upper()}{SITE_SCHEMA[key].doc[1:]}."))
    output = root / str(rec.get("output", "_site"))
    theme = rec.get("theme_dir")
    macros = {}
    math = rec.get("math") or {}
    macros_in = math.get("macros") or {}
    if (not isinstance(macros_in, dict) or set(math) - {"macros"}
            or not all(isinstance(k, str) and isinstance(v, (str, int, float)) for k, v in macros_in.items())):
        diags.append(error("CB101", rel, rec.pos("math.macros" if "macros" in math else "math"),
                           "`math` accepts only `macros:` (a mapping of TeX macro to expansion)",
                           "Write e.g. `math: {macros: {\"\\\\R\": \"\\\\mathbb{R}\"}}`."))
    else:
        macros = {str(k): str(v) for k, v in (math.get("macros") or {}).items()}
    markdown = rec.get("markdown") or {}
    if set(markdown) - {"allow_html"} or not isinstance(markdown.get("allow_html", False), bool):
        diags.append(error("CB101", rel, rec.pos("markdown.allow_html" if "allow_html" in markdown else "markdown"),
                           "`markdown` accepts only `allow_html: true|false`",
                           "Write `markdown: {allow_html: true}` to pass raw HTML through (off by default)."))
        markdown = {}
    figures = rec.get("figures") or {}
    timeout = figures.get("timeout", 300)
    if set(figures) - {"timeout"} or isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        diags.append(error("CB101", rel, rec.pos("figures.timeout" if "timeout" in figures else "figures"),
                           "`figures` accepts only `timeout:` (seconds, more than 0)",
                           "Write e.g. `figures: {timeout: 600}` for figure functions that need more than 300 s."))
        timeout = 300
    config = SiteConfig(
        root=root, title=str(rec.get("title")), modules=modules, description=str(rec.get("description", "")),
        base_url=base, url=str(rec.get("url", "")), output=output, depths=depths, rules=rules,
        math_macros=macros, allow_html=bool(markdown.get("allow_html", False)),
        theme_dir=(root / theme) if theme else None, repo_url=str(rec.get("repo_url", "")),
        language=str(rec.get("language", "en")), figure_timeout=float(timeout), positions=dict(rec.positions),
    )
    return config, diags


def _rules(rec: Record, diags: list[Diagnostic]) -> Rules:
    raw = rec.get("rules")
    if raw is None:
        return Rules()
    defaults = Rules()

    def report(key: str, message: str, hint: str) -> None:
        diags.append(error("CB101", "site.yaml", rec.pos(f"rules.{key}"), message, hint))

    for key in sorted(str(k) if isinstance(k, (str, int, float, bool)) else "?" for k in raw if k not in RULES_SCHEMA):
        report(key, f"unknown rule `{key}`", f"{did_you_mean(key, list(RULES_SCHEMA))} Known rules: {', '.join(RULES_SCHEMA)}.".strip())

    def counts(key: str, default: dict[str, int], keys: tuple[str, ...]) -> dict[str, int]:
        value = raw.get(key, default)
        if not isinstance(value, dict) or not all(k in keys and _is_count(v) for k, v in value.items()):
            report(key, f"rule `{key}` must map {', '.join(keys)} to whole numbers",
                   f"e.g. `{key}: {{{', '.join(f'{k}: {v}' for k, v in default.items())}}}`")
            return default
        return {**default, **value}

    def number(key: str, default: int) -> int:
        value = raw.get(key, default)
        if not _is_count(value):
            report(key, f"rule `{key}` must be a whole number", f"e.g. `{key}: {default}`")
            return default
        return value

    adjacent = raw.get("adjacent_stretch", defaults.adjacent_stretch)
    if adjacent is False:  # YAML reads a bare `off` as false
        adjacent = "off"
    if not isinstance(adjacent, str) or adjacent not in SEVERITIES:
        report("adjacent_stretch", f"rule `adjacent_stretch` must be one of {', '.join(SEVERITIES)}", "e.g. `adjacent_stretch: warning`")
        adjacent = defaults.adjacent_stretch
    severity = {}
    overrides = raw.get("severity") or {}
    if not isinstance(overrides, dict):
        report("severity", "rule `severity` must map diagnostic codes to error, warning or off", "e.g. `severity: {CB310: off}`")
        overrides = {}
    for code, sev in overrides.items():
        sev = "off" if sev is False else sev
        if not isinstance(code, str) or code not in CODES:
            code = code if isinstance(code, (str, int)) else "?"
            report("severity", f"`{code}` in `severity` is not a diagnostic code",
                   f"{did_you_mean(str(code), list(CODES))} The codes are listed in the README (CB100 to CB502).".strip())
            continue
        if not isinstance(sev, str) or sev not in SEVERITIES:
            report("severity", f"severity for `{code}` must be one of {', '.join(SEVERITIES)}", "e.g. `severity: {CB310: off}`")
            continue
        severity[str(code)] = sev
    return Rules(
        max_new_concepts=counts("max_new_concepts", defaults.max_new_concepts, LESSON_TYPES),
        adjacent_stretch=adjacent,
        min_misconceptions=number("min_misconceptions", defaults.min_misconceptions),
        min_examples=counts("min_examples", defaults.min_examples, ("positive", "negative")),
        min_modalities=number("min_modalities", defaults.min_modalities),
        severity=severity,
    )


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_web_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))
