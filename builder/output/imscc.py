"""The course as an IMS Common Cartridge 1.3: the organization is course > module > lessons, each lesson page a web
content resource (with one shared resource of the files the pages use), and each lesson's checks and quizzes one
QTI 1.2 assessment placed after it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markupsafe import Markup

from ..model.course import Course
from ..model.export import Package
from ..model.output import PageSet
from ..model.math import MathTable
from ..model.rendered import Assessment, RenderedCourse, RenderedLesson
from ..scaffold import slugify
from ..theming.environment import Partials, make_environment
from .lms import AssessmentText, ident, package_files, xml_bytes
from .qti import QtiChoice, QtiItem, assessment_xml

CP = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM_MANIFEST = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMAS = (f"{CP} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd "
           f"{LOM_MANIFEST} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd")
WEB_CONTENT = "webcontent"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"


def make_imscc(course: Course, rendered: RenderedCourse, math: MathTable, pages: PageSet) -> Package:
    """The cartridge's files: the site in the LMS layout, a QTI file per lesson with checks or quizzes, the manifest."""
    files = package_files(pages)
    text = AssessmentText(math, {lesson.slug: lesson.title for lesson in course.lessons})
    partials = Partials(make_environment(course.config))
    assessments = {}
    for lesson in course.lessons:
        doc = rendered.lessons[lesson.slug]
        if doc.assessments:
            items = [_item(doc, n, a, text, partials) for n, a in enumerate(doc.assessments, 1)]
            assessments[lesson.slug] = (f"assessments/{lesson.slug}.xml", len(items))
            files[assessments[lesson.slug][0]] = assessment_xml(ident("A", lesson.slug), _quiz_title(lesson.title), items)
    files["imsmanifest.xml"] = _manifest(course, files, assessments)
    count = sum(n for _, n in assessments.values())
    return Package(files, len(course.lessons) + count,
                   f"{len(course.lessons)} lessons, {count} QTI items in {len(assessments)} assessments")


def _item(doc: RenderedLesson, n: int, assessment: Assessment, text: AssessmentText, partials: Partials) -> QtiItem:
    choices = tuple(QtiChoice(text.html(doc, c.html), c.correct) for c in assessment.choices)
    question = partials("lms_question.html", title_html=text.html(doc, assessment.title_html),
                        prompt_html=text.html(doc, assessment.prompt_html))
    feedback = partials("lms_answer.html", correct=[Markup(c.html) for c in choices if c.correct],
                        answer_html=text.html(doc, assessment.answer_html))
    kind = "Quiz" if assessment.kind == "quiz" else "Check"
    title = text.plain(doc, assessment.title_html) or f"{kind} {n}"
    return QtiItem(ident("Q", doc.key.id, str(n)), title, question, choices, feedback)


def _quiz_title(lesson_title: str) -> str:
    return f"{lesson_title}: checks and quiz"


def _manifest(course: Course, files: dict[str, bytes], assessments: dict[str, tuple[str, int]]) -> bytes:
    ET.register_namespace("", CP)
    ET.register_namespace("lomimscc", LOM_MANIFEST)
    ET.register_namespace("xsi", XSI)
    config = course.config
    root = ET.Element(_cp("manifest"), {"identifier": ident("course", slugify(config.title) or "course"),
                                        f"{{{XSI}}}schemaLocation": SCHEMAS})
    metadata = ET.SubElement(root, _cp("metadata"))
    ET.SubElement(metadata, _cp("schema")).text = "IMS Common Cartridge"
    ET.SubElement(metadata, _cp("schemaversion")).text = "1.3.0"
    general = ET.SubElement(ET.SubElement(metadata, _lom("lom")), _lom("general"))
    ET.SubElement(ET.SubElement(general, _lom("title")), _lom("string"), language=config.language).text = config.title
    if config.description:
        ET.SubElement(ET.SubElement(general, _lom("description")), _lom("string"), language=config.language).text = config.description
    organization = ET.SubElement(ET.SubElement(root, _cp("organizations")), _cp("organization"),
                                 identifier="organization", structure="rooted-hierarchy")
    top = ET.SubElement(organization, _cp("item"), identifier="root")
    resources = ET.SubElement(root, _cp("resources"))
    lesson_pages = {f"{lesson.slug}/index.html" for lesson in course.lessons}
    for module in course.modules:
        folder = ET.SubElement(top, _cp("item"), identifier=ident("M", module.id))
        ET.SubElement(folder, _cp("title")).text = f"Module {module.id}: {module.title}"
        for lesson in module.lessons:
            _entry(folder, resources, ident("L", lesson.slug), lesson.title, WEB_CONTENT, f"{lesson.slug}/index.html")
            if lesson.slug in assessments:
                _entry(folder, resources, ident("A", lesson.slug), _quiz_title(lesson.title), ASSESSMENT,
                       assessments[lesson.slug][0], dependency=False)
    shared = ET.SubElement(resources, _cp("resource"), identifier="site", type=WEB_CONTENT)
    quizzes = {path for path, _ in assessments.values()}
    for path in sorted(files):
        if path not in lesson_pages and path not in quizzes and path != "imsmanifest.xml":
            ET.SubElement(shared, _cp("file"), href=path)
    return xml_bytes(root)


def _entry(folder: ET.Element, resources: ET.Element, name: str, title: str, kind: str, href: str,
           dependency: bool = True) -> None:
    """An item of the organization and the resource it launches."""
    item = ET.SubElement(folder, _cp("item"), identifier=f"I_{name}", identifierref=f"R_{name}")
    ET.SubElement(item, _cp("title")).text = title
    resource = ET.SubElement(resources, _cp("resource"), {"identifier": f"R_{name}", "type": kind,
                                                           **({"href": href} if kind == WEB_CONTENT else {})})
    ET.SubElement(resource, _cp("file"), href=href)
    if dependency:
        ET.SubElement(resource, _cp("dependency"), identifierref="site")


def _cp(tag: str) -> str:
    return f"{{{CP}}}{tag}"


def _lom(tag: str) -> str:
    return f"{{{LOM_MANIFEST}}}{tag}"
