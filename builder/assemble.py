"""Page stage: typed page contexts from the course, the ledger and the rendered fragments -> HTML files."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .compile import source_fingerprint
from .course import Course, Lesson
from .ledger import Ledger
from .markup.render import PLACEHOLDER, fill_placeholders
from .pages import (ConceptDepth, ConceptsPage, GlossaryEntry, GridCell, GridRow, LedgerGrid, HomePage, LessonPage, ModuleMisconception, ModulePage,
                    TEXT_PLACEHOLDER, NavLesson, NavModule, NotFoundPage, PageBase, Partials, SiteInfo, has_math,
                    render_page, tex_words, theme_fingerprint)
from .rendering import RenderedDoc
from .styles import hoist_math_styles, pygments_css


NAV_EXPAND_ALL = 40
"""Up to this many lessons the sidebar lists them all, and the ledger page shows every module's depth grid; beyond,
the sidebar lists the current module's lessons and each grid is on its module's page only (pages stay small)."""


def figure_key(figure_id: str, params: Mapping[str, Any]) -> str:
    """Identity of a computed figure: its id and canonical params."""
    return figure_id + ":" + json.dumps(params, sort_keys=True, separators=(",", ":"))


def nav_of(course: Course, summaries: Mapping[str, tuple[str, Markup]] | None = None) -> tuple[NavModule, ...]:
    """Navigation: modules with their lessons (hrefs relative to the site root); `summaries`: slug -> (text, html)."""
    summaries = summaries or {}

    def nav_lesson(l: Lesson) -> NavLesson:
        text, html = summaries.get(l.slug, (l.summary, Markup(escape(l.summary))))
        return NavLesson(l.slug, l.title, l.type, l.position, text, f"{l.slug}/index.html", html)
    return tuple(NavModule(module.id, module.title, f"modules/{module.id}/index.html",
                           tuple(nav_lesson(l) for l in module.lessons))
                 for module in course.modules)


@dataclass(frozen=True)
class PageSet:
    """What render_pages made."""

    pages: dict[str, str]
    """Path below the output dir -> text, for every page rendered this time."""
    kept: frozenset[str]
    """Pages whose inputs are those of the previous build: the published file is carried over, not rendered."""
    digests: dict[str, str]
    """Lesson and module page path -> digest of everything it is made from (the next build's `previous`)."""


def render_pages(course: Course, ledger: Ledger, docs: Sequence[RenderedDoc], math_html: Mapping[str, list[str]],
                 figures: Mapping[str, Any], env: jinja2.Environment, live_reload: bool = False,
                 previous: Mapping[str, str] | None = None) -> PageSet:
    """Every page of the site: the HTML pages, the stylesheets the build makes (code colours, the typeset math's
    hoisted inline styles) and sitemap.xml when site.yaml has a `url`.

    `previous`: the page digests of the last build into the same folder; a lesson or module page whose digest is
    unchanged is not rendered again (an edit to one lesson re-renders that lesson, and its neighbours and module
    page only when what they show of it changed).
    """
    partials = Partials(env)
    config = course.config
    by_key = {doc.key: doc for doc in docs}
    titles = {lesson.slug: lesson.title for lesson in course.lessons}
    math_html, math_css = hoist_math_styles(math_html)
    pages: dict[str, str] = {}

    def fill(doc: RenderedDoc, names: Sequence[str] | None = None) -> dict[str, Markup]:
        formulas = math_html.get(doc.key, [])

        def final(html: str, figure_html: Sequence[str] = ()) -> str:
            # formulas inside attributes, spelled out in words
            html = TEXT_PLACEHOLDER.sub(lambda m: escape(tex_words(doc.math[int(m.group(1))].tex)), html)
            return fill_placeholders(html, formulas, figure_html, titles)
        figure_html = [_figure_html(partials, figures, ref, final) for ref in doc.figures] if names is None else []
        return {name: Markup(_tables(final(html, figure_html))) for name, html in doc.fragments.items()
                if names is None or name in names}

    lessons = course.lessons
    nav = nav_of(course, {lesson.slug: (_plain(by_key[f"lesson:{lesson.slug}"], "summary", titles),
                                        fill(by_key[f"lesson:{lesson.slug}"], ("summary",))["summary"])
                          for lesson in lessons})
    cards_have_math = any(has_math(by_key[f"lesson:{lesson.slug}"].fragments["summary"]) for lesson in lessons)
    site = SiteInfo(config.title, config.description, config.language, nav, config.repo_url, _site_url(config.url),
                    nav_expand_all=sum(len(m.lessons) for m in nav) <= NAV_EXPAND_ALL)
    base = dict(site=site, live_reload=live_reload)
    nav_modules = {m.id: m for m in nav}
    nav_lessons = {l.slug: l for m in nav for l in m.lessons}
    grids = {m.id: module_grid(course, ledger, m, nav_modules[m.id]) for m in course.modules}
    from .math import KATEX_VERSION

    shared = _digest(theme_fingerprint(config), source_fingerprint(), _site_settings(config), live_reload, site,
                     sorted((c.id, c.name) for c in course.concepts.values()), config.math_macros, KATEX_VERSION)
    digests: dict[str, str] = {}
    kept: set[str] = set()
    for module in course.modules:
        module_nav = nav_modules[module.id]
        for i, lesson in enumerate(module.lessons):
            doc = by_key[f"lesson:{lesson.slug}"]
            path = f"{lesson.slug}/index.html"
            # The doc's source key covers its text (formulas included) and everything its rendering depends on.
            digests[path] = _digest(shared, module.id, i, doc.source_key or sorted(doc.fragments.items()),
                                    [figures.get(figure_key(r.figure_id, r.params)) for r in doc.figures],
                                    _ledger_view(lesson, ledger))
            if previous and previous.get(path) == digests[path]:
                kept.add(path)
                continue
            frags = fill(doc)
            page = LessonPage(
                **base, root="../", title=lesson.title,
                description=nav_lessons[lesson.slug].summary or _plain(doc, "objective", titles),
                url_path=f"{lesson.slug}/", has_math=bool(doc.math), has_figures=bool(doc.figures),
                has_code=_has_code(frags["body"]),
                lesson_slug=lesson.slug, lesson_type=lesson.type, module_id=module.id, module_title=module.title,
                position=i + 1, count=len(module.lessons), title_html=frags["title"], objective_html=frags["objective"],
                summary_html=frags["summary"], body_html=frags["body"],
                prerequisites=tuple(_prerequisites(course, lesson, ledger, frags)),
                gains=tuple(_gains(course, lesson, ledger, frags)), headings=doc.headings,
                previous=module_nav.lessons[i - 1] if i > 0 else None,
                next=module_nav.lessons[i + 1] if i + 1 < len(module.lessons) else None,
                edit_url=(config.repo_url + lesson.path) if config.repo_url else "",
                extra_scripts=_figure_scripts(figures, doc),
            )
            pages[path] = render_page(env, "lesson.html", page)
        doc = by_key[f"module:{module.id}"]
        path = f"modules/{module.id}/index.html"
        steps = [ledger.at(l.slug) for l in module.lessons]
        load = tuple({"slug": l.slug, "title": l.title, "type": l.type, "position": l.position,
                      "new": len(step.new_concepts) if step else 0} for l, step in zip(module.lessons, steps))
        digests[path] = _digest(shared, module.source, grids[module.id], load, cards_have_math)
        if previous and previous.get(path) == digests[path]:
            kept.add(path)
            continue
        frags = fill(doc)
        misconceptions = tuple(ModuleMisconception(frags[f"claim:{i}"], nav_lessons.get(m.where),
                                                   "" if m.where in nav_lessons else m.where)
                               for i, m in enumerate(module.misconceptions))
        pages[path] = render_page(env, "module.html", ModulePage(
            **base, root="../../", title=module.title, description=module.goal, url_path=f"modules/{module.id}/",
            has_math=bool(doc.math) or cards_have_math, has_code=_has_code(frags["body"]), module=module_nav, goal_html=frags["goal"], body_html=frags["body"],
            misconceptions=misconceptions, grid=grids[module.id], load=load, max_load=max([row["new"] for row in load] + [1])))
    pages["concepts/index.html"] = render_page(env, "concepts.html", _concepts_page(
        course, ledger, {**base, "has_math": bool(by_key["concepts"].math)}, fill(by_key["concepts"]), nav_lessons,
        tuple(grids.values()) if site.nav_expand_all else ()))
    pages["index.html"] = render_page(env, "home.html", HomePage(
        **base, root="", title=config.title, description=config.description, url_path="", has_math=cards_have_math,
        concept_count=len(course.concepts), lesson_count=len(lessons)))
    pages["404.html"] = render_page(env, "404.html", NotFoundPage(
        **base, root=config.base_url, title="Page not found", description="", url_path="404.html"))
    if any(math_html.values()):
        pages["assets/css/math.css"] = math_css
    pages["assets/css/code.css"] = pygments_css()
    if site.url:
        pages["sitemap.xml"] = render_sitemap(site.url, [path for path in [*pages, *kept] if path.endswith("index.html")])
    return PageSet(pages, frozenset(kept), digests)


def _digest(*parts: Any) -> str:
    """A stable hash of page inputs (reprs of strings, numbers, tuples and frozen dataclasses)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _site_settings(config) -> tuple:
    return (config.title, config.description, config.language, config.base_url, config.url, config.repo_url,
            config.depths)


def _ledger_view(lesson: Lesson, ledger: Ledger) -> tuple:
    """What a lesson page shows of the ledger: the entries of its prerequisites before it, its depth changes."""
    step = ledger.at(lesson.slug)
    if step is None:
        return ()
    return (tuple((p.concept, step.before.get(p.concept)) for p in lesson.prerequisites), step.changes,
            step.reinforced, tuple((t.concept, step.after.get(t.concept)) for t in lesson.teaches))


def _plain(doc: RenderedDoc, fragment: str, titles: Mapping[str, str]) -> str:
    """A rendered fragment as plain text, each formula spelled out in words (for meta descriptions)."""
    from html import unescape

    words = {"M": lambda key: tex_words(doc.math[int(key)].tex), "L": lambda key: titles.get(key, key), "F": lambda key: ""}
    html = PLACEHOLDER.sub(lambda m: words[m.group(1)](m.group(2)), doc.fragments.get(fragment, ""))
    return " ".join(unescape(_TAG.sub("", html)).split())


_TAG = re.compile(r"<[^>]+>")


def render_sitemap(site_url: str, page_paths: Sequence[str]) -> str:
    """sitemap.xml: one <url> per page, as the directory URLs readers see (no dates: builds stay byte-identical)."""
    from xml.sax.saxutils import escape

    locs = sorted(site_url + path.removesuffix("index.html") for path in page_paths)
    entries = "".join(f"  <url><loc>{escape(loc)}</loc></url>\n" for loc in locs)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n")


def _site_url(url: str) -> str:
    return url if not url or url.endswith("/") else url + "/"


_ALIGN = re.compile(r' style="text-align:(left|center|right)"')


def _tables(html: str) -> str:
    """Markdown tables in a wrapper that scrolls on small screens; column alignment as classes (strict CSP)."""
    if "<table>" not in html:
        return html
    html = html.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return _ALIGN.sub(r' class="align-\1"', html)


def _has_code(html: str) -> bool:
    return 'class="highlight"' in html


def _figure_html(partials: Partials, figures: Mapping[str, Any], ref, fill: Callable[[str], str]) -> str:
    computed = figures.get(figure_key(ref.figure_id, ref.params))
    if computed is None:
        return ""
    template = "explorer.html" if computed.kind == "explorer" else "figure.html"
    spec = json.dumps(computed.spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    return partials(template, figure=computed, dom_id=ref.dom_id, caption_html=fill(ref.caption_html),
                    spec_json_html=spec, base="../")


def _figure_scripts(figures: Mapping[str, Any], doc: RenderedDoc) -> tuple[str, ...]:
    return ()


def _href(course: Course, slug: str) -> str:
    return f"../{slug}/index.html" if course.lesson(slug) else ""


def _prerequisites(course: Course, lesson: Lesson, ledger: Ledger, frags: Mapping[str, Markup]) -> list[ConceptDepth]:
    out = []
    for p in lesson.prerequisites:
        concept = course.concepts[p.concept]
        gap = any(g.concept == p.concept for g in lesson.gaps)
        source = "" if gap else p.source
        taught_in = course.lesson(source) if source else None
        out.append(ConceptDepth(p.concept, concept.name, p.depth, source, _href(course, source) if source else "",
                                frags.get(f"why:{p.concept}", Markup("")), "gap" if gap else "",
                                taught_in.title if taught_in else ""))
    return out


def _gains(course: Course, lesson: Lesson, ledger: Ledger, frags: Mapping[str, Markup]) -> list[ConceptDepth]:
    step = ledger.at(lesson.slug)
    if step is None:
        return []
    out = []
    for change in step.changes:
        concept = course.concepts[change.concept]
        out.append(ConceptDepth(change.concept, concept.name, change.new, lesson.slug, "",
                                frags.get(f"note:{change.concept}", Markup("")), change.old or "new"))
    for cid in step.reinforced:
        concept = course.concepts[cid]
        out.append(ConceptDepth(cid, concept.name, step.after[cid].depth, lesson.slug, "",
                                frags.get(f"note:{cid}", Markup("")), "reinforced"))
    return out


def module_grid(course: Course, ledger: Ledger, module, nav: NavModule) -> LedgerGrid:
    """The module's concepts (those its lessons require or teach) and their depth after each of its lessons."""
    steps = [ledger.at(lesson.slug) for lesson in module.lessons]
    steps = [step for step in steps if step is not None]
    touched: dict[str, None] = {}
    for lesson in module.lessons:
        touched.update((p.concept, None) for p in lesson.prerequisites)
        touched.update((t.concept, None) for t in lesson.teaches)
    names = course.concepts
    rows = []
    for cid in sorted((c for c in touched if c in names), key=lambda c: (names[c].name.casefold(), c)):
        before = steps[0].before.get(cid) if steps else None
        last = before.depth if before else ""
        cells = []
        for step in steps:
            entry = step.after.get(cid)
            depth = entry.depth if entry else ""
            taught = cid in step.reinforced or any(c.concept == cid for c in step.changes)
            cells.append(GridCell(depth, depth != last, taught))
            last = depth
        rows.append(GridRow(cid, names[cid].name, before.depth if before else "", tuple(cells)))
    return LedgerGrid(nav, tuple(rows))


def _concepts_page(course: Course, ledger: Ledger, base: dict[str, Any], frags: Mapping[str, Markup],
                   nav_lessons: Mapping[str, NavLesson], grids: tuple[LedgerGrid, ...]) -> ConceptsPage:
    taught: dict[str, list[tuple[NavLesson, str]]] = {cid: [] for cid in course.concepts}
    for step in ledger.lessons:
        for cid in [c.concept for c in step.changes] + list(step.reinforced):
            if cid in taught and step.slug in nav_lessons:
                taught[cid].append((nav_lessons[step.slug], step.after[cid].depth))
    glossary = []
    for cid in sorted(course.concepts, key=lambda c: (course.concepts[c].name.casefold(), c)):
        concept, prior = course.concepts[cid], ledger.prior.get(cid)
        glossary.append(GlossaryEntry(cid, concept.name, concept.aliases, frags[f"def:{cid}"],
                                      prior.depth if prior else "", tuple(taught[cid])))
    return ConceptsPage(**base, root="../", title="Concepts and the depth ledger",
                        description=f"Every concept of {course.config.title}, its definition and depth lesson by lesson.",
                        url_path="concepts/", grids=grids, glossary=tuple(glossary), depths=course.config.depths)


__all__ = ["render_pages", "figure_key", "nav_of", "PageBase"]
