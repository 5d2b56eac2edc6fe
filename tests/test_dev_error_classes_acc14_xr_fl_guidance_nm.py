"""Error classes of the enlarged dev split (acc14: outside text cal-bu..cal-cb and the reviewer's last-stop
findings) in radiographs, fluoroscopy, guidance and nuclear medicine, fixed with general rules. Reports
written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a tracer localization study (gallium, indium leukocytes, octreotide) of the chest or lungs is the
    # localization code of one area (78800) or SPECT (78803), not a lung ventilation/perfusion scan (78582)
    ("NM GALLIUM SCAN CHEST\nIndication: sarcoidosis, assess activity.\nTechnique: 6 mCi Ga-67 citrate IV; "
     "anterior and posterior planar images of the chest at 48 hours.\nFindings: Hilar and mediastinal uptake.\n"
     "Impression: Active sarcoidosis.", ["78800"]),
    ("GALLIUM-67 LUNG SCAN\nGa-67 citrate 5 mCi. Planar imaging of the thorax at 72 hours.\nFindings: Diffuse "
     "pulmonary uptake greater than liver.", ["78800"]),
    ("NM INDIUM WBC SCAN CHEST\nIn-111 labeled leukocytes. Planar images of the chest at 24 h. No abnormal "
     "accumulation.", ["78800"]),
    ("NM GALLIUM SPECT CHEST\nGa-67; SPECT of the chest at 48 hours. Mediastinal uptake.", ["78803"]),
    # ... a ventilation/perfusion scan stays the lung code
    ("NM V/Q SCAN\nTechnique: Xe-133 ventilation and Tc-99m MAA perfusion images of the lungs.\nFindings: Matched "
     "defects.", ["78582"]),
])
def test_localization_of_the_chest(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an indium tracer (In-111 DTPA) of a cisternography or a gastric emptying / transit study is that
    # study's tracer, no localization study of its own (78801)
    ("NM CSF FLOW STUDY (INDIUM-111 DTPA)\nTechnique: 0.5 mCi In-111 DTPA given intrathecally by neurology; "
     "images of the head at 6, 24 and 48 hours.\nFindings: Normal convexity ascent by 24 hours.\nImpression: "
     "Normal cisternogram.", ["78630"]),
    ("WHOLE GUT TRANSIT STUDY\nTechnique: Tc-99m sulfur colloid solid meal and In-111 DTPA in water; images at 0, 1, "
     "2, 4, 6, 24 and 48 hours for gastric emptying, small bowel and colon transit.\nFindings: Gastric emptying "
     "normal; colonic geometric center 1.4 at 24 hours.\nImpression: Slow colonic transit.", ["78266"]),
    # ... an indium leukocyte scan stays a localization study
    ("NM INDIUM WBC SCAN\nIn-111 labeled leukocytes; whole body images at 24 hours.\nFindings: Focal uptake in the "
     "right lower quadrant.", ["78802"]),
])
def test_indium_tracer_of_an_organ_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a small bowel follow-through without an upper GI series is the small bowel series (74250), whether or
    # not the report names fluoroscopy; the add-on 74248 is never billed alone (§3)
    ("SMALL BOWEL FOLLOW-THROUGH\nBarium given orally. Images at 30 and 60 minutes. Normal.", ["74250"]),
    ("SBFT\nOral barium; overhead films at intervals. Normal transit to the cecum.", ["74250"]),
    ("SMALL BOWEL FOLLOW THROUGH\nTechnique: thin barium orally with overhead abdominal radiographs at timed "
     "intervals.\nFindings: normal caliber and folds.", ["74250"]),
    ("SMALL BOWEL FOLLOW THROUGH", ["74250"]),
    # ... with an upper GI series it is the add-on of that series
    ("UGI W/ SBFT\nDouble contrast upper GI followed by small bowel follow-through with overhead films.",
     ["74246", "74248"]),
    ("BARIUM SWALLOW, UPPER GI AND SMALL BOWEL FOLLOW-THROUGH\nSingle contrast. Normal esophagus, stomach and "
     "duodenum. Small bowel normal, barium reached the colon at 60 minutes.", ["74240", "74248"]),
])
def test_follow_through_alone_is_the_small_bowel_series(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the neck of a bone (metacarpal, metatarsal, radial, humeral neck) in a one-line radiograph report is
    # that bone's part, not a soft tissue neck radiograph (70360)
    ("XR HAND RIGHT 3 VIEWS. PA, OBLIQUE AND LATERAL. FOURTH METACARPAL NECK FRACTURE, 20 DEGREES ANGULATION.",
     ["73130-RT"]),
    ("XR FOOT LT 3V AP OBL LAT. 2ND METATARSAL NECK STRESS FRACTURE.", ["73630-LT"]),
    ("XR ELBOW LEFT AP AND LATERAL: NONDISPLACED RADIAL NECK FRACTURE WITH POSTERIOR FAT PAD.", ["73070-LT"]),
    # ... the soft tissue neck stays 70360
    ("XR SOFT TISSUE NECK 2 VIEWS\nFindings: No prevertebral swelling.", ["70360"]),
])
def test_bone_neck_is_not_the_neck(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a right and a left oblique named one by one are two views (cal-bv-0113)
    ("XR LUMBAR SPINE\nViews: AP, lateral, right oblique and left oblique.\nFindings: normal.", ["72110"]),
    ("THORACIC SPINE SERIES\nTechnique: AP, lateral, left oblique, right oblique.\nFindings: No fracture.",
     ["72074"]),
    # ... one sided oblique is one view
    ("XR LUMBAR SPINE\nTechnique: AP, lateral and right oblique views.\nFindings: normal.", ["72100"]),
])
def test_sided_obliques(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an anatomical line named after a projection word ("radiocapitellar line", cal-bu-0128) is no view
    ("XR ELBOW RIGHT\nTechnique: AP and lateral views.\nFindings: The anterior humeral line and the radiocapitellar "
     "line are normal. No effusion.", ["73070-RT"]),
    ("XR ELBOW RT\nClinical: 3 yo fell from monkey bars\nAP and lateral views of the right elbow. No fracture. "
     "Radiocapitellar line intact. No fat pad elevation.\nIMP: Normal elbow.", ["73070-RT"]),
    ("XR ELBOW LEFT\nHx: pain\nAP and lateral views. No effusion. The radiocapitellar line passes through the "
     "capitellum.\nImpression: negative.", ["73070-LT"]),
])
def test_anatomic_line_is_no_view(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title count that the line under the title contradicts: one projection taken, the other said not
    # obtained (cal-bu-0072) -> the views performed (CODING_RULES §4/§6)
    ("XR CHEST 2V\nFrontal view of the chest. Lateral view not obtained; patient unable to stand.\nFindings: Low "
     "volumes.", ["71045"]),
    ("XR CHEST 2 VIEWS\nAP view of the chest. Lateral view not obtained.\nFindings: clear.", ["71045"]),
    # ... both taken stays two views
    ("XR CHEST 2V\nPA and lateral views of the chest.\nFindings: clear.", ["71046"]),
])
def test_view_not_obtained_under_the_title(sg, text, expected):
    out = sg.suggest(text)
    assert codes(out) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a contrast injection through a feeding tube that confirms its tip is no needle: the fluoroscopy of a
    # tube placement is the fluoroscopy time code 76000, not needle guidance 77002 (cal-cb-0042)
    ("Date: 12/01/2026  Requesting: ICU team\nIndication: Ileus, enteral nutrition access.\nFLUOROSCOPY - NASOJEJUNAL "
     "TUBE PLACEMENT\nUnder fluoroscopic guidance, a 12 Fr feeding tube was advanced via the left nostril through "
     "the stomach and duodenum into the jejunum. Small contrast injection confirms position.\nFluoro time 3.0 min.\n"
     "Impression: NJ tube tip in proximal jejunum.", ["76000"]),
    ("FL FEEDING TUBE PLACEMENT\nIndication: needs postpyloric feeding.\nUnder fluoroscopy a Dobhoff tube was "
     "advanced past the pylorus; injection of 5 mL water-soluble contrast through the tube confirmed its position.",
     ["76000"]),
    # ... a needle placed under fluoroscopy stays the needle guidance
    ("FL GUIDED LEFT HIP INJECTION\nUnder fluoroscopic guidance a 22 gauge needle was placed into the left hip joint; "
     "injection of contrast confirmed intra-articular position, then steroid injected.", ["77002"]),
])
def test_tube_placement_fluoroscopy(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def _units(rec: dict) -> dict[str, int]:
    return {c["code"]: c["units"] for c in rec["codes"]}


@pytest.mark.parametrize(("text", "expected"), [
    # discography supervision and interpretation is reported per disc level injected (cal-bv-0049)
    ("LUMBAR DISCOGRAM L3-4, L4-5, L5-S1\nHistory: Low back pain. MRI shows L4-5 disc desiccation.\nProcedure: Under "
     "fluoroscopy, needles placed into the L3-4, L4-5 and L5-S1 discs. Contrast injected.\nFindings: L3-4 normal "
     "nucleogram, painless. L4-5 posterior fissure, concordant pain. L5-S1 degenerated, non-concordant.",
     {"72295": 3}),
    ("CERVICAL DISCOGRAPHY\nProcedure: Under fluoroscopic guidance, 25 G needles into the C4-5 and C5-6 discs; 0.5 mL "
     "contrast injected into each.\nFindings: C5-6 concordant pain with annular tear; C4-5 painless.", {"72285": 2}),
    # ... one level is one unit; the history's levels are not injected levels
    ("CERVICAL DISCOGRAPHY C5-6\nHistory: C6-7 fusion 2019.\nProcedure: Under fluoroscopic guidance, a 25 G needle "
     "into the C5-6 disc; 0.5 mL contrast injected.\nFindings: Concordant pain with annular tear.", {"72285": 1}),
])
def test_discography_per_level(sg, text, expected):
    assert _units(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a region word that names a clinic or service in a banner ("GYN clinic", "Spine clinic") names no exam
    # (cal-bt-0076: no pelvis radiograph beside the hysterosalpingogram; cal-br-0010)
    ("ACCESSION 5512 | GYN clinic | 11/02/2026\nEXAM: HYSTEROSALPINGOGRAM\nPROCEDURE: Catheter placed by gynecology; "
     "under fluoroscopy contrast was instilled with spot images of the cavity and tubes.\nFINDINGS: Bilateral free "
     "spill.\nIMPRESSION: Patent tubes.", ["74740"]),
    ("Ordering: Spine clinic, Dr. Park\nXR KNEE LEFT 2 VIEWS\nAP and lateral views.\nFindings: Mild medial joint "
     "space narrowing.", ["73560-LT"]),
    # ... an ECG lead of a stress test (aVF) is no dialysis fistula
    ("EXAM: XR CHEST 1 VIEW\nHistory: chest pain; ECG with ST depression in II, III and aVF.\nTechnique: Portable AP "
     "view.\nFindings: Clear lungs.", ["71045"]),
    # a cervical esophagram is the pharynx / cervical esophagus study (74210), no cervical spine (cal-bz-0056)
    ("PHARYNGOGRAM / CERVICAL ESOPHAGRAM\nIndication: post laryngectomy, leak?\nTechnique: Water-soluble contrast "
     "swallowed under fluoroscopy, lateral and AP views of the pharynx and cervical esophagus.\nFindings: No leak.",
     ["74210"]),
    ("CERVICAL ESOPHAGOGRAM\nThin barium swallowed under fluoroscopy. Cricopharyngeal bar. No Zenker diverticulum.",
     ["74210"]),
])
def test_service_names_and_leads_name_no_exam(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "RAIU" (radioactive iodine uptake) is the thyroid uptake study 78012 (reviewer's EXTRA 3: never a neck
    # ultrasound 76536)
    ("RAIU\nI-123 200 uCi orally. Uptake at 4 hours 9%, 24 hours 21%.", ["78012"]),
    ("RAIU 24 HR\nIndication: hyperthyroidism.\n24 hour uptake 62%.\nImpression: Graves disease.", ["78012"]),
    ("NM THYROID UPTAKE\nCLINICAL: goiter on prior neck ultrasound.\nPROCEDURE: 15 uCi I-131 capsule orally. Neck "
     "counts at 6 and 24 hours.\nRESULTS: 24 hr 52%.", ["78012"]),
])
def test_thyroid_uptake(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
