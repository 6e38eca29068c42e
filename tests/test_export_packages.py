"""`course export --format imscc|scorm12`: the shipped module as LMS packages whose manifests parse, list every
lesson, reference only files inside the zip, hold one QTI item per check or quiz (IMS CC), and whose pages work from
the unzipped folder; deterministic; atomic; nothing written on error; editions respected."""

from __future__ import annotations

import posixpath
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import BASE, REPO, run
from instructor_notes import note_phrases

CP13 = "{http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1}"
CP12 = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
_REF = re.compile(r'(?:href|src|data-plotly-src)="([^"]*)"')


@pytest.fixture(scope="module")
def shipped():
    """The shipped module's course, rendered whole (to count its lessons and compare each quiz's choices: `course
    check`'s own result keeps of each assessment only what the checks count, not its text and choices)."""
    from builder.incremental import Memo
    from builder.load.config import load_config
    from builder.model.rendered import Detail
    from builder.pipeline import check_course

    return check_course(load_config(REPO), Memo.for_project(REPO, True), detail=Detail.WHOLE)


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    """The shipped module exported in both formats and both editions."""
    from builder.model.config import Edition
    from builder.model.export import ExportFormat
    from builder.pipeline import export

    out = tmp_path_factory.mktemp("packages")
    made = {}
    for fmt in (ExportFormat.IMSCC, ExportFormat.SCORM12):
        for edition in Edition:
            made[f"{fmt.value}-{edition.value}"] = export(REPO, fmt, out / f"{fmt.value}-{edition.value}{fmt.suffix}",
                                                         edition=edition).path
    return made


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_files(root: ET.Element, cp: str) -> set[str]:
    return {f.get("href") for f in root.iter(f"{cp}file")} | {r.get("href") for r in root.iter(f"{cp}resource") if r.get("href")}


@pytest.mark.parametrize("fmt, cp", [("imscc", CP13), ("scorm12", CP12)])
def test_manifest_parses_lists_every_lesson_and_only_files_inside_the_zip(packages, shipped, fmt, cp):
    files = members(packages[f"{fmt}-student"])
    assert next(iter(files)) == "imsmanifest.xml"
    root = ET.fromstring(files["imsmanifest.xml"])
    lessons = shipped.course.lessons
    resources = {r.get("identifier"): r for r in root.iter(f"{cp}resource")}
    launched = [(item.findtext(f"{cp}title"), resources[item.get("identifierref")].get("href"))
                for item in root.iter(f"{cp}item") if item.get("identifierref")
                and resources[item.get("identifierref")].get("type") == "webcontent"]
    assert launched == [(lesson.title, f"{lesson.slug}/index.html") for lesson in lessons]
    referenced = manifest_files(root, cp)
    assert referenced <= set(files), referenced - set(files)
    assert set(files) - referenced == {"imsmanifest.xml"}  # and nothing in the zip that the manifest does not list
    for resource in resources.values():
        for dependency in resource.iter(f"{cp}dependency"):
            assert dependency.get("identifierref") in resources


def test_scorm_manifest_has_one_sco_per_lesson(packages, shipped):
    root = ET.fromstring(members(packages["scorm12-student"])["imsmanifest.xml"])
    assert root.findtext(f"{CP12}metadata/{CP12}schemaversion") == "1.2"
    scos = [r.get("href") for r in root.iter(f"{CP12}resource") if r.get(f"{ADLCP}scormtype") == "sco"]
    assert scos == [f"{lesson.slug}/index.html" for lesson in shipped.course.lessons]


def test_imscc_has_one_qti_item_per_check_or_quiz(packages, shipped):
    files = members(packages["imscc-student"])
    root = ET.fromstring(files["imsmanifest.xml"])
    assert root.findtext(f"{CP13}metadata/{CP13}schemaversion") == "1.3.0"
    quizzes = {r.find(f"{CP13}file").get("href") for r in root.iter(f"{CP13}resource")
               if r.get("type") == "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"}
    total = 0
    for lesson in shipped.course.lessons:
        assessments = shipped.rendered.lessons[lesson.slug].assessments
        path = f"assessments/{lesson.slug}.xml"
        assert path in quizzes
        items = list(ET.fromstring(files[path]).iter(f"{QTI}item"))
        assert len(items) == len(assessments), lesson.slug
        for item, assessment in zip(items, assessments):
            profile = item.findtext(f"{QTI}itemmetadata/{QTI}qtimetadata/{QTI}qtimetadatafield/{QTI}fieldentry")
            feedback = item.findtext(f"{QTI}itemfeedback/{QTI}flow_mat/{QTI}material/{QTI}mattext")
            assert feedback and "\x02" not in feedback  # the answer, every placeholder filled
            if assessment.kind == "check":
                assert profile == "cc.essay.v0p1" and item.find(f".//{QTI}response_str") is not None
                continue
            assert profile in ("cc.multiple_choice.v0p1", "cc.multiple_response.v0p1")
            labels = [label.get("ident") for label in item.iter(f"{QTI}response_label")]
            right = {labels[i] for i, choice in enumerate(assessment.choices) if choice.correct}
            scored = [c for c in item.iter(f"{QTI}respcondition") if c.find(f"{QTI}setvar") is not None]
            assert {v.text for v in scored[0].iter(f"{QTI}varequal")} >= right
            assert len(labels) == len(assessment.choices)
        total += len(items)
    assert total == sum(len(doc.assessments) for doc in shipped.rendered.lessons.values()) >= 50


def test_qti_text_has_mathml_and_no_raw_placeholders_or_site_links(packages):
    files = members(packages["imscc-student"])
    text = "".join(data.decode() for path, data in files.items() if path.startswith("assessments/"))
    assert "\x02" not in text and "\x03" not in text
    assert "&lt;math xmlns=" in text and "katex-html" not in text
    assert "../concepts/index.html" not in text


@pytest.mark.parametrize("fmt", ["imscc", "scorm12"])
def test_every_page_of_the_unzipped_package_references_only_its_own_files(packages, fmt, tmp_path):
    files = members(packages[f"{fmt}-student"])
    pages = [path for path in files if path.endswith(".html")]
    missing = []
    for page in pages:
        for ref in _REF.findall(files[page].decode()):
            if re.match(r"^(https?:|mailto:|data:|#)", ref) or not ref:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), ref.split("#")[0].split("?")[0]))
            if target not in files:
                missing.append((page, ref))
    assert not missing
    lesson = files["training-dynamics/index.html"].decode()
    assert "search.js" not in lesson and 'class="sidebar"' not in lesson and 'class="pager"' not in lesson
    assert ("assets/js/scorm.js" in lesson) is (fmt == "scorm12")
    assert ("assets/js/scorm.js" in files) is (fmt == "scorm12")


def test_exports_are_byte_identical(packages, tmp_path):
    from builder.model.export import ExportFormat
    from builder.pipeline import export

    for fmt in (ExportFormat.IMSCC, ExportFormat.SCORM12):
        again = export(REPO, fmt, tmp_path / f"again{fmt.suffix}").path
        assert again.read_bytes() == packages[f"{fmt.value}-student"].read_bytes()


@pytest.mark.parametrize("fmt", ["imscc", "scorm12"])
def test_student_package_has_no_instructor_note_and_the_instructor_package_each(packages, fmt):
    student = "\n".join(data.decode("utf-8", "replace") for data in members(packages[f"{fmt}-student"]).values())
    instructor = members(packages[f"{fmt}-instructor"])
    for source, phrases in note_phrases(REPO).items():
        slug = source.rsplit("/", 1)[1].removesuffix(".md").split("-", 1)[1]
        page = instructor[f"{slug}/index.html"].decode()
        for phrase in phrases:
            assert phrase not in student
            assert phrase in page


def test_an_export_with_errors_writes_nothing_and_prints_the_findings(project):
    root = project({"lessons/1.3/02-second.md": BASE["lessons/1.3/02-second.md"].replace("## Worked example", "## Worked $\\frac{1}{$")})
    target = root / "out.imscc"
    code, out = run("export", str(root), "--format", "imscc", "--out", str(target))
    assert code == 1
    assert "lessons/1.3/02-second.md" in out and "CB410" in out and "Nothing was written" in out
    assert not target.exists() and not list(root.glob(".out.imscc.tmp-*"))


def test_a_failed_export_leaves_an_existing_package_untouched(project):
    root = project()
    target = root / "course.zip"
    assert run("export", str(root), "--format", "scorm12", "--out", str(target))[0] == 0
    before = target.read_bytes()
    (root / "lessons/1.3/03-third.md").write_text("---\ntitle: [\n---\n")
    assert run("export", str(root), "--format", "scorm12", "--out", str(target))[0] == 1
    assert target.read_bytes() == before


@pytest.mark.parametrize("out, says", [("lessons/x.imscc", "inside the source folder `lessons/`"),
                                       ("site.yaml", "must end in `.imscc`"), ("content", "is a folder")])
def test_unsafe_outputs_are_refused(project, out, says):
    root = project()
    before = (root / "site.yaml").read_bytes()
    code, text = run("export", str(root), "--format", "imscc", "--out", str(root / out))
    assert code == 1 and "CB500" in text and says in text
    assert (root / "site.yaml").read_bytes() == before and not (root / "lessons/x.imscc").exists()


def test_the_default_output_is_under_export(project):
    root = project()
    code, text = run("export", str(root), "--format", "imscc", "--edition", "instructor")
    assert code == 0, text
    assert (root / "_export/test-course-instructor.imscc").is_file() and "_export/test-course-instructor.imscc" in text


def test_an_export_interrupted_while_writing_leaves_the_old_package_and_no_temporary_file(tmp_path):
    target = tmp_path / "course.imscc"
    command = [sys.executable, "-m", "builder.cli", "export", str(REPO), "--format", "imscc", "--out", str(target), "-q"]
    assert subprocess.run(command, capture_output=True).returncode == 0
    before = target.read_bytes()
    for _ in range(5):
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        tmp = tmp_path / f".course.imscc.tmp-{proc.pid}"
        caught = False
        while proc.poll() is None:
            if tmp.exists():
                proc.send_signal(signal.SIGSTOP)
                if tmp.exists():
                    proc.send_signal(signal.SIGINT)
                    caught = True
                proc.send_signal(signal.SIGCONT)
                break
            time.sleep(0.0005)
        _, err = proc.communicate(timeout=120)
        if caught:
            break
    else:
        pytest.skip("never caught the export while it was writing its temporary file")
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["course.imscc"]
