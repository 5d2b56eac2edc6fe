"""Stop 43 (rul43g): one-line billing exports (part eb_a, written outside the team), in reports of our own.

- an inline "IMPRESSION:" / "FINDINGS:" run on after the title on its line, one blank before it and no period
  ("MRI LT ELBOW WO IMPRESSION: ..."), was read as part of the title: the read's words coded exams of their own.
"""

from __future__ import annotations

import pytest
from conftest import codes

from suggester.sections import split_sections

REPORTS = [
    # the inline impression header after a title in capitals, one blank before it
    ("MRI LT ELBOW WO IMPRESSION: partial tear of the common extensor origin.", ["73221-LT"]),
    ("MRI ANKLE RT WO FINDINGS: peroneus brevis split tear. IMPRESSION: as above.", ["73721-RT"]),
    ("XR KNEE LT 3 VIEWS IMPRESSION: moderate medial compartment narrowing.", ["73562-LT"]),
    ("CT ABDOMEN W IMPRESSION: 6 mm lung base nodule, follow-up advised", ["74160"]),
    ("XR ANKLE LT 3 VIEWS IMPRESSION: no fracture; foot soft tissue swelling", ["73610-LT"]),
    ("XR ANKLE LT 3 VIEWS FINDINGS: no fracture. Foot soft tissue swelling.", ["73610-LT"]),
    # real head exams on one line still code
    ("CT HEAD WO IMPRESSION: no acute intracranial abnormality", ["70450"]),
    ("MRI BRAIN WO IMPRESSION: chronic small vessel ischemic change", ["70551"]),
]


@pytest.mark.parametrize("text,expected", REPORTS)
def test_rul43g_reports(sg, text: str, expected: list[str]) -> None:
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize("text,title,header", [
    ("MRI LT ELBOW WO IMPRESSION: partial tear of the common extensor origin.", "MRI LT ELBOW WO", "IMPRESSION"),
    ("XR KNEE LT 3 VIEWS FINDINGS: moderate medial compartment narrowing.", "XR KNEE LT 3 VIEWS", "FINDINGS"),
    ("EXAM: CT ABDOMEN W IMPRESSION: 6 mm lung base nodule", "CT ABDOMEN W", "IMPRESSION"),
])
def test_rul43g_inline_header_after_title(sg, text: str, title: str, header: str) -> None:
    sections = split_sections(text, sg.lex.sections, openers=sg.lex.modality_words())
    exam = [s for s in sections if s.name == "exam"]
    assert [s.text(text).strip() for s in exam] == [title]
    assert header in [s.header for s in sections]


@pytest.mark.parametrize("text", [
    # a label in capitals of the exam's part inside a report in mixed case stays in its line
    "Findings:\nMAMMOGRAPHY TECHNIQUE: Standard CC and MLO views.",
    "History: pain.\nCT HEAD FINDINGS: No hemorrhage.",
])
def test_rul43g_label_in_body_stays(sg, text: str) -> None:
    sections = split_sections(text, sg.lex.sections, openers=sg.lex.modality_words())
    assert all(s.header not in ("TECHNIQUE", "FINDINGS") for s in sections)
