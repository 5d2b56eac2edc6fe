"""Review-13 findings F7-F9 on the acc13c / cdm13 rules: rules that reached past the records they were
written for. The reviewer's reports plus reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # F7: a rest perfusion acquisition followed by an exercise or pharmacologic stress one (a second dose,
    # treadmill / Bruce / peak, regadenoson, adenosine, dobutamine) is multiple studies (78452), even when the
    # word "stress" is never written
    ("NM MPI\nTECHNIQUE: 10 mCi sestamibi at rest, SPECT. Patient then walked on the treadmill per Bruce protocol "
     "to 9 METs; 30 mCi sestamibi at peak, SPECT 30 min later.\nFINDINGS: Normal perfusion.", ["78452"]),
    ("NM MYOCARDIAL PERFUSION SPECT\nTechnique: Tc-99m tetrofosmin 9 mCi injected at rest with gated SPECT. "
     "Adenosine infusion over 4 minutes followed by 28 mCi tetrofosmin and repeat SPECT.\nFindings: No defect.",
     ["78452"]),
    ("NM CARDIAC SPECT\nTechnique: Resting images after 8 mCi Tc-99m sestamibi, then 27 mCi injected at peak "
     "dobutamine infusion with repeat gated images.\nFindings: Normal wall motion.", ["78452"]),
    # ... one rest dose and one acquisition stays a single study
    ("NM MYOCARDIAL PERFUSION\nTechnique: 25 mCi Tc-99m sestamibi given at rest during chest pain; gated SPECT "
     "one hour later.\nFindings: No perfusion defect.", ["78451"]),
])
def test_rest_then_unnamed_stress_is_multiple_studies(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # F8: the patient's position said of an extra view ("additional view obtained with the patient supine"), or in a
    # clause of its own after ";" / "and an", is a view of its own: only a position in the clause of a named
    # projection describes it
    ("XR CHEST\nFINDINGS: PA and lateral upright views; additional view obtained with the patient supine. "
     "Pneumothorax not seen.", ["71047"]),
    ("XR ABDOMEN\nFINDINGS: AP view with the patient supine and an additional view with the patient upright. "
     "No free air.", ["74019"]),
    ("XR CHEST\nTechnique: Frontal view of the chest; a second view was taken with the patient in the left "
     "lateral decubitus position.\nFindings: Layering right effusion.", ["71046"]),
    # ... a position in the clause of its projection still describes it
    ("XR ABDOMEN\nTechnique: Single AP radiograph of the abdomen obtained with the patient supine.\n"
     "Findings: Nonobstructive gas pattern.", ["74018"]),
])
def test_position_of_an_extra_view_is_a_view(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # F9: a dictated "colon" after a section header ("technique colon barium ...", "findings colon barium ...")
    # is the ':' of the header, not the organ of a barium enema; only an exam label's "colon" is the organ
    ("ESOPHAGRAM\ntechnique colon barium swallow with single contrast technique period\nfindings colon barium "
     "passes freely through the esophagus without stricture period no hiatal hernia period\nimpression colon "
     "normal esophagram period", ["74220"]),
    ("SMALL BOWEL FOLLOW THROUGH\ntechnique colon barium was given orally and overhead images obtained period\n"
     "findings colon normal transit to the cecum at 90 minutes period", ["74250"]),
    ("UPPER GI SERIES\nfindings colon barium outlines a normal stomach and duodenal bulb period\nimpression colon "
     "no ulcer period", ["74240"]),
])
def test_section_header_colon_before_barium_is_a_mark(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
