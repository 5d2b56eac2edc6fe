"""Error classes of the enlarged dev split in CT, CTA, MR, MRA and PET (issue 13: the retired
calibration parts cal_bm..cal_bt, written by hand outside the team), fixed with general rules.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # volume renderings the scanner console (or its software) made on its own, with no physician
    # interpretation of them documented: a by-product of the acquisition, not the rendering service
    # 76376 describes "with interpretation and reporting"
    ("EXAM: CT WRIST LEFT WITHOUT CONTRAST\nHISTORY: Fall on outstretched hand.\nTECHNIQUE: Axial 0.6 mm "
     "images of the left wrist with sagittal and coronal reformats; volume-rendered 3D images were produced "
     "automatically at the scanner console.\nFINDINGS: Nondisplaced scaphoid waist fracture.\nIMPRESSION: "
     "Scaphoid waist fracture.", ["73200-LT"]),
    ("CT HEEL RIGHT WO CONTRAST\nHx: fall from a roof, calcaneal fracture on radiographs.\nTech: noncontrast "
     "helical images of the right hindfoot, MPR, and 3D VR images sent to PACS by the scanner software.\n"
     "Findings: Comminuted intra-articular calcaneal fracture, Sanders III.\nImpression: as above.",
     ["73700-RT"]),
    # "reviewed" with no reader named documents no interpretation of the rendering
    ("CT FACIAL BONES WITHOUT CONTRAST\nHISTORY: Assault.\nTECHNIQUE: Axial 1 mm images with reformats; "
     "surface-rendered 3D images made by the technologist on the scanner console were reviewed.\nFINDINGS: "
     "Nasal bone fractures.\nIMPRESSION: Nasal bone fractures.", ["70486"]),
    # negative: a console rendering the radiologist reviews and reports bills 76376; one made on an
    # independent workstation 76377
    ("EXAM: CT WRIST LEFT WITHOUT CONTRAST WITH 3D\nHISTORY: Fall.\nTECHNIQUE: Axial images with reformats. "
     "3D volume-rendered images were generated at the scanner console and interpreted by the radiologist.\n"
     "FINDINGS: The 3D images show a displaced dorsal rim fragment.\nIMPRESSION: Distal radius fracture.",
     ["73200-LT", "76376"]),
    ("EXAM: CT PELVIS WITHOUT CONTRAST\nHISTORY: Acetabular fracture.\nTECHNIQUE: Axial images with "
     "reformats; 3D volume-rendered images were created on an independent workstation and interpreted by "
     "the radiologist.\nFINDINGS: Posterior wall fracture.\nIMPRESSION: As above.", ["72192", "76377"]),
])
def test_console_rendering_without_interpretation_is_no_3d_service(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
