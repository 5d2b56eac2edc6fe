"""Several exams in one report (issue 11, dev failures): which technique statement describes
which exam. A series acquired "before contrast" is a noncontrast series; a label opening a
technique line ("Orbits: ...") names the exam of every sentence on that line; a qualifier in a
sentence naming two exams' anatomy describes the nearer one. An obstetric exam whose findings
document twins bills the add-on per extra gestation. Reports written for these tests;
exact code sets (billing global, Medicare)."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # the MRA series was acquired before the gadolinium the brain study used
    ("EXAMS:\n1. MRI BRAIN WITHOUT AND WITH CONTRAST\n2. MRA HEAD\n"
     "TECHNIQUE:\nBrain: axial FLAIR and DWI, then post-contrast axial T1 after 7 mL gadoterate IV.\n"
     "MRA head: 3D time-of-flight of the circle of Willis acquired before contrast injection.\n"
     "FINDINGS: No aneurysm. No enhancing lesion.", ["70544", "70553"]),
    ("EXAM: MRI CERVICAL SPINE\nTECHNIQUE: Sagittal T1 and T2 images before contrast, and sagittal "
     "and axial T1 images after 7 mL gadobutrol IV.\nFINDINGS: No enhancing cord lesion.", ["72156"]),
])
def test_a_series_before_contrast_is_noncontrast(sg, text, expected):
    assert sorted(codes(sg.suggest(text))) == expected


def test_line_label_names_the_exam_of_each_sentence_on_its_line(sg):
    text = ("EXAMS: MRI BRAIN WITH AND WITHOUT CONTRAST / MRI ORBITS WITH AND WITHOUT CONTRAST\n"
            "TECHNIQUE:\nBrain: axial T2 and FLAIR; post-contrast axial T1.\n"
            "Orbits: coronal T2 and precontrast coronal T1 fat-saturated; post-contrast coronal T1 fat-saturated.\n"
            "FINDINGS: Enhancing right optic nerve sheath mass.")
    assert sorted(codes(sg.suggest(text))) == ["70543", "70553"]


def test_qualifier_of_a_sentence_naming_two_exams_describes_the_nearer(sg):
    text = ("EXAMS: CT ANGIOGRAPHY CHEST AND CT ABDOMEN/PELVIS WITH CONTRAST\n"
            "TECHNIQUE: CT pulmonary angiography after 90 mL Omnipaque 350 IV, followed by portal venous "
            "phase imaging of the abdomen and pelvis with the same injection. MIP reconstructions of the "
            "pulmonary arteries.\nFINDINGS: Left lower lobe pulmonary embolism. Hepatic metastases.")
    assert sorted(codes(sg.suggest(text))) == ["71275", "74177"]


@pytest.mark.parametrize(("text", "expected"), [
    ("US OB FIRST TRIMESTER\nINDICATION: Bleeding.\nTECHNIQUE: Transabdominal ultrasound of the gravid uterus.\n"
     "FINDINGS: Two intrauterine gestational sacs separated by a thick membrane, dichorionic diamniotic "
     "twin pregnancy. Twin A CRL 2.2 cm, twin B CRL 2.1 cm, both with cardiac activity.\n"
     "IMPRESSION: Live twin intrauterine pregnancy at 9 weeks.", ["76801", "76802"]),
    # twins only suspected in the history, a singleton found: one gestation
    ("US OB FIRST TRIMESTER\nINDICATION: Twins suspected on exam.\nTECHNIQUE: Transabdominal ultrasound.\n"
     "FINDINGS: Single live intrauterine gestation. CRL 2.2 cm.\nIMPRESSION: Singleton pregnancy, "
     "no twin gestation.", ["76801"]),
])
def test_gestations_documented_in_the_findings(sg, text, expected):
    assert sorted(codes(sg.suggest(text))) == expected
