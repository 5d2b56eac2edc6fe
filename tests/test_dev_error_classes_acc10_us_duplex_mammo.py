"""Error classes of the enlarged dev split in ultrasound, duplex, mammography and DXA (issue 12: the
retired calibration parts cal_aq..cal_at, production styles), fixed with general rules. Reports
written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


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
