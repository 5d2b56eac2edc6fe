"""Stop 43 (rul43g): one-line billing exports (part eb_a, written outside the team) whose read names the head
of a bone, a muscle or an organ, in reports of our own.

- an inline "IMPRESSION:" / "FINDINGS:" run on after the title on its line, one blank before it and no period
  ("MRI LT ELBOW WO IMPRESSION: ..."), was read as part of the title: the read's words coded exams of their own;
- the head of a bone, a muscle or an organ ("long head of the biceps", "medial head of gastrocnemius",
  "head of the humerus", "pancreatic head", "2nd MT head", "ulnar head", "condylar head") was read as the
  cranium wherever the read reached the title: a brain MRI or a skull film was added to the real exam;
- (so did a reason in lower case after a run of blanks: "MRI ANKLE RT WO  nonhealing ulcer over the talar head.").
Real head exams named on one line still code: "CT HEAD WO IMPRESSION: ...", "XR ORBITS / CT HEAD",
"MRI BRAIN AND IAC".
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
    ("MRI LT ELBOW WO IMPRESSION: distal biceps short head tear", ["73221-LT"]),
    ("MRI THIGH RT WO IMPRESSION: biceps femoris long head strain", ["73718-RT"]),
    ("MRI RT SHOULDER WO IMPRESSION: partial tear of the long head of the biceps tendon", ["73221-RT"]),
    ("MRI CALF LT WO IMPRESSION: lateral head of gastrocnemius tear", ["73718-LT"]),
    ("MRI HIP LT WO IMPRESSION: reflected head of rectus femoris avulsion", ["73721-LT"]),
    ("XR SHOULDER LT 2 VIEWS IMPRESSION: head of the humerus fracture, impacted", ["73030-LT"]),
    ("XR ELBOW RT 2 VIEWS IMPRESSION: nondisplaced fracture of the head of the radius", ["73070-RT"]),
    ("MRI HAND RT WO IMPRESSION: erosion of the 2nd MC head", ["73218-RT"]),
    ("XR WRIST LT 3 VIEWS IMPRESSION: ulnar head erosion", ["73110-LT"]),
    ("CT ABDOMEN W IMPRESSION: 2 cm hypodense lesion in the head of the pancreas", ["74160"]),
    ("MRI TMJ BILAT WO IMPRESSION: flattening of the condylar heads", ["70336"]),
    # the reason in lower case after a run of blanks, then the read
    ("MRI ANKLE RT W WO  nonhealing ulcer over the talar head.  IMPRESSION: no osteomyelitis.", ["73723-RT"]),
    ("MRI FOOT LT WO  plantar ulcer beneath 5th MT head.", ["73718-LT"]),
    ("CT ABDOMEN W  pancreatic head mass.  IMPRESSION: resectable.", ["74160"]),
    # real head exams on one line still code
    ("CT HEAD WO IMPRESSION: no acute intracranial abnormality", ["70450"]),
    ("MRI BRAIN WO IMPRESSION: chronic small vessel ischemic change", ["70551"]),
    ("XR ORBITS / CT HEAD", ["70200", "70450"]),
    ("MRI BRAIN AND IAC", ["70551"]),
    ("CT HEAD WO  fall, hit head.  IMPRESSION: no acute hemorrhage.", ["70450"]),
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
