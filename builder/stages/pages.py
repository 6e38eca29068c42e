"""The page stage: the course, its ledger, the rendered fragments, typeset math and computed figures -> every file of
the site (pages through the theme's templates, the stylesheets the build makes, the search index, assets).

A lesson or module page whose inputs are those of the last build into the same folder is not rendered again: the
writer carries the published file over. An edit to one lesson re-renders that lesson, and other pages only when
what they show of it changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..incremental.codec import encode
from ..incremental.keys import builder_fingerprint, content_key, theme_fingerprint
from ..interrupts import run_forked
from ..model.media import LinkedFiles
from ..markup import placeholders
from ..model.config import Edition
from ..model.course import Course, Lesson, Module
from ..model.figures import FigureTable
from ..model.ledger import Ledger
from ..model.maps import LaidOutMap, MapTable
from ..model.output import PageInputs, PageLayout, PageSet, SearchScores
from ..model.math import MathTable
from ..model.rendered import RenderedCourse, RenderedModule
from ..theming.environment import Partials, make_environment, render_page
from ..theming.folders import theme_dirs
from ..theming.highlight import code_stylesheet
from ..theming.map_models import MapView
from ..theming.models import (ConceptsPage, Depth, HomePage, IndexPage, LedgerGrid, LessonPage, ModuleMisconception,
                              ModulePage, NotFoundPage, SiteInfo)
from ..progress import stage
from .assets import katex_assets, media_files, theme_assets
from .figures import figure_assets
from .map_views import map_view
from .page_views import (depth_scale, gain_views, glossary_entries, index_items, load_bars, module_grid, nav_of,
                         prerequisite_views)
from .plan import plan_module
from .page_text import PageText
from .search import build_search_index
from .structure import structure_digest

MIN_PARALLEL = 64
"""Pages below which rendering them in worker processes costs more than it saves."""
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
    made_grids: dict[str, LedgerGrid] = {}

    def grid_of(module: Module) -> LedgerGrid:
        """A module's depth grid, made when first asked for (a page rendered again, or no earlier build to compare)."""
        if module.id not in made_grids:
            made_grids[module.id] = module_grid(course, ledger, module, nav_modules[module.id], depths)
        return made_grids[module.id]

    structure = structure_digest(course)

    def ledger_input(path: str, make: Callable[[], str], name: str = "ledger") -> str:
        """What a page shows of the ledger, as one of its inputs: the last build's, when the course's structure
        (which the ledger follows from) is as it was then, so a prose edit makes no grid or ledger view."""
        earlier = last.get(path) or {}
        return earlier[name] if earlier.get("structure") == structure and name in earlier else make()
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

    def module_page(module: Module) -> bytes:
        plan = plan_module(course, ledger, rendered, module)
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
            grid=grid_of(module), load=load, max_load=max([bar.new for bar in load] + [1]), plan=plan,
            lessons={lesson.slug: nav_lessons[lesson.slug] for lesson in module.lessons},
            map=_map(maps.modules.get(module.id), course, depths, "../../")))

    for module in course.modules:
        for i, lesson in enumerate(module.lessons):
            doc = rendered.lessons[lesson.slug]
            path = f"{lesson.slug}/index.html"
            inputs[path] = {"site": shared, "place": f"{module.id}/{i}", "lesson": doc.digest, "draft": str(lesson.draft),
                            "xrefs": text.xref_digest(doc, doc.fragments.body),
                            "figures": content_key(repr([figures.figures.get(r.key) for r in doc.figures])),
                            "structure": structure,
                            "ledger": ledger_input(path, lambda: content_key(repr(_ledger_view(lesson.slug, course, ledger)))),
                            "map": _map_key(maps.lessons.get(lesson.slug))}
            if last.get(path) != inputs[path]:
                pending[path] = functools.partial(lesson_page, module, i, lesson)
        doc = rendered.modules[module.id]
        path = f"modules/{module.id}/index.html"
        inputs[path] = {"site": shared, "module": _module_key(doc), "xrefs": text.xref_digest(doc, doc.body),
                        "structure": structure,
                        "grid": ledger_input(path, functools.partial(lambda m: content_key(_grid_key(grid_of(m))), module), "grid"),
                        "plan": _plan_key(course, rendered, module, structure, cards_have_math),
                        "map": _map_key(maps.modules.get(module.id))}
        if last.get(path) != inputs[path]:
            pending[path] = functools.partial(module_page, module)
    pages = dict(zip(pending, run_forked(list(pending.values()), MIN_PARALLEL)))
    glossary = rendered.glossary
    shown_grids = (lambda: tuple(grid_of(m) for m in course.modules)) if site.nav_expand_all else tuple
    inputs["concepts/index.html"] = {
        "site": shared, "glossary": content_key(encode(glossary)),
        "xrefs": text.xref_digest(glossary, "".join(glossary.definitions.values())),
        "figures": content_key(repr([figures.figures.get(r.key) for r in glossary.figures])),
        "aliases": content_key(sorted((cid, concept.aliases) for cid, concept in course.concepts.items())),
        "structure": structure,
        "ledger": ledger_input("concepts/index.html", lambda: _concepts_key(ledger, [_grid_key(grid) for grid in shown_grids()]))}
    if last.get("concepts/index.html") != inputs["concepts/index.html"]:  # every concept: a large page, rarely changed
        pages["concepts/index.html"] = render_page(env, "concepts.html", ConceptsPage(
            site=site, live_reload=live_reload, root="../", title="Concepts and the depth ledger",
            description=f"Every concept of {config.title}, its definition and depth lesson by lesson.", url_path="concepts/",
            has_math=bool(glossary.math), grids=shown_grids(),
            glossary=glossary_entries(course, ledger, nav_lessons, depths,
                                      lambda cid: text.html(glossary, glossary.definitions[cid]))))
    items = index_items(course, rendered)
    if items:
        pages["genindex/index.html"] = render_page(env, "genindex.html", IndexPage(
            site=site, live_reload=live_reload, root="../", title="Index", description=f"The index of {config.title}.",
            url_path="genindex/", has_math=False, items=items))
    inputs["index.html"] = {"site": shared, "home": content_key(cards_have_math, len(course.concepts), len(course.lessons))}
    if last.get("index.html") != inputs["index.html"]:  # the lesson cards: a sizeable page, the same after most edits
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


def _plan_key(course: Course, rendered: RenderedCourse, module: Module, structure: str, cards_have_math: bool) -> str:
    """What a module's plan (stages/plan.py) is made from, as one of its page's inputs: the course's structure (the
    ledger), the new-concept caps, the module's title and misconceptions, and of each of its lessons what the plan
    shows (place, title, type, draft, teaches, where its misconceptions are addressed, its checks' and quizzes' kinds,
    probes and assesses). Cheaper than making every module's plan to compare it."""
    docs = [rendered.lessons.get(lesson.slug) for lesson in module.lessons]
    lessons = [(lesson.slug, lesson.position, lesson.title, lesson.type, lesson.draft,
                [(t.concept, t.depth) for t in lesson.teaches], [m.where for m in lesson.misconceptions],
                [(a.kind, a.probes, a.assesses) for a in (doc.assessments if doc else ())])
               for lesson, doc in zip(module.lessons, docs)]
    return content_key("plan", structure, sorted(course.config.rules.max_new_concepts.items()), module.id, module.title,
                       [(m.claim, m.where) for m in module.misconceptions], lessons, cards_have_math)


def _module_key(doc: RenderedModule) -> str:
    """A module page's rendering as one of its inputs: in its cache form, where every set is sorted (its `repr`
    follows the hash order of strings, which differs between processes)."""
    return content_key(encode(doc))


def _grid_key(grid: LedgerGrid) -> list:
    """A module's depth grid as one of its page's inputs, in plain values (a grid has a cell per concept and lesson,
    and the repr of each cell's Depth cost more than the rest of the page's inputs): depths by name, since the
    scale is one of the site's inputs, and the module's navigation is in the site's too."""
    return [(row.id, row.name, row.before.name if row.before else None,
             [(cell.depth.name if cell.depth else None, cell.changed, cell.taught) for cell in row.cells]) for row in grid.rows]


def _concepts_key(ledger: Ledger, grids: list) -> str:
    """What the concepts page shows of the ledger, as one of its inputs: each concept's depth before the course, the
    depth each lesson taught it to, and the grids it shows (the names, the scale and the lessons' titles are among
    the site's inputs)."""
    taught = [(step.slug, [(cid, step.after[cid].depth) for cid in [c.concept for c in step.changes] + list(step.reinforced)])
              for step in ledger.lessons]
    return content_key(taught, sorted((cid, entry.depth) for cid, entry in ledger.prior.items()), grids)


def _map_key(laid: LaidOutMap | None) -> str:
    """A page's map as one of its inputs."""
    return laid.key if laid else ""


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


def _opens_with_objective(body: str) -> bool:
    """Whether the lesson body opens with its own {objective} callout: the header then does not repeat the objective
    (on a phone the two copies would push the lesson's first heading off the first screen)."""
    return body.lstrip().startswith('<section class="callout callout-objective')


def _has_code(html: str) -> bool:
    return 'class="highlight"' in html
