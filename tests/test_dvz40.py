"""dvz40: imaging read inside clinicians' visit notes (orthopaedic, gyn, emergency notes), in reports of our own.

What went wrong:
- a visit note's imaging line that says the films were taken at the visit and then lists the projections after
  a colon ("Pelvis radiographs taken in clinic today and reviewed: AP, inlet and outlet views.") lost the list
  to the findings, so the view count was never read (CODING_RULES §4);
- a repeat planned at a bare interval ("repeat films 10-14 d") read as a repeat done today (modifier 76, §1);
- an emergency physician's "my preliminary read" was no statement that the note's author read the study, so
  the note's body was searched for a site ("sinus tachycardia" made a maxillofacial CT);
- "laterals not taken" counted as views taken, so both knees standing AP on one cassette became two views of
  each knee (73560-50) instead of the bilateral code 73565;
- notes with no visit headers and a heading that names no imaging ("ED attending wet read", "Gyn clinic - IUD
  check") read each study on a line of its own ("XR R ankle 3 vws: Weber A fx"; "Limited transvaginal US: IUD
  in the cavity"): those lines were never the technique, so the heading's device check made a pelvic study and
  the history's "dorsal" a thoracic spine; a second study below a title line was lost;
- "arterial and venous waveforms" of each testis documented no venous outflow, so the scrotal duplex was limited
  (93976 instead of 93975, CODING_RULES §5);
- a pregnant patient's transabdominal pelvic scan stayed the non-obstetric 76856/76857, and a transabdominal plus
  transvaginal one (split into two studies after the pregnancy was checked) the non-obstetric pair;
- views of the other side taken beside a one-sided study (the other wrist's comparison views) or beside both knees
  standing on one image (lateral and sunrise views of one knee) were not billed as that side's own exam.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


VISIT = ("FRACTURE CLINIC\nHPI: {hpi}\nPMH: none.\nExam: {exam}\n\n{imaging}\n\nAssessment: {a}\nPlan: {plan}\n")


VISIT_NOTES = [
    # the projections listed after the colon of the imaging line
    (VISIT.format(hpi="Fell from a ladder six weeks ago, pubic rami fractures.", exam="Walks with a cane, mild groin pain.",
                  imaging="Pelvis radiographs taken in clinic today and reviewed by me: AP, inlet and outlet views. "
                          "Fractures healing with callus.", a="Healing pelvic fractures.", plan="PT, return 6 weeks."),
     ["72190"]),
    (VISIT.format(hpi="Back pain for a year.", exam="Tender lower lumbar spine, strength normal.",
                  imaging="Lumbar spine films obtained in our office today and personally reviewed: AP, lateral, "
                          "flexion and extension laterals (4 views). Mild L4-5 slip without motion.",
                  a="Lumbar spondylosis.", plan="PT."),
     ["72110"]),
    # a repeat planned at a bare interval is no repeat performed
    ("Urgent care note\n15 yo M fell skateboarding, R wrist pain, snuffbox tender.\n"
     "XR R wrist 4 views (PA, lat, oblique, scaphoid) taken today, my read: no fracture.\n"
     "Splint; repeat films 10-14 d or MRI if still sore.", ["73110-RT"]),
    # the note's author read the CTA; an ECG's sinus rhythm names no sinus CT
    ("ED PHYSICIAN NOTE\nChief complaint: dyspnea.\nHPI: Short of breath after a long flight.\n"
     "ECG: sinus tachycardia.\n\nCT angiography of the chest (PE protocol) with IV contrast. My preliminary read: "
     "segmental emboli on the left, no right heart strain. MIP reconstructions reviewed.\n\n"
     "Assessment: pulmonary embolism.\nPlan: anticoagulation, admit.", ["71275"]),
    # both knees standing AP on one cassette
    ("Knee clinic: bilateral standing knee radiographs\n58 yo F, both knees ache with stairs.\nOne standing AP of "
     "both knees on a single cassette obtained today: medial narrowing both sides. Lateral views not taken today.\n"
     "Plan: PT.", ["73565"]),
]


HEADED_READS = [
    # a gyn note: the heading's device check is no pelvic study; the read line names the transvaginal one
    ("Gyn office - IUD string check\nPt 29F, copper IUD placed 2 months ago, strings not seen.\n"
     "Limited transvaginal US: IUD within the cavity, fundal. No fluid.\nPlan: reassure.", ["76830"]),
    # two read lines under an urgent-care heading, each its own study with its own count
    ("Walk-in clinic - provider note\nPt 45 M tripped on a curb, L foot and L elbow pain.\n"
     "Exam: lateral malleolus nontender, tender 5th metatarsal base. Elbow tender laterally.\n"
     "XR L foot 3 vws: avulsion fx base of 5th metatarsal.\nXR L elbow 2 vws: no fx, no effusion.\n"
     "Plan: hard-soled shoe, sling prn.", ["73070-LT", "73630-LT"]),
    # an ED wet read: the history's "dorsal" and "leg" name no study; the read line does
    ("ED attending wet read\n9 yo M fell off monkey bars, R forearm pain, dorsal swelling, leg fine.\n"
     "XR R forearm 2 views (AP/lat): greenstick fx mid radius.\nSplint, ortho f/u.", ["73090-RT"]),
    # the title line names the first study; a later read line names a second one
    ("EMERGENCY DEPARTMENT - PHYSICIAN PRELIMINARY READ\nCT head without contrast, 02:10\n"
     "Indication: 90 yo M fall on apixaban.\n\nPrelim: no hemorrhage, old lacunes.\n"
     "CT cervical spine w/o contrast same session: no fracture, degenerative change.\nRadiology to overread.",
     ["70450", "72125"]),
    # the read line names the study; what its second colon closes are the views taken
    ("SPORTS MEDICINE - KNEE\nPt 24F soccer, R knee pain.\nXR: AP, lateral and sunrise views of the R knee "
     "obtained today: no fracture, patella centered.\nA: patellofemoral pain. P: PT.", ["73562-RT"]),
]


ORGAN_DUPLEX_AND_PREGNANCY = [
    # each testis's arterial and venous waveforms: the inflow and the outflow, the complete organ duplex
    ("UROLOGY CLINIC NOTE\nHPI: R testicular ache 3 days.\nPlan: antibiotics.\n\nScrotal ultrasound done in the "
     "office today (grayscale, color and spectral Doppler of both testes), read by me:\n- R testis 4 cm, normal "
     "echotexture. Arterial and venous spectral waveforms present, RI 0.6.\n- L testis 4 cm, normal. Arterial and "
     "venous spectral waveforms present, RI 0.6.\n- R epididymis hyperemic.\n", ["76870", "93975"]),
    # a pregnant patient's transabdominal and transvaginal pelvic scans are the obstetric ones
    ("OB/GYN OFFICE VISIT\nHPI: 30F, positive home pregnancy test, LMP 6 weeks ago, mild cramping.\n"
     "Plan: repeat hCG in 2 days.\n\nUltrasound: Transabdominal and transvaginal pelvic ultrasound performed in the "
     "office today and read by me.\nUterus normal, no intrauterine sac. Ovaries normal. No free fluid.\n",
     ["76801", "76817"]),
    # a dating scan done transabdominally ("transvaginal not needed") of an 11-week pregnancy
    ("PRENATAL CLINIC - FIRST VISIT\nHPI: 27F, positive home pregnancy test, irregular cycles.\nPlan: prenatal labs.\n\n"
     "Dating ultrasound, transabdominal, performed in clinic today (transvaginal not needed):\n- Single live "
     "intrauterine pregnancy, CRL 45 mm = 11 weeks 3 days.\n- FHR 158 bpm.\n", ["76801"]),
]


OTHER_SIDE_VIEWS = [
    # both knees standing on one image plus two more views of one knee: the bilateral code and that knee's own
    ("JOINT CLINIC - KNEE\nHPI: 68F, R knee worse than L.\nPlan: injection.\n\nImaging: Standing AP of both knees "
     "on one image, and lateral and Merchant views of the right knee, obtained in clinic today and reviewed by me. "
     "R medial joint space gone. L mild narrowing.\n", ["73560-RT", "73565"]),
    # the other wrist's comparison views, taken at the visit, are that wrist's exam with their own count
    ("HAND SURGERY CONSULT\nHPI: 41M, L wrist pain after a fall.\nPlan: splint.\n\nImaging: Left wrist radiographs "
     "in clinic today, reviewed by me: PA, lateral, oblique and ulnar deviation PA (4 views). Additionally, "
     "comparison PA and lateral views of the RIGHT wrist (2 views) were obtained.\n- Left: widened SL interval.\n",
     ["73100-RT", "73110-LT"]),
]


def test_other_side_views_of_an_earlier_visit() -> None:
    # views of the other side from an earlier visit are no exam of this one
    assert _codes("HAND SURGERY CONSULT\nHPI: 41M, L wrist pain.\nPlan: splint.\n\nImaging: Left wrist radiographs in "
                  "clinic today, reviewed by me: PA, lateral and oblique views. Views of the right wrist obtained "
                  "last year were normal.\n") == ["73110-LT"]


KEPT = [
    # a vascular lab's heading names its study: no clinician's note, the heading stays the title
    ("Vascular lab - bilateral LE physiologic arterial study\nIndication: claudication.\n"
     "Segmental pressures and ABIs bilaterally at high thigh, low thigh, calf and ankle levels: R ABI 0.7, L ABI 0.9.\n"
     "Impression: R femoropopliteal disease.", ["93923"]),
]


@pytest.mark.parametrize(("text", "codes"),
                         VISIT_NOTES + HEADED_READS + ORGAN_DUPLEX_AND_PREGNANCY + OTHER_SIDE_VIEWS + KEPT)
def test_codes(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes
