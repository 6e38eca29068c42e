"""The course as a SCORM 1.2 package: one SCO per lesson, organized course > module > lessons.

Each lesson page loads the theme's scorm.js (pages rendered in the SCORM layout), which finds the LMS's API, reports
the lesson completed when the reader reaches its end and the quiz score when the lesson has quizzes. The files every
page uses are one shared asset resource. The ADL schema files (.xsd) are not copied in: they are third-party, and
LMSs import packages without them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..model.course import Course
from ..model.export import Package
from ..model.output import PageSet
from ..scaffold import slugify
from .lms import ident, package_files, xml_bytes

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMAS = (f"{CP} imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
           f"{ADLCP} adlcp_rootv1p2.xsd")


def make_scorm(course: Course, pages: PageSet) -> Package:
    """The package's files: the site in the SCORM layout and the manifest."""
    files = package_files(pages)
    files["imsmanifest.xml"] = _manifest(course, files)
    return Package(files, len(course.lessons), f"{len(course.lessons)} SCOs (one per lesson)")


def _manifest(course: Course, files: dict[str, bytes]) -> bytes:
    ET.register_namespace("", CP)
    ET.register_namespace("adlcp", ADLCP)
    ET.register_namespace("xsi", XSI)
    config = course.config
    root = ET.Element(_cp("manifest"), {"identifier": ident("course", slugify(config.title) or "course"), "version": "1.0",
                                        f"{{{XSI}}}schemaLocation": SCHEMAS})
    metadata = ET.SubElement(root, _cp("metadata"))
    ET.SubElement(metadata, _cp("schema")).text = "ADL SCORM"
    ET.SubElement(metadata, _cp("schemaversion")).text = "1.2"
    organizations = ET.SubElement(root, _cp("organizations"), default="organization")
    organization = ET.SubElement(organizations, _cp("organization"), identifier="organization")
    ET.SubElement(organization, _cp("title")).text = config.title
    resources = ET.SubElement(root, _cp("resources"))
    lesson_pages = set()
    for module in course.modules:
        folder = ET.SubElement(organization, _cp("item"), identifier=ident("M", module.id))
        ET.SubElement(folder, _cp("title")).text = f"Module {module.id}: {module.title}"
        for lesson in module.lessons:
            href = f"{lesson.slug}/index.html"
            lesson_pages.add(href)
            item = ET.SubElement(folder, _cp("item"), identifier=ident("I", lesson.slug),
                                 identifierref=ident("R", lesson.slug), isvisible="true")
            ET.SubElement(item, _cp("title")).text = lesson.title
            sco = ET.SubElement(resources, _cp("resource"), {"identifier": ident("R", lesson.slug), "type": "webcontent",
                                                              f"{{{ADLCP}}}scormtype": "sco", "href": href})
            ET.SubElement(sco, _cp("file"), href=href)
            ET.SubElement(sco, _cp("dependency"), identifierref="site")
    shared = ET.SubElement(resources, _cp("resource"), {"identifier": "site", "type": "webcontent",
                                                         f"{{{ADLCP}}}scormtype": "asset"})
    for path in sorted(files):
        if path not in lesson_pages and path != "imsmanifest.xml":
            ET.SubElement(shared, _cp("file"), href=path)
    return xml_bytes(root)


def _cp(tag: str) -> str:
    return f"{{{CP}}}{tag}"
