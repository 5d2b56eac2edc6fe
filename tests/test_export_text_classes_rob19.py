"""Robustness on the dev split, branch rob19: text in the forms exports and RIS systems hand it over.
Covered here: a RIS ORDERED / PERFORMED pair above a dictated report that states its title again; a
one-line export (its lines joined with "," or ", ", a "," after each inline header) whose admin line
has a comma of its own before the title; an order line joined to the title of the exam done. The
reports are written for these tests (none copied from the data); each asserts the exact claim lines
under global billing for Medicare (CODING_RULES §2, §4, §6)."""

from __future__ import annotations

import warnings

import pytest
from conftest import codes

from suggester import Suggester
from suggester.noise import set_aside


@pytest.fixture(scope="module")
def s() -> Suggester:
    warnings.simplefilter("ignore")
    return Suggester(billing="global", payer="medicare")


def lines(s: Suggester, text: str) -> list[str]:
    return codes(s.suggest(text))


# --------------------------------------------------------------------------- the restated title
# A RIS header pair (ORDERED / PERFORMED, ordered = performed) above a dictated report whose own exam
# header restates the title as its first sentence ("EXAM: CT chest with contrast. HISTORY: ..."): the
# restated title is the title again, not a description of what was done; the technique's views and
# contrast decide as they do without the pair (CODING_RULES §6).

@pytest.mark.parametrize(("text", "want"), [
    ("ORDERED: XR wrist right 3 views\nPERFORMED: XR wrist right 3 views\nEXAM: XR wrist right 3 views. "
     "HISTORY: Fell off a bike, wrist pain. TECHNIQUE: PA and lateral views of the right wrist were obtained; "
     "the oblique view was not tolerated. FINDINGS: No fracture. IMPRESSION: Negative right wrist.",
     ["73100-RT"]),
    ("Ordered: CT chest with contrast\nPerformed: CT chest with contrast\nProcedure: CT chest with contrast. "
     "Indication: chronic cough, smoker. Technique: Axial images of the chest were acquired without "
     "intravenous contrast because of a prior contrast reaction. Findings: No mass. Impression: Negative.",
     ["71250"]),
    ("ORDERED EXAM: US abdomen complete\nPERFORMED EXAM: US abdomen complete\nEXAM: US abdomen complete. "
     "HISTORY: elevated liver enzymes. FINDINGS: The liver is normal in size and echotexture. The gallbladder "
     "has no stones. The common bile duct measures 4 mm. The pancreas is normal. The spleen measures 10 cm. "
     "Both kidneys are normal. The IVC is patent and the abdominal aorta is normal in caliber. "
     "IMPRESSION: Normal abdominal ultrasound.", ["76700"]),
])
def test_pair_above_a_restated_title(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # the same reports without the pair
    ("EXAM: XR wrist right 3 views. HISTORY: Fell off a bike, wrist pain. TECHNIQUE: PA and lateral views of "
     "the right wrist were obtained; the oblique view was not tolerated. FINDINGS: No fracture. IMPRESSION: "
     "Negative right wrist.", ["73100-RT"]),
    # a second exam header that describes what was done, in sentences, stays the technique
    ("EXAM: NM MYOCARDIAL PERFUSION SPECT REST/STRESS\nPROCEDURE: Regadenoson stress with gated SPECT imaging. "
     "Rest images were not acquired.\nIMPRESSION: No ischemia.", ["78451"]),
])
def test_second_exam_header_without_the_pair(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # a PERFORMED line that restates the ORDERED line only (no title of the same words above it) describes
    # what was done under the report's title
    ("BONE AGE\nHx: 9 yo boy, tall stature\nOrdered: One PA view of the left hand and wrist\nPerformed: One PA "
     "view of the left hand and wrist.\nBy the Greulich and Pyle atlas the bone age is 11 years 6 months; "
     "chronological age 9 years 3 months.\nIMP: Advanced bone age.", ["77072"]),
    ("PORTABLE CHEST\nHx: fever, cough.\nOrdered: AP and lateral views taken\nPerformed: AP and lateral views "
     "taken.\nRight lower lobe opacity. No effusion.\nIMP: Pneumonia.", ["71046"]),
])
def test_performed_restating_the_order_line_only(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- the admin line's own comma
# A one-line export joins an admin line that holds a comma of its own ("Ordering: Dr. T. Ruiz, ENT") to
# the title line in capitals after it with ", ": the join ends the admin line (whose mixed case runs back
# to its label, past the comma inside it), and the title is read as the title, not as the doctor's
# specialty run on into it.

@pytest.mark.parametrize(("text", "want"), [
    ("Accession:, C4410927  Referring: Dr. T. Ruiz, ENT, US SOFT TISSUE NECK, Indication:, lump under the "
     "jaw, Right submandibular gland 3.1 cm, normal. Left 2.9 cm, normal., No abnormal lymph nodes., "
     "IMPRESSION:, No abnormality., Reading physician:, P. Kwan, MD", ["76536"]),
    # a bracket in the title in mixed case ("(Tc-99m ...)") keeps the title a line in capitals
    ("Pt:, [REDACTED]  MRN: [REDACTED]  Ordering: Dr. S. Ito (GI), NM GASTRIC EMPTYING (Tc-99m sulfur colloid "
     "egg meal) SOLID, Imaging at 0, 1, 2 and 4 hours., Retention 12% at 4 h., IMPRESSION:, Normal., Reading "
     "physician:, P. Kwan, MD", ["78264"]),
])
def test_one_line_export_admin_comma_then_title(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # a title in capitals goes on after its own commas
    ("Riverside Imaging, Accession:, D5502180  Ordering: Dr. A. Lund, VASC SURG, ARTERIAL DUPLEX LOWER EXT "
     "BILAT, Common femoral, superficial femoral, popliteal and tibial arteries of both legs with color and "
     "spectral Doppler., RIGHT:, biphasic flow throughout. LEFT: popliteal stenosis, velocity ratio 2.8, "
     "monophasic distal., IMPRESSION:, Left popliteal stenosis., Reading physician:, P. Kwan, MD",
     ["93925"]),
    ("Accession:, E2231190  Ordering: Dr. J. Patel, PEDS, US HEAD INFANT, 3 wk old born at 30 weeks., Coronal "
     "and sagittal images through the anterior fontanelle., No hemorrhage., IMPRESSION:, Normal.", ["76506"]),
    ("Accession:, C4410927  Referring: Dr. T. Ruiz, CT HEAD WO, CT CERVICAL SPINE WO, History:, fall from a "
     "ladder, neck pain., Findings:, No acute intracranial abnormality. No cervical spine fracture., "
     "Impression:, Negative.", ["70450", "72125"]),
    ("EXAM:, MRI CERVICAL, THORACIC AND LUMBAR SPINE WO, History:, weakness in both legs, numbness., "
     "Findings:, Mild degenerative change, no cord compression., Impression:, No cord compression.",
     ["72141", "72146", "72148"]),
])
def test_one_line_export_title_commas_stay(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- order line + title
# A one-line export joins an order line and the title of the exam performed under it with ", "
# ("ORDER:, CT ABDOMEN AND PELVIS WITH CONTRAST, CT ABDOMEN WITH CONTRAST, Clinical:, ..."): the
# second exam name restates part of the order (its words, fewer of them), so it is the title of the
# exam performed, as on the report's own lines (CODING_RULES §6: the performed study is billed).

@pytest.mark.parametrize(("text", "want"), [
    ("ORDER:, MRI THORACIC SPINE WITH AND WITHOUT CONTRAST, MRI THORACIC SPINE, History:, mid back pain, no "
     "cancer history., Technique:, Sagittal T1, T2 and STIR, axial T2. No contrast was given per the "
     "radiologist's protocol., Findings:, Mild spondylosis., Impression:, No cord compression.", ["72146"]),
    ("ORDERED:, CT CHEST ABDOMEN AND PELVIS WITH CONTRAST, CT CHEST WITH CONTRAST, Clinical:, staging of "
     "a lung mass., Technique:, Axial CT of the chest after 80 mL of intravenous contrast; the abdomen and "
     "pelvis were not imaged at the oncologist's request., Findings:, Right upper lobe mass., Impression:, "
     "Lung mass.", ["71260"]),
    # the same with the report's own lines
    ("ORDERED: CT CHEST ABDOMEN AND PELVIS WITH CONTRAST\nCT CHEST WITH CONTRAST\nClinical: staging of a lung "
     "mass.\nTechnique: Axial CT of the chest after 80 mL of intravenous contrast; the abdomen and pelvis were "
     "not imaged at the oncologist's request.\nImpression: Lung mass.", ["71260"]),
])
def test_one_line_export_order_then_title(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- lower-cased export
# A lower-cased export of an arthrogram followed by the CT / MR of the joint the report itself reads: the
# scan named in lower case ("mr technique: ...", "ct: thin axial images ...") is the cross-sectional read
# (the arthrography and the CT / MR with contrast, CODING_RULES §2), as "MR TECHNIQUE:" is in capitals.

@pytest.mark.parametrize(("text", "want"), [
    ("right shoulder arthrogram with mr\nindication: 31 year old swimmer, shoulder pain, suspected labral tear.\n"
     "procedure: under fluoroscopic guidance a 22 gauge needle was placed into the right glenohumeral joint by an "
     "anterior approach and 12 ml of dilute gadolinium mixed with iodinated contrast was injected. fluoroscopic "
     "images show intra-articular contrast without extravasation.\nmr technique: fat-saturated t1 images of the "
     "right shoulder in three planes after the injection.\nfindings: the anterior labrum is torn. the rotator cuff "
     "is intact.\nimpression: anterior labral tear.", ["73040-RT", "73222-RT"]),
    ("left hip arthrogram\nhistory: 40 year old woman, groin pain, prior dysplasia.\nprocedure: using fluoroscopy "
     "a spinal needle was advanced into the left hip joint and 10 ml of iodinated contrast was injected; spot "
     "films show contrast filling the joint, no extravasation.\nct: thin axial images of the left hip were then "
     "obtained with coronal and sagittal reformats.\nfindings: the acetabular cartilage is thinned superiorly. no "
     "loose body.\nimpression: cartilage loss.", ["73525-LT", "73701-LT"]),
])
def test_lower_case_arthrogram_then_cross_sectional_read(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # the same in capitals, and a CT the lower-cased report only recommends
    ("RIGHT SHOULDER ARTHROGRAM WITH MR\nINDICATION: 31 year old swimmer, shoulder pain.\nPROCEDURE: Under "
     "fluoroscopic guidance a 22 gauge needle was placed into the right glenohumeral joint and 12 mL of dilute "
     "gadolinium mixed with iodinated contrast was injected. Fluoroscopic images show intra-articular contrast.\n"
     "MR TECHNIQUE: Fat-saturated T1 images of the right shoulder in three planes after the injection.\n"
     "IMPRESSION: Anterior labral tear.", ["73040-RT", "73222-RT"]),
    ("left hip arthrogram\nhistory: 40 year old woman, groin pain.\nprocedure: using fluoroscopy a spinal needle "
     "was advanced into the left hip joint and 10 ml of iodinated contrast was injected; spot films show contrast "
     "filling the joint, no extravasation. ct of the left hip was recommended for a later date.\nimpression: "
     "normal arthrogram.", ["73525-LT"]),
])
def test_arthrogram_cross_sectional_read_controls(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- the title's date of service
# A RIS title with its date of service in brackets ("US INFANT HIPS STATIC (DOS 3/2/26 9:15 AM)", then an
# accession): the bracket holds only the date, set aside with it; the title reads as it does without it.

@pytest.mark.parametrize(("text", "want"), [
    ("EXAM: US HIPS STATIC (DOS 2025-11-04 3:12 PM) Accession 66210933\nHistory: 2 mo F f/u DDH in Pavlik "
     "harness.\nComparison: 3 weeks prior, right alpha 52 deg.\nTechnique: Coronal images of both hips without "
     "stress maneuvers, in harness per orthopedics.\nFindings: Right alpha angle 62, coverage 55%. Left alpha "
     "angle 64, coverage 58%.\nImpression: Normal hips in harness.", ["76886"]),
    ("ct right knee without contrast (DOS 2026-01-07 14:02) Accession 77310045. hx tibial plateau fracture on "
     "radiographs. axial images with coronal and sagittal reformats. there is a depressed lateral tibial plateau "
     "fracture.\nimpression: schatzker ii fracture.", ["73700-RT"]),
    ("Pelvis, three views: AP, inlet and outlet (DOS 5/14/26 11:20 p.m.) Accession 99102384.\nHistory: fall from "
     "a horse.\nNo pelvic ring fracture.\nImpression: Negative.", ["72190"]),
])
def test_title_date_of_service_in_brackets(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "title"), [
    ("US HIPS STATIC (DOS 2025-11-04 3:12 PM) Accession 66210933", "US HIPS STATIC"),
    ("XR FOOT LT 3V (dos 4/1/26)", "XR FOOT LT 3V"),
    # a bracket that keeps words of its own stays
    ("CT HEAD WO (STROKE PROTOCOL) 04/01/2026", "CT HEAD WO (STROKE PROTOCOL)"),
])
def test_date_of_service_bracket_set_aside(text, title):
    assert set_aside(text)[0].strip() == title
