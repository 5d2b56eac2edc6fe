"""tools/toward.py: records moving toward / away from gold between two golden files, per split."""

import json
import runpy
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "toward.py"


def _line(code, mods=()):
    return {"code": code, "modifiers": list(mods), "units": 1}


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_counts_toward_away_and_neither_per_split(tmp_path, capsys):
    parts = tmp_path / "parts"
    parts.mkdir()
    # ids whose split is fixed by the rule: "cal-zz-" is calibration, the others fall by their hash
    gold = [{"id": "cal-zz-0001", "text": "x", "codes": [_line("71046")]},
            {"id": "cal-zz-0002", "text": "x", "codes": [_line("70450")]},
            {"id": "cal-zz-0003", "text": "x", "codes": [_line("73110", ["RT"])]},
            {"id": "cal-zz-0004", "text": "x", "codes": [_line("74177")]}]
    _write(parts / "cal_zz.jsonl", gold)

    def golden(codes):
        return [{"setting": "professional/medicare", "id": f"cal_zz/{g['id']}",
                 "codes": [{"code": c, "modifiers": ["26", *m], "units": 1} for c, m in cs]}
                for g, cs in zip(gold, codes, strict=True)]
    before = golden([[("71046", ())], [("70450", ())], [("73110", ("LT",))], [("74176", ())]])
    after = golden([[("71045", ())], [("70450", ())], [("73110", ("RT",))], [("74178", ())]])
    _write(tmp_path / "a.jsonl", before + [{**r, "setting": "global/commercial"} for r in after])
    _write(tmp_path / "b.jsonl", after)

    counts = runpy.run_path(str(TOOL))["compare"](str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"), parts,
                                                  show="calib")
    c = counts["calib"]
    assert (c["n"], c["toward"], c["away"], c["neither"], c["exact_before"], c["exact_after"]) == (4, 1, 1, 1, 2, 2)
    shown = capsys.readouterr().out.splitlines()
    assert shown == ["away cal_zz/cal-zz-0001 ['71046'] -> ['71045']",
                     "toward cal_zz/cal-zz-0003 ['73110-LT'] -> ['73110-RT']",
                     "neither cal_zz/cal-zz-0004 ['74176'] -> ['74178']"]
