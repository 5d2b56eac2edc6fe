"""Merge the labeled parts into the fixed dev/test split.

    python eval/build_split.py            # (re)write eval/data/dev.jsonl and eval/data/test.jsonl
    python eval/build_split.py --check    # exit 1 if the split files are missing or out of date

Rule (stable, documented in eval/README.md): a record whose id starts ``cal-`` goes to the
**calibration** split (``calib.jsonl``: chooses the confidence model's operating points; never read
to tune rules or lexicons); otherwise to **test** when ``int(sha1(id).hexdigest(), 16) % 100 < 35``,
otherwise to **dev**. The rule depends only on the
record id, so adding a part or a record never moves an existing record between the splits.
Every part is validated with the harness's gold loader first (a malformed record stops the
build with ``file:line``); ids must be unique across parts. Output records are the part records
unchanged, sorted by id, one JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from suggester.evaluation import GoldFormatError, load_gold, split_of

DATA = Path(__file__).resolve().parent / "data"


def build(parts_dir: Path = DATA / "parts") -> dict[str, str]:
    """The dev and test file contents (deterministic) from every ``*.jsonl`` part present, and the
    calibration split's when a part holds ``cal-`` ids."""
    parts = sorted(parts_dir.glob("*.jsonl"))
    if not parts:
        raise GoldFormatError(f"{parts_dir}: no *.jsonl parts")
    load_gold(parts)  # validation only: raises GoldFormatError naming file:line
    split: dict[str, list[dict]] = {"dev": [], "test": []}  # written even when empty; calib only when present
    for p in parts:
        for raw in p.read_text(encoding="utf-8-sig").splitlines():
            if raw.strip():
                rec = json.loads(raw)
                split.setdefault(split_of(str(rec["id"])), []).append(rec)
    return {name: "".join(json.dumps(r, ensure_ascii=False) + "\n"
                          for r in sorted(recs, key=lambda r: str(r["id"])))
            for name, recs in split.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parts", type=Path, default=DATA / "parts")
    ap.add_argument("--out", type=Path, default=DATA)
    ap.add_argument("--check", action="store_true", help="only check that the split files are up to date")
    args = ap.parse_args(argv)
    try:
        content = build(args.parts)
    except GoldFormatError as e:
        print(f"build_split: error: {e}", file=sys.stderr)
        return 2
    stale = []
    for name, text in content.items():
        path = args.out / f"{name}.jsonl"
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
    for name, text in content.items():
        fams = Counter(json.loads(ln).get("tags", {}).get("family") for ln in text.splitlines())
        print(f"{name}: {len(text.splitlines())} records  "
              + " ".join(f"{k}={v}" for k, v in sorted(fams.items(), key=lambda kv: str(kv[0]))))
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python eval/build_split.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
