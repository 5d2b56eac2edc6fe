"""Error classes of dev (stop 43, part dz_a) fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a hard-wrapped export at a wide width (about 120 characters): the line break inside a negated contrast
    # statement is the blank it replaced, so the negation reaches the contrast before it (CODING_RULES §2)
    ("EXAM: CT ABDOMEN PELVIS\nINDICATION: Left lower quadrant pain and fever for two days. Creatinine 3.1, acute "
     "renal failure on labs today.\n\nTECHNIQUE: Axial CT images of the abdomen and pelvis after oral contrast (dilute "
     "Gastrografin two cups). Intravenous contrast\nwas not given because of the acute renal failure. Coronal and "
     "sagittal reformats were obtained and reviewed.\n\nFINDINGS: Sigmoid diverticulitis with a small pericolic "
     "fluid collection measuring 2 cm, no free air or abscess.\nThe liver, spleen and kidneys are grossly normal on "
     "this noncontrast examination, no hydronephrosis seen.\n\nIMPRESSION: Uncomplicated sigmoid diverticulitis.",
     ["74176"]),
    ("CT HEAD\nHISTORY: Fall on anticoagulation, headache and vomiting since this morning, evaluate for bleed "
     "please.\nTECHNIQUE: Contiguous axial images from the skull base to the vertex were obtained. Iodinated "
     "contrast\nwas not administered. Sagittal and coronal reformats were generated and reviewed at the "
     "workstation.\nFINDINGS: No acute intracranial hemorrhage, mass effect or midline shift is seen on this "
     "study today.\nIMPRESSION: No acute intracranial abnormality.", ["70450"]),
    # a line break after a complete line and a new sentence on the next line stays a break: the negation of the
    # line before does not reach the contrast series after it
    # (a wide export, about 120 characters: a line that ends unpunctuated and a next line opening in capitals)
    ("CT ABDOMEN PELVIS WITH CONTRAST\nHISTORY: Abdominal pain, nausea and vomiting for three days, prior "
     "appendectomy per outside records and chart\nTECHNIQUE: No oral contrast was given and no delayed images were "
     "obtained today per the ordering provider\nIntravenous contrast 100 mL Omnipaque 350 was administered and "
     "portal venous images were obtained through the pelvis.\nFINDINGS: No bowel obstruction. No free fluid. "
     "Liver, spleen, pancreas and kidneys are normal in appearance today.\nIMPRESSION: No acute abnormality.",
     ["74177"]),
    # an exam of several regions titled without then with contrast: the plain series of one region, then the
    # IV contrast series of all; a negated ORAL contrast says nothing of the IV series (CODING_RULES §2, §3)
    ("CT CHEST WITH CONTRAST AND CT ABDOMEN AND PELVIS WITHOUT AND WITH CONTRAST\nHISTORY: Hematuria, renal mass on "
     "ultrasound.\nTECHNIQUE: Noncontrast images of the upper abdomen were obtained first. After intravenous "
     "injection of 90 mL Isovue 370, helical images were then obtained in the portal venous phase, and 10 minute "
     "delayed images of the kidneys. Oral contrast was not administered.\nFINDINGS: 4 cm enhancing left renal "
     "mass. Lungs clear.\nIMPRESSION: "
     "Left renal mass, likely renal cell carcinoma.", ["71260", "74178"]),
])
def test_contrast_statements_of_dz_a(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
