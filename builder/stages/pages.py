"""The page stage: the course, its ledger, the rendered fragments, typeset math and computed figures -> every file of
the site (pages through the theme's templates, the stylesheets the build makes, the search index, assets).

A lesson or module page whose inputs are those of the last build into the same folder is not rendered again: the
writer carries the published file over. An edit to one lesson re-renders that lesson, and other pages only when
what they show of it changed.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import unescape

from markupsafe import Markup

from ..incremental.keys import builder_fingerprint, content_key, theme_fingerprint
from ..interrupts import worker_pool
from ..model.media import LinkedFiles
from ..markup import placeholders
from ..model.config import Edition
from ..model.course import Course, Lesson, Module
from ..model.figures import FigureTable
from ..model.ledger import Ledger
from ..model.maps import LaidOutMap, MapTable
from ..model.output import PageInputs, PageLayout, PageSet, SearchScores
from ..model.plan import ModulePlan
from ..model.math import MathTable
from ..model.rendered import Rendered, RenderedCourse
from ..model.xrefs import TargetIndex, href_of, text_of
from ..theming.environment import Partials, make_environment, render_page, theme_dirs
from ..theming.highlight import code_stylesheet
from ..theming.map_models import MapView
from ..theming.models import (ConceptsPage, Depth, HomePage, IndexPage, LessonPage, ModuleMisconception, ModulePage,
                              NotFoundPage, SiteInfo)
from ..theming.text import tex_words
from ..progress import stage
from .assets import katex_assets, media_files, theme_assets
from .figures import figure_assets
from .map_views import map_view
from .page_views import (depth_scale, gain_views, glossary_entries, index_items, load_bars, module_grid, nav_of,
                         prerequisite_views)
from .plan import plan_module
from .search import build_search_index

NAV_EXPAND_ALL = 40
"""Up to this many lessons the sidebar lists them all, and the ledger page shows every module's depth grid; beyond,
the sidebar lists the current module's lessons and each grid is on its module's page only (pages stay small)."""


@stage("rendering pages", lambda p: f"{p.rendered} rendered, {len(p.kept)} carried over from the last build")
def render_pages(course: Course, ledger: Ledger, rendered: RenderedCourse, math: MathTable, figures: FigureTable,
                 maps: MapTable, media: LinkedFiles, live_reload: bool, last: Mapping[str, PageInputs],
                 layout: PageLayout = PageLayout.SITE, scored: SearchScores | None = None) -> PageSet:
    """Every file of the site; `last`: what each page of the last build into the same folder was made from, and
    `scored` what its search index was scored from; `layout`: the website, or pages for an LMS package (no site
    navigation or search)."""
    config = course.config
    env = make_environment(config)
    text = PageText(Partials(env), math, figures, {lesson.slug: lesson.title for lesson in course.lessons},
                    rendered.targets)
    depths = depth_scale(config.depths)
    nav = nav_of(course, {slug: (text.plain(doc, doc.fragments.summary), text.html(doc, doc.fragments.summary, figures=False))
                          for slug, doc in rendered.lessons.items()})
    site = SiteInfo(config.title, config.description, config.language, nav, config.repo_url, _site_url(config.url),
                    sum(len(m.lessons) for m in nav) <= NAV_EXPAND_ALL, tuple(depths.values()),
                    instructor=config.edition is Edition.INSTRUCTOR, lms=layout is not PageLayout.SITE,
                    scorm=layout is PageLayout.SCORM)
    cards_have_math = any(placeholders.has_math(doc.fragments.summary) for doc in rendered.lessons.values())
    nav_modules = {m.id: m for m in nav}
    nav_lessons = {lesson.slug: lesson for m in nav for lesson in m.lessons}
    grids = {m.id: module_grid(course, ledger, m, nav_modules[m.id], depths) for m in course.modules}
    from ..katex import KATEX_VERSION

    shared = content_key(theme_fingerprint(theme_dirs(config)), builder_fingerprint(), _settings(course), live_reload,
                         repr(site), sorted((c.id, c.name) for c in course.concepts.values()), KATEX_VERSION)
    inputs: dict[str, PageInputs] = {}
    pending: dict[str, Callable[[], bytes]] = {}  # the lesson and module pages to render again, each one job

    def lesson_page(module: Module, i: int, lesson: Lesson) -> bytes:
        doc = rendered.whole(lesson.slug)
        frags = doc.fragments
        body = text.html(doc, frags.body)
        module_nav = nav_modules[module.id]
        return render_page(env, "lesson.html", LessonPage(
            site=site, live_reload=live_reload, root="../", title=lesson.title,
            description=nav_lessons[lesson.slug].summary or text.plain(doc, frags.objective),
            url_path=f"{lesson.slug}/", has_math=bool(doc.math), has_figures=bool(doc.figures), has_code=_has_code(body),
            lesson_slug=lesson.slug, lesson_type=lesson.type, module_id=module.id, module_title=module.title,
            position=i + 1, count=len(module.lessons), title_html=text.html(doc, frags.title),
            objective_html=Markup() if _opens_with_objective(body) else text.html(doc, frags.objective), summary_html=text.html(doc, frags.summary), body_html=body,
            prerequisites=prerequisite_views(course, lesson, depths, lambda c: text.html(doc, frags.why.get(c, ""))),
            gains=gain_views(course, lesson, ledger, depths, lambda c: text.html(doc, frags.notes.get(c, ""))),
            headings=doc.headings,
            previous=module_nav.lessons[i - 1] if i > 0 else None,
            next=module_nav.lessons[i + 1] if i + 1 < len(module.lessons) else None,
            edit_url=(config.repo_url + lesson.path) if config.repo_url else "", draft=lesson.draft,
            map=_map(maps.lessons.get(lesson.slug), course, depths, "../")))

    def module_page(module: Module, plan: ModulePlan) -> bytes:
        doc = rendered.modules[module.id]
        body = text.html(doc, doc.body)
        misconceptions = tuple(ModuleMisconception(text.html(doc, doc.claims[i]), nav_lessons.get(m.lesson),
                                                   "" if m.lesson else m.where)
                               for i, m in enumerate(plan.misconceptions))
        load = load_bars(plan)
        return render_page(env, "module.html", ModulePage(
            site=site, live_reload=live_reload, root="../../", title=module.title, description=module.goal,
            url_path=f"modules/{module.id}/", has_math=bool(doc.math) or cards_have_math, has_code=_has_code(body),
            module=nav_modules[module.id], goal_html=text.html(doc, doc.goal), body_html=body, misconceptions=misconceptions,
            grid=grids[module.id], load=load, max_load=max([bar.new for bar in load] + [1]), plan=plan,
            lessons={lesson.slug: nav_lessons[lesson.slug] for lesson in module.lessons},
            map=_map(maps.modules.get(module.id), course, depths, "../../")))

    for module in course.modules:
        for i, lesson in enumerate(module.lessons):
            doc = rendered.lessons[lesson.slug]
            path = f"{lesson.slug}/index.html"
            inputs[path] = {"site": shared, "place": f"{module.id}/{i}", "lesson": doc.digest, "draft": str(lesson.draft),
                            "xrefs": text.xref_digest(doc, doc.fragments.body),
                            "figures": content_key(repr([figures.figures.get(r.key) for r in doc.figures])),
                            "ledger": content_key(repr(_ledger_view(lesson.slug, course, ledger))),
                            "map": _map_key(maps.lessons.get(lesson.slug))}
            if last.get(path) != inputs[path]:
                pending[path] = functools.partial(lesson_page, module, i, lesson)
        doc = rendered.modules[module.id]
        path = f"modules/{module.id}/index.html"
        plan = plan_module(course, ledger, rendered, module)
        inputs[path] = {"site": shared, "module": content_key(repr(doc)), "xrefs": text.xref_digest(doc, doc.body),
                        "ledger": content_key(repr((grids[module.id], plan, cards_have_math))),
                        "map": _map_key(maps.modules.get(module.id))}
        if last.get(path) != inputs[path]:
            pending[path] = functools.partial(module_page, module, plan)
    pages = render_all(pending)
    glossary = rendered.glossary
    pages["concepts/index.html"] = render_page(env, "concepts.html", ConceptsPage(
        site=site, live_reload=live_reload, root="../", title="Concepts and the depth ledger",
        description=f"Every concept of {config.title}, its definition and depth lesson by lesson.", url_path="concepts/",
        has_math=bool(glossary.math), grids=tuple(grids.values()) if site.nav_expand_all else (),
        glossary=glossary_entries(course, ledger, nav_lessons, depths,
                                  lambda cid: text.html(glossary, glossary.definitions[cid]))))
    items = index_items(course, rendered)
    if items:
        pages["genindex/index.html"] = render_page(env, "genindex.html", IndexPage(
            site=site, live_reload=live_reload, root="../", title="Index", description=f"The index of {config.title}.",
            url_path="genindex/", has_math=False, items=items))
    pages["index.html"] = render_page(env, "home.html", HomePage(
        site=site, live_reload=live_reload, root="", title=config.title, description=config.description, url_path="",
        has_math=cards_have_math, concept_count=len(course.concepts), lesson_count=len(course.lessons)))
    pages["404.html"] = render_page(env, "404.html", NotFoundPage(
        site=site, live_reload=live_reload, root=config.base_url, title="Page not found", description="",
        url_path="404.html", has_math=False))
    kept = frozenset(path for path in inputs if path not in pages)
    if any(math.html.values()):
        pages["assets/css/math.css"] = text.math_css.encode("utf-8")
    pages["assets/css/code.css"] = code_stylesheet().encode("utf-8")
    if site.url:
        pages["sitemap.xml"] = render_sitemap(site.url, [path for path in [*pages, *kept] if path.endswith("index.html")]).encode("utf-8")
    files = dict(pages)  # the same bytes: pages and the files made beside them
    scores = None
    if not site.lms:
        index, scores = build_search_index(course, rendered, scored)
        files["assets/search-index.js"] = index.encode("utf-8")
    files.update(theme_assets(config, live_reload, site.lms, site.scorm, book=layout is PageLayout.BOOK))
    files.update(figure_assets(figures))
    files.update(media_files(config.root, media))
    if math.html:
        files.update(katex_assets())
    return PageSet(files, kept, inputs, rendered=len(pages), search=scores)


MIN_PARALLEL = 64
"""Pages below which rendering them in worker processes costs more than it saves."""
_PENDING: list[Callable[[], bytes]] = []
"""The jobs of the pool being run: set before its workers fork, so they inherit them and nothing is pickled."""


def render_all(pending: Mapping[str, Callable[[], bytes]]) -> dict[str, bytes]:
    """Each page's bytes, in order: many pages in forked worker processes (one per core), which inherit everything a
    page is made from; few, or where processes cannot fork from a single thread, here."""
    jobs = list(pending.values())
    workers = min(os.cpu_count() or 1, len(jobs) // (MIN_PARALLEL // 2))
    if len(jobs) < MIN_PARALLEL or workers < 2 or "fork" not in multiprocessing.get_all_start_methods() \
            or threading.active_count() > 1:
        return {path: job() for path, job in pending.items()}
    _PENDING[:] = jobs
    try:
        with worker_pool(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            made = list(pool.map(_render_pending, range(len(jobs)), chunksize=max(1, len(jobs) // (workers * 8))))
    finally:
        _PENDING.clear()
    return dict(zip(pending, made))


def _render_pending(i: int) -> bytes:
    return _PENDING[i]()


def _map_key(laid: LaidOutMap | None) -> str:
    """A page's map as one of its inputs."""
    return laid.key if laid else ""


class PageText:
    """Rendered fragments made final: placeholders filled (typeset formulas, figure partials, lesson titles), tables
    wrapped to scroll; or made plain text for meta descriptions."""

    def __init__(self, partials: Partials, math: MathTable, figures: FigureTable, titles: Mapping[str, str],
                 targets: TargetIndex, static: bool = False) -> None:
        """`static`: every figure drawn as a plain chart, an explorer in its starting state (for print)."""
        self.partials, self.figures, self.titles, self.targets, self.static = partials, figures, titles, targets, static
        self.formulas, self.math_css = math.html, math.stylesheet
        self._figure_html: dict = {}

    def html(self, doc: Rendered, fragment: str, figures: bool = True) -> Markup:
        """A fragment of the page `doc`, final."""
        figure_html = self._figures_of(doc) if figures else ()
        return Markup(_tables(self._fill(doc, fragment, figure_html)))

    def plain(self, doc: Rendered, fragment: str) -> str:
        """A fragment of the page `doc` as plain text, each formula spelled out in words."""
        words = {"M": lambda key: tex_words(doc.math[int(key)].tex), "L": lambda key: self.titles.get(key, key),
                 "F": lambda key: "", "T": lambda key: "", "R": lambda key: self._xref(doc, placeholders.xref_of(key))}
        html = placeholders.strip(fragment, lambda kind, key: words[kind](key))
        return " ".join(unescape(_TAG.sub("", html)).split())

    def _fill(self, doc: Rendered, html: str, figure_html: Sequence[str]) -> str:
        return placeholders.fill(html, self.formulas.get(doc.key, ()), figure_html, self.titles,
                                 formula_text=lambda n: tex_words(doc.math[n].tex), xref=lambda x: self._xref(doc, x))

    def xref_digest(self, doc: Rendered, fragment: str) -> str:
        """What the fragment's cross-references resolve to (a page shows other lessons' numbers and titles)."""
        seen: list[str] = []
        placeholders.strip(fragment, lambda kind, key: seen.append(self._xref(doc, placeholders.xref_of(key))) or ""
                           if kind == "R" else "")
        return content_key(seen)

    def _xref(self, doc: Rendered, xref: placeholders.Xref) -> str:
        """A cross-reference's address or text (a label no page defines was reported by check_references)."""
        found = self.targets.find(doc, xref.label, xref.lesson)
        if not found:
            return "#" + xref.label if xref.part == "href" else xref.label
        page, target = found[0]
        return href_of(doc, page, target, xref.root) if xref.part == "href" else text_of(target, xref.style)

    def _figures_of(self, doc: Rendered) -> list[str]:
        if doc.key not in self._figure_html:
            self._figure_html[doc.key] = [self._figure(doc, ref) for ref in doc.figures]
        return self._figure_html[doc.key]

    def _figure(self, doc: Rendered, ref) -> str:
        computed = self.figures.figures.get(ref.key)
        if computed is None:
            return ""
        import json

        spec = json.dumps(computed.spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        template = "explorer.html" if computed.kind == "explorer" and not self.static else "figure.html"
        dom_id = f"{doc.key.id}-{ref.dom_id}" if self.static else ref.dom_id  # print: all pages in one document
        return self.partials(template, figure=computed, dom_id=dom_id, caption_html=self._fill(doc, ref.caption_html, ()),
                             spec_json_html=spec, base="../", starting_state=computed.kind == "explorer")


@dataclass(frozen=True)
class _LedgerView:
    """What a lesson page shows of the ledger: its prerequisites' entries before it, its depth changes."""

    prerequisites: tuple
    changes: tuple
    reinforced: tuple
    teaches: tuple


def _ledger_view(slug: str, course: Course, ledger: Ledger) -> _LedgerView | None:
    step, lesson = ledger.at(slug), course.lesson(slug)
    if step is None or lesson is None:
        return None
    return _LedgerView(tuple((p.concept, step.before.get(p.concept)) for p in lesson.prerequisites), step.changes,
                       step.reinforced, tuple((t.concept, step.after.get(t.concept)) for t in lesson.teaches))


def _map(laid: LaidOutMap | None, course: Course, depths: Mapping[str, Depth], root: str) -> MapView | None:
    return map_view(laid, course, depths, root) if laid is not None else None


def _settings(course: Course) -> tuple:
    config = course.config
    return (config.title, config.description, config.language, config.base_url, config.url, config.repo_url,
            config.depths, config.math_macros)


def render_sitemap(site_url: str, page_paths: Sequence[str]) -> str:
    """sitemap.xml: one <url> per page, as the directory URLs readers see (no dates: builds stay byte-identical)."""
    from xml.sax.saxutils import escape

    locs = sorted(site_url + path.removesuffix("index.html") for path in page_paths)
    entries = "".join(f"  <url><loc>{escape(loc)}</loc></url>\n" for loc in locs)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n")


def _site_url(url: str) -> str:
    return url if not url or url.endswith("/") else url + "/"


_TAG = re.compile(r"<[^>]+>")
_ALIGN = re.compile(r' style="text-align:(left|center|right)"')


def _tables(html: str) -> str:
    """Markdown tables in a wrapper that scrolls on small screens; column alignment as classes (strict CSP)."""
    if "<table>" not in html:
        return html
    html = html.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return _ALIGN.sub(r' class="align-\1"', html)


def _opens_with_objective(body: str) -> bool:
    """Whether the lesson body opens with its own {objective} callout: the header then does not repeat the objective
    (on a phone the two copies would push the lesson's first heading off the first screen)."""
    return body.lstrip().startswith('<section class="callout callout-objective')


def _has_code(html: str) -> bool:
    return 'class="highlight"' in html
