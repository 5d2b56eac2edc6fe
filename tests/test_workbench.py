"""The review workbench (issue 16): SQLite store, override checks, evidence highlighting, and the
API over real HTTP: ``suggester serve --db`` run as a user runs it, on a free loopback port.

Report texts are written here (short dictations), never copied from ../shared.
"""

import csv
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import SMALL

from suggester.evaluation import GoldLine
from suggester.lexicon import default_lexicon
from suggester.service import TOKEN_ENV
from suggester.workbench.corrections import load_corrections
from suggester.workbench.routes import highlight
from suggester.workbench.store import SCHEMA_VERSION, Decision, ReviewStore, StoreError, claim_lines
from suggester.workbench.validation import DecisionError, check_lines, parse_decision

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "workbench-token-0123456789"
KNEE = "EXAM: XR RIGHT KNEE 3 VIEWS\nFINDINGS: No fracture or effusion.\nIMPRESSION: Normal right knee."
ABD = ("EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Axial images after 100 mL IV iohexol.\n"
       "FINDINGS: Normal liver. <script>alert('x')</script> & more.\nIMPRESSION: No acute findings.")
HEAD = "EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: No hemorrhage.\nIMPRESSION: Negative."


class Serve:
    """``suggester serve --db`` in a subprocess on a free loopback port (stderr to a file)."""

    def __init__(self, db: Path, *args: str, token: str | None = None, log_level: str = "warning"):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = db.with_suffix(f".{self.port}.log")
        env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
        if token:
            env[TOKEN_ENV] = token
        self.cmd = [sys.executable, "-m", "suggester.cli", "serve", "--port", str(self.port), "--db", str(db),
                    "--workers", "1", "--log-level", log_level, *args]
        self.env = env

    def __enter__(self):
        self.err = open(self.log, "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=self.err, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "suggester serve did not come up"
            time.sleep(0.1)

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        finally:
            self.err.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = tmp_path_factory.mktemp("wb") / "review.sqlite3"
    with Serve(db, "--max-batch", "3", "--max-body-bytes", "20000") as s:
        with httpx.Client(base_url=s.url, timeout=30) as c:
            yield s, c


def add(c, *records):
    r = c.post("/v1/worklist", json={"records": list(records)})
    assert r.status_code == 200, r.text
    return r.json()


# ---------------------------------------------------------------------- the done-when scenario


def test_two_reports_accept_override_survive_a_restart(tmp_path):
    db = tmp_path / "review.sqlite3"
    with Serve(db, log_level="info") as s, httpx.Client(base_url=s.url, timeout=30) as c:
        assert add(c, {"id": "KNEE-7781", "text": KNEE}, {"id": "ABD-7782", "text": ABD}) == {"added": 2, "updated": 0,
                                                                              "unchanged": 0}
        page = c.get("/review")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert 'data-id="KNEE-7781"' in page.text and 'data-id="ABD-7782"' in page.text
        listed = c.get("/v1/worklist").json()
        assert [(i["id"], i["status"], i["codes"]) for i in listed["items"]] == [
            ("KNEE-7781", "open", [{"code": "73562", "modifiers": ["26", "RT"], "units": 1}]),
            ("ABD-7782", "open", [{"code": "74177", "modifiers": ["26"], "units": 1}])]
        r = c.post("/v1/worklist/KNEE-7781/decision", json={"action": "accept", "coder": "ann"})
        assert r.status_code == 200, r.text
        r = c.post("/v1/worklist/ABD-7782/decision", json={
            "action": "override", "coder": "bob", "note": "contrast given orally only",
            "codes": [{"code": "74176", "modifiers": ["26"]}]})
        assert r.status_code == 200, r.text
    first_log = s.log
    with Serve(db, log_level="info") as s, httpx.Client(base_url=s.url, timeout=30) as c:
        k1, a1 = c.get("/v1/worklist/KNEE-7781").json(), c.get("/v1/worklist/ABD-7782").json()
        assert k1["status"] == a1["status"] == "decided"
        assert [(e["coder"], e["action"], e["codes_before"], e["codes_after"], e["note"]) for e in k1["audit"]] == [
            ("ann", "accept", [{"code": "73562", "modifiers": ["26", "RT"], "units": 1}],
             [{"code": "73562", "modifiers": ["26", "RT"], "units": 1}], None)]
        assert [(e["coder"], e["action"], e["codes_before"], e["codes_after"], e["note"]) for e in a1["audit"]] == [
            ("bob", "override", [{"code": "74177", "modifiers": ["26"], "units": 1}],
             [{"code": "74176", "modifiers": ["26"], "units": 1}], "contrast given orally only")]
        versions = c.get("/version").json()
        for rec in (k1, a1):
            assert rec["decision"] == rec["audit"][-1]
            ev = rec["audit"][0]
            assert ev["time"].endswith("Z") and ev["revision"] == 1
            assert ev["versions"] == {k: versions[k] for k in ("suggester", "lexicons", "model", "title_model")}
        assert a1["suggestion"]["codes"][0]["code"] == "74177" and a1["text"] == ABD
        rows = [json.loads(x) for x in c.get("/v1/export").text.splitlines()]
        assert [(r["id"], r["action"], r["codes"], r["suggested"], r["coder"]) for r in rows] == [
            ("KNEE-7781", "accept", [{"code": "73562", "modifiers": ["26", "RT"], "units": 1}],
             [{"code": "73562", "modifiers": ["26", "RT"], "units": 1}], "ann"),
            ("ABD-7782", "override", [{"code": "74176", "modifiers": ["26"], "units": 1}],
             [{"code": "74177", "modifiers": ["26"], "units": 1}], "bob")]
        table = list(csv.DictReader(io.StringIO(c.get("/v1/export", params={"format": "csv"}).text)))
        assert [(r["id"], r["action"], r["codes"], r["suggested"], r["note"]) for r in table] == [
            ("KNEE-7781", "accept", "73562-26-RT", "73562-26-RT", ""),
            ("ABD-7782", "override", "74176-26", "74177-26", "contrast given orally only")]
        stats = c.get("/v1/stats").json()
        assert {k: stats[k] for k in ("reports", "open", "released", "accepted", "overridden", "agreement_rate")} == {
            "reports": 2, "open": 0, "released": 2, "accepted": 1, "overridden": 1, "agreement_rate": 0.5}
        assert {f: (v["accepted"], v["overridden"], v["agreement_rate"]) for f, v in stats["per_family"].items()} == {
            "ct": (0, 1, 0.0), "xr": (1, 0, 1.0)}
    log = first_log.read_text() + s.log.read_text()
    assert "No fracture" not in log and "iohexol" not in log  # report text is never logged
    assert "KNEE-7781" not in log and "ABD-7782" not in log  # nor record ids: paths are logged as templates
    paths = {json.loads(x)["path"] for x in log.splitlines() if x.startswith('{"event": "access"')}
    assert paths == {"/healthz", "/version", "/review", "/v1/worklist", "/v1/worklist/{rid}",
                     "/v1/worklist/{rid}/decision", "/v1/export", "/v1/stats"}


# ---------------------------------------------------------------------- API details


def test_worklist_filters(served):
    _, c = served
    add(c, {"id": "f-knee", "text": KNEE}, {"id": "f-head", "text": HEAD})
    c.post("/v1/worklist/f-head/decision", json={"action": "reject", "coder": "cy", "note": "wrong patient"})

    def ids(**params):
        return [i["id"] for i in c.get("/v1/worklist", params=params).json()["items"] if i["id"].startswith("f-")]

    assert ids() == ["f-knee", "f-head"]
    assert ids(status="open") == ["f-knee"] and ids(status="decided") == ["f-head"]
    assert ids(family="xr") == ["f-knee"] and ids(family="ct") == ["f-head"]
    assert ids(q="70450") == ["f-head"] and ids(q="effusion") == ["f-knee"] and ids(q="100%") == []
    head = c.get("/v1/worklist/f-head").json()
    assert (head["decision"]["action"], head["decision"]["codes_after"]) == ("reject", [])
    r = c.get("/v1/worklist", params={"status": "done"})
    assert (r.status_code, r.json()["error"]["message"]) == (422, "status: expected one of open, decided, got 'done'")


def test_repost_keeps_history_and_reopens_on_a_new_input(served):
    _, c = served
    add(c, {"id": "rp", "text": KNEE})
    c.post("/v1/worklist/rp/decision", json={"action": "accept", "coder": "ann"})
    assert add(c, {"id": "rp", "text": KNEE}) == {"added": 0, "updated": 0, "unchanged": 1}
    assert c.get("/v1/worklist/rp").json()["status"] == "decided"
    assert add(c, {"id": "rp", "text": KNEE.replace("RIGHT", "LEFT")}) == {"added": 0, "updated": 1, "unchanged": 0}
    rec = c.get("/v1/worklist/rp").json()
    assert (rec["status"], rec["revision"], rec["decision"]["action"], len(rec["audit"])) == ("open", 2, "accept", 1)
    assert rec["codes"] == [{"code": "73562", "modifiers": ["26", "LT"], "units": 1}]
    c.post("/v1/worklist/rp/decision", json={"action": "accept", "coder": "ann"})
    rec = c.get("/v1/worklist/rp").json()
    assert [(e["revision"], e["codes_after"][0]["modifiers"]) for e in rec["audit"]] == [(1, ["26", "RT"]),
                                                                                         (2, ["26", "LT"])]


@pytest.mark.parametrize(("body", "status", "kind", "message"), [
    ({"action": "override", "coder": "bob", "codes": [{"code": "74178", "modifiers": ["RT"]}, {"code": "99999"}]},
     422, "invalid_override",
     "codes[0]: 74178 under professional billing needs modifier 26; codes[0]: RT on 74178: the code is "
     "unsided (no RT/LT/50); codes[1]: unknown code '99999' (not in the code table)"),
    ({"action": "override", "coder": "bob", "codes": [{"code": "73562", "modifiers": ["26", "RT", "LT"]}]},
     422, "invalid_override", "codes[0]: RT and LT on one line of 73562; a line has one side (one line with 50 "
                              "for a bilateral study under payer medicare)"),
    ({"action": "override", "coder": "bob", "codes": [{"code": "73562", "modifiers": ["26", "59"]}]},
     422, "invalid_override", "codes[0]: payer medicare takes the X{EPSU} modifier for a distinct service, not 59"),
    ({"action": "override", "coder": "bob"}, 422, "invalid_decision",
     'codes: an override needs the corrected code lines [{"code", "modifiers", "units"?}, ...]'),
    ({"action": "accept", "coder": "", "codes": []}, 422, "invalid_decision",
     "coder: required (a non-empty string naming who decides); codes: only an override carries codes "
     "(an accept takes the suggestion's)"),
    ({"action": "approve", "coder": "x", "extra": 1}, 422, "invalid_decision",
     "extra: unknown field (expected action, coder, codes, note); action: expected one of accept, override, "
     "reject, got 'approve'"),
])
def test_bad_decisions_are_named_and_not_recorded(served, body, status, kind, message):
    _, c = served
    add(c, {"id": "bad", "text": KNEE})
    r = c.post("/v1/worklist/bad/decision", json=body)
    assert (r.status_code, r.json()["error"]["type"], r.json()["error"]["message"]) == (status, kind, message)
    assert c.get("/v1/worklist/bad").json()["audit"] == []


def test_unknown_report_and_bad_batches(served):
    _, c = served
    r = c.post("/v1/worklist/nope/decision", json={"action": "accept", "coder": "ann"})
    assert (r.status_code, r.json()["error"]["message"]) == (404, "no report 'nope' in the worklist")
    assert c.get("/v1/worklist/nope").status_code == 404
    r = c.post("/v1/worklist", json={"records": [{"id": "ok1", "text": KNEE}, {"text": KNEE},
                                                 {"id": "e1", "text": "  "}]})
    assert (r.status_code, r.json()["error"]["message"]) == (
        422, "records[1].id: required (the worklist keys reports by id); nothing was added")
    r = c.post("/v1/worklist", json={"records": [{"id": "ok1", "text": KNEE}, {"id": "e1", "text": "  "}]})
    assert (r.status_code, r.json()["error"]["message"]) == (
        422, "records[1] (e1): empty_text: text is empty; nothing was added")
    assert c.get("/v1/worklist/ok1").status_code == 404  # all or nothing
    # the service's limits hold for the workbench: --max-batch 3, --max-body-bytes 20000
    r = c.post("/v1/worklist", json={"records": [{"id": f"b{i}", "text": KNEE} for i in range(4)]})
    assert (r.status_code, r.json()["error"]["type"]) == (413, "batch_too_large")
    r = c.post("/v1/worklist", json={"records": [{"id": "big", "text": "CT HEAD " * 3000}]})
    assert (r.status_code, r.json()["error"]["type"]) == (413, "body_too_large")
    r = c.get("/v1/export", params={"format": "xml"})
    assert (r.status_code, r.json()["error"]["message"]) == (422, "format: expected jsonl or csv, got 'xml'")


def test_review_page_escapes_report_text_and_marks_evidence(served):
    _, c = served
    add(c, {"id": "x<s>", "text": ABD})
    page = c.get("/review", params={"id": "x<s>"}).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more." in page
    assert 'data-id="x&lt;s&gt;"' in page
    assert ('<mark class="code" data-start="6" data-end="8" title="74177 CT abdomen and pelvis with contrast">CT'
            '</mark>') in page
    assert c.get("/review/static/review.js").headers["content-type"] == "text/javascript; charset=utf-8"
    assert c.get("/review/static/..%2fstore.py").status_code == 404


def test_token_off_loopback_rules_apply(tmp_path):
    with Serve(tmp_path / "t.sqlite3", token=TOKEN) as s, httpx.Client(base_url=s.url, timeout=30) as c:
        assert c.post("/v1/worklist", json={"records": [{"id": "t1", "text": KNEE}]}).status_code == 401
        assert c.get("/v1/worklist").status_code == 401 and c.get("/v1/export").status_code == 401
        login = c.get("/review")
        assert login.status_code == 401 and 'id="login"' in login.text and "t1" not in login.text
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert c.post("/v1/worklist", json={"records": [{"id": "t1", "text": KNEE}]}, headers=auth).status_code == 200
        c.cookies.set("suggester_token", "wrong-token-0123456789")
        assert c.get("/review").status_code == 401
        c.cookies.set("suggester_token", TOKEN)
        page = c.get("/review")
        assert page.status_code == 200 and 'data-id="t1"' in page.text
        # the cookie opens the page only, not the API
        assert c.get("/v1/worklist").status_code == 401


def test_without_db_the_service_has_no_workbench(tmp_path):
    from suggester.service import ServiceConfig, create_app

    paths = set(create_app(ServiceConfig()).openapi()["paths"])
    assert "/v1/worklist" not in paths and "/review" not in paths
    paths = set(create_app(ServiceConfig(db=str(tmp_path / "x.sqlite3"))).openapi()["paths"])
    assert {"/v1/worklist", "/v1/worklist/{rid}", "/v1/worklist/{rid}/decision", "/v1/export", "/v1/stats",
            "/review"} <= paths


# ---------------------------------------------------------------------- store


def _out(code="73562", mods=("26", "RT"), family="xr"):
    return {"status": "ok", "codes": [{"code": code, "modifiers": list(mods), "units": 1, "family": family}],
            "flags": [], "confidence": 0.9, "needs_review": True, "billing": "professional", "payer": "medicare",
            "versions": {"suggester": "0", "lexicons": "1", "model": "m"}}


def test_store_is_versioned_wal_and_refuses_a_newer_schema(tmp_path):
    db = tmp_path / "s.sqlite3"
    st = ReviewStore(db)
    assert (st.schema_version(), st.journal_mode()) == (SCHEMA_VERSION, "wal")
    st.add([({"id": "r1", "text": KNEE}, _out())])
    assert ReviewStore(db).get("r1")["codes"] == [{"code": "73562", "modifiers": ["26", "RT"], "units": 1}]
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match=f"has schema version {SCHEMA_VERSION + 1}; this release knows up to "
                                         f"{SCHEMA_VERSION}: upgrade suggester"):
        ReviewStore(db)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="is not a review database"):
        ReviewStore(junk)
    with pytest.raises(StoreError, match="folder .* does not exist"):
        ReviewStore(tmp_path / "missing" / "x.sqlite3")


def test_store_decisions_chain_codes_before_and_after(tmp_path):
    st = ReviewStore(tmp_path / "s.sqlite3")
    st.add([({"id": "r1", "text": KNEE}, _out())])
    st.decide("r1", Decision("override", "bob", [{"code": "73560", "modifiers": ["26", "RT"], "units": 1}]))
    st.decide("r1", Decision("accept", "ann"))
    audit = st.get("r1")["audit"]
    assert [(e["action"], e["codes_before"][0]["code"], e["codes_after"][0]["code"]) for e in audit] == [
        ("override", "73562", "73560"), ("accept", "73560", "73562")]
    with pytest.raises(ValueError, match="action must be one of"):
        st.decide("r1", Decision("approve", "x"))


# ---------------------------------------------------------------------- validation


@pytest.fixture(scope="module")
def lex():
    return default_lexicon()


@pytest.mark.parametrize(("payer", "billing", "lines", "problems"), [
    ("commercial", "global", [{"code": "73562", "modifiers": ["50"], "units": 1}],
     ["codes[0]: payer commercial reports a bilateral 73562 as two lines RT + LT, not 50"]),
    ("medicare", "global", [{"code": "73562", "modifiers": ["50"], "units": 2}],
     ["codes[0]: 73562-50 is billed with units 1 under payer medicare, got 2"]),
    ("medicare", "global", [{"code": "77061", "modifiers": [], "units": 1}],
     ["codes[0]: payer medicare bills diagnostic tomosynthesis as G0279, not 77061"]),
    ("commercial", "global", [{"code": "G0279", "modifiers": [], "units": 1}],
     ["codes[0]: payer commercial bills diagnostic tomosynthesis as 77061/77062, not G0279"]),
    ("commercial", "global", [{"code": "70450", "modifiers": ["XS"], "units": 1}],
     ["codes[0]: payer commercial takes 59 for a distinct service, not XS"]),
    ("medicare", "technical", [{"code": "70450", "modifiers": ["26"], "units": 1}],
     ["codes[0]: modifier 26 on 70450: technical billing takes TC",
      "codes[0]: 70450 under technical billing needs modifier TC"]),
    ("medicare", "global", [{"code": "70450", "modifiers": ["ZZ", "RT"], "units": 1}],
     ["codes[0]: unknown modifier 'ZZ' on 70450 (known: 26, TC, 50, 52, 59, XE, XS, XP, XU, 76, 77, RT, LT)",
      "codes[0]: RT on 70450: the code is unsided (no RT/LT/50)"]),
    ("commercial", "professional", [{"code": "73562", "modifiers": ["26", "RT"], "units": 1},
                                    {"code": "73562", "modifiers": ["26", "LT"], "units": 1}], []),
])
def test_override_rules(lex, payer, billing, lines, problems):
    assert check_lines(lines, lex, lex.payers[payer], billing) == problems


def test_every_suggestion_passes_its_own_override_check(lex):
    """Overriding with exactly what the suggester said is always valid (same rules both ways)."""
    from suggester import Suggester

    texts = [json.loads(x)["text"] for x in (ROOT / "eval" / "data" / "sample.jsonl").read_text().splitlines() if x]
    texts += ["XR BILATERAL KNEES 2 VIEWS", "MAMMOGRAM DIAGNOSTIC BILATERAL WITH TOMOSYNTHESIS",
              "US RIGHT BREAST LIMITED", "CT CHEST ABDOMEN PELVIS WITH CONTRAST"]
    checked = 0
    for payer in ("medicare", "commercial"):
        for billing in ("professional", "technical", "global"):
            s = Suggester(billing=billing, payer=payer)
            for t in texts:
                out = s.suggest(t)
                assert check_lines(claim_lines(out["codes"]), lex, lex.payers[payer], billing) == [], (payer, t)
                checked += len(out["codes"])
    assert checked > 50


def test_parse_decision_normalises():
    d = parse_decision({"action": "override", "coder": " ann ", "note": "  ",
                        "codes": [{"code": " 73562 ", "modifiers": ["rt", "26"]}]})
    assert (d.coder, d.note, d.codes) == ("ann", None, [{"code": "73562", "modifiers": ["RT", "26"], "units": 1}])
    with pytest.raises(DecisionError, match=r"codes\[0\]\.units: expected a whole number from 1 to 99, got True"):
        parse_decision({"action": "override", "coder": "a", "codes": [{"code": "73562", "units": True}]})


# ---------------------------------------------------------------------- highlighting


def test_highlight_covers_the_text_and_marks_every_evidence_span():
    out = {"codes": [{"code": "73562", "label": "knee 3 views", "evidence": [
        {"section": "exam", "start": 6, "end": 8, "text": "XR"}, {"section": "exam", "start": 15, "end": 19, "text": "KNEE"}]}],
        "flags": [{"type": "laterality_missing", "evidence": [{"section": "exam", "start": 6, "end": 19, "text": "XR RIGHT KNEE"}],
                   "ordered_evidence": [{"section": "ordered", "start": 0, "end": 5}]},
                  {"type": "x", "evidence": [{"section": "ordered", "start": 0, "end": 5}, {"start": 5, "end": 999}]}]}
    segs = highlight(KNEE, out)
    assert "".join(s["text"] for s in segs) == KNEE
    assert [(s["text"], s["kind"], s["labels"]) for s in segs if s["kind"]] == [
        ("XR", "code", ["73562 knee 3 views", "laterality_missing"]),
        (" RIGHT ", "flag", ["laterality_missing"]),
        ("KNEE", "code", ["73562 knee 3 views", "laterality_missing"])]


# ---------------------------------------------------------------------- corrections


def test_corrections_become_gold_records(tmp_path):
    db = tmp_path / "c.sqlite3"
    st = ReviewStore(db)
    st.add([({"id": "acc", "text": KNEE}, _out()),
            ({"id": "ovr", "text": ABD, "ordered": "74177"}, _out("74177", ("26",), "ct")),
            ({"id": "rej", "text": HEAD}, _out("70450", ("26",), "ct")),
            ({"id": "open", "text": HEAD + " "}, _out("70450", ("26",), "ct")),
            ({"id": "com", "text": KNEE + " "}, {**_out(), "payer": "commercial"}),
            ({"id": "tst", "text": "CT  HEAD\n"}, _out("70450", ("26",), "ct"))])
    st.decide("acc", Decision("accept", "ann"))
    st.decide("ovr", Decision("override", "bob", [{"code": "74176", "modifiers": ["26"], "units": 1},
                                                  {"code": "73562", "modifiers": ["RT", "26"], "units": 1}]))
    for rid in ("rej", "com", "tst"):
        st.decide(rid, Decision("reject" if rid == "rej" else "accept", "cy"))
    fixes = load_corrections(db, exclude_texts=["ct head"])
    assert [(r.id, r.lines, r.ordered, r.family) for r in fixes.records] == [
        ("correction:acc", (GoldLine("73562", ("RT",), 1),), None, "xr"),
        ("correction:ovr", (GoldLine("74176", (), 1), GoldLine("73562", ("RT",), 1)), "74177", "ct")]
    s = fixes.summary
    assert {k: s[k] for k in ("n_reports", "accepted", "overridden", "skipped_rejected", "skipped_open",
                              "skipped_other_payer", "skipped_in_test_split")} == {
        "n_reports": 2, "accepted": 1, "overridden": 1, "skipped_rejected": 1, "skipped_open": 1,
        "skipped_other_payer": 1, "skipped_in_test_split": 1}
    with pytest.raises(FileNotFoundError, match="review database .* not found"):
        load_corrections(tmp_path / "none.sqlite3")


def test_train_uses_the_corrections_and_says_how_many(tmp_path, capsys, small_dev):
    from suggester import Suggester
    from suggester.cli import main

    db = tmp_path / "review.sqlite3"
    st = ReviewStore(db)
    s = Suggester()
    st.add([({"id": rid, "text": t}, s.suggest(t, id=rid)) for rid, t in (("k", KNEE), ("a", ABD), ("h", HEAD))])
    st.decide("k", Decision("accept", "ann"))
    st.decide("a", Decision("override", "bob", [{"code": "74176", "modifiers": ["26"], "units": 1}]))
    out = tmp_path / "model"
    # the small dev file holds reports the rules get wrong, so every fold has both outcomes; two perturbed
    # copies of each (one left every calibration fold's map decreasing on stop 32's sample: "cannot train")
    assert main(["train", "--out", str(out), "--dev", str(small_dev), "--copies", "2", "--transforms", "0", "--no-test",
                 "--no-calib", "--cdm-oneliners", "0", "--corrections", str(db)]) == 0
    meta = json.loads((out / "meta.json").read_text())
    used = meta["training_data"]["corrections"]
    assert {k: used[k] for k in ("n_reports", "accepted", "overridden", "skipped_open")} == {
        "n_reports": 2, "accepted": 1, "overridden": 1, "skipped_open": 1}
    assert meta["training_data"]["n_reports"] == SMALL * 3 + 2  # each dev report and two perturbed copies
    assert "corrections: 2 reports from" in capsys.readouterr().err


def test_writes_take_json_only(served):
    """A cross-site form (or a text/plain "simple" request) cannot add reports or decide."""
    _, c = served
    add(c, {"id": "csrf", "text": KNEE})
    body = json.dumps({"action": "accept", "coder": "mallory"})
    for ctype in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": ctype} if ctype else {}
        r = c.post("/v1/worklist/csrf/decision", content=body, headers=headers)
        assert (r.status_code, r.json()["error"]["type"]) == (415, "unsupported_media_type")
    assert c.get("/v1/worklist/csrf").json()["audit"] == []
