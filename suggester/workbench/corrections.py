"""Coders' decisions as labelled data: ``suggester train --corrections review.sqlite3``.

An accepted report is labelled with the codes it was accepted with, an overridden one with the
coder's codes. The records come back as :class:`~suggester.evaluation.GoldRecord` (ids
``correction:<report id>``), in the order the reports were added, so training treats them like
the dev split's reports; they are never written into ``eval/data``.

Left out, and counted in the summary:

* rejected and still-open reports (no codes to learn from);
* reports coded for another payer than the training's (its bilateral and distinct-service lines
  differ, so the labels would not match what training predicts);
* reports whose text is one of the test split's (training must never see the test split).

26/TC are dropped from the labels (training codes with global billing); the other modifiers are
kept, sorted, as the gold files have them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..evaluation import COMPONENT_MODIFIERS, GoldLine, GoldRecord, display_path
from .store import ReviewStore, StoreError

ID_PREFIX = "correction:"


@dataclass(frozen=True)
class Corrections:
    records: tuple[GoldRecord, ...]
    summary: dict = field(default_factory=dict)


def load_corrections(path: str | Path, *, payer: str = "medicare",
                     exclude_texts: Iterable[str] = ()) -> Corrections:
    """The accepted and overridden reports of the review database at ``path`` as gold records."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"review database {path} not found")
    try:
        store = ReviewStore(path)
    except StoreError as e:
        raise ValueError(str(e)) from None
    excluded = {_norm(t) for t in exclude_texts}
    counts = {"accepted": 0, "overridden": 0, "skipped_rejected": 0, "skipped_open": 0,
              "skipped_other_payer": 0, "skipped_in_test_split": 0}
    out = []
    for item in store.worklist(limit=-1):
        if item["status"] != "decided":
            counts["skipped_open"] += 1
            continue
        action = item["decision"]["action"]
        if action == "reject":
            counts["skipped_rejected"] += 1
            continue
        full = store.get(item["id"])
        if (full["suggestion"].get("payer") or payer) != payer:
            counts["skipped_other_payer"] += 1
            continue
        if _norm(full["text"]) in excluded:
            counts["skipped_in_test_split"] += 1
            continue
        lines = tuple(GoldLine(c["code"], tuple(sorted(set(c["modifiers"]) - COMPONENT_MODIFIERS)), int(c["units"]))
                      for c in full["decision"]["codes_after"])
        out.append(GoldRecord(id=ID_PREFIX + item["id"], text=full["text"], lines=lines,
                              source=f"{display_path(path)}:{item['id']}", ordered=full["ordered"],
                              family=item["family"]))
        counts["accepted" if action == "accept" else "overridden"] += 1
    h = hashlib.sha256()
    for r in out:
        h.update(json.dumps([r.id, r.text, r.ordered, [[g.code, list(g.modifiers or ()), g.units] for g in r.lines]],
                            ensure_ascii=False).encode("utf-8") + b"\n")
    summary = {"path": display_path(path), "n_reports": len(out), **counts, "payer": payer,
               "sha256": h.hexdigest()}
    return Corrections(tuple(out), summary)


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()
