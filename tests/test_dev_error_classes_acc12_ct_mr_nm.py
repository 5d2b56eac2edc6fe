"""Error classes of the enlarged dev split in CT, CTA, MR, MRA, PET and NM (issue 12: the retired
calibration parts cal_be..cal_bl, written by hand in production styles), fixed with general rules.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a one-line RIS row that opens with the modality "MR" (no period) and has the age later on the line:
    # "MR" is the exam, not the honorific "Mr." opening a sentence about the patient
    ("MR ANKLE LT WO  11/30/2026  ACC 5501234  33M inversion injury playing soccer. ATFL tear, CFL intact. "
     "Bone bruise medial talar dome. Small joint effusion. -- Dr. K. Osei", ["73721-LT"]),
    ("MR BRAIN W/WO [MRBR2] ACC# 7712001 12/01/2026. 61F, known glioma, follow-up after resection. Pre and "
     "post gad axial/coronal T1, FLAIR, DWI. No new enhancement. Stable cavity. -- Dr. L. Moreno", ["70553"]),
    ("MR CERVICAL SPINE WO  12/02/2026  67M neck pain radiating to the left arm, numbness of the index finger. "
     "C6-7 left foraminal disc osteophyte complex, severe left foraminal stenosis. Cord normal. -- RF",
     ["72141"]),
    ("MR SHOULDER RIGHT WO  ACC 660021  52F pain with overhead activity for months. Full-thickness "
     "supraspinatus tear 1.2 cm, no retraction. Mild AC joint arthrosis. -- Dr. P. Hahn", ["73221-RT"]),
    # negative: the honorific with its period (or in mixed case) still opens a narrative about the patient
    ("Mr. Lindgren is a 58 year old man with left knee pain after a fall on the ice at home two days ago. "
     "MRI of the left knee without contrast was performed and shows a medial meniscal tear.", ["73721-LT"]),
    ("Mr Adeyemi is a 44 year old man with headaches for three weeks that wake him at night and get worse. "
     "CT of the head without contrast was performed and shows no hemorrhage or mass.", ["70450"]),
])
def test_mr_modality_opening_a_row_is_no_honorific(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a one-line row's title ends where its next field starts: after a run of blanks before a date, an
    # accession or a history word, after a spaced slash or an em dash before the patient's age; the
    # history's arm, thumb or facet joints are no second exam
    ("MRI C SPINE WO  11/29/2026  HX neck pain radiating L arm, tingling thumb  TECH sag T1/T2/STIR ax T2 "
     "no contrast  FINDINGS: C5-6 left foraminal stenosis. IMP: Left C5-6 foraminal stenosis. -- JR", ["72141"]),
    ("CT L SPINE WO  ACC 4471002  HX fall from ladder, pain radiating to the right leg and foot  FINDINGS: "
     "L1 superior endplate compression fracture, 20% height loss, no retropulsion. IMP: L1 fracture. -- MN",
     ["72131"]),
    ("MRI LUMBAR SPINE WO CONTRAST / 72M back pain, facet arthropathy on XR / L4-5 moderate canal stenosis, "
     "bilateral facet effusions / e-signed Dr K Lutz 11/20/2026", ["72148"]),
    ("LS MRI WO / 9yo F, sacral dimple and constipation / conus at L1-2, normal filum, no syrinx. / sig "
     "Dr. A. Pell 11/21/2026", ["72148"]),
    ("MRI THORACIC SPINE WO CONTRAST \u2014 64F breast cancer, mid back pain \u2014 no marrow lesion, mild "
     "degenerative change, no cord compression \u2014 Dr. J. Ames", ["72146"]),
    # negative: a title with the date in its own field and nothing after it; a title whose second field
    # is the body
    ("CT HEAD WO  12/02/2026\nHISTORY: Fall.\nFINDINGS: No hemorrhage.\nIMPRESSION: Negative.", ["70450"]),
])
def test_one_line_row_title_ends_at_its_next_field(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # contrast named as the noun of an allergy or reaction ("the contrast anaphylaxis", "a prior contrast
    # reaction") is history, not the contrast of this study: the title's contrast was not given
    ("EXAM: CT CHEST W CONTRAST\nHISTORY: Fall, chest wall pain.\nTECHNIQUE: Given the prior contrast "
     "anaphylaxis, the study was performed without intravenous contrast. Helical images with bone "
     "reconstructions.\nFINDINGS: Rib fracture.\nIMPRESSION: Rib fracture.", ["71250"]),
    ("EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Because of a severe contrast reaction in 2024, "
     "axial images were obtained without IV contrast after discussion with the surgeon.\nFINDINGS: "
     "Appendicitis.\nIMPRESSION: Appendicitis.", ["74176"]),
    # a contrast part the radiologist cancelled ("cancelled the post-contrast portion") was not done
    ("EXAM: MRI PELVIS W/WO CONTRAST\nTECHNIQUE: Axial and sagittal T2, DWI and T1 in and out of phase. The "
     "radiologist cancelled the post-contrast portion because the finding was diagnostic.\nFINDINGS: Simple "
     "ovarian cyst.\nIMPRESSION: Simple cyst.", ["72195"]),
    ("MRI BRAIN WITH AND WITHOUT CONTRAST\nTECHNIQUE: Sagittal T1, axial T2, FLAIR, DWI. The technologist "
     "omitted the gadolinium series after the IV infiltrated.\nFINDINGS: No mass.\nIMPRESSION: Normal.",
     ["70551"]),
    # speech recognition's "know" for "no" before the contrast
    ("MRI LUMBAR SPINE\nTechnique: Sagittal T1, T2 and STIR, axial T2. Know contrast was given.\nFindings: "
     "L5-S1 disc protrusion.\nImpression: Disc protrusion.", ["72148"]),
    # a one-line export's comparison is its first sentence: the next one states this exam's contrast
    ("77120999|MRN-XXX|11/30/2026 09:10|CT ABD/PEL W CON [CTAP2]|FINAL|CT ABD/PELVIS. HX RLQ PAIN, FEVER. "
     "COMPARISON CT ABD/PEL WITH IV CONTRAST 05/2026 AND ULTRASOUND 06/2026. THIS STUDY WAS DONE WITHOUT IV "
     "CONTRAST DUE TO ACUTE KIDNEY INJURY (CREATININE 2.9). DILATED APPENDIX WITH PERIAPPENDICEAL STRANDING, NO "
     "ABSCESS. NO FREE AIR. IMP: ACUTE APPENDICITIS.", ["74176"]),
    # negative: the contrast given, with a reaction that followed it; no reaction at all
    ("EXAM: CT CHEST WITH CONTRAST\nTECHNIQUE: Helical images after 75 mL Omnipaque 350 IV. Mild hives after "
     "the injection, treated with diphenhydramine.\nFINDINGS: No PE.\nIMPRESSION: Negative.", ["71260"]),
    ("EXAM: CT CHEST WITH CONTRAST\nTECHNIQUE: Helical images in the portal venous phase after IV contrast. "
     "No contrast reaction.\nFINDINGS: No mass.\nIMPRESSION: Negative.", ["71260"]),
])
def test_contrast_of_the_title_not_given(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a low-dose chest CT for a symptom is diagnostic, even when "diagnostic" is also said of the image
    # quality; a child's or a young adult's low-dose protocol is no lung cancer screening (§5)
    ("EXAM: CT CHEST LOW DOSE\nINDICATION: 71-year-old man, former smoker, hemoptysis for 10 days.\n"
     "TECHNIQUE: Low-dose CT of the chest without contrast. Image quality is diagnostic.\nFINDINGS: Right "
     "hilar mass.\nIMPRESSION: Hilar mass.", ["71250"]),
    ("CT CHEST WITHOUT CONTRAST (PEDIATRIC LOW DOSE)\nHistory: 6-year-old with recurrent pneumonia in the right "
     "lower lobe.\nTechnique: Low-dose helical CT of the chest without contrast.\nFindings: Bronchiectasis.\n"
     "Impression: Right lower lobe bronchiectasis.", ["71250"]),
    ("EXAM: LOW DOSE CT CHEST WITHOUT CONTRAST\nHISTORY: 32 yo F with cough and fever, pregnancy excluded.\n"
     "TECHNIQUE: Low-dose noncontrast helical CT of the chest.\nFINDINGS: Left lower lobe consolidation.\n"
     "IMPRESSION: Pneumonia.", ["71250"]),
    ("CT CHEST LOW DOSE\nHistory: 8 month old with stridor.\nTechnique: Ultra-low-dose CT of the chest with "
     "airway reformats.\nFindings: Double aortic arch.\nImpression: Vascular ring.", ["71250"]),
    # negative: a screening candidate's low-dose CT, with a duration that is no age
    ("EXAM: CT CHEST LOW DOSE\nHISTORY: 64-year-old current smoker, 40 pack-years, asymptomatic.\nTECHNIQUE: "
     "Low-dose CT of the chest without contrast.\nFINDINGS: No nodule.\nIMPRESSION: Lung-RADS 1.", ["71271"]),
    ("EXAM: LDCT LUNG SCREENING\nHISTORY: Quit smoking 12 years ago, 35 pack-years, age 67.\nTECHNIQUE: "
     "Low-dose CT of the chest.\nFINDINGS: 3 mm nodule.\nIMPRESSION: Lung-RADS 2.", ["71271"]),
])
def test_low_dose_chest_ct_not_a_screening(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a technologist's line names the technologist, then documents the technique after a colon: the
    # technique is read (the SPECT makes the parathyroid study 78071)
    ("NM PARATHYROID SCAN\nTechnologist: B. Okafor: Tc-99m sestamibi 24 mCi IV. Planar anterior neck and chest "
     "at 10 min and 2 h; SPECT of the neck and mediastinum at 20 min.\nIMPRESSION: Left inferior parathyroid "
     "adenoma.", ["78071"]),
    ("NM HEPATOBILIARY SCAN\nTechnologist: M. Diaz: 5 mCi Tc-99m mebrofenin IV, dynamic imaging 60 min, then "
     "morphine 2 mg IV and 30 more minutes.\nIMPRESSION: Acute cholecystitis.", ["78227"]),
    # negative: a technologist's line with only the name and credentials
    ("NM PARATHYROID SCAN\nTechnologist: J. Park, CNMT\nTECHNIQUE: Tc-99m sestamibi 25 mCi IV, early and "
     "delayed planar images of the neck and chest.\nIMPRESSION: Negative.", ["78070"]),
])
def test_technologist_line_documents_technique(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a purpose word ("tumor recurrence", "4D localization") beside an organ's NM or PET study names no
    # second, whole-body localization exam; the SPECT/CT it states is the organ study's
    ("BRAIN PET (F-18 FDG) - TUMOR RECURRENCE VERSUS RADIATION NECROSIS\nTECHNIQUE: 8 mCi FDG IV; dedicated "
     "brain PET at 45 minutes with low-dose CT for attenuation.\nFINDINGS: Hypermetabolic focus at the treated "
     "margin.\nIMPRESSION: Favor recurrent tumor.", ["78608"]),
    ("PET BRAIN FDG, TUMOR FOLLOW-UP\nHistory: Glioblastoma after resection.\nTechnique: 10 mCi F-18 FDG, brain "
     "images at 60 minutes.\nFindings: No hypermetabolic recurrence.\nImpression: No recurrence.", ["78608"]),
    ("Parathyroid scan with SPECT/CT 11/30/26 - 4D localization; focus posterior to the left lower thyroid pole "
     "persists at 2 h; SPECT/CT: 9 mm nodule. IMP: Left inferior parathyroid adenoma.", ["78072"]),
    # negative: a tracer that names a localization study of its own stays one
    ("NM IN-111 WBC SCAN\nHistory: fever of unknown origin.\nTechnique: 0.5 mCi In-111 labeled leukocytes, "
     "whole body planar images at 24 hours.\nFindings: No focal infection.\nImpression: Negative.", ["78802"]),
])
def test_purpose_word_is_no_localization_exam(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a wrapped line of a report in capitals that opens with "EXAM" or "STUDY" and goes on in prose is
    # the sentence's next line, no second exam title ("EXAM OTHERWISE LIMITED ONLY BY ..." made it limited)
    ("EXAM: PET BRAIN FDG\nHISTORY: 70-YEAR-OLD MAN WITH MEMORY LOSS.\nTECHNIQUE: F-18 FDG BRAIN PET.\nFINDINGS: "
     "FRONTAL AND ANTERIOR TEMPORAL HYPOMETABOLISM. MILD MOTION.\nEXAM OTHERWISE LIMITED ONLY BY MOTION, WHICH DOES "
     "NOT AFFECT THE CONCLUSION.\nIMPRESSION: PATTERN OF FRONTOTEMPORAL DEMENTIA.", ["78608"]),
    ("EXAM: CT HEAD WITHOUT CONTRAST\nHISTORY: FALL.\nFINDINGS: NO HEMORRHAGE. THE\nSTUDY WAS LIMITED BY "
     "MOTION AT THE SKULL BASE.\nIMPRESSION: NO ACUTE FINDING.", ["70450"]),
    # negative: "EXAM" in capitals before an exam name at a line start is still its header
    ("EXAM CT HEAD WITHOUT CONTRAST\nHISTORY: FALL.\nFINDINGS: NO HEMORRHAGE.\nIMPRESSION: NEGATIVE.", ["70450"]),
    ("EXAM XR CHEST PA AND LATERAL\nHISTORY: COUGH.\nFINDINGS: CLEAR LUNGS.\nIMPRESSION: NORMAL.", ["71046"]),
])
def test_wrapped_prose_line_opening_with_exam_is_no_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # contrast per exam of a report of two: a series the technique dates "before the gadolinium injection"
    # is a noncontrast series, and "the abdomen was not imaged before contrast" says no precontrast
    # abdomen series was done (it is no noncontrast study of its own)
    ("MRI BRAIN W/WO CONTRAST AND MRI LUMBAR SPINE WITHOUT CONTRAST\nTechnique:\nBrain: Axial T2, FLAIR, DWI, "
     "then axial and coronal post-gadolinium T1 after 7 mL gadoterate.\nLumbar spine: Sagittal T1, T2 and "
     "STIR and axial T2 acquired before the gadolinium injection. No post-contrast spine images.\nFindings: "
     "No enhancing lesion. L4-5 disc protrusion.\nImpression: Disc protrusion.", ["70553", "72148"]),
    ("EXAMS: CT CHEST WITHOUT CONTRAST; CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Noncontrast helical CT "
     "of the chest. Then 90 mL Omnipaque 350 IV and portal venous phase imaging of the abdomen and pelvis. The "
     "abdomen was not imaged before contrast.\nFINDINGS: Stable nodules. No liver lesion.\nIMPRESSION: Stable.",
     ["71250", "74177"]),
    ("CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Portal venous phase images after 100 mL Isovue 370 IV. No "
     "images were obtained prior to contrast.\nFINDINGS: Appendicitis.\nIMPRESSION: Appendicitis.", ["74177"]),
    # negative: a series acquired before the contrast, then the contrast series, is without then with
    ("MRI CERVICAL SPINE W/WO CONTRAST\nTECHNIQUE: Sagittal T1 and T2 before the gadolinium injection, then "
     "sagittal and axial T1 after 7 mL gadobutrol.\nFINDINGS: Enhancing intramedullary lesion.\nIMPRESSION: "
     "Lesion.", ["72156"]),
])
def test_series_dated_before_contrast(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a contrast phase named by the radiologist ("late arterial", "portal venous phase", "nephrographic
    # phase") is a contrast series: with, or without then with beside a noncontrast series (§2); "portal
    # venous" is no Doppler of the portal vein
    ("EXAMINATION: CT ABDOMEN W/WO CONTRAST (LIVER PROTOCOL)\nINDICATION: Cirrhosis.\nTECHNIQUE: Noncontrast, "
     "late arterial and portal venous phase images of the abdomen.\nFINDINGS: LI-RADS 4 observation.\n"
     "IMPRESSION: LR-4.", ["74170"]),
    ("ACC|MRN|ORDER|PERFORMED|TEXT\n55001|MRN-1|CT ABD W CONT|CT ABD/PEL W CONT|CT abdomen and pelvis (pelvis added "
     "per protocol). History: RLQ pain. Technique: Portal venous phase, 100 mL Omnipaque 300. Findings: Acute "
     "appendicitis. Impression: Appendicitis.", ["74177"]),
    ("CT ABDOMEN WITHOUT AND WITH CONTRAST (RENAL MASS)\nTECHNIQUE: Unenhanced images, then corticomedullary "
     "phase and nephrographic phase images of the abdomen.\nFINDINGS: Enhancing renal mass.\nIMPRESSION: Renal "
     "cell carcinoma.", ["74170"]),
    ("CTA CHEST (PE) AND CT ABDOMEN/PELVIS WITH CONTRAST\nTechnique: CT pulmonary angiogram after 100 mL "
     "Omnipaque 350 with MIP reconstructions; the abdomen and pelvis were imaged in the portal venous phase of the "
     "same injection. Rectal contrast was instilled.\nFindings: No PE. Anastomotic leak.\nImpression: Leak.",
     ["71275", "74177"]),
    # negative: a noncontrast study stays without; a duplex that names the portal vein stays a duplex
    ("CT ABDOMEN AND PELVIS WITHOUT CONTRAST\nTECHNIQUE: Axial images without IV contrast; no arterial or "
     "venous phase imaging.\nFINDINGS: Kidney stone.\nIMPRESSION: Stone.", ["74176"]),
])
def test_contrast_phase_names(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "Cmp:" is the comparison header of a terse read: the prior study's contrast there is history
    ("MR ARTHRO SHOULDER RT\nHx: instability.\nTech: Intra-articular gad under fluoro (separate note). Ax/cor/sag "
     "T1 FS.\nCmp: MRI RT shoulder wo 2024.\nFindings: Bankart tear.\nIMP: Bankart tear.", ["73222-RT"]),
    ("MRI BRAIN W CONTRAST\nTech: Axial and coronal T1 after 7 mL gadobutrol.\nCmp: MRI brain without contrast "
     "06/2026.\nIMP: Stable enhancing lesion.", ["70552"]),
    # "GES" is the gastric emptying study
    ("NM GES 4 HR. Hx: nausea, ?gastroparesis. Tc-99m sulfur colloid egg meal, images 0/1/2/4 h. Retention 35% at "
     "4 h (normal under 10%). IMP: severely delayed.", ["78264"]),
    ("NUCLEAR MEDICINE GES\nTECHNIQUE: 1 mCi Tc-99m sulfur colloid in a solid meal; anterior and posterior images "
     "at 0, 1, 2 and 4 hours. Retention 6% at 4 hours.\nIMPRESSION: Normal.", ["78264"]),
])
def test_terse_header_and_study_abbreviations(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the line under the title that opens with the patient's age is the history, no second title: its organ
    # ("prostate cancer", "breast cancer") names no exam
    ("PSMA PET/CT (F-18 piflufolastat), skull base to mid-thigh\n71 yo man, rising PSA after prostatectomy.\n"
     "9 mCi, 60 min uptake, low-dose CT.\nFindings: PSMA-avid left obturator node.\nImpression: Nodal recurrence.",
     ["78815"]),
    ("FDG PET/CT SKULL BASE TO MID-THIGH\n58F, newly diagnosed left breast cancer, staging.\n12 mCi FDG, 60 min "
     "uptake, low-dose CT for attenuation.\nFindings: Avid left axillary nodes.\nImpression: Nodal disease.",
     ["78815"]),
    ("CT CHEST WITH CONTRAST\n66 year old woman with a left kidney mass, staging.\nTechnique: Helical images after "
     "IV contrast.\nFindings: No nodules.\nImpression: No metastasis.", ["71260"]),
    # negative: a second title line is still a title
    ("CT HEAD WITHOUT CONTRAST\nCT CERVICAL SPINE WITHOUT CONTRAST\nHistory: Fall.\nFindings: Negative.\n"
     "Impression: Negative.", ["70450", "72125"]),
])
def test_age_line_under_the_title_is_history(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # review of acc12b: a stated lung cancer screening decides, whatever the stated age (CODING_RULES §5 names none)
    ("EXAM: CT CHEST LOW DOSE\nHISTORY: 48 yo F, 25 pack-year smoker, annual lung cancer screening.\nTECHNIQUE: "
     "Low-dose axial CT of the chest without contrast.\nFINDINGS: No pulmonary nodules.\nIMPRESSION: Lung-RADS 1.",
     ["71271"]),
    # ... a list of contrast phases after a series "before contrast" is the post-contrast series (w/wo)
    ("EXAM: MRI ABDOMEN WITH AND WITHOUT CONTRAST\nHISTORY: Liver lesion.\nTECHNIQUE: T1, T2 and diffusion weighted "
     "sequences were obtained before the gadolinium injection, followed by dynamic arterial, portal venous and "
     "delayed phases.\nFINDINGS: 2 cm hemangioma segment 6.\nIMPRESSION: Hemangioma.", ["74183"]),
    ("EXAM: MRI LIVER W/WO\nTECHNIQUE: Axial T1 in and opposed phase, T2 and DWI before gadoxetate, then arterial and "
     "portal venous phases and a 20-minute hepatobiliary phase.\nFINDINGS: Focal nodular hyperplasia.", ["74183"]),
])
def test_review_fixes_screening_age_and_phase_lists(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
