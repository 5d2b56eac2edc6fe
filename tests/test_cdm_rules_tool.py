"""tools/cdm_rules.py: the rules alone on hospital descriptions, by health system, with save / compare."""

import json
import runpy
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "cdm_rules.py"

CSV = ("hospital,system,year,description,codes\n"
       "Alpha General,Alpha,2026,CT HEAD WO CONTRAST,70450\n"
       "Alpha General,Alpha,2026,XR CHEST 2 VIEWS,71046\n"
       "Beta Medical,Beta,2026,MRI BRAIN WO CONTRAST,70551\n"
       "Beta Medical,Beta,2026,XR CHEST 2 VIEWS,71045\n")  # Beta bills the 2-view chest as 71045: a miss


def test_scores_by_system_and_row_and_compares_saved_top1(tmp_path, capsys):
    cdm = tmp_path / "cdm.csv"
    cdm.write_text(CSV, encoding="utf-8")
    main = runpy.run_path(str(TOOL))["main"]
    saved = tmp_path / "top1.json"
    assert main(["--cdm", str(cdm), "--show", "--save", str(saved)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Beta ") and "| XR CHEST 2 VIEWS | 71045 | 71046 " in out[0]
    assert out[1] == "rules only: by system 75.00%, by row 75.00% (2 systems, 4 rows)"
    assert json.loads(saved.read_text())["CT HEAD WO CONTRAST"] == "70450"

    old = tmp_path / "old.json"
    old.write_text(json.dumps({"CT HEAD WO CONTRAST": "70460", "MRI BRAIN WO CONTRAST": "70551",
                               "XR CHEST 2 VIEWS": "71046"}), encoding="utf-8")
    assert main(["--cdm", str(cdm), "--compare", str(old)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == ["fixed  | CT HEAD WO CONTRAST | 70460 -> 70450", "descriptions fixed 1, broken 0"]
