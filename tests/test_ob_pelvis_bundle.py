"""The pregnant uterus is billed once: the obstetric codes, not the non-obstetric pelvic codes beside them
(lexicons/rules.jsonl ``pregnant_uterus_not_nonobstetric_pelvis``; 76856/76857/76830 are non-obstetric by
their reference labels, and no labelled report bills both)."""

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def s():
    return Suggester(title_model="off")


def codes(s, text):
    return sorted(c["code"] for c in s.suggest(text)["codes"])


@pytest.mark.parametrize(("text", "want"), [
    ("US PREGNANCY uterus after 1st Trimester", ["76805"]),
    ("US-PELVIS PREG LTD", ["76815"]),
    ("EXAM: US OB LESS THAN 14 WEEKS WITH TRANSVAGINAL\nHISTORY: positive pregnancy test, bleeding.\n"
     "TECHNIQUE: Transabdominal and transvaginal images of the pelvis.\nFINDINGS: Single intrauterine gestation, "
     "crown-rump length 8 weeks 2 days, heart rate 158. Ovaries normal.\nIMPRESSION: Live intrauterine pregnancy.",
     ["76801", "76817"]),
])
def test_pregnant_uterus_is_billed_with_the_obstetric_codes_only(s, text, want):
    assert codes(s, text) == want


def test_a_non_pregnant_pelvis_keeps_its_pelvic_codes(s):
    text = ("EXAM: US PELVIS TRANSABDOMINAL AND TRANSVAGINAL\nHISTORY: pelvic pain, negative pregnancy test.\n"
            "FINDINGS: Uterus 8 cm, endometrium 6 mm. Both ovaries normal. Bladder normal.\nIMPRESSION: Normal.")
    assert codes(s, text) == ["76830", "76856"]
