"""Error classes of the enlarged dev split in ultrasound, duplex, nuclear medicine and PET (issue 12:
the retired calibration parts cal_al..cal_ap, department styles), fixed with general rules. Reports
written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a "PROCEDURE:" line under the exam's own header that describes what was done, in sentences: the
    # technique (what it says was not done is not done), not a second exam title
    ("EXAM: NM MYOCARDIAL PERFUSION SPECT REST AND STRESS\nPROCEDURE: Regadenoson stress, 10.4 mCi Tc-99m "
     "sestamibi, gated SPECT. Stress perfusion was normal, so the rest study was not performed.\n"
     "FINDINGS: Normal perfusion. LVEF 64%.\nIMPRESSION: Normal stress-only study.", ["78451"]),
    ("EXAM: US PELVIS COMPLETE TRANSABDOMINAL AND TRANSVAGINAL\nPROCEDURE: Transabdominal sonography of the "
     "pelvis. The endovaginal portion was declined by the patient.\nFINDINGS: Uterus 7.9 cm, endometrium "
     "5 mm. Ovaries normal.\nIMPRESSION: Normal pelvic ultrasound.", ["76856"]),
    ("EXAM: US BREAST BILATERAL\nPROCEDURE: Targeted sonography of the left breast at 2 o'clock where the "
     "patient feels a lump. The right breast was not scanned.\nFINDINGS: 8 mm simple cyst at 2 o'clock.\n"
     "IMPRESSION: Simple cyst. BI-RADS 2.", ["76642-LT"]),
    ("EXAM: DUPLEX RENAL ARTERIES\nPROCEDURE: Duplex of the aorta, both main renal arteries from origin to "
     "hilum, segmental arteries and both renal veins with spectral Doppler. Kidney lengths measured.\n"
     "FINDINGS: No renal artery stenosis. Renal veins patent.\nIMPRESSION: Normal.", ["93975"]),
    ("EXAM: NM PARATHYROID SPECT/CT\nPROCEDURE: 21 mCi Tc-99m sestamibi IV. Planar images of the neck and "
     "chest at 15 minutes and 2 hours; SPECT/CT of the neck and upper chest at 20 minutes.\nFINDINGS: "
     "Retained focus below the left lower thyroid pole.\nIMPRESSION: Left inferior parathyroid adenoma.",
     ["78072"]),
    # a procedure line that is a title (no sentence) is still the exam's name
    ("EXAM: US RETROPERITONEUM\nPROCEDURE: US RENAL BILATERAL COMPLETE\nFINDINGS: Right kidney 11 cm, left "
     "kidney 11.4 cm, no hydronephrosis. Bladder normal.\nIMPRESSION: Normal.", ["76770"]),
])
def test_procedure_description_under_the_exam_is_technique(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a brain PET with an amyloid or tau tracer is no metabolic (FDG) brain study: it is billed as a
    # limited-area PET, with CT when a CT was acquired
    ("EXAM: PET/CT BRAIN AMYLOID\nHISTORY: Mild cognitive impairment.\nTECHNIQUE: 8.1 mCi F-18 florbetaben "
     "IV; brain PET at 90 minutes with low-dose CT for attenuation correction.\nFINDINGS: Cortical tracer "
     "retention in the precuneus.\nIMPRESSION: Positive amyloid PET.", ["78814"]),
    ("Amyloid PET brain (Vizamyl). 5 mCi flutemetamol IV, 20 minute brain acquisition at 90 minutes, CT for "
     "attenuation correction. Negative scan: white matter pattern preserved.", ["78814"]),
    ("EXAM: PET BRAIN TAU\nTECHNIQUE: 10 mCi F-18 flortaucipir IV, 20 minute brain PET at 80 minutes. "
     "Attenuation correction from a transmission scan; no CT.\nIMPRESSION: Advanced tau pattern.", ["78811"]),
    # the metabolic brain PET stays 78608
    ("EXAM: PET/CT BRAIN FDG\nHISTORY: Refractory epilepsy.\nTECHNIQUE: 5 mCi F-18 FDG IV, brain PET with "
     "low-dose CT.\nIMPRESSION: Left temporal hypometabolism.", ["78608"]),
    ("EXAM: PET/CT BRAIN FDG\nHISTORY: Memory loss.\nTECHNIQUE: 5 mCi F-18 FDG IV, brain PET with low-dose "
     "CT.\nIMPRESSION: Temporoparietal hypometabolism. An amyloid PET may help if therapy is considered.",
     ["78608"]),
])
def test_amyloid_or_tau_brain_pet_is_limited_area(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a report without a technique header that says in its body that the rest half of a stress-first
    # protocol was not done: one study (the composite's remaining part), as under a technique header
    ("MYOCARDIAL PERFUSION IMAGING (STRESS-FIRST)\nTreadmill stress, 9 min Bruce, 11 mCi Tc-99m sestamibi at "
     "peak exercise, gated SPECT. Stress images normal; rest imaging was therefore cancelled.\nLVEF 61%.\n"
     "IMPRESSION: Normal stress-only perfusion.", ["78451"]),
    ("NM CARDIAC SPECT STRESS\nRegadenoson stress with 10 mCi tetrofosmin and gated SPECT images. The rest "
     "portion was not required and was not performed.\nIMPRESSION: No ischemia.", ["78451"]),
    # both halves done: multiple studies
    ("MYOCARDIAL PERFUSION IMAGING (STRESS-FIRST)\nTreadmill stress with 11 mCi sestamibi, gated SPECT. "
     "Stress images showed an inferior defect, so rest imaging was performed 3 hours later.\n"
     "IMPRESSION: Inferior ischemia.", ["78452"]),
])
def test_stress_only_perfusion_stated_in_the_body(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a multi-level physiologic study ordered, but only the ankle and arm pressures taken: the
    # ankle-brachial level alone is the limited study
    ("EXAM: LOWER EXTREMITY SEGMENTAL PRESSURES BILATERAL\nTECHNIQUE: Thigh cuffs could not be applied; "
     "only ankle and brachial pressures were obtained.\nFINDINGS: ABI right 0.91, left 0.86.\n"
     "IMPRESSION: Mild bilateral PAD.", ["93922"]),
    ("EXAM: ARTERIAL PHYSIOLOGIC STUDY LE BILATERAL WITH PVR\nTECHNIQUE: Brachial and ankle pressures only; "
     "the patient could not tolerate thigh and calf cuffs.\nFINDINGS: ABI right 0.7, left 0.95.\n"
     "IMPRESSION: Right PAD.", ["93922"]),
    # every level taken: the complete study
    ("EXAM: SEGMENTAL PRESSURES AND PVR BILATERAL\nTECHNIQUE: Pressures and pulse volume recordings at the "
     "high thigh, low thigh, calf and ankle bilaterally, with brachial pressures.\nFINDINGS: ABI right 0.8, "
     "left 0.9. Drop at the right calf level.\nIMPRESSION: Right infrapopliteal disease.", ["93923"]),
])
def test_ankle_and_brachial_pressures_only_is_limited(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title naming the scan and the uptake is the combined study, whether or not the technique restates it
    ("THYROID SCAN AND UPTAKE\nHx: hyperthyroidism.\nImpression: Diffusely increased uptake, Graves disease.",
     ["78014"]),
    ("thyroid scan and uptake\nhx: suppressed tsh\ni-123 capsule orally, uptake at 4 and 24 hours, pinhole images "
     "at 24 hours.\nimpression: toxic right nodule.", ["78014"]),
    # the uptake the technique says was not measured leaves the imaging
    ("NM THYROID SCAN AND UPTAKE\nTechnique: 300 uCi I-123 orally. Pinhole images of the thyroid at 4 hours. "
     "The uptake measurement was not performed because the probe was out of service.\nImpression: "
     "Multinodular goiter.", ["78013"]),
    # a whole-body radioiodine survey named either way round is the metastasis study
    ("Whole body radioiodine scan.\n\nHistory: Papillary thyroid cancer after thyroidectomy.\n\nTechnique: "
     "2.0 mCi I-123 orally. Anterior and posterior whole body images at 24 hours with spot views of the neck "
     "and chest.\n\nImpression: No iodine-avid metastases.", ["78018"]),
    ("NM WHOLE-BODY I-131 SCAN\nHistory: Papillary carcinoma after ablation.\nTechnique: 4 mCi I-131 orally; "
     "anterior and posterior whole-body images at 48 hours.\nImpression: Thyroid bed remnant only.", ["78018"]),
])
def test_thyroid_scan_uptake_and_whole_body_survey(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a bone scan titled limited whose technique imaged two or more areas is the multiple-area study
    ("NM BONE LTD\nHx: Shin splints vs stress fracture.\nTech: 22 mCi Tc-99m MDP IV. Delayed static images of the "
     "pelvis, both femurs and both tibias. No flow images, no SPECT.\nFindings: Focal uptake in the left mid "
     "tibia.\nImp: Stress fracture.", ["78305"]),
    ("EXAM: NM BONE SCAN LIMITED\nTECHNIQUE: 20 mCi Tc-99m MDP. Spot images of both knees and both ankles at "
     "3 hours.\nIMPRESSION: Degenerative uptake.", ["78305"]),
    ("EXAM: BONE SCAN LIMITED\nTECHNIQUE: 21 mCi Tc-99m MDP IV; delayed planar images of the thoracic and lumbar "
     "spine and the pelvis.\nIMPRESSION: L1 compression fracture uptake.", ["78305"]),
    # one area stays limited
    ("EXAM: NM BONE SCAN LIMITED\nTECHNIQUE: 20 mCi Tc-99m MDP. Spot images of both feet at 3 hours.\n"
     "IMPRESSION: Right navicular stress fracture.", ["78300"]),
    # the pelvis with its hips and proximal femurs is one area, and the injection's vein is none
    ("EXAM: NM BONE SCAN LIMITED\nTECHNIQUE: 22 mCi Tc-99m MDP in a right arm vein. Planar images of the pelvis "
     "and proximal femurs at 3 hours; frog-leg views of the hips.\nIMPRESSION: Right femoral neck stress "
     "fracture.", ["78300"]),
    ("ORDERED: NM BONE SCAN WHOLE BODY\nEXAM: NM BONE SCAN\nTechnique: 20 mCi Tc-99m MDP. The patient could not "
     "stay on the table for the whole body sweep; only spot images of the pelvis and proximal femurs were "
     "obtained.\nImpression: Left femoral neck fracture.", ["78300"]),
])
def test_limited_bone_scan_title_over_several_imaged_areas(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a RIS line's "ART" before the duplex makes the arterial duplex, not an arterial frame and a venous one
    ("US ART DUPLEX LE BILAT\nHX: Claudication.\nFINDINGS: Triphasic waveforms throughout.\nIMPRESSION: Normal.",
     ["93925"]),
    ("US ART DUP LE BILAT\nHX: Rest pain.\nFINDINGS: Occluded left SFA.\nIMPRESSION: Left SFA occlusion.", ["93925"]),
    ("US ART DOPPLER UE RT\nHX: Cold right hand.\nFINDINGS: Triphasic radial and ulnar waveforms.\nIMPRESSION: "
     "Normal.", ["93931-RT"]),
    # the venous line stays venous
    ("US VEN DUPLEX LE BILAT\nHX: Leg swelling.\nFINDINGS: Veins compressible.\nIMPRESSION: No DVT.", ["93970"]),
])
def test_ris_art_duplex_line_is_one_arterial_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a gallbladder ejection fraction after a fatty meal, or with no drug given, is no pharmacologic
    # intervention (78226); after sincalide or morphine it is (78227)
    ("NM HEPATOBILIARY SCAN WITH GBEF (FATTY MEAL)\nClinical history: Postprandial RUQ pain. 5 mCi Tc-99m "
     "mebrofenin IV, dynamic imaging for 60 minutes. After gallbladder filling the patient drank 8 oz of a "
     "fatty meal supplement and imaging continued for 60 minutes. No pharmacologic agent was given.\n"
     "Gallbladder ejection fraction 41%.\nIMPRESSION: Normal GBEF.", ["78226"]),
    ("EXAM: NM HIDA WITH EJECTION FRACTION\nTECHNIQUE: 5.2 mCi Tc-99m mebrofenin IV. Dynamic imaging 60 minutes, "
     "then a fatty meal (whole milk) and 60 more minutes.\nFINDINGS: GBEF 22%.\nIMPRESSION: Low GBEF.",
     ["78226"]),
    ("EXAM: NM HIDA WITH EJECTION FRACTION\nTECHNIQUE: 5.2 mCi Tc-99m mebrofenin IV. Dynamic imaging 60 minutes, "
     "then sincalide 0.02 mcg/kg infused over 60 minutes.\nFINDINGS: GBEF 22%.\nIMPRESSION: Low GBEF.",
     ["78227"]),
    ("NM HEPATOBILIARY SCAN WITH GBEF\nMebrofenin 5 mCi IV; dynamic images for 60 minutes; gallbladder "
     "ejection fraction measured after a 30 minute sincalide infusion.\nIMPRESSION: GBEF 18%, low.", ["78227"]),
])
def test_gallbladder_ejection_fraction_without_a_drug(sg, text, expected):
    assert codes(sg.suggest(text)) == expected

