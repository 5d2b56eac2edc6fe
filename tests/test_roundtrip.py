"""Every code of the table is produced from a canonical header: its own short label, or a
header built from its attributes (modality, region, contrast, views, side, qualifier)."""

import pytest

from suggester.lexicon import Code, load_lexicon

CONTRAST_WORDS = {"without": "without contrast", "with": "with contrast",
                  "without_then_with": "without and with contrast"}
MODALITY_WORDS = {"DUPLEX": "duplex", "POST": "", "MG": "mammogram"}


def canonical_header(c: Code) -> str:
    """A plain exam title from the code's attributes ("US ob first trimester additional")."""
    words = [MODALITY_WORDS.get(c.modality, c.modality), c.region.replace("_", " ")]
    if c.contrast in CONTRAST_WORDS:
        words.append(CONTRAST_WORDS[c.contrast])
    if c.views:
        words.append(f"{c.views[0]} views")
    if c.side in ("unilateral", "bilateral"):
        words.append(c.side)
    if c.qualifier:
        words.append(c.qualifier.replace("_", " "))
    return " ".join(w for w in words if w)


def headers(c: Code) -> list[str]:
    return [c.label, canonical_header(c)]


def test_canonical_header_example():
    lex = load_lexicon()
    assert canonical_header(lex.codes["76802"]) == "US ob first trimester additional"
    assert canonical_header(lex.codes["70553"]) == "MR brain without and with contrast"


@pytest.mark.parametrize("code", sorted(load_lexicon().codes))
def test_every_code_round_trips(sg, code):
    lex = load_lexicon()
    c = lex.codes[code]
    # 77061/77062 are the CPT payers' diagnostic tomosynthesis codes (Medicare bills G0279)
    payer = "commercial" if c.qualifier == "diagnostic_tomosynthesis" else None
    results = {h: {x["code"] for x in sg.suggest(h, payer=payer)["codes"]} for h in headers(c)}
    assert any(code in got for got in results.values()), results
