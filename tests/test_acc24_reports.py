"""Full-length reports as production writes and exports them: RIS / EHR exports with ORDERED /
PERFORMED headers (also over a pasted HL7 order segment or a CSV row), lower- and upper-case
corpora, accession numbers and dates in titles. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # an ORDERED / PERFORMED label over a pasted HL7 order segment: the segment is no report text,
    # the label on the next line is (the segment ends at its line)
    ("ORDERED: OBR|1||77120|XRSHL2^XR SHOULDER 2 VIEWS LT|||202612011030\n"
     "PERFORMED: OBR|1||77120|XRSHL2^XR SHOULDER 2 VIEWS LT|||202612011030\n"
     "OBX|1|TX|||LEFT SHOULDER 3 VIEWS: AP, axillary and scapular Y.\\.br\\No dislocation. No fracture.",
     ["73030-LT"]),
    ("ORDERED EXAM: OBR|1||66031|USRUQ^US ABDOMEN LIMITED\n"
     "PERFORMED EXAM: OBR|1||66031|USRUQ^US ABDOMEN LIMITED\n"
     "OBX|1|TX|||US RIGHT UPPER QUADRANT\\.br\\Gallstones without wall thickening. CBD 4 mm.",
     ["76705"]),
    # ... and the report's own "EXAM:" line under the emptied labels is the exam performed, not a technique
    ("MSH|^~\\&|RIS|HOSP|EMR|HOSP|202611300900||ORU^R01|M88120|P|2.3\n"
     "ORDERED EXAM: OBR|1|M88120|M88120|CTAP^CT ABD/PELVIS WO|||202611300900||||||||||||F\n"
     "PERFORMED EXAM: OBR|1|M88120|M88120|CTAP^CT ABD/PELVIS WO|||202611300900||||||||||||F\n"
     "OBX|1|TX|CTAP^CT ABD/PELVIS WO||EXAM: CT pelvis without contrast (abdomen/pelvis ordered; scan limited to the "
     "pelvis per the surgeon)||||||F\n"
     "OBX|2|TX|CTAP^CT ABD/PELVIS WO||FINDINGS: Left acetabular fracture. Bladder normal.||||||F", ["72192"]),
    # a CSV row's quoted fields glued by their commas: the modality word after the quote is read
    ("ACC,DESC,TEXT\nPERFORMED: 5512907,\"MRI KNEE WO RT\",\"MRI right knee without contrast\n"
     "5512907,\"MRI KNEE WO RT\",\"MRI right knee without contrast. Bucket handle tear of the medial meniscus.\"",
     ["73721-RT"]),
    ("EXAM: 8841230,MRI ANKLE WO LT\nFindings: Chronic ATFL tear.", ["73721-LT"]),
])
def test_export_headers_over_segments_and_rows(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a performed line that describes the lateral DXA images of the spine: a vertebral fracture assessment
    ("VERTEBRAL FRACTURE ASSESSMENT\nPERFORMED: Lateral DXA images, T4 to L4.\n"
     "Findings: Mild anterior wedging of T11, grade 1.", ["77086"]),
    ("DXA AXIAL SKELETON\nTechnique: AP lumbar spine and left hip. Lateral spine DXA was also acquired.\n"
     "Findings: T-score -2.7 at L1-L4. No vertebral fracture.", ["77085"]),
])
def test_lateral_dxa_is_vertebral_fracture_assessment(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a lower-cased RIS row whose accession and date were set aside before the dash: the title ends
    # at the dash, the read after it ("c/w", "w/", "facet") is no title word
    ("mri rt foot wo 10/14/2026 acc# 3301877 -- plantar pain. 7 mm lesion between the 2nd and 3rd "
     "metatarsal heads c/w neuroma.", ["73718-RT"]),
    ("ct knee lt wo 09/02/2026 acc 4410093 -- pt w/ twisting injury. impaction of the lateral femoral condyle, "
     "small fragment off the medial patellar facet.", ["73700-LT"]),
    ("CT ANKLE RT WO 09/02/2026 -- PT W/ FALL. NONDISPLACED FIBULA FX.", ["73700-RT"]),
])
def test_row_title_ends_at_dash_after_set_aside_fields(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an all-capitals report: the per-exam labels under the technique state what each exam acquired
    ("EXAMS: XR CHEST PA AND LATERAL; CT CHEST WITH CONTRAST\nHISTORY: COUGH, WEIGHT LOSS.\nTECHNIQUE:\n"
     "CHEST RADIOGRAPH: PA AND LATERAL VIEWS.\n"
     "CT CHEST: AXIAL CT OF THE CHEST WAS PERFORMED WITHOUT INTRAVENOUS CONTRAST. CONTRAST WAS NOT GIVEN "
     "BECAUSE OF A PRIOR REACTION.\nFINDINGS: RIGHT LOWER LOBE NODULE 9 MM.\nIMPRESSION: NODULE.",
     ["71046", "71250"]),
    # an all-capitals header run on after the previous section's words (no sentence end between)
    ("COMPARISON: XXXX INDICATION: SHORTNESS OF BREATH FINDINGS: THE LUNGS ARE CLEAR. NO EFFUSION. "
     "IMPRESSION: NO ACUTE DISEASE.", ["71045"]),
])
def test_upper_case_sections(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a one-line export joined with a bare comma: the title's own "AP,LAT" is no line join
    ("FINAL REPORT,EXAMINATION:,  FOOT AP,LAT & OBL LEFT,INDICATION:,  ___ year old woman, stubbed toe,"
     "COMPARISON:,  ___,FINDINGS:,Nondisplaced fracture of the proximal phalanx of the fifth toe.  Alignment "
     "is maintained.  No other fracture.,IMPRESSION:,Fifth toe proximal phalanx fracture.", ["73630-LT"]),
])
def test_one_line_export_title_projections(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


# a lower-cased myelogram report that reads its post-myelogram CT under a label of its own: the CT is billed too
# (its "ct" in lower case is the CT word), and "myelogram findings:" labels the myelogram's part, not the findings
LOWER_MYELOGRAM = (
     "exam: fl myelogram cervical\n"
     "indication: right arm pain; mri contraindicated because of a pacemaker. post-myelogram ct performed and reported below.\n"
     "procedure: lateral c1-c2 puncture by the neurosurgery team with 10 ml of iohexol 300 injected intrathecally. the radiologist supervised and interpreted the fluoroscopic imaging. ap and lateral fluoroscopic images of the cervical spine.\n"
     "myelogram findings: ventral effacement of the contrast column at c5-c6.\n"
     "ct cervical spine post-myelogram: axial images from c2 through t1 with sagittal and coronal reformats. c5-c6 disc osteophyte complex with moderate canal stenosis and right foraminal narrowing.\n"
     "impression: c5-c6 stenosis.")


def test_lower_case_myelogram_reads_its_ct(sg):
    assert codes(sg.suggest(LOWER_MYELOGRAM)) == ["72126", "72240"]
    assert codes(sg.suggest(LOWER_MYELOGRAM.upper())) == ["72126", "72240"]


@pytest.mark.parametrize(("text", "expected"), [
    # a one-line report: the title sentence, then the read; its anatomy ("femoral head", "radial head")
    # is no exam of its own
    ("Right hip single view AP post reduction. Femoral head now seated in the acetabulum. No fracture.",
     ["73501-RT"]),
    ("Left elbow two views in splint. Radial head fracture with unchanged alignment. Joint effusion.", ["73070-LT"]),
])
def test_one_line_read_after_title_sentence(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a de-identified corpus writes the age as a token glued to the sex ("XXXXF"): still the patient's
    # age, which ends the title; the history after it names no exam
    ("CHEST PA/LAT pre-op, XXXXM, knee arthroplasty. Lungs clear, heart nl. NO ACUTE DZ. KL", ["71046"]),
    ("CT ABDOMEN WO IV CONTRAST\nPATIENT: XXXX XXXX   MRN: XXXX\nXXXXM flank pain, KUB with a 6 mm density\n"
     "6 mm obstructing right UVJ stone with mild hydronephrosis. IMP: right UVJ stone.", ["74150"]),
])
def test_deidentified_age_token_ends_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a lower-cased export with the RIS order code in capitals after the title: the line is still
    # lower-cased text, its title ends at the period before the read
    ("ct right elbow without contrast (CTRELB2). hx fall on outstretched hand. axial images with coronal and "
     "sagittal reformats, no contrast. there is a nondisplaced radial head fracture with a small joint effusion. "
     "impression radial head fracture.", ["73200-RT"]),
])
def test_lower_case_title_before_order_code(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


US_COMPLETE_UNDER_PAIR = (
    "ORDERED: US ABDOMEN COMPLETE\nPERFORMED: US ABDOMEN COMPLETE\n"
    "US ABDOMEN COMPLETE. History: nausea. Liver 14 cm, normal echotexture. Gallbladder without stones. CBD 4 mm. "
    "Pancreas unremarkable. Spleen 10 cm. Kidneys normal, right 10.5 cm and left 11 cm. IVC patent. Aorta normal "
    "caliber.")


def test_elements_in_history_run_on_under_header_pair(sg):
    # the RIS header pair above the dictated title line: the elements the history line runs on into
    # still document the complete study (CODING_RULES §5)
    assert codes(sg.suggest(US_COMPLETE_UNDER_PAIR)) == ["76700"]


@pytest.mark.parametrize(("text", "expected"), [
    # speech recognition writes "seen" as "scene": the sentence still says what was (not) seen (CODING_RULES §5)
    ("US ABDOMEN COMPLETE\nFINDINGS: Liver 15 cm, no focal lesion. Gallbladder normal. CBD 4 mm. Spleen 10 cm. "
     "Kidneys normal. IVC patent. Pancreas and aorta not scene because of bowel gas.\nIMPRESSION: Normal liver.",
     ["76705"]),
    ("US ABDOMEN COMPLETE\nFINDINGS: Liver 15 cm, no focal lesion. Gallbladder normal. CBD 4 mm. The pancreas is "
     "unremarkable where scene, the tail obscured by gas. Spleen 10 cm. Kidneys normal. IVC patent. Aorta normal "
     "caliber.\nIMPRESSION: Normal study.", ["76700"]),
])
def test_speech_slip_in_element_cues(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
