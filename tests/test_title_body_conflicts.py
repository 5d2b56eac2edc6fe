"""Title (or order) against technique / body (issue 12): the code follows what was performed and
documented, the title or order becomes a flag (CODING_RULES §2, §4, §6). Each class has several
wordings and a negative. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


def _conflict(rec: dict) -> bool:
    return "title_technique_conflict" in flag_types(rec)


# ---------------------------------------------------------------- the order, not the performed side

@pytest.mark.parametrize(("text", "expected"), [
    ("EXAM: XR WRIST LEFT 3 VIEWS\nHISTORY: Fall on outstretched right hand.\nTECHNIQUE: PA, oblique and "
     "lateral views of the right wrist. The requisition listed the left wrist; the right wrist was imaged "
     "after speaking with the ordering provider.\nFINDINGS: Distal radius fracture.", ["73110-RT"]),
    ("EXAM: XR ANKLE RIGHT 3 VIEWS\nTECHNIQUE: AP, mortise and lateral views of the left ankle. The order "
     "was entered for the right ankle in error.\nFINDINGS: No fracture.", ["73610-LT"]),
    ("EXAM: XR KNEE LEFT 2 VIEWS\nTECHNIQUE: AP and lateral views of the right knee; the study was ordered "
     "for the left knee but the patient's complaint is on the right.\nFINDINGS: Small effusion.",
     ["73560-RT"]),
])
def test_side_named_as_the_order_is_not_the_side_imaged(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert _conflict(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # the order's side agrees with what was imaged: no conflict, the side stays
    ("EXAM: XR WRIST LEFT 3 VIEWS\nTECHNIQUE: PA, oblique and lateral views of the left wrist as listed on "
     "the requisition.\nFINDINGS: No fracture.", ["73110-LT"]),
    ("EXAM: XR ANKLE RIGHT 3 VIEWS\nTECHNIQUE: AP, mortise and lateral views of the right ankle.\n"
     "FINDINGS: Old fracture of the left ankle is not imaged.", ["73610-RT"]),
])
def test_side_imaged_as_titled_stays(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert not _conflict(rec)


@pytest.mark.parametrize(("text", "expected"), [
    ("CT ABD/PEL W CON\nTECHNIQUE: Initially ordered as a noncontrast stone study; performed after 100 mL "
     "Omnipaque 350 IV through the abdomen and pelvis in the portal venous phase only.\nFINDINGS: "
     "Pyelonephritis.", ["74177"]),
    ("EXAM: MRI LUMBAR SPINE WITHOUT CONTRAST\nTECHNIQUE: Originally requested as a study without and with "
     "contrast; sagittal and axial T1 and T2 images were obtained and no contrast was given.\nFINDINGS: "
     "Disc bulge.", ["72148"]),
])
def test_contrast_named_as_the_order_is_not_the_contrast_given(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


# ---------------------------------------------------------------- views withdrawn, contrast deferred

@pytest.mark.parametrize(("text", "expected"), [
    ("XR CHEST 2V PA/LAT\nTECHNIQUE: Single upright AP view; the lateral was not obtainable.\nFINDINGS: "
     "Small effusions.", ["71045"]),
    ("EXAM: XR CHEST 2 VIEWS\nTECHNIQUE: Portable AP view only. Lateral view not possible, patient "
     "intubated.\nFINDINGS: Lines and tubes in place.", ["71045"]),
    # both views done: the count stands
    ("EXAM: XR CHEST 2 VIEWS\nTECHNIQUE: PA and lateral views.\nFINDINGS: Clear lungs.", ["71046"]),
])
def test_view_not_obtainable_does_not_count(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected", "conflict"), [
    ("EXAM: MRI BRAIN WITH AND WITHOUT CONTRAST\nTECHNIQUE: Sagittal T1, axial T2, FLAIR and DWI images. "
     "Gadolinium was not administered (no IV access). Post-contrast imaging can be scheduled if needed.\n"
     "FINDINGS: Normal.", ["70551"], True),
    ("EXAM: MRI CERVICAL SPINE W WO CONTRAST\nTECHNIQUE: Sagittal and axial T1 and T2 images. Contrast was "
     "not given because of an eGFR of 22; postcontrast images will be scheduled after dialysis.\n"
     "FINDINGS: Disc osteophyte at C5-6.", ["72141"], True),
    # the post-contrast series was done: without then with, no conflict
    ("EXAM: MRI BRAIN WITH AND WITHOUT CONTRAST\nTECHNIQUE: Sagittal T1, axial T2 and FLAIR images, then "
     "axial and coronal T1 images after 7 mL gadobutrol IV.\nFINDINGS: Normal.", ["70553"], False),
])
def test_contrast_series_to_be_scheduled_is_not_performed(sg, text, expected, conflict):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert _conflict(rec) == conflict


# ---------------------------------------------------------------- the pelvis not scanned

@pytest.mark.parametrize("text", [
    "EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Axial CT of the abdomen after 100 mL Omnipaque "
    "350 IV. The pelvis was not imaged at the oncologist's request.\nFINDINGS: Liver metastases.",
    "CT ABD/PEL W CON\nTECHNIQUE: Helical CT after IV contrast in the portal venous phase.\nFINDINGS: Normal "
    "liver.\nADDENDUM: The acquisition ended at the iliac crests; the pelvis was not scanned. This is a CT of "
    "the abdomen with contrast.",
    "EXAM: CT ABDOMEN PELVIS W IV CONTRAST\nTECHNIQUE: Multiphase CT of the liver after IV contrast, from the "
    "dome to the iliac crests; the pelvis was not included per the liver protocol.\nFINDINGS: Hemangioma.",
])
def test_pelvis_not_imaged_bills_the_abdomen(sg, text):
    rec = sg.suggest(text)
    assert codes(rec) == ["74160"]
    assert _conflict(rec)


@pytest.mark.parametrize("text", [
    # "no ... in the pelvis" is a finding, not an extent
    "EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Helical CT of the abdomen and pelvis after IV "
    "contrast. No pelvic fluid.\nFINDINGS: Normal.",
    "EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Helical CT after IV contrast.\nFINDINGS: No free "
    "fluid in the pelvis.",
])
def test_pelvis_scanned_stays_combined(sg, text):
    assert codes(sg.suggest(text)) == ["74177"]


# ---------------------------------------------------------------- the order line above the title

@pytest.mark.parametrize(("text", "expected"), [
    ("ORDERED: CT ABDOMEN AND PELVIS WITH CONTRAST\nCT ABDOMEN WITH CONTRAST\nTECHNIQUE: CT of the abdomen "
     "after IV Omnipaque. The pelvis was not scanned.\nFINDINGS: Normal.", ["74160"]),
    ("ORDERED: XR KNEE RIGHT 3 VIEWS\nXR KNEE RIGHT 2 VIEWS\nTECHNIQUE: AP and lateral views of the right "
     "knee.\nFINDINGS: No fracture.", ["73560-RT"]),
    ("ORDER: MRI LUMBAR SPINE W WO CONTRAST\nMRI LUMBAR SPINE WITHOUT CONTRAST\nHISTORY: Back pain.\n"
     "TECHNIQUE: Sagittal and axial T1 and T2 images. No contrast was given.", ["72148"]),
])
def test_order_line_above_the_title(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "performed_differs_from_ordered" in flag_types(rec)


# ---------------------------------------------------------------- an addendum's contrast series

@pytest.mark.parametrize(("text", "expected"), [
    # a contrast series added to the plain study of the same visit
    ("EXAM: MRI BRAIN WO CONTRAST\nTECHNIQUE: Sagittal T1, axial T2, FLAIR and DWI.\nFINDINGS: Cortical "
     "lesion.\nADDENDUM: The patient remained on the table and postcontrast T1 images were obtained after "
     "7 mL gadoteridol IV. No enhancement.", ["70553"]),
    ("EXAM: MRI LUMBAR SPINE WITHOUT CONTRAST\nTECHNIQUE: Sagittal and axial T1 and T2 images.\nFINDINGS: "
     "Postoperative changes.\nADDENDUM: Additional post-gadolinium sagittal and axial T1 images were "
     "acquired. Enhancing epidural fibrosis.", ["72158"]),
    # a plain series the addendum says came first: without then with, not without
    ("CT ABD/PEL W CON\nTECHNIQUE: Nephrographic and excretory phases after 100 mL Omnipaque IV.\n"
     "FINDINGS: Bladder lesion.\nADDENDUM: A noncontrast series of the abdomen and pelvis was acquired first "
     "as part of the hematuria protocol. Technique corrected: CT abdomen and pelvis without and with IV "
     "contrast.", ["74178"]),
    # an addendum correcting the contrast (no added series): with
    ("EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial images of the head.\nFINDINGS: Normal.\nADDENDUM: "
     "Correction: the study was performed after 75 mL Omnipaque 350 IV.", ["70460"]),
])
def test_addendum_contrast_series(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert _conflict(rec)


# ---------------------------------------------------------------- one side of a bilateral title

@pytest.mark.parametrize(("text", "expected"), [
    ("EXAM: US CAROTID DUPLEX BILATERAL\nTECHNIQUE: Only the left carotid and vertebral arteries were examined "
     "at the patient's request.\nFINDINGS: Left ICA PSV 90 cm/s.", ["93882-LT"]),
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nTECHNIQUE: The right leg only was scanned; the left "
     "leg is in a cast.\nFINDINGS: No DVT.", ["93971-RT"]),
    ("EXAM: XR KNEES BILATERAL 2 VIEWS\nTECHNIQUE: AP and lateral views. Only the right knee was imaged; the "
     "patient declined the left.\nFINDINGS: Osteoarthritis.", ["73560-RT"]),
])
def test_only_one_side_examined(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert _conflict(rec)


@pytest.mark.parametrize("text", [
    # an earlier study's one side (history), and a finding on one side of a study of both
    "EXAM: US CAROTID DUPLEX BILATERAL\nHISTORY: Prior study in which only the right carotid was examined.\n"
    "TECHNIQUE: Both carotid systems were examined.\nFINDINGS: Normal.",
    "EXAM: US CAROTID DUPLEX BILATERAL\nTECHNIQUE: Grayscale, color and spectral Doppler of both carotid "
    "systems.\nFINDINGS: Only the right ICA shows plaque; the left was examined and is normal.",
])
def test_both_sides_examined_stay_bilateral(sg, text):
    rec = sg.suggest(text)
    assert codes(rec) == ["93880"]
    assert not _conflict(rec)
