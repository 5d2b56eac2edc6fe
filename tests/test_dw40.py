"""dw40: long academic CT / MR / PET reports (dose, reconstruction and comparison paragraphs), in reports of our own.

What went wrong:
- a protocol named as planned ("The planned protocol was precontrast and post-gadolinium series") documented the
  series it listed as done, so a study stopped before contrast, or one whose plain phase was never acquired, was
  coded without-then-with (CODING_RULES §2, §6);
- precontrast series from an earlier, separately reported session looked at again counted as acquired (§2);
- "The patient was positioned for contrast-enhanced CT" documented contrast given when the next sentences say a
  noncontrast CT was done (§6);
- a drug given by vein ("glucagon 1 mg IV") read as intravenous contrast (§2);
- "No IV or oral CT contrast" in a PET/CT technique read as the CT not done, so PET/CT became PET only;
- a study stopped early about its contrast series lost a 52 that the report states in so many words ("This is a
  reduced service"), the plain series itself having been cut short too (§1);
- a RIS export whose lines a tilde joins ("... 11:31 ~ HISTORY: ... ~ TECHNIQUE: ...") was read as one title, so
  the technique's negated IV contrast, the side and the views were lost;
- "tomo unit down" said of a screening mammogram's tomosynthesis documented it done (77063 added);
- "ABI AND DUPLEX" in one title read the duplex word as restating the ankle-brachial study: the duplex scan of
  the legs was lost (93925 beside 93922);
- 3D rendering whose independent workstation is named in the clause before its semicolon billed 76376, not 76377.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


REPORTS = [
    # a planned protocol, then contrast never given
    ("MR PELVIS WITH AND WITHOUT CONTRAST\nINDICATION: Endometrial cancer staging.\n"
     "TECHNIQUE: The planned protocol included precontrast and post-gadolinium dynamic series. Sagittal and axial "
     "T2 and diffusion images were acquired. The patient asked to come out of the magnet, and gadolinium was not "
     "given.\nFINDINGS: Endometrial mass with less than half myometrial invasion.\nIMPRESSION: Stage IA.",
     ["72195"]),
    # a planned protocol whose plain phase was not acquired: contrast series only
    ("CT ABDOMEN MULTIPHASE LIVER\nINDICATION: Cirrhosis, rising AFP.\n"
     "TECHNIQUE: The planned protocol was noncontrast, arterial and portal venous phases. The noncontrast phase "
     "was not acquired. Arterial and portal venous phases of the abdomen were obtained after 110 mL Isovue 370 "
     "IV.\nFINDINGS: 2 cm arterially enhancing lesion with washout.\nIMPRESSION: LR-5 observation.",
     ["74160"]),
    # precontrast series of an earlier session reviewed again
    ("MRI THORACIC SPINE POST CONTRAST ONLY\nHISTORY: Known metastases; noncontrast study done this morning.\n"
     "TECHNIQUE: Sagittal and axial T1 fat suppressed images after 9 mL Gadavist intravenously. Precontrast "
     "images from yesterday's separately reported exam were reviewed side by side.\nFINDINGS: Enhancing T8 "
     "lesion without epidural extension.\nIMPRESSION: Enhancing T8 metastasis.",
     ["72147"]),
    # made ready for contrast, then imaged without it
    ("EXAM: CT THORAX WITH CONTRAST\nHISTORY: Lymphoma follow-up.\n"
     "TECHNIQUE: The patient was positioned for contrast-enhanced CT of the thorax. Two attempts at venous "
     "access failed. A noncontrast CT of the thorax was then performed with 1 mm and 5 mm reconstructions.\n"
     "FINDINGS: Smaller mediastinal nodes.\nIMPRESSION: Partial response.",
     ["71250"]),
    # a drug by vein is no contrast
    ("MRI PELVIS ANAL FISTULA PROTOCOL\nHISTORY: Perianal abscess, Crohn disease.\n"
     "TECHNIQUE: Glucagon 1 mg IV was given to reduce bowel motion. Axial, coronal and sagittal T2 with fat "
     "saturation and diffusion. No gadolinium was administered.\nFINDINGS: Transsphincteric fistula at 6 "
     "o'clock.\nIMPRESSION: Transsphincteric fistula, no abscess.",
     ["72195"]),
    # the CT's contrast negated is no CT negated
    ("FDG PET/CT SKULL BASE TO MID-THIGH\nHISTORY: Lymphoma, end of treatment.\n"
     "TECHNIQUE: 11 mCi F-18 FDG IV, uptake 60 minutes. PET from the skull base to the mid thighs with a "
     "low-dose CT for attenuation correction and anatomic localization. No IV or oral CT contrast.\n"
     "FINDINGS: No FDG-avid disease.\nIMPRESSION: Deauville 2, complete metabolic response.",
     ["78815"]),
    # a reduced service said in so many words keeps its 52
    ("MRI BRAIN WITHOUT AND WITH CONTRAST\nHISTORY: New seizure.\n"
     "TECHNIQUE: Sagittal T1 and axial FLAIR images were obtained. The study was then terminated early because "
     "the patient could not stay still; the remaining sequences (diffusion, susceptibility and all pre- and "
     "post-contrast T1 imaging) were not performed. No gadolinium was given. This is a reduced service.\n"
     "FINDINGS: No mass effect on the images obtained.\nIMPRESSION: Incomplete study.",
     ["70551-52"]),
    # the workstation named in the clause a semicolon joins before the rendering
    ("CT ABDOMEN AND PELVIS WITH CONTRAST WITH 3D\nHISTORY: Living kidney donor evaluation.\n"
     "TECHNIQUE: Arterial and nephrographic phases after 100 mL Omnipaque 350 IV.\n"
     "Post-processing: Vessel segmentation was done by the 3D laboratory on a separate workstation under "
     "radiologist supervision; 3D volume rendered images of the renal arteries were created and sent to PACS.\n"
     "FINDINGS: Single renal artery on each side.\nIMPRESSION: Suitable anatomy.",
     ["74177", "76377"]),
    # a RIS export whose fields and lines a tilde sets apart
    ("CT ABDOMEN PELVIS W CONTRAST ~ ACC 4410021 ~ [MRN] ~ 03/02/2025 08:15 ~ ORD: Brandt, K MD ~ HISTORY: flank "
     "pain, creatinine 3.1 ~ TECHNIQUE: Helical images of the abdomen and pelvis after oral contrast only; IV "
     "contrast was withheld for renal failure. ~ FINDINGS: No hydronephrosis. ~ IMPRESSION: Negative. ~ SIGNED BY "
     "LOWE, R MD",
     ["74176"]),
    ("XR TIB/FIB RT ~ ACC 4410388 ~ [MRN] ~ 03/02/2025 ~ ORD ED Park, L MD ~ HX: kicked in the right shin ~ "
     "TECHNIQUE: AP and lateral views of the right tibia and fibula ~ FINDINGS: No fracture or dislocation. The knee "
     "and ankle joints are included and appear normal. Mild soft tissue swelling over the anterior shin. ~ IMPRESSION: "
     "Negative. ~ SIGNED BY LOWE, R MD",
     ["73590-RT"]),
    # the tomosynthesis a broken unit could not make
    ("SCREENING MAMMOGRAM BILATERAL\nHISTORY: 55F, annual screen, asymptomatic.\nTECHNIQUE: Bilateral CC and MLO "
     "views, 2D only (tomosynthesis unit down today).\nFINDINGS: Heterogeneously dense. No suspicious findings.\n"
     "IMPRESSION: BI-RADS 1.",
     ["77067"]),
    # a physiologic arterial study and a duplex scan of the legs, joined by "and" in one title
    ("PERIPHERAL ARTERIAL TESTING: ABI AND DUPLEX, BILATERAL\nIndication: Claudication, left calf.\n"
     "ABI: right 0.95, left 0.70, with Doppler waveforms at both ankles.\nDuplex: Both legs imaged from the common "
     "femoral arteries to the ankles. Left popliteal stenosis with PSV 310 cm/s.\nImpression: Left popliteal "
     "stenosis greater than 50%.",
     ["93922", "93925"]),
]


@pytest.mark.parametrize(("text", "codes"), REPORTS)
def test_dw40_reports(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes
