"""rul43e: multi-exam neuro MR/MRA contrast and the 3D workstation, in reports of our own.

What went wrong:
- a closing technique line about "all angiographic sequences" of an MRI brain + MRA head + MRA neck made the
  brain MRI an angiogram too (the plain MR beside an MRA of the same region under another site word: brain
  vs head), so the brain MRI merged into the head MRA and took its contrast (70553 lost, 70546 for 70544);
- a labelled technique line of one exam ("Neck: ... contrast-enhanced MRA from the arch to the circle of
  Willis") gave its contrast to the other exam whose anatomy the extent names (head MRA without: 70544);
- 3D rendering "on an independent post-processing workstation" (a hyphenated word before "workstation")
  was billed as rendering without one (76376 for 76377);
- a contrast head CT whose technique says no plain series was obtained because a plain head CT was done
  earlier as a separate study was billed without-then-with (70470 for 70460): the "without contrast" of
  the other study, inside the sentence that denies this study's plain series, counted as one.
"""

from __future__ import annotations

import pytest
from conftest import codes

REPORTS = [
    # brain MRI + head MRA + neck MRA; a closing line about all the angiographic sequences
    ("MR BRAIN W/O AND W CONTRAST, MR ANGIOGRAPHY HEAD W/O CONTRAST, MR ANGIOGRAPHY NECK W/O AND W CONTRAST\n"
     "HISTORY: Left arm weakness for one day.\n"
     "TECHNIQUE:\n"
     "Brain: axial diffusion, FLAIR, T2 and T1 before contrast; after 7 mL gadoterate IV, axial and sagittal T1.\n"
     "MRA head: 3D time-of-flight through the circle of Willis, no contrast.\n"
     "MRA neck: 2D TOF of the cervical arteries, then contrast-enhanced MRA of the neck with the same injection.\n"
     "MIP images were reviewed for all angiographic sequences.\n"
     "FINDINGS: Small acute right frontal infarct. Intracranial arteries normal. Moderate right ICA origin stenosis.\n"
     "IMPRESSION: Acute right frontal infarct; moderate right ICA origin stenosis.",
     ["70544", "70549", "70553"]),
    # a labelled neck line whose contrast series reaches the circle of Willis; the head line without contrast
    ("MRA NECK WITHOUT AND WITH CONTRAST AND MRA HEAD WITHOUT CONTRAST\n"
     "INDICATION: Headache and neck pain, evaluate for dissection.\n"
     "TECHNIQUE:\n"
     "Neck: axial T1 fat-saturated images before contrast; then contrast-enhanced 3D MRA from the aortic arch to the "
     "circle of Willis after IV gadobutrol 7 mL.\n"
     "Head: 3D TOF of the intracranial arteries (no contrast).\n"
     "FINDINGS: No dissection. Intracranial arteries patent, no aneurysm.\n"
     "IMPRESSION: No dissection.",
     ["70544", "70549"]),
    # rendering on an independent post-processing workstation
    ("CT MAXILLOFACIAL WITHOUT CONTRAST WITH 3D\n"
     "HISTORY: Fall onto the face.\n"
     "TECHNIQUE: Axial CT of the face without IV contrast with coronal and sagittal reformats. 3D surface-rendered "
     "images of the facial bones were made by the technologist on an independent post-processing workstation under "
     "radiologist supervision.\n"
     "FINDINGS: Nondisplaced right nasal bone fracture. Orbits intact.\n"
     "IMPRESSION: Nondisplaced right nasal bone fracture.",
     ["70486", "76377"]),
    # contrast head CT whose plain head CT is an earlier, separate study the technique names in its negation
    ("CT HEAD\n"
     "HISTORY: Fever and confusion, immunocompromised.\n"
     "TECHNIQUE: Axial images of the head after 70 mL Omnipaque 350 IV. No noncontrast images were obtained since "
     "a head CT without contrast was performed this morning (reported separately).\n"
     "COMPARISON: CT head this morning.\n"
     "FINDINGS: Ring-enhancing lesion in the left thalamus with surrounding edema.\n"
     "IMPRESSION: Ring-enhancing left thalamic lesion, abscess or lymphoma.",
     ["70460"]),
    # a one-sentence extent across two exams of the report names both (the ends are not dropped then)
    ("CT CHEST ABDOMEN PELVIS\n"
     "HISTORY: Lymphoma restaging.\n"
     "TECHNIQUE: Portal venous images from the lung apices to the symphysis pubis after 100 mL IV Omnipaque 350. "
     "No oral contrast.\n"
     "FINDINGS: Axillary and retroperitoneal nodes smaller. Spleen normal.\n"
     "IMPRESSION: Partial response.",
     ["71260", "74177"]),
]


@pytest.mark.parametrize("text,expected", REPORTS)
def test_rul43e_reports(sg, text: str, expected: list[str]) -> None:
    assert codes(sg.suggest(text)) == expected
