"""Error classes of the enlarged dev split in ultrasound, duplex, mammography and DXA (issue 12: the
retired calibration parts cal_au..cal_bd, template-generated and hand-written production styles),
fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # "VFA" alone is the DXA vertebral fracture assessment: a bone density study, never a spine radiograph
    ("EXAM: VFA ONLY\nINDICATION: Height loss.\nTECHNIQUE: Lateral spine VFA T4-L4; BMD measured elsewhere "
     "last spring.\nFINDINGS: Grade 2 wedge deformity of T11.\nIMPRESSION: T11 vertebral fracture.", ["77086"]),
    ("VFA [DXVFA] 12/01/2026\nHX: KYPHOSIS.\nLATERAL THORACOLUMBAR IMAGE T4-L4. NO DEFORMITY.\nIMP: NO "
     "VERTEBRAL FRACTURE.", ["77086"]),
    ("Exam: VFA. Reason: long-term steroids. T4 through L4 evaluated; mild (grade 1) deformity of L1. "
     "Impression: mild L1 deformity.", ["77086"]),
    # a bone density study with a VFA is 77085; the spine radiograph stays a radiograph
    ("EXAM: DXA HIPS AND SPINE WITH VFA\nFINDINGS: L1-L4 T-score -2.0. Left femoral neck T-score -1.8. VFA: "
     "no fracture.\nIMPRESSION: Osteopenia.", ["77085"]),
    ("EXAM: XR THORACIC SPINE 1 VIEW LATERAL\nINDICATION: Back pain.\nFINDINGS: Mild wedging of T8.\n"
     "IMPRESSION: T8 wedge deformity.", ["72020"]),
])
def test_vfa_shorthand_is_dxa(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title naming the modality and the VFA alone takes its bone density sites from the technique even
    # when the same clause goes on to the VFA ("spine and hip ... with lateral VFA")
    ("EXAM: DXA WITH VFA\nTECHNIQUE: DXA of the lumbar spine and left hip with lateral vertebral fracture "
     "assessment.\nFINDINGS: L1-L4 T-score -1.9. Left femoral neck T-score -2.2. VFA: grade 2 deformity of "
     "T12.\nIMPRESSION: Osteopenia with T12 fracture.", ["77085"]),
    ("EXAM: BONE DENSITY W/ VFA\nTECHNIQUE: Lumbar spine and bilateral hips plus VFA.\nIMPRESSION: "
     "Osteopenia. No vertebral fracture.", ["77085"]),
    ("EXAM: DEXA WITH VFA\nTECHNIQUE: AP spine and right hip with lateral VFA T4-L4.\nIMPRESSION: "
     "Osteoporosis.", ["77085"]),
    # the spine the VFA covers is its extent, not a bone density site
    ("EXAM: DXA WITH VFA\nTECHNIQUE: Lateral VFA of the thoracic and lumbar spine; BMD not measured today.\n"
     "IMPRESSION: Grade 1 deformity of T7.", ["77086"]),
    ("EXAM: DXA VFA\nTECHNIQUE: Lateral spine VFA image, T4-L4.\nIMPRESSION: No fracture.", ["77086"]),
])
def test_vfa_title_takes_bone_density_sites_of_its_clause(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
