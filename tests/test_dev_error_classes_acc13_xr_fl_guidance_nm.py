"""Error classes of the enlarged dev split (acc13: the retired parts cal_bm..cal_bt and the outside
text before them) in radiographs, fluoroscopy, guidance and nuclear medicine, fixed with general
rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # a title that names the drug of a nuclear study (CCK, morphine, Lasix) whose report says the drug was
    # not given: the study without pharmacologic intervention (CODING_RULES §6: bill what was performed)
    ("EXAM: NM HIDA SCAN WITH SINCALIDE\nTECHNIQUE: 5 mCi Tc-99m mebrofenin IV with dynamic imaging for 60 "
     "minutes. The sincalide infusion was not administered because the pharmacy had none in stock.\nFINDINGS: "
     "Gallbladder seen at 20 minutes.\nIMPRESSION: Patent cystic duct.", ["78226"]),
    ("NM HEPATOBILIARY W MORPHINE\nTechnique: Tc-99m mebrofenin, 60 minute dynamic anterior images.\nFindings: "
     "The gallbladder filled at 30 minutes, so morphine was not required and none was given.\nImpression: No "
     "acute cholecystitis.", ["78226"]),
    ("NM RENAL SCAN WITH FUROSEMIDE\nTechnique: Tc-99m MAG3 10 mCi, flow and 30 minute dynamic images. Lasix was "
     "withheld because the patient was hypotensive.\nFindings: Symmetric function.\nImpression: No obstruction "
     "shown; repeat with Lasix when able.", ["78707"]),
    # ... the drug given (in the technique or part way through) keeps the intervention
    ("NM HIDA WITH CCK\nTechnique: Tc-99m mebrofenin; sincalide 0.02 mcg/kg infused over 60 minutes after the "
     "gallbladder filled.\nFindings: Ejection fraction 45%.", ["78227"]),
    ("NM RENAL SCAN WITH LASIX\nTechnique: MAG3 10 mCi. Furosemide 40 mg IV given at 20 minutes.\nFindings: "
     "Prompt washout bilaterally.", ["78708"]),
])
def test_title_drug_not_given(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_title_drug_not_given_flags_the_title(sg):
    out = sg.suggest("NM HEPATOBILIARY W MORPHINE\nTechnique: Tc-99m mebrofenin, 60 minute dynamic anterior "
                     "images.\nFindings: The gallbladder filled at 30 minutes, so morphine was not required and "
                     "none was given.")
    assert "title_technique_conflict" in flag_types(out)


@pytest.mark.parametrize(("text", "expected"), [
    # a myocardial perfusion SPECT of one acquisition: rest only (no stress anywhere), or stress only (the rest
    # study not needed after normal stress images) is a single study (78451)
    ("NM MYOCARDIAL PERFUSION SPECT AT REST\nTechnique: Resting injection of 30 mCi Tc-99m tetrofosmin during chest "
     "pain; gated SPECT 45 minutes later.\nFindings: Normal perfusion, LVEF 58%.", ["78451"]),
    ("EXAM: MPI SPECT, STRESS ONLY PROTOCOL\nTechnique: Regadenoson 0.4 mg IV with 25 mCi Tc-99m sestamibi; gated "
     "SPECT.\nFindings: Normal perfusion; rest imaging not needed.", ["78451"]),
    # ... rest with redistribution (or reinjection) images is two studies (78452)
    ("NM MYOCARDIAL VIABILITY REST ONLY\nTechnique: 3 mCi thallium-201 at rest, SPECT at 20 minutes and 24-hour "
     "redistribution SPECT.\nFindings: Anterior defect with partial redistribution.", ["78452"]),
    # ... and rest plus stress stays two studies
    ("NM MYOCARDIAL PERFUSION SPECT\nTechnique: Rest images after 10 mCi Tc-99m sestamibi; stress images after "
     "regadenoson and 30 mCi.\nFindings: Reversible inferior defect.", ["78452"]),
])
def test_perfusion_spect_study_count(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a fluoroscopic injection of a joint whose contrast only confirmed the needle in the joint, with no
    # arthrogram read (a steroid injection, an injection for an MR that says no arthrographic image was read):
    # the fluoroscopic guidance (77002), not the arthrography
    ("EXAM: FL KNEE INJECTION RIGHT\nPROCEDURE: Under fluoroscopy a 22 gauge needle was placed into the right knee "
     "joint; 1 mL of iopamidol confirmed the position. 40 mg Kenalog and 4 mL lidocaine were injected.\n"
     "IMPRESSION: Successful right knee injection.", ["77002"]),
    ("FL RIGHT SHOULDER INJECTION FOR MR ARTHROGRAPHY\nUnder fluoroscopic guidance, 22 g needle into the glenohumeral "
     "joint; 1 mL Omnipaque confirmed intra-articular placement, then 12 mL dilute gadolinium. No arthrographic "
     "images were interpreted. Patient sent to MRI.", ["77002"]),
    ("EXAM: FL HIP INJECTION LEFT\nPROCEDURE: A 20 gauge spinal needle was advanced to the femoral neck under "
     "fluoroscopic guidance; iohexol confirmed intra-articular spread, and 80 mg triamcinolone with ropivacaine was "
     "injected.\nIMPRESSION: Fluoroscopically guided left hip injection.", ["77002"]),
    # ... an arthrogram whose images are read stays the arthrography
    ("EXAM: FL KNEE ARTHROGRAM RIGHT\nPROCEDURE: Under fluoroscopy a 22 gauge needle was placed into the right knee "
     "joint and 30 mL contrast injected. Spot images obtained.\nFINDINGS: Contrast fills a popliteal cyst.",
     ["73580-RT"]),
])
def test_joint_injection_without_arthrogram_read(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a "Tech:" label that names the technologist is a staff line, not the technique: the anatomy words after
    # it ("the radiocapitellar line") are no views of the study
    ("EXAM: XR ELBOW LEFT 2 VIEWS\nTECHNIQUE: AP and lateral views of the left elbow.\nFINDINGS: No fracture.\n"
     "IMPRESSION: Negative.\nTech: K. Ostrowski.\nNote: the radiocapitellar line and anterior humeral line are "
     "normal.", ["73070-LT"]),
    ("XR WRIST RIGHT 2V\nTechnique: PA and lateral views of the right wrist.\nFindings: Distal radius buckle "
     "fracture.\nTech: M. Alvarez, RT(R)\nScaphoid and carpal alignment normal; no oblique projection artifact.",
     ["73100-RT"]),
    # a view the technique says could not be taken is not counted against the title's count
    ("EXAM: XR ELBOW LEFT 3 VIEWS\nTECHNIQUE: AP and lateral views of the left elbow. The oblique view could not be "
     "obtained because of pain.\nFINDINGS: Elevated posterior fat pad.", ["73070-LT"]),
])
def test_technologist_line_is_no_technique(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the patient's position said beside a single film ("patient supine", "with the patient upright") is how the
    # one view was taken, not a view of its own
    ("EXAM: XR CHEST PORTABLE\nTECHNIQUE: Single AP portable radiograph of the chest, patient supine.\nFINDINGS: "
     "Lines and tubes in place.", ["71045"]),
    ("XR CHEST 1 VIEW\nTechnique: Frontal radiograph of the chest obtained with the patient semi-upright.\n"
     "Findings: Clear lungs.", ["71045"]),
    # ... positions that are the views stay views
    ("XR ABDOMEN 2 VIEWS\nTechnique: Supine and upright views of the abdomen.\nFindings: Dilated small bowel.",
     ["74019"]),
])
def test_patient_position_is_no_view(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a "Views obtained:" line under a title that counts otherwise: the documented views win (CODING_RULES §4)
    ("XR LUMBAR SPINE 2 OR 3 VIEWS\nViews obtained: AP, lateral and both obliques.\nFindings: Left L5 pars defect.",
     ["72110"]),
    ("XR CERVICAL SPINE 2-3 VIEWS\nViews performed: AP, lateral, odontoid and both obliques.\nFindings: Foraminal "
     "narrowing.", ["72050"]),
])
def test_views_obtained_line(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a part of the study planned and then cancelled, said in a "but" clause with no subject of its own: not
    # performed (thyroid uptake whose imaging was cancelled: the uptake alone, 78012)
    ("EXAM: NM THYROID UPTAKE AND SCAN\nTECHNIQUE: I-123 200 uCi orally. 6 and 24 hour uptake measurements. Imaging "
     "was planned at 24 hours but was cancelled when the patient left early.\nFINDINGS: 24-hour uptake 2%.",
     ["78012"]),
    ("NM THYROID SCAN WITH UPTAKE\nTechnique: I-123 capsule. Uptake at 4 and 24 hours. Pinhole imaging was "
     "scheduled but not performed because the camera was down.\nFindings: Uptake 45% at 24 hours.", ["78012"]),
    # ... imaging done stays the imaging with uptake
    ("NM THYROID UPTAKE AND SCAN\nTechnique: I-123 orally; 4 and 24 hour uptake, pinhole imaging at 24 hours.\n"
     "Findings: Diffuse uptake 60%.", ["78014"]),
])
def test_part_planned_but_cancelled(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a "Clinical info:" line under a title is the history, not a second title naming the exam ("CT declined")
    ("CERVICAL SPINE 3 VIEWS\nClinical info: fall at home, neck pain, CT declined.\nTechnique: AP, lateral and "
     "odontoid views.\nImpression: No fracture.", ["72040"]),
    ("LUMBAR SPINE 2 VIEWS\nClinical details: back pain, MRI not tolerated.\nAP and lateral views. Degenerative "
     "disc disease.", ["72100"]),
])
def test_clinical_info_line_is_history(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "imaging" in a facility banner names no nuclear study: a title counting its views is a radiograph
    ("*** RIVERSIDE IMAGING CENTER *** PAGE 1 ***\nEXAM: CHEST 2 VIEWS\nTECHNIQUE: PA and lateral views.\n"
     "FINDINGS: Clear lungs.", ["71046"]),
    ("LAKESIDE IMAGING ASSOCIATES\nEXAM: CHEST 1 VIEW\nFINDINGS: No pneumothorax.", ["71045"]),
])
def test_facility_imaging_word_is_no_nuclear_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an all-capitals one-line read: the title ends at its first period, the findings after it (a colon, a
    # bowel word) are no exam of their own
    ("KUB 1 VIEW. SUPINE. LARGE STOOL BURDEN IN THE RECTUM AND SIGMOID COLON. NO OBSTRUCTION. IMP: CONSTIPATION.",
     ["74018"]),
    ("ABDOMEN 1 VIEW. NONOBSTRUCTIVE GAS PATTERN. STOOL THROUGHOUT THE COLON. NO FREE AIR.", ["74018"]),
    # ... not at a one-letter abbreviation of the title
    ("XR CHEST 2 V. PA AND LATERAL VIEWS OBTAINED TODAY. LUNGS ARE CLEAR BILATERALLY.", ["71046"]),
])
def test_all_caps_one_line_read(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an "Order on file:" / "Original order:" line states the order; the report bills the study it documents
    # (CODING_RULES §6)
    ("Order on file: CT ANGIO CHEST PE PROTOCOL.\nChanged to a ventilation-perfusion scan because of contrast "
     "allergy.\nVentilation images with Tc-99m DTPA aerosol, then perfusion imaging after Tc-99m MAA in 8 "
     "projections.\nImpression: Low probability for PE.", ["78582"]),
    ("Original order: XR KNEE LEFT 3 VIEWS\nXR KNEE LEFT 2 VIEWS\nAP and lateral views of the left knee.\nFindings: "
     "No fracture.", ["73560-LT"]),
])
def test_order_on_file_line(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a one-line read whose title ends with a date without its year ("VQ 11/28:"): the title ends at the colon,
    # a radiograph the read correlates with ("consolidation on CXR") is no exam of its own
    ("VQ 11/28: matched right lower lobe defects corresponding to consolidation on CXR; no mismatched defect. IMP: "
     "low probability.", ["78582"]),
    ("V/Q SCAN 12/01: perfusion defect in the left upper lobe matching an opacity on the chest x-ray, no mismatch. "
     "Impression: indeterminate.", ["78582"]),
])
def test_dated_one_line_title_without_year(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a limited bone scan whose protocol, written in the body without a technique header, imaged two or more
    # areas: multiple areas (78305, CODING_RULES §6)
    ("NM BONE SCAN LIMITED\nHx: fall, hip pain.\n22 mCi Tc-99m MDP. Whole body imaging not tolerated. Spot views of "
     "the pelvis and of both knees only.\nFindings: Left femoral neck uptake.", ["78305"]),
    # ... one area with its extent said ("the right femur, hip to knee") stays one area (78300)
    ("NM BONE SCAN LIMITED RIGHT FEMUR\nTechnique: 3 hour delayed spot images of the right femur, hip to knee, after "
     "20 mCi Tc-99m MDP. Whole body imaging not performed.\nFindings: No abnormal uptake.", ["78300"]),
    ("NM BONE SCAN LIMITED\nTechnique: Delayed anterior and posterior spot views of the left tibia from knee to ankle. "
     "No whole body images.\nFindings: Focal uptake, stress fracture.", ["78300"]),
])
def test_bone_scan_areas(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a localization study imaged at 4 and 24 hours ("24 h", "24 hr") spans two days: 78801
    ("IN-111 WBC SCAN LEFT FOOT\nLabeled leukocytes, 0.5 mCi In-111. Planar images of the feet at 4 h and 24 h.\n"
     "Findings: Increasing uptake at the first metatarsal head.", ["78801"]),
    ("NM WBC SCAN RIGHT KNEE\nTechnique: In-111 labeled white cells; planar images of the knees at 4 hr and again at "
     "24 hr.\nFindings: Periprosthetic uptake, increasing.", ["78801"]),
])
def test_localization_hours_span_days(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # CT fluoroscopy is CT: a needle placed under "CT fluoro" is CT guidance (77012), not fluoroscopic guidance
    ("PROCEDURE: CT FLUORO GUIDED LUNG BIOPSY, LEFT\nTechnique: Prone. 19 g coaxial needle advanced into the left "
     "upper lobe nodule under intermittent CT fluoroscopy. Three 20 g cores.\nImpression: Successful biopsy.",
     ["77012"]),
    ("CT-fluoroscopy guided drainage of a pelvic abscess. A 10 Fr drain was placed using CT fluoroscopic guidance. "
     "Post procedure CT: no hematoma.", ["77012"]),
])
def test_ct_fluoroscopy_is_ct_guidance(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
