"""lead39: imaging read inside a clinician's visit note (orthopaedics, podiatry, endocrinology, vascular office).

A visit note is no radiology report: its "Exam:" is the physical examination, its history and plan name imaging
done elsewhere or only ordered. The note bills the imaging its author says was done at this visit ("obtained in
clinic today", "interpreted by me"). On such notes written outside the team (part dv_z) the tool scored 56% exact
at first. Notes written for this test.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


KNEE = """SPORTS MEDICINE CLINIC
HPI: 44 yo M, twisted L knee playing soccer 2 weeks ago, medial pain, no locking.
EXAM: L knee trace effusion, medial joint line tenderness, stable to varus/valgus.
IMAGING: X-rays of the left knee, 3 views (standing AP, lateral, sunrise), obtained in clinic today and reviewed
by me: no fracture, mild medial narrowing.
A/P: suspected medial meniscus tear. MRI left knee without contrast ordered; f/u after MRI.
"""

THYROID = """ENDOCRINE CLINIC VISIT
Chief complaint: thyroid nodule.
HPI: 47 yo woman; a nodule was seen on a carotid duplex done at an outside hospital last month (report reviewed).
Physical exam: firm 1 cm nodule in the left lobe, no lymphadenopathy.
Thyroid ultrasound performed in the office today and interpreted by me:
Left lobe 4.6 x 1.6 x 1.5 cm with a 1.1 cm solid hypoechoic nodule (TR4). Right lobe normal.
Plan: FNA of the left nodule next week.
"""

FOOT = """PODIATRY FOLLOW-UP
Exam: dorsal midfoot swelling, warmth, pedal pulses palpable, protective sensation absent.
Weight-bearing R foot, AP/oblique/lateral, taken in office today: no fracture, mild midfoot arthrosis.
Plan: offload in a walking boot, labs today, recheck in 1 week; MRI of the foot if no better.
"""

ABI = """VASCULAR SURGERY OFFICE VISIT
Reason for visit: left calf pain with walking.
HPI: 71 yo smoker, claudication at 2 blocks for 4 months.
Exam: femoral pulses 2+, left pedal pulses absent.
Noninvasive studies in our vascular lab today, interpreted by me: ankle-brachial indices right 1.02, left 0.66.
Plan: exercise therapy, cilostazol; arterial duplex at the next visit if no better.
"""

NOTHING_TODAY = """ORTHOPAEDIC CLINIC NOTE
Chief complaint: right shoulder pain.
HPI: MRI of the right shoulder done at an outside imaging center last week shows a full-thickness supraspinatus tear.
Physical exam: weak external rotation, positive drop arm sign.
Plan: discussed rotator cuff repair; CT of the shoulder ordered for planning.
"""

RADIOLOGY_REPORT = """EXAM: XR LEFT KNEE 3 VIEWS
HISTORY: knee pain.
FINDINGS: AP, lateral and sunrise views. No fracture. Mild medial narrowing.
IMPRESSION: Mild osteoarthritis.
PLAN: none.
"""

MAMMO_WITH_TECH_EXAM = """EXAM: MG DIAGNOSTIC LEFT WITH TOMOSYNTHESIS
CLINICAL: new palpable lump in the left breast.
TECHNIQUE: Left CC and MLO views with tomosynthesis and a spot compression view over the marker.
FINDINGS: A 1.2 cm oval circumscribed mass at 2 o'clock beneath the marker.
PHYSICAL EXAM BY TECHNOLOGIST: mobile, smooth, non-tender lump, about 1 cm, no skin change.
ASSESSMENT: BI-RADS 0. Targeted ultrasound recommended; because the right breast was not imaged today it stays on
the annual schedule.
"""


@pytest.mark.parametrize(("text", "codes"), [
    (KNEE, ["73562-LT"]),
    (THYROID, ["76536"]),
    (FOOT, ["73630-RT"]),
    (ABI, ["93922"]),
    (NOTHING_TODAY, []),
    (RADIOLOGY_REPORT, ["73562-LT"]),
    (MAMMO_WITH_TECH_EXAM, ["77065-LT", "G0279"]),  # a technologist's exam and BI-RADS's assessment: no visit note
])
def test_visit_note_bills_the_imaging_done_at_the_visit(text, codes):
    assert _codes(text) == codes
