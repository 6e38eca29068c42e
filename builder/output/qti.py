"""A lesson's knowledge checks and quizzes as one QTI 1.2 assessment, in the Common Cartridge 1.3 profile.

A quiz is a multiple-choice item (multiple response when it marks several choices right) that scores 100 for the
correct choice and shows the explanation as feedback; a check is an essay item whose feedback is its answer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .lms import xml_bytes

NAMESPACE = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
SCHEMA = "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_qtiasiv1p2p1_v1p0.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class QtiChoice:
    """A quiz choice, final HTML."""

    html: str
    correct: bool


@dataclass(frozen=True)
class QtiItem:
    """One check or quiz, its HTML final (placeholders filled for an LMS)."""

    ident: str
    title: str
    """Plain text."""
    question_html: str
    choices: tuple[QtiChoice, ...]
    """Empty for a check (an essay item)."""
    feedback_html: str


def assessment_xml(ident: str, title: str, items: Sequence[QtiItem]) -> bytes:
    """The QTI document of one assessment holding `items`."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(_q("questestinterop"), {f"{{{XSI}}}schemaLocation": f"{NAMESPACE} {SCHEMA}"})
    assessment = ET.SubElement(root, _q("assessment"), ident=ident, title=title)
    _metadata(assessment, "qtimetadata", {"cc_profile": "cc.exam.v0p1", "qmd_assessmenttype": "Examination",
                                          "qmd_scoretype": "Percentage", "cc_maxattempts": "unlimited"})
    section = ET.SubElement(assessment, _q("section"), ident=f"{ident}_section")
    for item in items:
        (_choice_item if item.choices else _essay_item)(section, item)
    return xml_bytes(root)


def _choice_item(section: ET.Element, item: QtiItem) -> None:
    correct = [i for i, choice in enumerate(item.choices) if choice.correct]
    several = len(correct) > 1
    element = _item(section, item, "cc.multiple_response.v0p1" if several else "cc.multiple_choice.v0p1")
    presentation = ET.SubElement(element, _q("presentation"))
    _material(presentation, item.question_html)
    response = ET.SubElement(presentation, _q("response_lid"), ident="response1",
                             rcardinality="Multiple" if several else "Single")
    render = ET.SubElement(response, _q("render_choice"), shuffle="No")
    labels = [f"{item.ident}_c{i + 1}" for i in range(len(item.choices))]
    for label, choice in zip(labels, item.choices):
        _material(ET.SubElement(render, _q("response_label"), ident=label), choice.html)
    processing = _processing(element)
    condition = ET.SubElement(processing, _q("respcondition"), {"continue": "No"})
    test = ET.SubElement(condition, _q("conditionvar"))
    if several:  # every right choice and no wrong one
        test = ET.SubElement(test, _q("and"))
    for i, label in enumerate(labels):
        if i in correct:
            ET.SubElement(test, _q("varequal"), respident="response1").text = label
        elif several:
            ET.SubElement(ET.SubElement(test, _q("not")), _q("varequal"), respident="response1").text = label
    ET.SubElement(condition, _q("setvar"), action="Set", varname="SCORE").text = "100"
    _feedback(element, item)


def _essay_item(section: ET.Element, item: QtiItem) -> None:
    element = _item(section, item, "cc.essay.v0p1")
    presentation = ET.SubElement(element, _q("presentation"))
    _material(presentation, item.question_html)
    response = ET.SubElement(presentation, _q("response_str"), ident="response1", rcardinality="Single")
    ET.SubElement(ET.SubElement(response, _q("render_fib")), _q("response_label"), ident="answer1", rshuffle="No")
    _processing(element)
    _feedback(element, item)


def _item(section: ET.Element, item: QtiItem, profile: str) -> ET.Element:
    element = ET.SubElement(section, _q("item"), ident=item.ident, title=item.title)
    _metadata(ET.SubElement(element, _q("itemmetadata")), "qtimetadata", {"cc_profile": profile})
    return element


def _processing(item: ET.Element) -> ET.Element:
    """resprocessing: a 0-100 score, and the feedback shown whatever the response (the first condition)."""
    processing = ET.SubElement(item, _q("resprocessing"))
    ET.SubElement(ET.SubElement(processing, _q("outcomes")), _q("decvar"), maxvalue="100", minvalue="0", varname="SCORE",
                  vartype="Decimal")
    always = ET.SubElement(processing, _q("respcondition"), {"continue": "Yes"})
    ET.SubElement(ET.SubElement(always, _q("conditionvar")), _q("other"))
    ET.SubElement(always, _q("displayfeedback"), feedbacktype="Response", linkrefid="general_fb")
    return processing


def _feedback(item: ET.Element, qti: QtiItem) -> None:
    feedback = ET.SubElement(item, _q("itemfeedback"), ident="general_fb")
    _material(ET.SubElement(feedback, _q("flow_mat")), qti.feedback_html)


def _material(parent: ET.Element, html: str) -> None:
    ET.SubElement(ET.SubElement(parent, _q("material")), _q("mattext"), texttype="text/html").text = html


def _metadata(parent: ET.Element, tag: str, fields: dict[str, str]) -> None:
    metadata = ET.SubElement(parent, _q(tag))
    for label, entry in fields.items():
        field = ET.SubElement(metadata, _q("qtimetadatafield"))
        ET.SubElement(field, _q("fieldlabel")).text = label
        ET.SubElement(field, _q("fieldentry")).text = entry


_q: Callable[[str], str] = lambda tag: f"{{{NAMESPACE}}}{tag}"  # noqa: E731 - a tag in the QTI namespace
