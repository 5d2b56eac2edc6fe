"""Error classes of the dev split (acc19: text written outside the team) in ultrasound, duplex, mammography,
bone density, nuclear medicine, PET, radiographs, fluoroscopy and guidance, fixed with general rules.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # the line under the title that dates the pregnancy by an earlier study ("GA 21w0d by first-trimester US",
    # "Gestational age by early ultrasound: ...") names that earlier study, not a second exam title: the
    # title's detailed anatomic survey is the exam (76811; the additional gestation 76812)
    ("DETAILED FETAL ANATOMY SCAN\nGA 21w0d by first-trimester US. Indication: maternal lupus.\n"
     "Singleton, vertex. FHR 150. Anterior placenta, clear of the os.\nDetailed survey of the brain, face, "
     "spine, four-chamber heart and outflow tracts, abdominal wall, kidneys, limbs: normal.\n"
     "Impression: Normal detailed fetal anatomy.", ["76811"]),
    ("OB ULTRASOUND - DETAILED FETAL ANATOMIC EXAM\nGestational age by early ultrasound: 19 weeks 6 days. "
     "Reason: IVF conception.\nTwin pregnancy, dichorionic. Twin A and Twin B: detailed anatomy including "
     "heart views, spine and kidneys normal. Biometry concordant.\nImpression: Normal detailed anatomy of both "
     "twins.", ["76811", "76812"]),
])
def test_dating_line_under_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the body says the title's side was ordered in error and names the side imaged: the side performed is
    # billed (CODING_RULES §6)
    ("XR HUMERUS LT\nHistory: fall onto outstretched arm.\nAP and lateral views of the RIGHT humerus (left "
     "side entered on the order in error; confirmed with the patient).\nFindings: Impacted surgical neck "
     "fracture.\nImpression: Right proximal humerus fracture.", ["73060-RT"]),
    ("XR ANKLE RT 3V\nHistory: twisted ankle.\nAP, mortise and lateral views of the LEFT ankle (order placed for "
     "right in error, confirmed with the patient).\nFindings: No fracture.\nImpression: Negative left ankle.",
     ["73610-LT"]),
])
def test_title_side_ordered_in_error(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title of two parts ("WRIST / HAND", "ANKLE AND FOOT") with one side named once: when the technique images
    # the other side, that side is the exam's, as under a one-part title (CODING_RULES §6)
    ("US LT ANKLE / FOOT SOFT TISSUE\nHistory: lump.\nTechnique: Targeted ultrasound of the palpable nodule at the "
     "lateral right ankle.\nFindings: 9 mm ganglion.\nImpression: Ganglion cyst.", ["76882-RT"]),
    ("US RT ELBOW / FOREARM MASS\nIndication: soft tissue mass.\nTechnique: Focused sonography over the lump, "
     "volar left forearm.\nFindings: 2 cm lipoma.\nImpression: Lipoma.", ["76882-LT"]),
])
def test_two_part_title_other_side(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title whose dashes turn its clauses ("DXA - QCT NOT AVAILABLE - STANDARD DXA DONE"): the negation is the
    # unavailable study's, the study said done after the dash was performed (CODING_RULES §6)
    ("DXA - QCT NOT AVAILABLE - STANDARD DXA DONE\nOrder: CT BONE DENSITY\nHistory: 66F, early menopause.\n"
     "Lumbar spine L1-L4 T -2.6. Left femoral neck T -2.0. Left total hip T -1.7.\nImpression: Osteoporosis.",
     ["77080"]),
    ("BONE DENSITY DXA - QCT UNAVAILABLE - CENTRAL DXA PERFORMED\nHx: 70M on androgen deprivation.\n"
     "L1-L4 T -1.2. Right femoral neck T -1.9.\nImpression: Osteopenia.", ["77080"]),
])
def test_title_clauses_turned_at_dash(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a view proposed on a condition after it ("lateral decubitus or CT if perforation suspected", "Lateral view if
    # needed") is no view of this study (CODING_RULES §4: the views documented)
    ("KUB PORTABLE\nIndication: abdominal distension.\nSupine abdominal radiograph. Dilated loops of small bowel up "
     "to 3.8 cm.\nIMP: Small bowel obstruction pattern; upright or left lateral decubitus view if perforation is "
     "suspected.", ["74018"]),
    ("XR CHEST PORTABLE\nHistory: line placement.\nAP portable chest. Right PICC tip at the cavoatrial junction. "
     "No pneumothorax.\nIMPRESSION: Line in good position. Lateral view if needed.", ["71045"]),
])
def test_view_proposed_on_condition(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # views the report says someone else reads ("...; this is not interpreted here", "reported separately") are no
    # views of this study (CODING_RULES §4: the documented views of the study read)
    ("XR ANKLE LEFT\nTechnique: AP and lateral views of the left ankle. An external rotation stress view was also "
     "performed by the orthopedic surgeon under fluoroscopy; this is not interpreted here.\nFindings: Medial clear "
     "space normal.\nImpression: Stable fixation.", ["73600-LT"]),
    ("XR ANKLE RIGHT\nTechnique: AP and lateral views of the right ankle; an external rotation stress view by the "
     "surgeon, reported separately.\nFindings: Syndesmotic screw intact.\nImpression: Healing fracture.",
     ["73600-RT"]),
])
def test_views_read_elsewhere(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a dictation without punctuation, where the words mark the clauses: a clause said done alone ("endovaginal
    # ultrasound only") is not the negated one before it
    ("ultrasound pelvis complete was ordered transabdominal images not obtained because the bladder was empty "
     "endovaginal ultrasound only history pelvic pain findings uterus normal ovaries normal no free fluid impression "
     "normal pelvic ultrasound", ["76830"]),
])
def test_unpunctuated_dictation_clauses(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a banner line of labelled fields above the exam's header is no title: the facility's name ("Bone and Joint
    # Institute") names no exam
    ("Patient class: Outpatient | Facility: Lakeside Bone and Joint Clinic | Acc 7730112 | Tech: B. Ray\n"
     "PROCEDURE: XR TIBIA FIBULA LEFT 2 VIEWS\nCLINICAL INDICATION: shin pain in a runner.\nTECHNIQUE: AP and "
     "lateral views of the left tibia and fibula.\nIMPRESSION: No stress fracture.", ["73590-LT"]),
    ("Patient type: ED | Facility: Bone and Joint Institute | Acc 4410923 | Tech: R. Lin\nPROCEDURE: XR ANKLE RIGHT "
     "3 VIEWS\nINDICATION: inversion injury.\nTECHNIQUE: AP, mortise and lateral views of the right ankle.\n"
     "IMPRESSION: No fracture.", ["73610-RT"]),
])
def test_banner_line_above_exam_header(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
