"""The course as one printable HTML document (theme/templates/book.html), from the same rendered lessons as the site:
a title page, the contents, each lesson in order (figures as static charts), the answers of every check and quiz,
the web links the lessons cite, and the glossary."""

from __future__ import annotations

import re

from markupsafe import Markup

from ..model.course import Course
from ..model.figures import FigureTable
from ..model.ledger import Ledger
from ..model.math import MathTable
from ..model.rendered import RenderedCourse
from ..stages.page_views import depth_scale, glossary_entries, nav_of
from ..stages.page_text import PageText
from ..theming.book_models import BookAnswer, BookChapter, BookPage, BookPart
from ..theming.environment import Partials, make_environment
from ..model.config import Edition

_LESSON_LINK = re.compile(r'href="\.\./([a-z0-9-]+)/index\.html(?:#([^"]*))?"')
_CONCEPT_LINK = re.compile(r'href="\.\./concepts/index\.html#([^"]*)"')
_WEB_LINK = re.compile(r'href="(https?://[^"]+)"')


def book_html(course: Course, ledger: Ledger, rendered: RenderedCourse, math: MathTable, figures: FigureTable) -> str:
    """book.html for the course: every lesson's text final, links between lessons made links inside the document."""
    config = course.config
    env = make_environment(config)
    text = PageText(Partials(env), math, figures, {lesson.slug: lesson.title for lesson in course.lessons},
                    rendered.targets, static=True)
    parts, answers, links = [], [], []
    number = 0
    for module in course.modules:
        chapters = []
        for lesson in module.lessons:
            number += 1
            doc = rendered.lessons[lesson.slug]
            body = _internal_links(str(text.html(doc, doc.fragments.body)))
            chapter = BookChapter(number, f"lesson-{lesson.slug}", lesson.title, text.html(doc, doc.fragments.title),
                                  lesson.type, text.html(doc, doc.fragments.objective), Markup(body))
            chapters.append(chapter)
            counted = [BookAnswer(f"{'Quiz' if a.kind == 'quiz' else 'Check'} {number}.{i}", text.html(doc, a.title_html),
                                  tuple(text.html(doc, c.html) for c in a.choices if c.correct),
                                  Markup(_internal_links(str(text.html(doc, a.answer_html)))))
                       for i, a in enumerate(doc.assessments, 1)]
            if counted:
                answers.append((chapter, tuple(counted)))
            cited = tuple(dict.fromkeys(_WEB_LINK.findall(body)))
            if cited:
                links.append((chapter, cited))
        doc = rendered.modules[module.id]
        parts.append(BookPart(module.id, module.title, text.html(doc, doc.goal), tuple(chapters)))
    depths = depth_scale(config.depths)
    nav = {lesson.slug: lesson for m in nav_of(course, {slug: ("", Markup("")) for slug in rendered.lessons}) for lesson in m.lessons}
    glossary = rendered.glossary
    entries = glossary_entries(course, ledger, nav, depths, lambda cid: text.html(glossary, glossary.definitions[cid]))
    book = BookPage(config.title, config.description, config.language, config.edition is Edition.INSTRUCTOR,
                    tuple(parts), tuple(answers), entries, tuple(links),
                    has_math=any(math.html.values()), has_figures=bool(figures.figures))
    return env.get_template("book.html").render(book=book)


def _internal_links(html: str) -> str:
    """Links to other lessons and to the glossary, made links inside the one document."""
    html = _LESSON_LINK.sub(lambda m: f'href="#lesson-{m.group(1)}"' if not m.group(2) else f'href="#{m.group(2)}"', html)
    return _CONCEPT_LINK.sub(r'href="#concept-\1"', html)
