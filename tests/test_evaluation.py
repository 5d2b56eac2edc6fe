"""The evaluation harness (issue 3): each metric on tiny hand-computed examples, gold loading
and its refusals, the split rule, the external-table scorer, and the end-to-end outputs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from suggester import evaluation as ev
from suggester.evaluation import GoldFormatError, GoldLine, GoldRecord

REPO = Path(__file__).resolve().parents[1]


def gold(rid="r1", lines=(("71046", (), 1),), flags=None, family="xr", style="terse_caps", hard=()):
    return GoldRecord(rid, "text", tuple(GoldLine(c, m, u) for c, m, u in lines), f"x.jsonl:{rid}",
                      flags=flags, family=family, style=style, hard=tuple(hard))


def pred(rid="r1", lines=(("71046", [], 1, 0.9),), alternatives=(), flags=(), professional=None):
    out = {"id": rid, "status": "ok",
           "codes": [{"code": c, "modifiers": list(m), "units": u, "confidence": p, "evidence": []}
                     for c, m, u, p in lines],
           "alternatives": [{"code": c, "for": f, "confidence": p} for c, f, p in alternatives],
           "flags": list(flags), "needs_review": False}
    conf = 1.0
    for c in out["codes"]:
        conf *= c["confidence"]
    out["confidence"] = conf if lines else 0.0
    if professional is not None:
        out["professional_codes"] = [{"code": c, "modifiers": list(m)} for c, m in professional]
    return out


# --------------------------------------------------------------------------- calibration


def test_ece_and_brier_hand_computed():
    # bin 0.9-1.0: two at 0.95, one right -> |0.5 - 0.95| * 2/5 = 0.18
    # bin 0.8-0.9: two at 0.85, both right -> |1.0 - 0.85| * 2/5 = 0.06
    # bin 0.1-0.2: one at 0.15, wrong      -> |0.0 - 0.15| * 1/5 = 0.03
    cal = ev.calibration([0.95, 0.95, 0.85, 0.85, 0.15], [True, False, True, True, False])
    assert cal["ece"] == pytest.approx(0.27)
    # Brier: (0.05^2 + 0.95^2 + 3 * 0.15^2) / 5
    assert cal["brier"] == pytest.approx((0.0025 + 0.9025 + 3 * 0.0225) / 5)
    assert [b["n"] for b in cal["bins"]] == [0, 1, 0, 0, 0, 0, 0, 0, 2, 2]
    assert cal["bins"][9] == {"lo": 0.9, "hi": 1.0, "n": 2, "mean_confidence": pytest.approx(0.95), "accuracy": 0.5}
    assert cal["bins"][0]["accuracy"] is None


def test_calibration_bin_edges_and_perfect_calibration():
    cal = ev.calibration([0.0, 1.0, 0.1, 0.2], [False, True, False, False])
    assert [b["n"] for b in cal["bins"]] == [1, 1, 1, 0, 0, 0, 0, 0, 0, 1]  # 1.0 in the last bin
    assert ev.calibration([1.0, 0.0], [True, False])["ece"] == 0.0
    assert ev.calibration([], [])["ece"] is None
    with pytest.raises(ValueError, match="outside"):
        ev.calibration([1.2], [True])


# --------------------------------------------------------------------------- code sets


def test_exact_set_compares_code_units_and_modifiers_not_components():
    g = [GoldLine("73562", ("RT",), 1)]
    assert ev.lines_match(g, ev.pred_lines(pred(lines=[("73562", ["26", "RT"], 1, 0.9)])))
    assert not ev.lines_match(g, ev.pred_lines(pred(lines=[("73562", ["LT"], 1, 0.9)])))
    assert not ev.lines_match(g, ev.pred_lines(pred(lines=[("73562", ["RT"], 2, 0.9)])))
    assert not ev.lines_match(g, ev.pred_lines(pred(lines=[("73562", ["RT"], 1, 0.9)] * 2)))
    # a gold line without modifiers (bare code in a CSV) ignores the predicted modifiers
    assert ev.lines_match([GoldLine("73562", None, 1)], [("73562", ("LT",), 1)])
    # multiset: specified lines are matched before unspecified ones
    assert ev.lines_match([GoldLine("73562", None), GoldLine("73562", ("RT",))],
                          [("73562", ("RT",), 1), ("73562", ("LT",), 1)])


def test_micro_macro_prf_hand_computed():
    # A right twice, C extra once, B missed twice
    out = ev.code_prf([({"A"}, {"A"}), ({"A", "B"}, {"A", "C"}), ({"B"}, set())])
    micro = out["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (2, 1, 2)
    assert micro["precision"] == pytest.approx(2 / 3)
    assert micro["recall"] == pytest.approx(0.5)
    assert micro["f1"] == pytest.approx(4 / 7)
    # per code F1: A 1, B 0, C 0 -> macro 1/3
    assert out["macro"] == pytest.approx({"precision": 1 / 3, "recall": 1 / 3, "f1": 1 / 3})
    assert out["per_code"]["B"]["precision"] == 0.0  # 0/0 counts as 0


def test_top3_recall_uses_each_line_and_its_two_best_alternatives():
    p = pred(lines=[("73560", [], 1, 0.6)],
             alternatives=[("73565", "73560", 0.05), ("73562", "73560", 0.3), ("73564", "73560", 0.2)])
    assert ev.top3_hits({"73560"}, p) == 1
    assert ev.top3_hits({"73562"}, p) == 1
    assert ev.top3_hits({"73564"}, p) == 1
    assert ev.top3_hits({"73565"}, p) == 0  # fourth candidate
    assert ev.top3_hits({"73562", "71046"}, p) == 1


def test_automation_curve_and_operating_points():
    # min code confidence per report (None: no code) and exact-set correctness
    auto = ev.automation_curve([0.99, 0.9, 0.8, None], [True, True, False, False])
    by_t = {p["threshold"]: p for p in auto["curve"]}
    assert by_t[0.0] == {"threshold": 0.0, "coverage": 0.75, "precision": pytest.approx(2 / 3), "n_automated": 3}
    assert by_t[0.85]["coverage"] == 0.5 and by_t[0.85]["precision"] == 1.0
    assert by_t[1.0]["precision"] is None
    op = auto["operating_points"]["at_99"]
    assert (op["threshold"], op["coverage"], op["precision"], op["n_automated"]) == (0.9, 0.5, 1.0, 2)
    unreachable = ev.automation_curve([0.9], [False])["operating_points"]["at_95"]
    assert unreachable["threshold"] is None and unreachable["coverage"] == 0.0


def test_confusion_pairing_same_family_then_nearest():
    fam = {"73700": "ct", "73702": "ct", "76376": "post", "72192": "ct"}
    assert ev.pair_confusions(["73700", "76376"], ["73702"], fam) == [("73700", "73702"), ("76376", "(none)")]
    assert ev.pair_confusions([], ["72192"], fam) == [("(none)", "72192")]


# --------------------------------------------------------------------------- modifiers, flags, groups


def test_laterality_and_component_accuracy():
    g = gold(lines=[("73562", ("RT",), 1), ("71046", (), 1)])
    p = pred(lines=[("73562", ["LT"], 1, 0.9), ("71046", [], 1, 0.9)],
             professional=[("73562", ["26", "LT"]), ("71046", [])])
    s = ev.score_report(g, p, {"73562": "split", "71046": "split"})
    assert [(c, ok) for c, _, _, ok in s.laterality] == [("71046", True), ("73562", False)]
    # 26 expected on both (split); missing on 71046
    assert [(c, ok) for c, *_, ok in s.component] == [("71046", False), ("73562", True)]
    s2 = ev.score_report(g, p, {"73562": "professional_only"})
    assert [(c, ok) for c, *_, ok in s2.component] == [("73562", False)]  # 26 present, not expected


def test_evaluate_end_to_end_on_hand_made_predictions():
    records = [
        gold("a", [("73562", ("RT",), 1)], flags=("title_technique_conflict",), family="xr", hard=["views_conflict"]),
        gold("b", [("74177", (), 1)], flags=(), family="ct", style="narrative"),
        gold("c", [("73030", ("LT",), 1)], family="xr"),
    ]
    preds = [
        pred("a", [("73562", ["RT"], 1, 0.95)], flags=["title_technique_conflict", "laterality_missing"]),
        pred("b", [("74176", [], 1, 0.7)], alternatives=[("74177", "74176", 0.2)]),
        pred("c", [("73030", ["RT"], 1, 0.9)]),
    ]
    m = ev.evaluate(records, preds, families={"73562": "xr", "74177": "ct", "74176": "ct", "73030": "xr"},
                    components={})
    s = m["summary"]
    assert s["exact_set_accuracy"] == pytest.approx(1 / 3)
    assert s["codes_only_accuracy"] == pytest.approx(2 / 3)
    assert s["top3_recall"] == 1.0
    assert m["modifiers"]["laterality"] == {"n": 2, "accuracy": 0.5}
    # flags only over a and b (c has no gold flags): tp 1, fp 1, fn 0
    assert m["flags"]["n_reports"] == 2
    assert (s["flag_precision"], s["flag_recall"]) == (0.5, 1.0)
    assert m["flags"]["per_type"]["laterality_missing"]["fp"] == 1
    assert m["flags"]["all_records"]["n_reports"] == 3
    assert m["per_family"]["xr"]["n"] == 2 and m["per_family"]["xr"]["exact_set_accuracy"] == 0.5
    assert m["per_tag"]["hard:views_conflict"]["exact_set_accuracy"] == 1.0
    assert m["per_tag"]["style:narrative"]["n"] == 1
    assert m["confusions"]["codes"] == [{"gold": "74177", "predicted": "74176", "count": 1}]
    assert m["confusions"]["modifiers"] == [{"gold": "73030-LT", "predicted": "73030-RT", "count": 1}]
    assert [w["id"] for w in m["wrong_reports"]] == ["b", "c"]
    assert [w["why"] for w in m["wrong_reports"]] == ["codes", "modifiers"]
    # report confidences 0.95 (right) and 0.9 (wrong) share bin 0.9-1.0; 0.7 (wrong) is alone
    assert s["ece"] == pytest.approx((2 * abs(0.5 - 0.925) + 0.7) / 3)
    assert m["automation"]["operating_points"]["at_95"]["threshold"] == 0.95
    # every report has codes and needs no review: all three are released, one of them exact
    rel = m["release"]
    assert (rel["n"], rel["released"], rel["exact"]) == (3, 3, 1)
    assert rel["precision"] == pytest.approx(1 / 3) and rel["precision_interval"] == ev.wilson_interval(1, 3)
    assert (rel["per_family"]["xr"]["released"], rel["per_family"]["xr"]["precision"]) == (2, 0.5)
    assert rel["per_family"]["xr"]["ece"] is None  # fewer than 30 reports
    assert (s["released_share"], s["released_precision"]) == (1.0, pytest.approx(1 / 3))


def test_release_counts_only_reports_with_codes_and_no_review():
    records = [gold("a"), gold("b"), gold("c", family="ct")]
    preds = [pred("a"), {**pred("b"), "needs_review": True}, pred("c", lines=())]
    rel = ev.evaluate(records, preds, families={"71046": "xr"}, components={})["release"]
    assert (rel["released"], rel["exact"], rel["share"]) == (1, 1, pytest.approx(1 / 3))
    assert rel["per_family"]["ct"]["released"] == 0 and rel["per_family"]["ct"]["precision"] is None


def test_wilson_interval_hand_computed():
    assert ev.wilson_interval(0, 0) is None
    lo, hi = ev.wilson_interval(10, 10)
    assert lo == pytest.approx(10 / (10 + 1.96 ** 2), abs=1e-9) and hi == 1.0
    lo, hi = ev.wilson_interval(50, 100)
    assert (lo, hi) == (pytest.approx(0.4038, abs=1e-4), pytest.approx(0.5962, abs=1e-4))


def test_evaluate_rejects_misaligned_predictions():
    with pytest.raises(ValueError, match="does not belong"):
        ev.evaluate([gold("a")], [pred("b")])


# --------------------------------------------------------------------------- gold loading


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = {"id": "x-1", "text": "XR CHEST 2 VIEWS", "codes": [{"code": "71046", "modifiers": [], "units": 1}]}


def test_load_labeled_jsonl_and_generic_csv(tmp_path):
    p = write(tmp_path, "g.jsonl", json.dumps({**GOOD, "flags": ["views_not_documented"],
                                               "tags": {"family": "xr", "style": "terse_caps", "hard": ["x"]}}) + "\n")
    (r,) = ev.load_gold([p])
    assert r.lines == (GoldLine("71046", (), 1),) and r.flags == ("views_not_documented",)
    assert (r.family, r.style, r.hard) == ("xr", "terse_caps", ("x",))
    c = write(tmp_path, "g.csv", 'text,codes\n"XR KNEE RT 3V\nline two",73562-RT 71046\n')
    (r,) = ev.load_gold([c])
    assert r.id == "g-line-2" and r.flags is None
    assert r.lines == (GoldLine("73562", ("RT",), 1), GoldLine("71046", None, 1))
    j = write(tmp_path, "s.jsonl", json.dumps({"text": "CT HEAD", "codes": "70450"}) + "\n")
    assert ev.load_gold([j])[0].lines == (GoldLine("70450", None, 1),)


@pytest.mark.parametrize("line, message", [
    ("{not json", "invalid JSON: Expecting property name enclosed in double quotes at column 2"),
    ('["a"]', "expected a JSON object, got list"),
    (json.dumps({"id": "x-2", "codes": ["71046"]}), "record has no 'text'"),
    (json.dumps({"id": "x-2", "text": " ", "codes": ["71046"]}), "'text' must be a non-empty string"),
    (json.dumps({"id": "x-2", "text": "t"}), "record has no 'codes'"),
    (json.dumps({"id": "x-2", "text": "t", "codes": []}), "'codes' is empty; a gold record needs at least one code"),
    (json.dumps({"id": "x-2", "text": "t", "codes": 71046}), "'codes' must be a list or a space-separated string, got int"),
    (json.dumps({"id": "x-2", "text": "t", "codes": [{"code": "7104"}]}),
     "codes[0]: 'code' must be a 5-character CPT/HCPCS code, got '7104'"),
    (json.dumps({"id": "x-2", "text": "t", "codes": [{"code": "71046", "modifiers": ["26"]}]}),
     "codes[0]: modifier '26' is a component modifier; gold labels carry laterality/payment modifiers only "
     "(RT, LT, 50, 52, 59, 76, 77)"),
    (json.dumps({"id": "x-2", "text": "t", "codes": [{"code": "71046", "modifiers": ["XX"]}]}),
     "codes[0]: unknown modifier 'XX' (allowed: RT, LT, 50, 52, 59, 76, 77)"),
    (json.dumps({"id": "x-2", "text": "t", "codes": [{"code": "71046", "units": 0}]}),
     "codes[0]: 'units' must be a positive integer, got 0"),
    (json.dumps({"id": "x-2", "text": "t", "codes": [{"code": "71046", "mods": []}]}),
     "codes[0]: unknown key(s) ['mods'] (allowed: code, modifiers, units)"),
    (json.dumps({"id": "x-2", "text": "t", "codes": ["71046"], "flags": ["views_missing"]}),
     "unknown flag type(s) ['views_missing']; known: "),
    (json.dumps({"id": "x-1", "text": "t", "codes": ["71046"]}), "duplicate id 'x-1' (first at "),
])
def test_malformed_gold_is_refused_naming_file_and_line(tmp_path, line, message):
    p = write(tmp_path, "bad.jsonl", json.dumps(GOOD) + "\n\n" + line + "\n")
    with pytest.raises(GoldFormatError) as e:
        ev.load_gold([p])
    assert str(e.value).startswith(f"{p}:3: ")
    assert message in str(e.value)


def test_malformed_gold_exact_messages(tmp_path):
    p = write(tmp_path, "bad.jsonl", json.dumps(GOOD) + "\n" + json.dumps({"id": "x-2", "text": "t"}) + "\n")
    with pytest.raises(GoldFormatError) as e:
        ev.load_gold([p])
    assert str(e.value) == f"{p}:2: record has no 'codes'"
    c = write(tmp_path, "bad.csv", "id,report,codes\n1,XR CHEST,71046\n")
    with pytest.raises(GoldFormatError) as e:
        ev.load_gold([c])
    assert str(e.value) == f"{c}:1: CSV has no 'text' column (columns: ['id', 'report', 'codes'])"
    c2 = write(tmp_path, "bad2.csv", 'text,codes\n"a\nb",71046\nCT HEAD,71046-TC\n')
    with pytest.raises(GoldFormatError) as e:
        ev.load_gold([c2])
    assert str(e.value).startswith(f"{c2}:4: codes[0]: modifier 'TC' is a component modifier")
    for name, body, msg in (("e.jsonl", "\n", "no gold records"), ("g.txt", "x", "unsupported gold file type '.txt'")):
        with pytest.raises(GoldFormatError) as e:
            ev.load_gold([write(tmp_path, name, body)])
        assert str(e.value) == f"{tmp_path / name}: {msg}" + (" (use .jsonl or .csv)" if name == "g.txt" else "")


# --------------------------------------------------------------------------- split rule


def test_split_rule_is_sha1_of_id_mod_100_below_35():
    # sha1("xr-0001") mod 100 = 25 -> test; the share is close to 35%
    assert ev.split_of("xr-0001") == "test"
    assert ev.split_of("xr-0002") == "dev"
    share = sum(ev.split_of(f"r-{i}") == "test" for i in range(4000)) / 4000
    assert 0.32 < share < 0.38


def test_calibration_ids_form_their_own_split_whatever_their_hash(tmp_path):
    # the prefix alone decides ("cal-cm-0001" goes to calib whatever its hash); a retired part's ids
    # ("cal-a-" .. "cal-z-", "cal-ab-" .. "cal-cl-") take the hash rule like any other record
    assert ev.split_of("cal-cm-0001") == "calib" and ev.split_of("xr-cal-1") != "calib"
    assert [ev.split_of(i) for i in ("cal-a-0001", "cal-g-0001", "cal-h-0001", "cal-n-0002", "cal-o-0001",
                                     "cal-o-0003", "cal-v-0001", "cal-w-0001", "cal-ab-0001", "cal-af-0001",
                                     "cal-al-0001", "cal-au-0001", "cal-bd-0001", "cal-be-0001", "cal-bl-0001",
                                     "cal-bm-0001", "cal-bt-0001", "cal-bu-0001", "cal-cb-0001", "cal-cc-0001",
                                     "cal-cg-0001", "cal-ch-0001", "cal-cl-0001", "cal-cm-0001")] == [
        "dev", "test", "test", "test", "test", "dev", "test", "dev", "test", "dev", "dev", "dev", "test", "dev", "dev",
        "dev", "test", "dev", "dev", "dev", "test", "test", "dev", "calib"]
    bs = _build_split_module()
    parts = tmp_path / "parts"
    parts.mkdir()
    write(parts, "a.jsonl", "".join(json.dumps({**GOOD, "id": i}) + "\n"
                                    for i in ("xr-0001", "xr-0002", "cal-cm-0001", "cal-cm-0002", "cal-a-0001",
                                              "cal-h-0001")))
    out = bs.build(parts)
    assert {k: [json.loads(x)["id"] for x in v.splitlines()] for k, v in out.items()} == {
        "dev": ["cal-a-0001", "xr-0002"], "test": ["cal-h-0001", "xr-0001"], "calib": ["cal-cm-0001", "cal-cm-0002"]}


def _build_split_module():
    spec = importlib.util.spec_from_file_location("build_split", REPO / "eval" / "build_split.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_build_split_is_deterministic_and_validates(tmp_path):
    bs = _build_split_module()
    parts = tmp_path / "parts"
    parts.mkdir()
    recs = [{**GOOD, "id": f"p-{i:03d}"} for i in range(40)]
    write(parts, "b.jsonl", "".join(json.dumps(r) + "\n" for r in recs[20:]))
    write(parts, "a.jsonl", "".join(json.dumps(r) + "\n" for r in reversed(recs[:20])))
    out = bs.build(parts)
    assert out == bs.build(parts)
    test_ids = [json.loads(x)["id"] for x in out["test"].splitlines()]
    dev_ids = [json.loads(x)["id"] for x in out["dev"].splitlines()]
    assert sorted(test_ids + dev_ids) == [r["id"] for r in recs]
    assert test_ids == sorted(test_ids) and all(ev.split_of(i) == "test" for i in test_ids)
    assert all(ev.split_of(i) == "dev" for i in dev_ids)
    assert bs.main(["--parts", str(parts), "--out", str(tmp_path)]) == 0
    assert bs.main(["--parts", str(parts), "--out", str(tmp_path), "--check"]) == 0
    write(parts, "c.jsonl", json.dumps({"id": "p-000", "text": "t", "codes": ["71046"]}) + "\n")
    with pytest.raises(GoldFormatError, match=r"c\.jsonl:1: duplicate id 'p-000'"):
        bs.build(parts)
    assert bs.main(["--parts", str(parts), "--out", str(tmp_path), "--check"]) == 2


# --------------------------------------------------------------------------- external table


def test_cdm_scoring_top1_top3_per_hospital_and_family(tmp_path):
    p = write(tmp_path, "cdm.csv", "hospital,system,year,description,codes\n"
              "H1,S,2025,XR KNEE 3V,73562\n"
              "H1,S,2025,XR FOOT,73620\n"
              "H2,S,2025,CT HEAD WO,70450\n"
              "H2,S,2025,MYSTERY,99999\n")
    rows = ev.load_cdm(p)
    canned = {
        "XR KNEE 3V": pred(lines=[("73562", [], 1, 0.9)]),
        # confidence order, not list order, decides top-1; alternatives come after the codes
        "XR FOOT": pred(lines=[("73630", [], 1, 0.5), ("73620", [], 1, 0.6)]),
        "CT HEAD WO": pred(lines=[("70460", [], 1, 0.6)], alternatives=[("70470", "70460", 0.1), ("70450", "70460", 0.3)]),
        "MYSTERY": pred(lines=[]),
    }
    fams = {"73562": "xr", "73620": "xr", "73630": "xr", "70450": "ct"}
    out = ev.score_cdm(rows, predict_fn=canned.__getitem__, families=fams, source="cdm.csv")
    assert (out["top1"], out["top3"], out["no_prediction_rate"]) == (0.5, 0.75, 0.25)
    assert out["per_hospital"] == {"H1": {"n": 2, "top1": 1.0, "top3": 1.0}, "H2": {"n": 2, "top1": 0.0, "top3": 0.5}}
    assert out["per_family"]["ct"] == {"n": 1, "top1": 0.0, "top3": 1.0}
    assert out["per_family"]["unknown"]["n"] == 1
    assert ev.ranked_codes(canned["CT HEAD WO"]) == ["70460", "70450", "70470"]
    assert [r.description for r in ev.sample_rows(rows, 2)] == [r.description for r in ev.sample_rows(rows, 2)]
    assert len(ev.sample_rows(rows, 2)) == 2


def test_cdm_malformed_row_is_refused(tmp_path):
    p = write(tmp_path, "cdm.csv", "hospital,system,year,description,codes\nH1,S,2025,XR KNEE,\n")
    with pytest.raises(GoldFormatError) as e:
        ev.load_cdm(p)
    assert str(e.value) == f"{p}:2: 'codes' must be space-separated codes, got ''"


# --------------------------------------------------------------------------- outputs + CLI


def test_cli_eval_writes_metrics_and_self_contained_html(tmp_path, capsys):
    from suggester.cli import main

    data = write(tmp_path, "mini.jsonl", "".join(json.dumps(r) + "\n" for r in [
        {"id": "m-1", "text": "CT ABDOMEN AND PELVIS WITH CONTRAST", "codes": [{"code": "74177", "modifiers": []}],
         "tags": {"family": "ct", "style": "terse_caps", "hard": []}},
        {"id": "m-2", "text": "XR CHEST 2 VIEWS\nFINDINGS: clear lungs.", "codes": ["71046"],
         "tags": {"family": "xr", "style": "terse_caps", "hard": []}},
    ]))
    out = tmp_path / "out"
    assert main(["eval", str(data), "--out", str(out), "--no-cdm", "--no-radlex"]) == 0
    m = json.loads((out / "metrics.json").read_text())
    for key in ("schema", "versions", "data", "summary", "codes", "top3", "modifiers", "flags", "per_family",
                "per_tag", "calibration", "automation", "confusions", "wrong_reports", "cdm", "timing"):
        assert key in m
    assert m["schema"] == "suggester-eval/1" and m["cdm"] is None
    assert m["summary"]["n_reports"] == 2
    assert m["modifiers"]["component_in_global_output"] == 0
    assert m["modifiers"]["component"]["accuracy"] == 1.0
    html = (out / "report.html").read_text()
    assert "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "exact code-set accuracy" in capsys.readouterr().out


def test_cli_eval_refuses_malformed_gold(tmp_path, capsys):
    from suggester.cli import main

    data = write(tmp_path, "bad.jsonl", json.dumps({"id": "1", "text": "XR CHEST", "codes": ["71046-26"]}) + "\n")
    assert main(["eval", str(data), "--out", str(tmp_path / "o"), "--no-cdm"]) == 2
    err = capsys.readouterr().err
    assert f"{data}:1: codes[0]: modifier '26' is a component modifier" in err


# --------------------------------------------------------------------------- per part + extra sections (issue 11)


def test_per_part_groups_by_id_prefix_exactly():
    recs = [gold("rl-0001"), gold("rl-0002"), gold("ct-0001"), gold("odd")]
    preds = [pred("rl-0001"), pred("rl-0002", lines=[("71045", [], 1, 0.9)]), pred("ct-0001"), pred("odd")]
    parts = ev.per_part(recs, preds)
    assert list(parts) == ["(no part)", "ct", "rl"]
    assert (parts["rl"]["n"], parts["rl"]["exact_set_accuracy"]) == (2, 0.5)
    assert (parts["ct"]["n"], parts["ct"]["exact_set_accuracy"]) == (1, 1.0)
    assert ev.part_of("rl-0001") == "rl" and ev.part_of("xr-0001-b") == "xr"


def test_cli_eval_shows_parts_robustness_and_radlex(tmp_path, capsys):
    from suggester.cli import main

    data = write(tmp_path, "mini.jsonl", "".join(json.dumps(r) + "\n" for r in [
        {"id": "ct-1", "text": "CT ABDOMEN AND PELVIS WITH CONTRAST", "codes": ["74177"]},
        {"id": "rl-1", "text": "EXAM: XR CHEST 2 VIEWS\nFINDINGS: clear lungs.", "codes": ["71046"]},
    ]))
    radlex = write(tmp_path, "radlex.csv", "rpid,letter_code,short_name,long_name,modality,body_region\n"
                   "RPID1,XRCH2,XR Chest 2V,XR Chest 2 Views,XR,CHEST\n")
    out = tmp_path / "out"
    assert main(["eval", str(data), "--out", str(out), "--no-cdm", "--radlex", str(radlex)]) == 0
    m = json.loads((out / "metrics.json").read_text())
    assert list(m["per_part"]) == ["ct", "rl"] and m["per_part"]["rl"]["n"] == 1
    assert sorted(m["robustness"]["transforms"]) == sorted(ev.eval_script("robustness").TRANSFORMS)
    assert m["robustness"]["n_reports"] == 2
    assert m["radlex"]["n_rows"] == 1 and m["radlex"]["in_scope"]["short_name"]["right"] == 1.0
    html = (out / "report.html").read_text()
    assert "<h2>Per part</h2>" in html and "<h2>Robustness</h2>" in html and "RadLex Playbook, RSNA" in html
    printed = capsys.readouterr().out
    assert "robustness: exact-set accuracy of the 2 reports" in printed and "RadLex Playbook, RSNA" in printed
    assert "released (needs_review false, shipped thresholds):" in printed
    assert "released from the transformed reports:" in printed
    assert "<h2>Release (shipped operating points)</h2>" in html
    assert m["robustness"]["released"] == sum(t["released"] for t in m["robustness"]["transforms"].values())
    assert set(m["release"]["operating_points"]) >= {"default"}
    assert main(["eval", str(data), "--out", str(out), "--no-cdm", "--no-radlex", "--no-robustness"]) == 0
    m = json.loads((out / "metrics.json").read_text())
    assert m["robustness"] is None and m["radlex"] is None and "per_part" in m
