"""Error classes of the enlarged dev split (issue 12: the calibration parts cal_o..cal_v that joined
it) in radiographs, CT and MR, fixed with general rules: views a report without a technique section
states in its body or findings beat the title's count, an addendum header with a date ("FINAL
ADDENDUM 12/03/2026 07:52:"), decubitus views of both sides, "w/o" as a preposition in findings.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # no technique section: the views sentence of the body or findings is the documentation (CODING_RULES §4)
    ("XR CHEST 1 VIEW\nHISTORY: Cough.\nFINDINGS: Frontal and lateral views of the chest. Lungs clear. "
     "Heart normal.\nIMPRESSION: Normal.", ["71046"]),
    ("ED PRELIM\nCXR 2V\nHx: fever\nSingle portable AP view only, patient could not stand.\nNo consolidation.\n"
     "Imp: Clear.", ["71045"]),
    ("XR KNEE RIGHT 2 VIEWS\nHISTORY: Fall.\nFINDINGS: AP, lateral and sunrise views of the right knee. No "
     "fracture. Small effusion.\nIMPRESSION: Effusion.", ["73562-RT"]),
    ("XR LEFT ANKLE 2V\nHx: inversion injury\nThree views of the left ankle were obtained. No fracture. "
     "Soft tissue swelling laterally.\nImp: No fracture.", ["73610-LT"]),
])
def test_views_stated_in_the_body_beat_the_title(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "title_technique_conflict" in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # a findings sentence that names one projection to place a finding is not the view count
    ("XR CHEST 2 VIEWS\nHISTORY: Cough.\nFINDINGS: The lungs are clear. A small effusion is seen on the lateral "
     "view only. Heart normal.\nIMPRESSION: Small effusion.", ["71046"]),
    ("XR CHEST PA AND LATERAL\nHISTORY: Cough.\nFINDINGS: PA and lateral views. Lungs clear.\nIMPRESSION: "
     "Normal.", ["71046"]),
])
def test_findings_that_place_a_finding_keep_the_title_views(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "title_technique_conflict" not in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # an addendum header written with its date and time after a word ("FINAL ADDENDUM 12/03/2026 07:52:")
    ("XR CHEST 1V\nHx: SOB.\nAP upright.\nImp: Cardiomegaly.\nFINAL ADDENDUM 12/03/2026 07:52: A lateral view "
     "was subsequently obtained and is included in this interpretation. No effusion.", ["71046"]),
    ("XR CHEST 1 VIEW\nTECHNIQUE: Single AP view.\nIMPRESSION: Clear.\nADDENDUM 11/02/2026: A lateral view "
     "was obtained after the original read. Lungs clear.", ["71046"]),
    # a lateral "not available at the time of the original dictation" was still obtained at the visit
    ("XR CHEST 1V\nTECHNIQUE: Single frontal view.\nIMPRESSION: Opacity.\nADDENDUM: A lateral view was obtained "
     "at the same visit and was not available at the time of the original dictation. It localizes the "
     "opacity.", ["71046"]),
])
def test_addendum_adds_a_view(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # decubitus views of both sides named "right and left" are two views (CODING_RULES §4)
    ("XR CHEST\nTECHNIQUE: PA, lateral, and right and left lateral decubitus views.\nIMPRESSION: No effusion.",
     ["71048"]),
    ("XR CHEST\nTECHNIQUE: PA and lateral views with additional left and right decubitus views.\n"
     "IMPRESSION: Small effusion.", ["71048"]),
    ("XR CHEST\nTECHNIQUE: Frontal view and right and left lateral decubitus views.\nIMPRESSION: Clear.",
     ["71047"]),
    # one decubitus side stays one view
    ("XR CHEST\nTECHNIQUE: PA, lateral and right lateral decubitus views.\nIMPRESSION: Layering effusion.",
     ["71047"]),
])
def test_decubitus_of_both_sides(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a terse read's technique line runs on into findings: "w/o" before a finding word is a preposition
    ("CT A/P W IV CONTRAST\nTech: Portal venous CT abd + pelvis w/ 100 mL IV contrast, no PO.\n"
     "Grade III splenic lac w/o active extrav. Liver intact.\nImp: Splenic injury.", ["74177"]),
    ("CT HEAD\nTech: Axial CT head w/ 75 mL Omnipaque.\nRing-enhancing lesion w/o edema.\nImp: Lesion.",
     ["70460"]),
    ("OSH CT CHEST W CONTRAST\nTech: Helical CT chest after 80 mL Isovue IV. Nodule w/o calcification.", ["71260"]),
    # "w/o" before a contrast word, a route, "and" or the end of the line is still contrast
    ("CT HEAD\nTech: Axial CT head w/o IV contrast.\nNo bleed.", ["70450"]),
    ("CT CHEST\nTech: Helical CT chest w/o and w/ 80 mL Isovue.\nNo mass.", ["71270"]),
])
def test_shorthand_without_as_a_preposition(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a terse one-line read: the findings after the title's sentence are body ("surgical neck" of a bone)
    ("XR HUMERUS RT 2V -- AP/lat. Mildly displaced surgical neck fx of the R humerus. IMP: Humerus fx.",
     ["73060-RT"]),
    ("XR LEFT HIP 2V. Nondisplaced fracture of the femoral neck is seen. IMP: Femoral neck fx.", ["73502-LT"]),
    # the age after the title's period opens the history ("neck pain" is the reason, not a neck CT)
    ("CT C-SPINE W/O CONTRAST. 72M fall, neck pain. Helical images with sagittal reformats. No fracture. "
     "IMP: No fx.", ["72125"]),
    ("CT HEAD WO. 81F fall on blood thinners, neck and head pain. No hemorrhage.", ["70450"]),
    # a report exported with " | " between its sections
    ("CT CERVICAL SPINE WO | ACC# 1234 | HX: Neck pain after a fall | TECHNIQUE: Helical noncontrast CT | "
     "FINDINGS: No fracture. | IMPRESSION: Negative.", ["72125"]),
    ("XR LUMBAR SPINE 2V | HX: Low back and neck pain | FINDINGS: AP and lateral views. No fracture.",
     ["72100"]),
])
def test_terse_title_runs_on(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an addendum that names the failed contrast and says the study was done without it
    ("CT CHEST W CONTRAST\nTECHNIQUE: Axial CT images of the chest.\nIMPRESSION: Hilar mass.\n"
     "ADDENDUM: Technique correction: the IV contrast infiltrated on test injection and no intravenous "
     "contrast was administered; the examination was performed without contrast.", ["71250"]),
    ("CT ABD/PEL W CONTRAST\nTECHNIQUE: Axial images of the abdomen and pelvis.\nIMPRESSION: Normal.\n"
     "ADDENDUM: The intravenous contrast injection extravasated at the antecubital site before the scan; "
     "the examination is a noncontrast study.", ["74176"]),
    ("CT HEAD WITH CONTRAST\nTECHNIQUE: Axial images of the head.\nIMPRESSION: No mass.\nADDENDUM: Contrast "
     "injection failed because of a blown IV, so the study was performed without contrast.", ["70450"]),
    # an addendum's post-contrast series after the plain one is without then with
    ("CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial noncontrast images.\nIMPRESSION: Edema.\nADDENDUM: Post-contrast "
     "images were obtained after the noncontrast series following 75 mL Omnipaque IV. Enhancing mass.", ["70470"]),
])
def test_addendum_contrast_not_given(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "title_technique_conflict" in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # an MR protocol that lists plain sequences before the contrast series is without then with
    ("MRI BRAIN\nTECHNIQUE: Sagittal T1, axial T2, FLAIR, DWI, post-contrast axial and coronal T1 images after "
     "7 mL Gadavist IV.\nFINDINGS: No mass.", ["70553"]),
    ("MRI PROSTATE\nTECHNIQUE: Small field-of-view T2 in three planes, DWI with ADC map, dynamic "
     "contrast-enhanced T1 after 15 mL Dotarem.\nFINDINGS: PI-RADS 2.", ["72197"]),
    ("MR LUMBAR SPINE\nTECHNIQUE: Sagittal T1, T2 and STIR, axial T2, postgadolinium sagittal and axial T1 "
     "fat-saturated images.\nFINDINGS: Enhancing scar at L5-S1.", ["72158"]),
    # the contrast series alone, or named after the route in its sentence, stays "with"
    ("MRI BRAIN WITH CONTRAST\nTECHNIQUE: Post-contrast axial T1 and 3D MPRAGE images after 7 mL Gadavist IV.\n"
     "FINDINGS: No mass.", ["70552"]),
    ("MR ORBITS\nTECHNIQUE: Axial and coronal T1 fat-saturated images after intravenous gadolinium.\n"
     "FINDINGS: Normal.", ["70542"]),
])
def test_mr_sequences_listed_before_contrast(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a contrast study still to be arranged is not performed ("MRI with gadolinium is being arranged")
    ("CT HEAD WITH AND WITHOUT CONTRAST\nTECHNIQUE: Axial images of the head were obtained without intravenous "
     "contrast. Contrast was not given because of a prior reaction; MRI with gadolinium under premedication is "
     "being arranged.\nFINDINGS: Left frontal lesion.", ["70450"]),
    ("CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Helical noncontrast images of the abdomen and pelvis. "
     "eGFR 18; a contrast-enhanced MRI will be arranged.\nFINDINGS: No hydronephrosis.", ["74176"]),
    ("CT CHEST\nTECHNIQUE: Noncontrast helical CT of the chest. Follow-up CT with IV contrast is to be "
     "scheduled after hydration.\nFINDINGS: Mass.", ["71250"]),
])
def test_contrast_study_still_to_be_arranged(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a with-and-without title whose technique says its images were acquired after the contrast
    ("EXAM: CT HEAD WITH AND WITHOUT CONTRAST\nTECHNIQUE: Axial CT images of the head were obtained following "
     "the administration of 75 mL Omnipaque 350 intravenously.\nFINDINGS: Enhancing lesion.", ["70460"]),
    ("CT SOFT TISSUE NECK WITHOUT AND WITH CONTRAST\nTECHNIQUE: Axial images of the neck were acquired after "
     "intravenous injection of 75 mL Isovue 300. Coronal reformats.\nFINDINGS: Mass.", ["70491"]),
    ("CT ORBITS W/WO\nTECHNIQUE: Thin axial images through the orbits were obtained after IV contrast.\n"
     "FINDINGS: Normal.", ["70481"]),
    # a plain series named anywhere in those sentences, or a series added after, keeps without-then-with
    ("CT HEAD WITH AND WITHOUT CONTRAST\nTECHNIQUE: Noncontrast axial images, then axial images were obtained "
     "following 75 mL Omnipaque IV.\nFINDINGS: Lesion.", ["70470"]),
    ("CT HEAD WITH AND WITHOUT CONTRAST\nTECHNIQUE: Additional axial images were obtained following 75 mL "
     "Omnipaque IV.\nFINDINGS: Lesion.", ["70470"]),
    ("CT HEAD WITH AND WITHOUT CONTRAST\nTECHNIQUE: 75 mL Omnipaque 350 IV.\nFINDINGS: Lesion.", ["70470"]),
])
def test_title_both_technique_acquired_after_contrast(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title that names the abdomen and the pelvis apart; the technique names them together with the contrast
    ("ORDER: CT ABD AND PELVIS WO CONTRAST\nSTUDY: CT ABD AND PELVIS WO CONTRAST\nTechnique: Helical CT of the "
     "abdomen and pelvis was performed in the portal venous phase after intravenous administration of 80 mL "
     "Isovue-370.\nFINDINGS: Normal.", ["74177"]),
    ("CT ABDOMEN, PELVIS WITHOUT CONTRAST\nTECHNIQUE: CT of the abdomen and pelvis after 100 mL Omnipaque 350 "
     "IV.\nFINDINGS: Normal.", ["74177"]),
    ("CT ABD AND PELVIS WITH CONTRAST\nTECHNIQUE: Noncontrast helical CT of the abdomen and pelvis; IV contrast "
     "was not given (eGFR 22).\nFINDINGS: Normal.", ["74176"]),
])
def test_abdomen_and_pelvis_named_together_in_the_technique(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "title_technique_conflict" in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # 3D rendering documented on a non-angiographic study without an independent workstation: 76376
    ("EXAM: CT MAXILLOFACIAL WITHOUT CONTRAST\nTECHNIQUE: Axial CT of the facial bones without contrast with "
     "coronal and sagittal reformats and 3D surface reconstructions.\nFINDINGS: ZMC fracture.", ["70486", "76376"]),
    ("CT LEFT KNEE WITHOUT CONTRAST\nTECHNIQUE: Axial 0.625 mm images, cor/sag reformats, 3D VR images created at "
     "the scanner console by the technologist. No IV contrast.\nFINDINGS: Tibial plateau fracture.",
     ["73700-LT", "76376"]),
    ("CT PELVIS WITHOUT CONTRAST\nTECHNIQUE: Helical CT of the pelvis; volume-rendered images of the acetabulum "
     "were created.\nFINDINGS: Acetabular fracture.", ["72192", "76376"]),
    # on an independent workstation: 76377; bare 3D reformats, or rendering not done or on request: none
    ("CT PELVIS WITHOUT CONTRAST\nTECHNIQUE: Helical CT of the pelvis with 3D volume-rendered reconstructions on "
     "an independent workstation.\nFINDINGS: Fracture.", ["72192", "76377"]),
    ("CT RIGHT FOOT WITHOUT CONTRAST\nTECHNIQUE: Axial images with sagittal, coronal and 3D reformats.\n"
     "FINDINGS: Calcaneal fracture.", ["73700-RT"]),
    ("CT FACIAL BONES WITHOUT CONTRAST\nTECHNIQUE: Axial images with reformats. 3D surface renderings can be "
     "provided on request.\nFINDINGS: Nasal fracture.", ["70486"]),
    # a CTA includes its 3D rendering
    ("CTA CHEST\nTECHNIQUE: Axial images after 80 mL Omnipaque IV with MIP and 3D volume-rendered images.\n"
     "FINDINGS: No PE.", ["71275"]),
])
def test_rendering_documented_without_a_workstation(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title without a modality: the radiographic projections the report documents make it a radiograph
    ("ED PRELIM - L FOOT\nHx: dropped a weight on L foot\nAP, obl and lat L foot (3). Nondisplaced fx base of 2nd MT. "
     "? Lisfranc.\nImp: 2nd MT base fx; weight-bearing views or CT rec.", ["73630-LT"]),
    ("RIGHT WRIST\nHISTORY: Fall on outstretched hand.\nPA, lateral and oblique views of the right wrist. "
     "Nondisplaced distal radius fracture.\nIMPRESSION: Distal radius fracture; CT if surgical planning.",
     ["73110-RT"]),
    ("LEFT ANKLE, PRELIM\nAP, mortise and lateral views. No fracture. Lateral soft tissue swelling.\n"
     "Imp: No fracture. MRI if symptoms persist.", ["73610-LT"]),
])
def test_projections_make_a_title_without_modality_a_radiograph(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # rib series whose report says no chest view was taken: the ribs-only code, whatever the count
    ("Bilateral rib radiographs.\n\nAP views of the upper and lower ribs and an oblique view of each side were "
     "obtained, four views in total; no separate chest view was taken.\n\nImpression: Left 7th rib fracture.",
     ["71110"]),
    ("XR RIBS BILATERAL\nTECHNIQUE: Four views of the ribs without a chest radiograph.\nIMPRESSION: No fracture.",
     ["71110"]),
    ("XR RIBS RIGHT\nTECHNIQUE: AP, oblique and coned views of the right ribs; no PA chest view.\n"
     "IMPRESSION: No fracture.", ["71100-RT"]),
    # with the chest view, or a count alone, the series includes the chest as before
    ("XR RIBS BILATERAL WITH PA CHEST\nTECHNIQUE: PA chest and AP and oblique views of both sides.\n"
     "IMPRESSION: No fracture.", ["71111"]),
    ("XR RIBS BILATERAL 4 VIEWS\nIMPRESSION: No fracture.", ["71111"]),
])
def test_rib_series_without_a_chest_view(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an axial DXA title whose technique says its parts could not be measured and the forearm was
    ("EXAM: DXA BONE DENSITY AXIAL\nTECHNIQUE: Neither hip nor the lumbar spine is measurable because of "
     "hardware. DXA of the left forearm (one-third radius) was performed instead.\nIMPRESSION: Osteoporosis.",
     ["77081"]),
    ("DXA AXIAL SKELETON\nTECHNIQUE: The hips and lumbar spine could not be scanned (bilateral hip prostheses, "
     "lumbar fusion). The distal radius was measured instead.\nIMPRESSION: Osteopenia.", ["77081"]),
    # one part measured: the axial study stands
    ("EXAM: DXA BONE DENSITY AXIAL\nTECHNIQUE: The lumbar spine is not measurable because of fusion hardware; "
     "the left hip and the left forearm were measured.\nIMPRESSION: Osteopenia.", ["77080"]),
])
def test_axial_dxa_undone_by_its_parts(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # non-contrast CT shorthand: NCHCT (head), NCCT / NECT (non-contrast / non-enhanced CT)
    ("OUTSIDE IMAGING - NCHCT\nHX: headache.\nTECH: NCHCT, axial 5 mm w/ sag/cor.\nFINDINGS: No ICH.\n"
     "IMP: Negative.", ["70450"]),
    ("NCCT HEAD\nHx: fall.\nNo hemorrhage.", ["70450"]),
    ("NECT ABDOMEN/PELVIS\nINDICATION: Flank pain.\nFINDINGS: 4 mm left UVJ stone.", ["74176"]),
    ("CT CHEST\nTECHNIQUE: NCCT of the chest, 1.25 mm.\nFINDINGS: Nodule.", ["71250"]),
])
def test_noncontrast_ct_shorthand(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # bilateral hips: the AP pelvis once, and each projection listed before "of each hip" twice
    ("EXAM: XR HIPS BILATERAL WITH PELVIS\nTECHNIQUE: AP pelvis, and AP and frog-leg lateral views of each hip.\n"
     "IMPRESSION: Cam morphology.", ["73523"]),
    ("XR BILATERAL HIPS\nTECHNIQUE: AP of the pelvis; AP and lateral views of the right and left hips.\n"
     "IMPRESSION: Normal.", ["73523"]),
    ("XR BILATERAL HIPS\nTECHNIQUE: AP pelvis and frog-leg lateral views of each hip.\nIMPRESSION: Normal.",
     ["73522"]),
    ("XR BILATERAL HIPS\nTECHNIQUE: AP pelvis.\nIMPRESSION: Normal.", ["73521"]),
])
def test_bilateral_hip_projections_listed_for_each_side(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # speech-recognition homophones of exam words in dictated reports ("pee a" PA, "write need" right
    # knee, "service spine" cervical spine, "upper g i" upper GI)
    ("chest to views\nhistory cough\ntechnique pee a and lateral views of the chest\nfindings clear lungs\n"
     "impression normal", ["71046"]),
    ("x ray write need two views\nhistory fall\ntechnique a p and lateral views of the write need\n"
     "findings no fracture\nimpression negative", ["73560-RT"]),
    ("x ray left need three views\ntechnique a p lateral and sunrise views\nfindings effusion", ["73562-LT"]),
    ("MRI service spine without contrast\nhistory neck pain\ntechnique sagittal t1 t2 and stir no intravenous "
     "contrast was given\nfindings disc osteophyte complex at c5 c6", ["72141"]),
    ("upper g i series\nhistory dyspepsia\ntechnique single contrast barium esophagus stomach and duodenum\n"
     "findings normal", ["74240"]),
])
def test_dictation_homophones_of_exam_words(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title with a short note before its period ("1V -- Waters view only.") still ends there
    ("XR SINUSES 1V -- Waters view only. Air-fluid level in the left maxillary sinus. IMP: Sinusitis.", ["70210"]),
    # a first line that is a sentence in prose stays whole ("ECHOCARDIOGRAM, FETAL, The four-chamber view ...")
    ("ECHOCARDIOGRAM, FETAL, The four-chamber view, both outflow tracts and the aortic arch are normal. Fetal "
     "heart rate 150.", ["76825"]),
])
def test_title_note_before_the_period(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
