"""The labelled reports themselves (eval/data dev, test and calibration splits) obey the rules a
label must obey (eval/data/LABELING.md): a wrong gold label makes a right answer look wrong, and
the calibration split chooses the release points, so its labels matter as much as the test split's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "eval" / "data"
SPLITS = ("dev.jsonl", "test.jsonl", "calib.jsonl")
SIDE_MODIFIERS = {"RT", "LT", "50"}
ALLOWED_MODIFIERS = SIDE_MODIFIERS | {"52", "59", "76", "77"}


def _codes() -> dict[str, dict]:
    rows = [json.loads(x) for x in (REPO / "lexicons" / "codes.jsonl").read_text().splitlines()[1:] if x.strip()]
    return {r["code"]: r for r in rows}


def _records(name: str) -> list[dict]:
    return [json.loads(x) for x in (DATA / name).read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def codes():
    return _codes()


@pytest.mark.parametrize("split", SPLITS)
def test_every_gold_line_is_a_known_code_with_modifiers_its_side_allows(split, codes):
    problems = []
    for rec in _records(split):
        for line in rec["codes"]:
            code, mods = line["code"], line.get("modifiers", [])
            if code not in codes:
                problems.append(f"{rec['id']}: {code} not in lexicons/codes.jsonl")
                continue
            side = codes[code]["side"]
            if set(mods) - ALLOWED_MODIFIERS:
                problems.append(f"{rec['id']}: {code} modifiers {mods}")
            if set(mods) & SIDE_MODIFIERS and side != "unilateral":
                problems.append(f"{rec['id']}: {code} is {side or 'midline'} but carries {mods}")
            # a unilateral code goes without a side only when the report never documents one
            side_missing = "laterality_missing" in (rec.get("flags") or [])
            if side == "unilateral" and not set(mods) & SIDE_MODIFIERS and not side_missing:
                problems.append(f"{rec['id']}: unilateral {code} without RT/LT/50")
    assert problems == []


@pytest.mark.parametrize("split", SPLITS)
def test_family_tag_is_the_first_codes_family_and_no_code_number_in_the_text(split, codes):
    code_rx = re.compile(r"\b(?:" + "|".join(sorted(codes)) + r")\b")
    problems = []
    for rec in _records(split):
        if codes[rec["codes"][0]["code"]]["family"] != rec["tags"]["family"]:
            problems.append(f"{rec['id']}: family {rec['tags']['family']} but first code {rec['codes'][0]['code']}")
        if m := code_rx.search(rec["text"]):
            problems.append(f"{rec['id']}: the text names code {m.group(0)}")
    assert problems == []


def test_the_calibration_split_is_large_enough_to_bound_a_release_point():
    # 99% precision with a one-sided Wilson lower bound >= 97% needs about 100 released reports
    recs = _records("calib.jsonl")
    assert len(recs) >= 300 and all(r["id"].startswith("cal-") for r in recs)
    assert len({r["id"] for r in recs}) == len(recs)
