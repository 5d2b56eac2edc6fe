"""Error classes of the dev split in CT, CTA, MR and MRA (stop 16: reports written by hand outside the
team), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a contrast the technique says was planned, then a failed IV: only the oral / rectal contrast was
    # given, which makes no study "with contrast" (CODING_RULES §2: 74176)
    ("CT ABDOMEN PELVIS WITH ORAL CONTRAST ONLY\nHistory: Flank stab wound.\nTechnique: IV contrast was planned; "
     "peripheral access could not be obtained. Helical CT of the abdomen and pelvis after oral contrast only.\n"
     "Findings: No peritoneal violation.\nImpression: Negative.", ["74176"]),
    ("CT A/P RECTAL AND ORAL CONTRAST\nTechnique: Triple contrast study was planned. IV line infiltrated before "
     "injection. Scan of the abdomen and pelvis performed with oral and rectal contrast.\nFindings: No colonic "
     "injury.\nImpression: Negative.", ["74176"]),
    # a one-line export whose title says W and whose only statement says the IV contrast was not given
    # (CODING_RULES §2, §6: the plain study was done)
    ("CT ABD/PELVIS W | ACC 55512 | ED | Abd pain | IMP: Small bowel obstruction with transition in the right "
     "lower quadrant. Oral contrast only; IV contrast not given due to renal failure.", ["74176"]),
    ("CT A/P W CONTRAST | 12/01/2026 | IMPRESSION: Uncomplicated sigmoid diverticulitis. IV not administered "
     "(allergy), oral contrast given.", ["74176"]),
    # negative: a contrast extravasation named in the impression is anatomy, not the technique
    ("CT ABD/PELVIS W | ACC 55513 | IMP: No extravasation of IV contrast. Liver laceration grade 2.", ["74177"]),
    # negative: a plan then carried out
    ("CT ABDOMEN PELVIS WITH CONTRAST\nTechnique: IV contrast was planned and 100 mL Omnipaque 350 was given "
     "IV.\nFindings: Negative.", ["74177"]),
])
def test_oral_or_rectal_contrast_only(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # (a low dose with no stated indication stays the screening code, flagged: "LDCT" is a screening cue in
    # CODING_RULES §5; tests/test_billing.py::test_indication_unclear_mammography_and_lung_ct)
    # a screening title over a symptomatic patient: the study is diagnostic (§5: screening is asymptomatic)
    ("CT CHEST LOW DOSE LUNG CANCER SCREENING\nHistory: 66 yo former smoker, 40 pack-years, 2 weeks of "
     "hemoptysis.\nTechnique: Low-dose CT of the chest without contrast.\nFindings: 3 cm right upper lobe "
     "mass.\nImpression: Suspicious mass.", ["71250"]),
    # the follow-up of a screen-detected finding is diagnostic (§5)
    ("CT CHEST LOW DOSE\nIndication: Lung-RADS 3 nodule on prior screening CT, 6-month follow-up.\nTechnique: "
     "Low-dose noncontrast chest CT.\nFindings: Nodule stable at 7 mm.\nImpression: Lung-RADS 2.", ["71250"]),
    # the screening of a non-cancer lung disease in a known systemic disease, or a high-resolution
    # protocol, is a diagnostic chest CT (§5: 71271 is lung cancer screening)
    ("CT CHEST HIGH RESOLUTION\nHistory: Rheumatoid arthritis, interstitial lung disease screening.\nTechnique: "
     "HRCT without contrast, supine and prone.\nFindings: Mild subpleural reticulation.\nImpression: Early ILD.",
     ["71250"]),
    ("CT CHEST WO\nClinical: Scleroderma, ILD screening.\nTechnique: Thin section noncontrast CT.\nFindings: "
     "Normal lungs.\nImpression: No ILD.", ["71250"]),
    # a symptom in the history beats a questioned screening request
    ("CT CHEST WITHOUT CONTRAST\nIndication: lung cancer screening? 61 yo smoker with chest wall pain after a "
     "fall.\nTechnique: Noncontrast CT chest.\nFindings: Left 6th rib fracture.\nImpression: Rib fracture.",
     ["71250"]),
    # negatives: an asymptomatic screening, with its Lung-RADS result and advice
    ("CT CHEST LOW DOSE LUNG CANCER SCREENING\nHistory: 64 yo current smoker, 35 pack-years, asymptomatic.\n"
     "Technique: Low-dose CT chest without contrast.\nFindings: 7 mm solid nodule RLL.\nImpression: Lung-RADS "
     "3. 6-month follow-up low-dose CT recommended.", ["71271"]),
    ("LDCT CHEST\nHx: annual screening, 58F smoker 30 pk-yr.\nFindings: No nodules.\nImpression: Lung-RADS 1.",
     ["71271"]),
    ("CT CHEST LOW DOSE\nHistory: 70 yo former smoker, quit 2019, 45 pack-years.\nTechnique: Low-dose "
     "noncontrast CT.\nFindings: Emphysema.\nImpression: Lung-RADS 1.", ["71271"]),
])
def test_lung_screening_vs_diagnostic_chest_ct(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a CTA the title names and the report says was cancelled / not performed: the exams done are billed
    # (CODING_RULES §6)
    ("CT ABDOMEN PELVIS W + CTA CHEST\nNote: the CTA chest portion was cancelled by the ordering team before "
     "the scan.\nTechnique: Portal venous phase CT of the abdomen and pelvis after 100 mL Omnipaque 350 IV.\n"
     "Findings: Appendicitis.\nImpression: Acute appendicitis.", ["74177"]),
    ("CT HEAD WO / CTA HEAD AND NECK\nThe CTA head and neck was not performed, the stroke alert having been "
     "cancelled.\nTechnique: Axial noncontrast CT of the head.\nFindings: No hemorrhage.\nImpression: Negative.",
     ["70450"]),
    # the contrast coronary CTA not done after the calcium score: the calcium score alone (75571)
    ("CARDIAC CT: CALCIUM SCORE AND CORONARY CTA\nHistory: Atypical chest pain.\nTechnique: ECG-gated noncontrast "
     "scan for calcium scoring. Agatston score 2100. Coronary CTA was not performed given the heavy "
     "calcification.\nImpression: Agatston 2100.", ["75571"]),
    # negative: both exams done
    ("CT CHEST W + CTA HEAD/NECK\nTechnique: CT angiography of the head and neck with MIP and 3D reformats after "
     "75 mL Omnipaque 350 IV, followed by venous phase images of the chest.\nFindings: No occlusion. No chest "
     "mass.", ["70496", "70498", "71260"]),
])
def test_cancelled_angiogram_in_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a prose report with no history section: its body states the screening of the low-dose CT (§5)
    ("Low-dose CT of the chest was performed\nfor lung cancer screening of a 67-year-old man, former smoker with "
     "40 pack-years, asymptomatic. Thin axial images without contrast.\nNo suspicious nodule.\nImpression: "
     "Lung-RADS 1.", ["71271"]),
])
def test_low_dose_indication_in_prose_body(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # negative of the cancelled angiogram: two angiograms and the part not imaged named by its anatomy only
    ("CTA HEAD AND NECK\nIndication: Known cervical dissection imaged elsewhere.\nTechnique: CTA of the head "
     "with MIP reconstructions after 70 mL Isovue 370. The neck was not imaged.\nFindings: No intracranial "
     "aneurysm.", ["70496"]),
])
def test_angiograms_of_one_modality_keep_their_anatomy(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
