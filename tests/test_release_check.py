"""tools/release_check.py: reports, exact share and what the release points would release, per file."""

import json
import runpy
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "release_check.py"


def test_prints_each_files_reports_exact_share_and_released_count(tmp_path, capsys):
    recs = [
        {"id": "t-1", "text": "EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: No hemorrhage.",
         "codes": [{"code": "70450", "modifiers": [], "units": 1}]},
        {"id": "t-2", "text": "EXAM: XR CHEST PA AND LATERAL\nFINDINGS: Clear lungs.",
         "codes": [{"code": "71045", "modifiers": [], "units": 1}]},  # wrong on purpose: 2 views are 71046
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    main = runpy.run_path(str(TOOL))["main"]
    assert main([str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("release points of ") and "(shipped: " in out[0]
    line = out[1]
    assert line.startswith(f"{path}: 2 reports, exact 50.0%; released ")
    released = int(line.split("; released ")[1].split(" ")[0])
    k, n = line.split(" at ")[1].split(" exact")[0].split("/")
    assert int(n) == released and int(k) <= min(released, 1)  # the wrong report never counts as exact
