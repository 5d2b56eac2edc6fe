"""Error classes of the enlarged dev split in ultrasound, duplex, mammography and DXA (issue 12: the
retired calibration parts cal_aq..cal_at, production styles), fixed with general rules. Reports
written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # a hip (or both hips) named in an infant hip study ("click in the right hip", "normal bilateral
    # hips") is that study, no joint ultrasound of its own
    ("US INFANT HIPS DYNAMIC. 4 wk boy, breech delivery, clunk in the right hip on exam. Coronal and "
     "transverse imaging at rest and with Barlow stress. Right: alpha angle 50 degrees, subluxates with "
     "stress. Left: alpha 62, stable. Impression: unstable right hip. Orthopedic referral.", ["76885"]),
    ("infant hips with stress maneuvers right alpha angle sixty three left alpha angle sixty both hips "
     "stable impression normal bilateral hips", ["76885"]),
    ("US INFANT HIPS STATIC. 3 week girl, breech. Coronal views of the right hip and the left hip, no "
     "stress. Alpha angles 62 and 64. Normal.", ["76886"]),
    # a hip ultrasound of a patient the report says is an infant is the infant hip study
    ("EXAM: US HIPS BILATERAL\nINDICATION: 6-week-old boy, breech delivery, hip click.\nTECHNIQUE: Graf "
     "coronal views of both hips with stress maneuvers.\nFINDINGS: Alpha angles 64 degrees right and 61 "
     "degrees left. Both hips stable with stress.\nIMPRESSION: Normal hips.", ["76885"]),
    # a title line under a "RESULT STATUS:" record field is the title (the status line is no RESULT section)
    ("ACCESSION: 59610115   ORDERING: Greta Hollis, MD\nRESULT STATUS: Final\nUS INFANT HIPS DYNAMIC\n"
     "Indication: breech presentation, 6 weeks old, screening for DDH\nTechnique: Coronal and transverse "
     "views of both hips at rest and with stress (Barlow) maneuvers.\nFindings: Right alpha angle 64 deg. "
     "Left alpha angle 62 deg. Both hips stable with stress maneuvers.\nImpression: Normal bilateral hips "
     "(Graf type I).", ["76885"]),
    # an adult's hip ultrasound stays the joint study (limited, 76882, when the body names fewer than four of
    # the joint's structures: "with attention to joint effusion and the iliopsoas"; stop 35, fam22)
    ("EXAM: US HIP RIGHT\nINDICATION: 45-year-old with lateral hip pain.\nTECHNIQUE: Ultrasound of the "
     "right hip joint, anterior recess, iliopsoas and greater trochanteric bursa with dynamic evaluation "
     "for snapping.\nFINDINGS: No effusion. Trochanteric bursa normal.\nIMPRESSION: Normal.", ["76881-RT"]),
    ("EXAM: US HIPS BILATERAL\nINDICATION: 72-year-old with bilateral hip pain after arthroplasty.\n"
     "TECHNIQUE: Ultrasound of both hips with attention to joint effusion and the iliopsoas.\nFINDINGS: "
     "Small right effusion. Left normal.\nIMPRESSION: Small right hip effusion.", ["76882-50"]),
])
def test_hips_in_an_infant_hip_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # record fields whose label opens with a header word ("RESULT STATUS:", "EXAM DATE:", "STUDY
    # DATE:") are administrative lines, not sections: the exam title after them stays the exam
    ("ACCESSION: 22100455\nRESULT STATUS: Preliminary\nXR KNEE LEFT 3 VIEWS\nHistory: fall.\nFindings: AP, "
     "lateral and sunrise views. No fracture.\nImpression: Normal.", ["73562-LT"]),
    ("MRN: 1234567\nEXAM DATE: 11/30/2026\nUS ABDOMEN LIMITED RUQ\nIndication: RUQ pain.\nFindings: "
     "Gallbladder contains stones without wall thickening. CBD 4 mm. Liver normal.\nImpression: "
     "Cholelithiasis.", ["76705"]),
    ("ACCESSION: 44120078\nReport status: Preliminary\nUS OB < 14 WKS\nIndication: vaginal bleeding.\nFindings: "
     "Single intrauterine gestation. CRL 2.1 cm = 8w6d. FHR 165.\nImpression: Live IUP at 8w6d.", ["76801"]),
    ("STUDY DATE: 12/01/2026 09:14\nUS SCROTUM\nHistory: left testicular pain.\nFindings: Testes normal in "
     "size with normal flow. Small left hydrocele.\nImpression: Small left hydrocele.", ["76870"]),
])
def test_record_status_and_date_lines_are_no_sections(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an unlabelled line above the findings naming the site ("TWIN ... HOSP", "... CAH") counts no
    # gestations: a single live pregnancy is one gestation
    ("EXAM: US OB 2ND/3RD TRIMESTER\nTWIN FORKS CAH  ACC TF00981740\nINDICATION: 24 weeks by LMP, size-dates.\n"
     "TECHNIQUE: Transabdominal obstetric ultrasound.\nFINDINGS: Single live intrauterine pregnancy, cephalic. "
     "FHR 146 bpm. Posterior placenta. AFI 14.2 cm. EFW 660 g.\nIMPRESSION: Single live IUP at 24w0d, concordant "
     "with dates.", ["76805"]),
    ("EXAM: US OB >14 WEEKS\nTWIN PEAKS COMMUNITY HOSP  ACC 55120998\nHISTORY: 21 weeks, size greater than "
     "dates.\nFINDINGS: Single live intrauterine pregnancy, breech. FHR 148. AFI 18 cm. EFW 420 g.\nIMPRESSION: "
     "Single live IUP, upper normal fluid.", ["76805"]),
    # twins the findings document stay twins, whatever the site's name
    ("EXAM: US OB >14 WEEKS\nTWIN PEAKS COMMUNITY HOSP\nFINDINGS: Twin A cephalic, EFW 610 g. Twin B breech, "
     "EFW 590 g. Dichorionic diamniotic.\nIMPRESSION: Concordant twin growth.", ["76805", "76810"]),
    ("EXAM: US OB 2ND/3RD TRIMESTER\nINDICATION: Twin gestation, growth.\nFINDINGS: Twin A cephalic, EFW 1200 "
     "g. Twin B breech, EFW 1150 g. Dichorionic diamniotic.\nIMPRESSION: Concordant twin growth.",
     ["76805", "76810"]),
])
def test_site_name_line_counts_no_gestations(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a transcription corpus's export "<specialty> - <sample name> <report>": the specialty opening the
    # text names no exam ("Pulmonary" is no chest ultrasound, "Obstetrics" no pregnancy)
    ("Cardiovascular / Pulmonary - Carotid Doppler EXAM: BILATERAL CAROTID DUPLEX ULTRASOUND. HISTORY: "
     "Dizziness. FINDINGS: Right ICA PSV 90 cm/s. Left ICA PSV 84 cm/s. Vertebral flow antegrade bilaterally. "
     "IMPRESSION: No hemodynamically significant stenosis.", ["93880"]),
    ("Cardiovascular / Pulmonary - Lower Extremity Venous Doppler EXAM: BILATERAL LOWER EXTREMITY VENOUS "
     "DUPLEX. HISTORY: Leg swelling. FINDINGS: The common femoral, femoral, popliteal and calf veins are "
     "compressible bilaterally with normal flow. IMPRESSION: No DVT.", ["93970"]),
    ("Cardiovascular / Pulmonary - Abdominal Aortic Ultrasound EXAM: ABDOMINAL AORTA ULTRASOUND. HISTORY: "
     "AAA screening. FINDINGS: Aorta maximum diameter 2.1 cm. IMPRESSION: No aneurysm.", ["76706"]),
    ("Obstetrics / Gynecology - Pelvic Ultrasound EXAM: PELVIC ULTRASOUND, TRANSABDOMINAL AND TRANSVAGINAL. "
     "INDICATION: Pelvic pain. TECHNIQUE: Transabdominal and transvaginal imaging. FINDINGS: Uterus 8.1 cm, "
     "endometrium 6 mm. Ovaries normal. No free fluid. IMPRESSION: Normal pelvic ultrasound.",
     ["76830", "76856"]),
    ("Obstetrics / Gynecology - Transvaginal Ultrasound EXAM: TRANSVAGINAL ULTRASOUND. INDICATION: Abnormal "
     "uterine bleeding. FINDINGS: Uterus 7.5 cm. Endometrium 14 mm, heterogeneous. Ovaries normal. "
     "IMPRESSION: Thickened endometrium.", ["76830"]),
    # the pregnancy the report names is still an obstetric exam
    ("Obstetrics / Gynecology - OB Ultrasound EXAM: OBSTETRIC ULTRASOUND. INDICATION: 22 weeks, size-dates. "
     "TECHNIQUE: Transabdominal. FINDINGS: Single live intrauterine pregnancy, cephalic. EFW 500 g. AFI "
     "normal. IMPRESSION: Single live IUP at 22 weeks.", ["76805"]),
])
def test_transcription_corpus_specialty_prefix(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


_MG = "EXAM: DIAGNOSTIC MAMMOGRAM {title}\nHISTORY: {hx}\nTECHNIQUE: {tech}\nFINDINGS: {fin}\nIMPRESSION: {imp}"


@pytest.mark.parametrize(("text", "expected"), [
    # a breast ultrasound the mammography report documents as done at the visit is billed too: limited
    # unless the whole breast was scanned, on the breasts its sentences name
    (_MG.format(title="BILATERAL", hx="Palpable lump right breast.", tech="Bilateral CC and MLO views, 2D. "
                "Targeted ultrasound of the right breast at the palpable site (9-11 o'clock) and right axilla.",
                fin="1 cm simple cyst at 10 o'clock on ultrasound. Normal axillary nodes.", imp="BI-RADS 2."),
     ["76642-RT", "77066"]),
    (_MG.format(title="BILATERAL", hx="Palpable lump left breast.", tech="Bilateral CC and MLO views.",
                fin="No mammographic abnormality.\nULTRASOUND: Left breast 2 o'clock targeted sonography: 8 mm "
                    "simple cyst.", imp="BI-RADS 2."), ["76642-LT", "77066"]),
    (_MG.format(title="BILATERAL", hx="Lumps in both breasts.", tech="Bilateral CC and MLO views, then targeted "
                "sonography of both breasts at the palpable sites.", fin="Simple cysts at right 9 o'clock and "
                "left 3 o'clock.", imp="BI-RADS 2."), ["76642-50", "77066"]),
    (_MG.format(title="BILATERAL", hx="Left breast pain.", tech="Bilateral CC and MLO views. Complete ultrasound "
                "of the left breast, all four quadrants and the axilla.", fin="No mammographic or sonographic "
                "abnormality.", imp="BI-RADS 1."), ["76641-LT", "77066"]),
    # an ultrasound recommended, seen before, guiding a biopsy to come or not done bills nothing
    (_MG.format(title="BILATERAL", hx="Palpable lump right breast.", tech="Bilateral CC and MLO views.",
                fin="Focal asymmetry at 10 o'clock in the right breast.", imp="BI-RADS 0. Targeted ultrasound of "
                "the right breast is recommended."), ["77066"]),
    (_MG.format(title="LEFT", hx="Follow-up of a left breast cyst seen on prior ultrasound.", tech="Left CC and "
                "MLO views.", fin="Stable oval mass at 2 o'clock, corresponding to the cyst seen on the "
                "ultrasound of 2025.", imp="BI-RADS 2."), ["77065-LT"]),
    ("Right diagnostic mammogram, 6-month follow-up.\n\nShe returns a year after a right breast mass at 9 "
     "o'clock was characterized as a probable fibroadenoma on ultrasound.\n\nRight CC and MLO views were "
     "performed.\n\nImpression: Stable right breast mass. BI-RADS 3.", ["77065-RT"]),
    (_MG.format(title="BILATERAL", hx="Right breast mass.", tech="Bilateral CC and MLO views.", fin="Irregular "
                "mass at 11 o'clock in the right breast. Ultrasound-guided biopsy of the right breast mass is "
                "advised.", imp="BI-RADS 5."), ["77066"]),
    (_MG.format(title="RIGHT", hx="Right breast lump.", tech="Right CC, MLO and spot compression views.",
                fin="Oval circumscribed mass at 10 o'clock.\nULTRASOUND: Not performed, patient declined.",
                imp="BI-RADS 0."), ["77065-RT"]),
])
def test_breast_ultrasound_documented_in_a_mammogram_report(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an axial DXA titled for both hips that scanned one hip has no side conflict: its codes have no side
    ("DXA SPINE/HIPS WITH VFA\nHx: 70F on steroids.\nTech: DXA L1-L4 and left hip with lateral vertebral "
     "fracture assessment.\nFindings: L1-L4 T-score -2.6. Left femoral neck T-score -2.2. VFA: no fracture.\n"
     "Impression: Osteoporosis.", ["77085"]),
    ("EXAM: DXA BONE DENSITY HIPS AND SPINE\nHistory: Postmenopausal.\nTechnique: Lumbar spine L1-L4 and right "
     "hip.\nFindings: L1-L4 T-score -1.2. Right total hip T-score -1.6.\nImpression: Osteopenia.", ["77080"]),
])
def test_unsided_study_has_no_side_conflict(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "title_technique_conflict" not in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # an arterial duplex titled whose report says the duplex imaging was not done and documents the
    # ankle-brachial indices is the physiologic study performed; the title is a conflict
    ("EXAM: ARTERIAL DUPLEX BILATERAL LOWER EXTREMITY\nINDICATION: Claudication.\nTECHNIQUE: Resting "
     "ankle-brachial indices were obtained with continuous-wave Doppler. Duplex imaging was not performed "
     "because the ABIs were normal.\nFINDINGS: Right ABI 1.05, left ABI 1.08.\nIMPRESSION: Normal resting ABIs.",
     ["93922"]),
    ("EXAM: US ARTERIAL LOWER EXTREMITY BILATERAL\nHISTORY: Leg pain.\nTECHNIQUE: Bilateral ankle-brachial "
     "indices only; the duplex portion was deferred.\nFINDINGS: ABI right 0.82, left 0.91.\nIMPRESSION: Mild "
     "right PAD.", ["93922"]),
    # ... with the levels' pressures and volume recordings: the complete physiologic study
    ("EXAM: ARTERIAL DUPLEX LOWER EXTREMITIES BILATERAL\nHISTORY: Rest pain.\nTECHNIQUE: Bilateral "
     "ankle-brachial indices with segmental pressures and pulse volume recordings at the thigh, calf and "
     "ankle. Duplex imaging was deferred to a later visit.\nFINDINGS: Right ABI 0.55, left ABI 0.92.\n"
     "IMPRESSION: Right femoropopliteal disease.", ["93923"]),
])
def test_duplex_titled_indices_performed(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "title_technique_conflict" in flag_types(rec)


def test_duplex_performed_without_indices_stays_duplex(sg):
    rec = sg.suggest("EXAM: ARTERIAL DUPLEX BILATERAL LOWER EXTREMITY\nHISTORY: Claudication.\nTECHNIQUE: "
                     "Grayscale, color and spectral Doppler of the common femoral through tibial arteries of both "
                     "legs. Ankle-brachial indices were not obtained.\nFINDINGS: Triphasic waveforms throughout. "
                     "No stenosis.\nIMPRESSION: Normal.")
    assert codes(rec) == ["93925"]
