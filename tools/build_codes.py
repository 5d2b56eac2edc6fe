"""Rebuild ``lexicons/codes.jsonl`` from the team's reference table.

Usage: ``python tools/build_codes.py [--reference PATH] [--fee-schedule PATH]``

Sources: ``../shared/domain/cpt_reference.csv`` (code facts and the project's own short
labels) and the CMS PFS RVU file (``pctc_ind``: whether a code splits into 26/TC). The output
is committed; the package never reads ``../shared`` at run time.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# Frame modality for each reference row: duplex rows are US in the table but form their own
# exam type in reports ("venous duplex"); tomosynthesis is part of a mammography frame.
FRAME_MODALITY = {"duplex": "DUPLEX"}
MODALITY_ALIASES = {"DBT": "MG", "3D": "POST"}


def build(reference: Path, fee_schedule: Path | None) -> list[dict]:
    components = {}
    if fee_schedule and fee_schedule.exists():
        with fee_schedule.open(newline="") as fh:
            for row in csv.DictReader(fh):
                if row["modifier"] == "":
                    components[row["hcpcs"]] = {
                        "1": "split", "2": "professional_only", "3": "technical_only"
                    }.get(row["pctc_ind"], "none")
    out = []
    with reference.open(newline="") as fh:
        for row in csv.DictReader(fh):
            modality = FRAME_MODALITY.get(row["family"]) or MODALITY_ALIASES.get(
                row["modality"], row["modality"])
            out.append({
                "code": row["code"],
                "family": row["family"],
                "modality": modality,
                "region": row["region"],
                "contrast": row["contrast"] or None,
                "views": row["views"] or None,
                "side": row["side"] or None,
                "qualifier": row["qualifier"] or None,
                "label": row["label"],
                "components": components.get(row["code"], "split"),
            })
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reference", type=Path, default=SHARED / "domain" / "cpt_reference.csv")
    ap.add_argument("--fee-schedule", type=Path,
                    default=SHARED / "data" / "pfs_rvu_radiology_2025.csv")
    ap.add_argument("--out", type=Path, default=ROOT / "lexicons" / "codes.jsonl")
    args = ap.parse_args()
    rows = build(args.reference, args.fee_schedule)
    header = {"_schema": "codes/1",
              "source": "shared/domain/cpt_reference.csv (labels written for this project); "
                        "components from CMS PFS RVU 2025 pctc_ind"}
    with args.out.open("w") as fh:
        fh.write(json.dumps(header) + "\n")
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    print(f"wrote {len(rows)} codes to {args.out}")


if __name__ == "__main__":
    main()
