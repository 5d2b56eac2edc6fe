"""fam38b: two outside-written parts, transcription samples on one line (a sample title, then "EXAM:",
"HISTORY:", ... inline) and an interface engine's export (result fields flattened above the dictation).

What went wrong, each written here in reports of our own:
- the sample title and the EXAM line name one exam; the count only the EXAM line states was lost when the two
  were folded into one ("Chest X-ray. EXAM: CHEST PA AND LATERAL" coded 71045, CODING_RULES §4);
- "only a single AP view could be obtained" read as a view proposed (the history cue "could be obtained");
- a sample title's reason listing regions before a symptom ("- Neck and Arm Pain") named a neck MRI;
- "renal function precluded gadolinium" read as gadolinium given; "the fifth MTP joint" and "joint effusion"
  in a read made a foot MRI a joint MRI (CODING_RULES §2, §7);
- the export's technologist field ("TECH: KLT") opened a technique section that swallowed the dictated title,
  so the read's projections were never counted; "per ordering PA" counted as a posteroanterior view;
- under radiograph titles stacked as case lines, a line with its own view count and no modality
  ("ABDOMEN 1 VIEW") was no exam; a fluoroscopy report's findings stating its double-contrast passes were
  not read for the protocol.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


EXPORT = ("PROC: {proc}\nMOD: {mod}\nACCESSION: XR0000000001   ORDER#: ORD0000001\nTECH: {tech}\n"
          "ORDERING: DOE, JAN MD   PT CLASS: O   RESULT STATUS: F\n----------------\n\n{body}\n")


@pytest.mark.parametrize(("text", "codes"), [
    # the sample title, then the EXAM line with the projections
    ("Chest X-ray. EXAM: CHEST PA AND LATERAL. HISTORY: Preop. FINDINGS: Lungs clear.", ["71046"]),
    ("Chest X-ray\nEXAM: CHEST 2 VIEWS\nHISTORY: Preop.\nFINDINGS: Lungs clear.", ["71046"]),
    ("Chest and Right Ankle X-rays. EXAM: 1. CHEST PA AND LATERAL. 2. RIGHT ANKLE 3 VIEWS. HISTORY: Preop. "
     "FINDINGS: Lungs clear. Ankle normal.", ["71046", "73610-RT"]),
    # one view taken of the two ordered
    ("Chest X-ray - Cough. EXAM: CHEST 2 VIEWS. HISTORY: Cough. FINDINGS: Only a single upright AP view could be "
     "obtained as the patient was unable to stand for the lateral. Lungs clear. IMPRESSION: No pneumonia.",
     ["71045"]),
    # regions listed before the symptom in the sample title's reason
    ("MRI Cervical Spine Without Contrast - Neck and Shoulder Pain. EXAM: MRI C-SPINE WITHOUT CONTRAST. HISTORY: "
     "Neck pain. TECHNIQUE: Sagittal and axial T1 and T2 images without contrast. FINDINGS: Mild disc bulge at "
     "C5-C6. IMPRESSION: Mild spondylosis.", ["72141"]),
    ("XR Left Knee 3 Views - Hip and Knee Pain. EXAM: XR KNEE LT 3 VIEWS. HISTORY: pain. FINDINGS: AP, lateral "
     "and sunrise views. No fracture. IMPRESSION: Negative.", ["73562-LT"]),
    # contrast kept away; small joints of the foot
    ("MRI Left Foot. EXAM: MRI FOOT LEFT WITHOUT CONTRAST. HISTORY: ulcer. TECHNIQUE: T1 and STIR images of the "
     "left forefoot. FINDINGS: Marrow edema in the fifth metatarsal head. IMPRESSION: Osteomyelitis. ADDENDUM: "
     "Renal failure precluded gadolinium.", ["73718-LT"]),
    ("MRI Left Foot. EXAM: MRI FOOT LEFT WITHOUT CONTRAST. HISTORY: ulcer. TECHNIQUE: T1 and STIR images of the "
     "left forefoot without contrast. FINDINGS: Marrow edema. IMPRESSION: Osteomyelitis. TECHNIQUE detail: 1.5 "
     "Tesla. The plantar plate of the second MTP joint is torn. Joint effusion at the second metatarsophalangeal "
     "joint.", ["73718-LT"]),
    # the export's technologist initials and a physician assistant
    (EXPORT.format(proc="XR WRIST LT 3+ VIEWS", mod="LT", tech="QRS",
                   body="L WRIST W SCAPHOID VIEW\nHX: fell on hand\nPA, lateral, oblique and ulnar-deviated scaphoid "
                        "views. No fracture.\nIMP: Negative.\nA. Ruiz MD"), ["73110-LT"]),
    (EXPORT.format(proc="XR KNEE BILATERAL 1-2 VIEWS", mod="", tech="QRS   TECH NOTE: right knee only per ordering PA",
                   body="XR KNEE\nHISTORY: right knee pain. Only the right knee was imaged.\nTECHNIQUE: AP and "
                        "lateral views of the right knee.\nFINDINGS: No fracture.\nIMPRESSION: Negative."),
     ["73560-RT"]),
    # stacked case lines, each with its own count
    ("(Case 77 VERIFIED)  CHEST SINGLE VIEW\n(Case 77 VERIFIED)  ABDOMEN 1 VIEW\nAccession: 1-77\n\n"
     "Report:\nSingle portable view of the chest and abdomen.\nCHEST: Tube tip above the carina. Enteric tube tip "
     "in the stomach.\n\nImpression:\nLines and tubes in position.", ["71045", "74018"]),
    # a double-contrast esophagram told in the findings
    ("(Case 78 VERIFIED)  ESOPHAGRAM\nAccession: 1-78\n\nReport:\nDOUBLE CONTRAST BARIUM ESOPHAGRAM\nUpright "
     "double contrast views of the esophagus after effervescent granules, then prone single contrast views. "
     "A small distal ring.\n\nImpression:\nSchatzki ring.", ["74221"]),
])
def test_new_parts(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes


@pytest.mark.parametrize(("text", "codes"), [
    # what stays: a projection after "the", a technique that is a projection, a lone region with its symptom,
    # a proposed view, a joint exam
    ("EXAM: CHEST. TECHNIQUE: The PA and lateral views were obtained. FINDINGS: Clear.", ["71046"]),
    ("XR CHEST PAIN\nTECH: PA\nFINDINGS: Clear lungs.", ["71045"]),
    ("MRI RIGHT KNEE WITHOUT CONTRAST. TECHNIQUE: Sagittal and coronal PD images of the right knee. FINDINGS: "
     "Small joint effusion. Medial meniscus tear.", ["73721-RT"]),
    ("EXAM: CHEST 1 VIEW. FINDINGS: Portable AP view. A lateral view could be obtained if clinically needed.",
     ["71045"]),
])
def test_kept(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes
