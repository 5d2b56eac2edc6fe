"""Fuzzing (hypothesis) on every surface (issue 13): the API (``Suggester.suggest`` /
``suggest_many`` / ``batch.code_record``), the readers (JSONL, CSV, plain-text folders, HL7 v2,
FHIR), the CLI (``suggester code`` in a subprocess: records in == records out) and the HTTP
service (a real uvicorn server: no 500, one result per batch item). No input raises, stalls past
a per-input CPU bound, or loses or adds a record. The kept corpus of hostile texts is
``tests/data/hostile/texts.jsonl``.

CI runs every property with 120 examples (the CLI and service ones with fewer, each example is a
file or a request) and the corpus once. The release check (README, "Release checks") scales the
example counts and prints the inputs per surface and the worst case per test:

    SUGGESTER_FUZZ_SCALE=60 python -m pytest -q -s tests/test_fuzz.py   # >= 100,000 inputs
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from suggester import batch
from suggester import io as sio
from suggester.batch import code_record, encode_records, scan_output
from suggester.pipeline import BUDGET_REASON, Suggester, SuggesterError

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from hostile import corpus  # noqa: E402  (bench/hostile.py reads the kept corpus)

SCALE = float(os.environ.get("SUGGESTER_FUZZ_SCALE") or 1)
PER_INPUT_CPU_S = 2.0  # issue 13: no input up to 1 MB takes more than 2 s
# the deadline is ours (CPU time, see bounded()), not hypothesis' wall-clock one: other jobs on
# the machine must not fail the suite
FUZZ = settings(max_examples=max(1, int(120 * SCALE)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORST: dict[str, tuple[float, str]] = {}  # test -> (seconds, the input), printed by the long run
# surface -> inputs (reports, lines, messages, files, requests), crashes, lost and extra records
COUNTS: dict[str, Counter] = {s: Counter() for s in ("api", "readers", "cli", "service")}


def tally(surface: str, inputs: int = 1, **more: int) -> None:
    COUNTS[surface]["inputs"] += inputs
    COUNTS[surface].update(more)


def worst(test: str, spent: float, what) -> None:
    if spent > WORST.get(test, (-1.0, ""))[0]:
        size = len(what) if isinstance(what, (str, bytes)) else len(repr(what))
        WORST[test] = (spent, f"{size} chars, starting {repr(what)[:60]}")
_S: list[Suggester] = []


def suggester() -> Suggester:
    if not _S:
        _S.append(Suggester())
    return _S[0]


# any code point: controls, NUL, lone surrogates, combining marks, astral, RTL, line separators
any_char = st.characters()
# ... but for the pipeline itself without lone surrogates: Suggester.suggest("\ud800 ") raises
# UnicodeEncodeError from spaCy (reported; the readers replace them, code_record catches the rest)
no_surrogate = st.characters(exclude_categories=["Cs"])
WEIRD = ["\x00", "\r", "\r\n", "\n", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200d",
         "\u202e", "\u0301", "\u0336", "ﬁ", "İ", "ß", "ǅ", "Ⅻ", "١٢٣", "𝐂𝐓", "👍🏽", "🇺🇸",
         "\U0010ffff", "Ａ", "µ", "½", "…", "“", "”", "\xa0"]
WORDS = ["EXAM:", "TECHNIQUE:", "CONTRAST:", "COMPARISON:", "HISTORY:", "FINDINGS:", "IMPRESSION:", "ADDENDUM:",
         "VIEWS:", "CT", "MRI", "MR", "XR", "US", "CTA", "MRA", "NM", "PET", "DXA", "mammogram", "duplex", "with",
         "without", "w/o", "W/WO", "and", "contrast", "IV", "oral", "gadolinium", "no", "not", "prior", "history of",
         "left", "right", "bilateral", "RT", "LT", "2", "3", "two", "views", "view", "abdomen", "pelvis", "A/P", "head",
         "brain", "chest", "knee", "wrist", "spine", "lumbar", "screening", "diagnostic", "complete", "limited",
         "twins", "3D", "MIP", "100 mL", "none", "N/A", ".", ",", ";", "(", ")", "-", "/", "1)", "2)"]
SURROGATES = ["\ud800", "\udfff", "\ud83d"]
sep = st.sampled_from([" ", " ", " ", "\n", "\r\n", "\t", "", "  \n\n"])


def bounded(test: str, what, fn, *args, surface: str = "api", inputs: int = 1, **kwargs):
    """``fn(*args, **kwargs)`` within the per-input CPU bound; keeps the worst case per test and
    counts the input (and a crash: any exception but the pipeline's documented SuggesterError)."""
    tally(surface, inputs)
    t0 = time.process_time()
    try:
        return fn(*args, **kwargs)
    except SuggesterError:
        raise
    except BaseException:
        COUNTS[surface]["crashes"] += 1
        raise
    finally:
        spent = time.process_time() - t0
        worst(test, spent, what)
        assert spent <= PER_INPUT_CPU_S, f"{test}: {spent:.2f} CPU s for one input (bound {PER_INPUT_CPU_S} s)"


@pytest.fixture(scope="module", autouse=True)
def _print_worst_cases(pytestconfig):
    yield
    if not any(c["inputs"] for c in COUNTS.values()):
        return
    total = sum(c["inputs"] for c in COUNTS.values())
    lines = [f"\nfuzz inputs per surface (SUGGESTER_FUZZ_SCALE={SCALE:g}): {total:,} in all"]
    for surface, c in COUNTS.items():
        extra = "".join(f", {c[k]:,} {k}" for k in ("records", "runs", "requests") if c[k])
        lines.append(f"  {surface:8} {c['inputs']:9,} inputs{extra}; crashes {c['crashes']}, "
                     f"lost records {c['lost']}, extra records {c['extra']}")
    lines.append(f"worst case per test (bound {PER_INPUT_CPU_S} CPU s per input in-process; CLI and service: "
                 f"wall seconds per run / request):")
    lines += [f"  {spent:7.3f} s  {test}: {what}" for test, (spent, what) in sorted(WORST.items(), key=lambda kv: -kv[1][0])]
    capman = pytestconfig.pluginmanager.get_plugin("capturemanager")  # past pytest's capture, as capsys.disabled()
    if capman is None:
        print("\n".join(lines))
        return
    with capman.global_and_fixture_disabled():
        print("\n".join(lines), flush=True)


def _texts(chars, weird):
    token = st.one_of(st.sampled_from(WORDS), st.sampled_from(weird), st.text(chars, max_size=8))
    report = st.lists(st.tuples(token, sep), max_size=80).map(lambda ts: "".join(t + s for t, s in ts))
    return st.one_of(report, st.text(chars, max_size=300))


texts = _texts(no_surrogate, WEIRD)  # what the pipeline is fuzzed with directly
any_texts = _texts(any_char, WEIRD + SURROGATES)  # what the readers and code_record must survive


def _is_json_safe(out: dict) -> bool:
    line = encode_records([out], "jsonl")
    return json.loads(line.decode("utf-8")) is not None and line.endswith(b"\n") and line.count(b"\n") == 1


@FUZZ
@given(text=texts, ordered=st.one_of(st.none(), texts, st.sampled_from(["74177", "99999", "70450 "])),
       billing=st.sampled_from([None, "professional", "technical", "global"]),
       payer=st.sampled_from([None, "medicare", "commercial"]))
def test_suggest_raises_nothing_but_suggester_error(text, ordered, billing, payer):
    try:
        out = bounded("suggest", text, suggester().suggest, text, ordered=ordered, billing=billing, payer=payer,
                      id="x")
    except SuggesterError as e:
        assert e.kind in ("empty_text", "text_too_large")
        return
    assert out["status"] == "ok" and out["id"] == "x"
    assert 0.0 <= out["confidence"] <= 1.0
    assert all(c["code"] and c["units"] >= 1 for c in out["codes"])
    assert out["needs_review"] == bool(out["review_reasons"])
    assert _is_json_safe(out)


json_value = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), texts),
                          lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                  st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                          max_leaves=6)
record = st.one_of(
    texts, st.none(), st.integers(), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["id", "text", "ordered", "billing", "payer", "extra"]), json_value, max_size=6),
    st.fixed_dictionaries({"id": json_value, "text": texts}),
)


def expected_id(rec, n: int) -> str:
    if isinstance(rec, dict) and rec.get("id") not in (None, ""):
        return str(rec["id"])
    return f"line-{n}"


@FUZZ
@given(records=st.lists(record, max_size=8))
def test_suggest_many_gives_one_output_per_input_in_order(records):
    outs = bounded("suggest_many", records, lambda: list(suggester().suggest_many(records)), inputs=len(records))
    COUNTS["api"]["lost"] += max(0, len(records) - len(outs))
    COUNTS["api"]["extra"] += max(0, len(outs) - len(records))
    assert [o["id"] for o in outs] == [expected_id(r, n) for n, r in enumerate(records, 1)]
    for o in outs:
        assert o["status"] in ("ok", "error")
        if o["status"] == "error":
            assert isinstance(o["error"]["type"], str) and isinstance(o["error"]["message"], str)
        assert _is_json_safe(o)


@FUZZ
@given(rec=st.one_of(record, st.fixed_dictionaries({"id": st.text(any_char, max_size=5), "text": any_texts}),
                    st.dictionaries(st.sampled_from(["id", "text", "error", "_input_warnings"]), json_value, max_size=4)),
       n=st.integers(1, 10**9))
def test_code_record_never_raises_even_on_reader_keys(rec, n):
    out = bounded("code_record", rec, code_record, suggester(), rec, n)
    assert out["status"] in ("ok", "error") and isinstance(out["id"], str)
    assert _is_json_safe(out)


# ---------------------------------------------------------------------- readers: random bytes

raw_bytes = st.one_of(
    st.binary(max_size=600),
    st.lists(st.one_of(st.binary(max_size=40), st.sampled_from(
        [b"\n", b"\r\n", b"\x00", codecs.BOM_UTF8, b"\xe9", b"\x93", b"\xff", b'"', b",", b"{", b"}", b"[",
         b'{"id": "a", "text": "CT HEAD"}', b'{"text": ', b"id,text", b'"x\ny"'])), max_size=40).map(b"".join),
)


def read_tally(recs: list, expected: int | None = None) -> None:
    """Count what a reader gave (``expected``: the records it must give, when known)."""
    tally("readers", max(len(recs), expected or 0))
    if expected is not None:
        COUNTS["readers"]["lost"] += max(0, expected - len(recs))
        COUNTS["readers"]["extra"] += max(0, len(recs) - expected)


def _nonblank_lines(data: bytes) -> int:
    """Lines holding anything but spaces, tabs and CR (a line of control characters is a record)."""
    lines = data.split(b"\n")
    if lines[0].startswith(codecs.BOM_UTF8):  # the file's byte order mark
        lines[0] = lines[0][3:]
    return sum(bool(raw.strip(b" \t\r")) for raw in lines)


@FUZZ
@given(data=raw_bytes)
def test_jsonl_reader_on_random_bytes(data):
    assume(not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)))
    recs = list(sio.read_jsonl(io.BytesIO(data)))
    read_tally(recs, _nonblank_lines(data))
    assert len(recs) == _nonblank_lines(data)
    for r in recs:
        assert isinstance(r["id"], str) and r["id"]
        assert ("error" in r) != ("text" in r) or ("text" in r and "error" not in r)
    outs = [code_record(suggester(), r, n) for n, r in enumerate(recs, 1)]
    assert [o["id"] for o in outs] == [r["id"] for r in recs]


@FUZZ
@given(data=raw_bytes, id_col=st.sampled_from(["id", "Accession", ""]), text_col=st.sampled_from(["text", "x"]))
def test_csv_reader_on_random_bytes(data, id_col, text_col):
    recs = list(sio.read_csv(io.BytesIO(data), id_col, text_col))
    read_tally(recs)
    for r in recs:
        assert isinstance(r["id"], str) and r["id"]
        assert "text" in r or r["error"]["type"] in ("missing_column", "invalid_csv", "line_too_long")
    outs = [code_record(suggester(), r, n) for n, r in enumerate(recs, 1)]
    assert len(outs) == len(recs)


@FUZZ
@given(files=st.lists(st.binary(max_size=300), max_size=5))
def test_dir_reader_one_record_per_txt_file(files):
    with tempfile.TemporaryDirectory() as d:
        for i, content in enumerate(files):
            Path(d, f"r{i}.txt").write_bytes(content)
        Path(d, "skip.csv").write_bytes(b"id,text\n")
        recs = list(sio.read_dir(Path(d)))
    read_tally(recs, len(files))
    assert [r["id"] for r in recs] == [f"r{i}" for i in range(len(files))]
    assert all("text" in r and isinstance(r["text"], str) and "\r" not in r["text"] for r in recs)


# ---------------------------------------------------------------------- readers: exact round trips

clean_char = st.characters(exclude_categories=["Cs"], exclude_characters="\ufeff")
field = st.text(clean_char, max_size=60)


def lf(s: str) -> str:
    return s.replace("\r\n", "\n").replace("\r", "\n")


@FUZZ
@given(rows=st.lists(st.tuples(st.text(clean_char, min_size=1, max_size=10), field), max_size=8),
       ascii_only=st.booleans(), crlf=st.booleans(), bom=st.booleans(), utf16=st.booleans(),
       blanks=st.lists(st.integers(0, 8), max_size=3))
def test_jsonl_reader_round_trip(rows, ascii_only, crlf, bom, utf16, blanks):
    lines = [json.dumps({"id": i, "text": t, "k": 1}, ensure_ascii=ascii_only) for i, t in rows]
    for b in sorted(blanks, reverse=True):
        lines.insert(min(b, len(lines)), "  ")
    text = ("\r\n" if crlf else "\n").join(lines)
    data = text.encode("utf-16") if utf16 else (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    recs = list(sio.read_jsonl(io.BytesIO(data)))
    read_tally(recs, len(rows))
    assert [(r["id"], r["text"]) for r in recs] == [(i, lf(t)) for i, t in rows]
    assert all(r["k"] == 1 for r in recs)


@FUZZ
@given(rows=st.lists(st.tuples(st.text(clean_char, min_size=1, max_size=10), field), max_size=8),
       crlf=st.booleans(), bom=st.booleans(), utf16=st.booleans())
def test_csv_reader_round_trip(rows, crlf, bom, utf16):
    buf = io.StringIO()
    # with "\n" line ends Python 3.11 leaves a lone "\r" unquoted (ambiguous CSV): quote all then
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n", quoting=csv.QUOTE_MINIMAL if crlf else csv.QUOTE_ALL)
    w.writerow(["id", "text"])
    w.writerows(rows)
    text = buf.getvalue()
    data = text.encode("utf-16") if utf16 else (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    recs = list(sio.read_csv(io.BytesIO(data)))
    read_tally(recs, len(rows))
    nul = " "  # a NUL byte is not kept in CSV fields
    assert [(r["id"], r["text"]) for r in recs] == [(i.replace("\x00", nul), lf(t.replace("\x00", nul))) for i, t in rows]


@FUZZ
@given(lengths=st.lists(st.integers(0, 120), min_size=1, max_size=10), limit=st.integers(20, 80))
def test_jsonl_reader_huge_lines(lengths, limit):
    saved = sio.MAX_LINE_BYTES
    sio.MAX_LINE_BYTES = limit
    try:
        lines = [json.dumps({"id": str(i), "text": "x" * n}) for i, n in enumerate(lengths)]
        recs = list(sio.read_jsonl(io.BytesIO("\n".join(lines).encode())))
    finally:
        sio.MAX_LINE_BYTES = saved
    read_tally(recs, len(lines))
    assert len(recs) == len(lines)
    for i, (r, line) in enumerate(zip(recs, lines, strict=True)):
        too_long = len(line) > limit  # a line of more than `limit` bytes before its newline
        assert (r.get("error", {}).get("type") == "line_too_long") == too_long
        assert r["id"] == (f"line-{i + 1}" if too_long else str(i))


# ---------------------------------------------------------------------- the writer and resume


out_record = st.one_of(
    st.builds(lambda i, c, r: {"id": i, "status": "ok", "codes": [{"code": c, "modifiers": ["26"], "units": 1}],
                               "flags": [], "confidence": 0.9, "needs_review": r},
              st.text(any_char, max_size=12), st.sampled_from(["70450", "74177"]), st.booleans()),
    st.builds(lambda i, t, m: {"id": i, "status": "error", "error": {"type": t, "message": m}},
              st.text(any_char, max_size=12), st.sampled_from(["empty_text", "invalid_json"]), st.text(any_char, max_size=30)),
)


@FUZZ
@given(recs=st.lists(out_record, min_size=1, max_size=8), fmt=st.sampled_from(["jsonl", "csv-reports"]),
       data=st.data())
def test_any_cut_of_the_output_resumes_at_the_last_whole_record(recs, fmt, data):
    head = batch.csv_header(fmt).encode() if fmt != "jsonl" else b""
    parts = [encode_records([r], fmt) for r in recs]
    assert encode_records(recs, fmt) == b"".join(parts)
    ends = [len(head)]
    for p in parts:
        ends.append(ends[-1] + len(p))
    full = head + b"".join(parts)
    full.decode("utf-8")  # whole output is valid UTF-8 (lone surrogates escaped)
    cut = data.draw(st.integers(len(head), len(full)))
    fd, name = tempfile.mkstemp()
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(full[:cut])
        p = scan_output(name, fmt)
    finally:
        os.unlink(name)
    whole = max(k for k, e in enumerate(ends) if e <= cut)
    assert (p.records, p.valid_bytes) == (whole, ends[whole])
    assert p.ok + p.errors == whole
    assert p.errors == sum(r["status"] == "error" for r in recs[:whole])
    assert p.needs_review == sum(bool(r.get("needs_review")) for r in recs[:whole] if r["status"] == "ok")


# ---------------------------------------------------------------------- hostile inputs (issue 13)

CORPUS = {e["name"]: e for e in corpus()}
# what the kept corpus must still code (the exam is named before the hostile part)
CORPUS_CODES = {"ct_head_100k_spaces": ["70450"], "ct_head_8k_spaces": ["70450"], "newlines_1m": ["70450"],
                "crlf_blank_lines": ["70450"], "title_only_giant": ["74177"], "modifier_phrases": ["71046"]}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_corpus_codes_within_the_bound(name):
    text = CORPUS[name]["text"]
    assert len(text.encode("utf-8", "surrogatepass")) <= 1_000_000
    if not re.search(r"[^\W_]", text):  # punctuation only (dots, periods, open_parens): refused at once
        with pytest.raises(SuggesterError) as e:
            bounded("corpus", text, suggester().suggest, text, id=name)
        assert (e.value.kind, str(e.value)) == ("empty_text", "text has no letters or digits")
        return
    # timed as a CLI or service worker runs it, its heap settled (suggester.batch.settle_heap): the
    # cycle collector does not walk the test session's own long-lived objects inside the bound
    gc.collect()
    gc.freeze()
    try:
        for attempt in range(3):
            try:
                out = bounded("corpus", text, suggester().suggest, text, id=name)
                break
            except AssertionError as e:
                # one CPU-time sample of a 1 MB input varies by about 20% on a shared host (1.5-2.0 s
                # for the same text and code): its cost is the lowest of three runs, as timeit takes
                # it; a quadratic path (10-26 s on these texts before review9) fails all three
                if "CPU s for one input" not in str(e) or attempt == 2:
                    raise
    finally:
        gc.unfreeze()
    assert out["status"] == "ok" and _is_json_safe(out)
    if name in CORPUS_CODES:
        assert [c["code"] for c in out["codes"]] == CORPUS_CODES[name]
    if len("".join(text.split())) > 200_000:  # far more words than any report: read in part, and said so
        assert BUDGET_REASON in out["review_reasons"] and out["needs_review"]


FILLERS = [" ", "\t", " \t", "\n", "\r\n", ". ", ".", "(", ")", "EXAM  ", "EXAM: ", "TECHNIQUE: CT\n", "CT ",
           "with contrast ", "no ", "left ", "2V ", "colon ", "period ", "#1) ", "\u00a0", "\u2028", "\x0c",
           "a", "XR CHEST. repeat study. ", "FINDINGS:\n", "liver ", "\U0001d402"]
hostile_text = st.builds(
    lambda head, filler, n, tail: (head + filler * n + tail)[:1_000_000],
    st.sampled_from(["", "CT HEAD", "EXAM: MRI BRAIN WITH AND WITHOUT CONTRAST\nTECHNIQUE:", "XR LEFT KNEE 3V "]),
    st.one_of(st.sampled_from(FILLERS), st.text(no_surrogate, min_size=1, max_size=12)),
    st.integers(1, 250_000), st.sampled_from(["", "x", "\nIMPRESSION: normal.", "CT ABDOMEN"]))


@settings(max_examples=max(1, int(12 * SCALE)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text)
def test_long_repetitive_texts_code_within_the_bound(text):
    try:
        out = bounded("hostile_text", text, suggester().suggest, text, id="h")
    except SuggesterError as e:
        assert e.kind in ("empty_text", "text_too_large")
        return
    assert out["status"] == "ok" and _is_json_safe(out)


CONTROL_LINES = [b"\x00", b"\x0b", b"\x0c", b"\x1c", "\u0085".encode(), "\u2028".encode(), codecs.BOM_UTF8]


def test_control_byte_jsonl_lines_each_give_a_record(tmp_path):
    """Issue 13: lines of only NUL, VT, FF, 0x1c, U+0085, U+2028 or a BOM are records, not blanks."""
    good = b'{"id": "ok", "text": "CT HEAD"}'
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(b"\n".join([good, *CONTROL_LINES, good]) + b"\n")
    res = batch.code_batch(str(inp), str(tmp_path / "out.jsonl"), workers=1, progress=False)
    outs = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert res.records == len(outs) == len(CONTROL_LINES) + 2
    assert [o["status"] for o in outs] == ["ok"] + ["error"] * len(CONTROL_LINES) + ["ok"]


# ---------------------------------------------------------------------- readers: HL7 v2 and FHIR

hl7_char = st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\x0b\x1c|")
HL7_BITS = ["\\.br\\", "\\.sp\\", "\\.sp 999999999\\", "\\.sp +3\\", "\\X0D0A\\", "\\X\\", "\\XZZ\\", "\\T\\",
            "\\S\\", "\\R\\", "\\E\\", "\\F\\", "\\H\\", "\\N\\", "\\Zvendor\\", "\\C2842\\", "\\", "^", "&", "~",
            "CT HEAD WO", "EXAM: XR LEFT KNEE 3 VIEWS", "TECHNIQUE:", "with contrast", "F", "P", "X", "C4", "CPT"]
hl7_value = st.lists(st.one_of(st.sampled_from(HL7_BITS), st.text(hl7_char, max_size=12)), max_size=6).map("".join)
hl7_segment = st.builds(
    lambda name, fields: "|".join([name, *fields]),
    st.one_of(st.sampled_from(["PID", "PV1", "ORC", "OBR", "OBX", "OBX", "OBX", "NTE", "DG1", "ZDS"]),
              st.from_regex(r"\A[A-Z][A-Z0-9]{2}\Z").filter(lambda n: n not in ("MSH", "FHS", "BHS", "BTS", "FTS"))),
    st.lists(st.one_of(hl7_value, st.sampled_from(["TX", "FT", "ST", "NM", "CE"])), max_size=14))
hl7_message = st.builds(
    lambda enc, fields, charset, segs, sep: sep.join(
        ["MSH|" + enc + "|" + "|".join(fields[:15] + [charset] * bool(charset))] + segs),
    st.sampled_from(["^~\\&", "^~\\&#", "", "^", "!@#$", "^~\\"]),
    st.lists(st.one_of(hl7_value, st.sampled_from(["ORU^R01", "ORU^R01^ORU_R01", "ADT^A01", "2.5", "2.3", "P"])),
             max_size=15),
    st.sampled_from(["", "UNICODE UTF-8", "8859/1", "ASCII", "KOI8-R", "\\"]),
    st.lists(hl7_segment, max_size=8),
    st.sampled_from(["\r", "\n", "\r\n"]))


def hl7_stream(messages: list[str], mllp: bool, latin1: bool, batch_header: bool) -> bytes:
    enc = (lambda m: m.encode("latin-1", "replace")) if latin1 else (lambda m: m.encode("utf-8"))
    parts = [b"\x0b" + enc(m) + b"\x1c\r" if mllp else enc(m) + b"\r" for m in messages]
    head = b"FHS|^~\\&\rBHS|^~\\&\r" if batch_header else b""
    return head + b"".join(parts) + (b"BTS|1\rFTS|1\r" if batch_header else b"")


def _check_input_records(recs: list) -> None:
    """Reader output: an id and either a text or a typed error; the pipeline takes each."""
    for n, r in enumerate(recs, 1):
        assert isinstance(r["id"], str) and r["id"]
        assert ("text" in r and isinstance(r["text"], str)) or isinstance(r["error"]["type"], str)
        out = code_record(suggester(), r, n)
        assert out["id"] == r["id"] and _is_json_safe(out)


@FUZZ
@given(messages=st.lists(hl7_message, min_size=1, max_size=6), mllp=st.booleans(), latin1=st.booleans(),
       batch_header=st.booleans())
def test_hl7_reader_one_record_per_message(messages, mllp, latin1, batch_header):
    from suggester.integrations.hl7 import read_hl7

    data = hl7_stream(messages, mllp, latin1, batch_header)
    recs = bounded("hl7_reader", data, lambda: list(read_hl7(io.BytesIO(data), chunk_size=97)),
                   surface="readers", inputs=0)
    read_tally(recs, len(messages))
    assert len(recs) == len(messages)
    _check_input_records(recs)


hl7_noise = st.lists(st.one_of(st.binary(max_size=30), st.sampled_from(
    [b"MSH|^~\\&|A|B|C|D|2024||ORU^R01|X|P|2.5", b"MSH", b"MSH|", b"\r", b"\n", b"\x0b", b"\x1c\r", b"OBR|1||A|^CT HEAD",
     b"OBX|1|TX|X||", b"OBX|1|FT|X||CT\\.sp 99999999\\HEAD||||||F", b"\\", b"|", b"^", b"\xff", b"\xc3\xa9",
     b"FHS|^~\\&", b"BTS|", b"NTE|1||"]), hl7_message.map(lambda m: m.encode("utf-8"))), max_size=30).map(b"".join)


@FUZZ
@given(data=hl7_noise)
def test_hl7_reader_on_random_bytes(data):
    from suggester.integrations.hl7 import read_hl7

    recs = bounded("hl7_reader_bytes", data, lambda: list(read_hl7(data)), surface="readers", inputs=0)
    msh = sum(p.lstrip(b"\xef\xbb\xbf").startswith(b"MSH") for p in re.split(rb"[\r\n\x0b\x1c]+", data))
    read_tally(recs)
    assert len(recs) >= msh  # every MSH starts a message: none is lost (text before the first is one more)
    _check_input_records(recs)


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                        st.text(max_size=12))
json_any = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                        max_leaves=8)
FHIR_STATUS = ["final", "amended", "corrected", "appended", "preliminary", "partial", "registered", "unknown",
               "cancelled", "entered-in-error", "FINAL", "", "done"]
CONTENT_TYPES = ["text/plain", "text/plain; charset=utf-8", "text/plain; charset=undefined",
                 "text/plain; charset=punycode", "text/plain; charset=idna", "text/plain; charset=zlib",
                 "text/plain; charset=utf-16", "text/plain; charset=latin-1", "text/html", "application/pdf",
                 "application/xhtml+xml; charset=base64", "", "text/plain; charset=\"x\""]
attachment = st.fixed_dictionaries({}, optional={
    "contentType": st.one_of(st.sampled_from(CONTENT_TYPES), st.text(max_size=20)),
    "data": st.one_of(st.binary(max_size=120).map(_b64), texts.map(lambda t: _b64(t.encode("utf-8"))),
                      st.text(max_size=20), json_scalar),
    "url": st.sampled_from(["http://example.org/r.pdf", "", "x"])})
fhir_report = st.fixed_dictionaries(
    {"resourceType": st.just("DiagnosticReport")},
    optional={"id": st.one_of(st.from_regex(r"\A[A-Za-z0-9\-.]{1,20}\Z"), st.text(max_size=8), json_scalar),
              "status": st.one_of(st.sampled_from(FHIR_STATUS), json_scalar),
              "code": st.one_of(st.fixed_dictionaries({"text": texts}), json_any),
              "presentedForm": st.one_of(st.lists(attachment, max_size=3), json_any),
              "conclusion": st.one_of(texts, json_scalar),
              "identifier": st.one_of(st.lists(st.fixed_dictionaries(
                  {"type": st.just({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                                "code": "ACSN"}]}), "value": st.text(max_size=10)}), max_size=2),
                  json_any),
              "basedOn": st.one_of(st.lists(st.fixed_dictionaries({"reference": st.sampled_from(
                  ["#sr1", "ServiceRequest/sr1", "urn:uuid:1", "", "Patient/p", "#nope"])}), max_size=2), json_any),
              "contained": st.one_of(st.just([{"resourceType": "ServiceRequest", "id": "sr1", "status": "active",
                                               "intent": "order", "subject": {"reference": "Patient/p"},
                                               "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt",
                                                                    "code": "70450"}]}}]), json_any),
              "effectiveDateTime": st.one_of(st.sampled_from(["2024-03-12", "2024-13-45", "yesterday"]), json_scalar),
              "extra": json_any})
ENTRY_RESOURCE = st.one_of(fhir_report, json_any,
                           st.just({"resourceType": "ServiceRequest", "id": "sr1", "status": "active",
                                    "intent": "order", "subject": {"reference": "Patient/p"},
                                    "code": {"text": "CT HEAD"}}))
fhir_bundle = st.builds(
    lambda bid, btype, entries: {"resourceType": "Bundle", **({"id": bid} if bid else {}), "type": btype,
                                 "entry": entries},
    st.one_of(st.none(), st.from_regex(r"\A[A-Za-z0-9]{1,10}\Z")),
    st.sampled_from(["collection", "searchset", "transaction", "document", "batch"]),
    st.lists(st.fixed_dictionaries({}, optional={"fullUrl": st.from_regex(r"\Aurn:uuid:[0-9a-f]{1,8}\Z"),
                                                 "resource": ENTRY_RESOURCE}), max_size=5))


def fhir_expected(doc) -> int:
    """Records a reader must give for one document: one per DiagnosticReport, one for anything else."""
    if isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
        return max(1, sum(isinstance(e.get("resource"), dict) and e["resource"].get("resourceType") == "DiagnosticReport"
                          for e in doc["entry"]))
    return 1


@FUZZ
@given(docs=st.lists(st.one_of(fhir_report, fhir_bundle), min_size=1, max_size=4),
       garbage=st.lists(st.tuples(st.integers(1, 5), st.text(st.characters(exclude_characters="\n"), max_size=30)),
                        max_size=2),
       pretty=st.booleans())
def test_fhir_reader_one_record_per_report(docs, garbage, pretty):
    from suggester.integrations.fhir import read_fhir

    if pretty and len(docs) == 1 and not garbage:  # one document, pretty-printed: read whole
        data, want = json.dumps(docs[0], indent=2).encode(), fhir_expected(docs[0])
    else:  # NDJSON: one document a line, and lines that are not JSON documents (one error each)
        lines = [json.dumps(d) for d in docs]
        for at, junk in garbage:
            lines.insert(min(at, len(lines)), junk)
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
        want = sum(fhir_expected(d) for d in docs) + sum(bool(j.strip(" \t\r\n")) for _, j in garbage)
    recs = bounded("fhir_reader", data, lambda: list(read_fhir(data)), surface="readers", inputs=0)
    read_tally(recs, want)
    assert len(recs) == want
    _check_input_records(recs)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), json_any.map(lambda v: json.dumps(v).encode()),
                      st.lists(st.sampled_from([b"{", b"}", b"[", b"]", b'"resourceType"', b":", b",", b'"Bundle"',
                                                b'"DiagnosticReport"', b'"entry"', b"\n", b"null", b"1e999999",
                                                b"9" * 5000, b"\xff", b'"\\ud800"']), max_size=60).map(b"".join)))
def test_fhir_reader_on_random_bytes(data):
    from suggester.integrations.fhir import read_fhir

    assume(not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)))
    recs = bounded("fhir_reader_bytes", data, lambda: list(read_fhir(data)), surface="readers", inputs=0)
    read_tally(recs)
    # anything but blanks after the file's byte order mark gives a record
    assert len(recs) >= (1 if data.removeprefix(codecs.BOM_UTF8).strip(b" \t\r\n") else 0)
    _check_input_records(recs)


# ---------------------------------------------------------------------- the CLI (a subprocess per run)

CLI_FUZZ = settings(max_examples=max(2, int(2 * SCALE)), deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
jsonl_line = st.one_of(
    record.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.fixed_dictionaries({"id": st.text(any_char, max_size=6), "text": any_texts}).map(
        lambda r: json.dumps(r).encode()),
    st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ")),
    st.sampled_from(CONTROL_LINES),
)
CLI_INPUTS = st.one_of(
    st.tuples(st.just("jsonl"), st.lists(jsonl_line, min_size=1, max_size=120)),
    st.tuples(st.just("csv"), st.lists(st.tuples(st.text(clean_char, min_size=1, max_size=8).filter(str.strip),
                                                 any_texts), min_size=1, max_size=80)),
    st.tuples(st.just("hl7"), st.lists(hl7_message, min_size=1, max_size=60)),
    st.tuples(st.just("fhir"), st.lists(st.one_of(fhir_report, fhir_bundle), min_size=1, max_size=40)),
)


def cli_file(kind: str, items: list, path: Path) -> int:
    """Write the input file; return the records the CLI must write for it."""
    if kind == "jsonl":
        data = b"\n".join(items) + b"\n"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # that would make it a UTF-16 file
            data = b'{"id": "first", "text": "CT HEAD"}\n' + data
        path.write_bytes(data)
        return _nonblank_lines(data)
    if kind == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, quoting=csv.QUOTE_ALL)
        w.writerow(["id", "text"])
        w.writerows((i, t.encode("utf-8", "replace").decode("utf-8")) for i, t in items)
        path.write_bytes(buf.getvalue().encode("utf-8"))
        return len(items)
    if kind == "hl7":
        path.write_bytes(hl7_stream(items, mllp=False, latin1=False, batch_header=False))
        return len(items)
    path.write_bytes("\n".join(json.dumps(d) for d in items).encode("utf-8", "surrogatepass"))
    return sum(fhir_expected(d) for d in items)


@CLI_FUZZ
@given(inp=CLI_INPUTS, workers=st.sampled_from([1, 2]), chunk=st.sampled_from([1, 7, 64]),
       out_fmt=st.sampled_from(["jsonl", "csv"]))
def test_cli_code_gives_one_record_per_input_record(inp, workers, chunk, out_fmt):
    """``suggester code`` through its real entry point: exit 0 or 1, no traceback, as many output
    records as input records, none over the 2 s CPU limit (a slower one would be a ``timeout``)."""
    import subprocess

    kind, items = inp
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d, f"in.{kind if kind != 'fhir' else 'ndjson'}"), Path(d, f"out.{out_fmt}")
        want = cli_file(kind, items, src)
        cmd = [sys.executable, "-m", "suggester.cli", "code", str(src), "-o", str(out), "-q", "--workers",
               str(workers), "--chunk-size", str(chunk), "--time-limit", str(PER_INPUT_CPU_S), "--layout", "reports"]
        if kind == "fhir":
            cmd += ["--input-format", "fhir"]
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, timeout=600, cwd=REPO)
        spent = time.perf_counter() - t0
        fmt = "csv-reports" if out_fmt == "csv" else "jsonl"
        got = scan_output(str(out), fmt).records if out.exists() else 0
        manifest = json.loads(Path(str(out) + ".manifest.json").read_text(encoding="utf-8"))
    worst("cli_run", spent, f"{kind}: {want} records, {workers} workers".encode())
    tally("cli", want, runs=1, lost=max(0, want - got), extra=max(0, got - want),
          crashes=int(run.returncode not in (0, 1) or b"Traceback" in run.stderr))
    assert run.returncode in (0, 1), run.stderr.decode("utf-8", "replace")[-2000:]
    assert b"Traceback" not in run.stderr
    assert got == want
    assert manifest["status"] == "complete" and manifest["counts"]["records"] == want
    assert "timeout" not in manifest["counts"]["error_types"]


# ---------------------------------------------------------------------- the service (a real uvicorn server)

SERVICE_FUZZ = settings(max_examples=max(4, int(30 * SCALE)), deadline=None,
                        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                               HealthCheck.function_scoped_fixture])
SERVICE_TOKEN = "fuzz-token-0123456789abcdef"
MAX_BATCH = 50


@pytest.fixture(scope="module")
def fuzz_server():
    httpx = pytest.importorskip("httpx")
    pytest.importorskip("uvicorn")
    sys.path.insert(0, str(REPO / "tests"))
    from test_service import Server

    from suggester.service import ServiceConfig

    cfg = ServiceConfig(token=SERVICE_TOKEN, workers=2, max_queue=4, max_batch=MAX_BATCH, timeout=30.0,
                        max_body_bytes=2 * 1024 * 1024)
    with Server(cfg, factory=None) as s, httpx.Client(base_url=s.url, timeout=120,
                                                      headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as c:
        yield c


CTYPES = ["application/json", "text/plain", "x-application/hl7-v2+er7", "application/fhir+json", "",
          "application/xml", "text/plain; charset=latin-1"]
ACCEPTS = ["application/json", "x-application/hl7-v2+er7", "application/fhir+json", "*/*"]
batch_records = st.lists(st.one_of(record, any_texts), min_size=1, max_size=MAX_BATCH)
service_request = st.one_of(
    st.tuples(st.just("/v1/suggest"), st.just("application/json"),
              st.one_of(record, st.fixed_dictionaries({"text": any_texts}, optional={"id": json_scalar,
                                                                                       "ordered": texts}))),
    st.tuples(st.just("/v1/suggest/batch"), st.just("application/json"), batch_records.map(lambda r: {"records": r})),
    st.tuples(st.just("/v1/suggest"), st.sampled_from(["text/plain", ""]), any_texts),
    st.tuples(st.sampled_from(["/v1/suggest", "/v1/suggest/batch"]), st.sampled_from(CTYPES[2:3]),
              st.lists(hl7_message, min_size=1, max_size=8)),
    st.tuples(st.sampled_from(["/v1/suggest", "/v1/suggest/batch"]), st.sampled_from(CTYPES[3:4]),
              st.one_of(fhir_report, fhir_bundle)),
    st.tuples(st.sampled_from(["/v1/suggest", "/v1/suggest/batch"]), st.sampled_from(CTYPES), st.one_of(
        st.binary(max_size=400), json_any.map(lambda v: json.dumps(v).encode()))),
)


def _service_body(ctype: str, payload) -> tuple[bytes, int | None]:
    """The request body and the records a 200 batch answer must hold (None: not known here)."""
    if isinstance(payload, bytes):
        return payload, None
    if ctype == "application/json":  # a lone surrogate as \ud800: valid JSON the service must take
        many = isinstance(payload, dict) and isinstance(payload.get("records"), list)
        return json.dumps(payload).encode(), len(payload["records"]) if many else 1
    if ctype == "x-application/hl7-v2+er7":
        return hl7_stream(payload, mllp=False, latin1=False, batch_header=False), len(payload)
    if isinstance(payload, str):
        return payload.encode("utf-8", "surrogatepass"), 1
    return json.dumps(payload).encode(), fhir_expected(payload)  # FHIR


@SERVICE_FUZZ
@given(req=service_request, accept=st.sampled_from(ACCEPTS))
def test_service_answers_every_request_without_a_crash(fuzz_server, req, accept):
    """No 500, 503 or 504; a JSON error body for every error; a 200 batch answer holds one
    result per input record, in order."""
    path, ctype, payload = req
    body, want = _service_body(ctype, payload)
    t0 = time.perf_counter()
    r = fuzz_server.post(path, content=body, headers={"Content-Type": ctype, "Accept": accept})
    worst("service_request", time.perf_counter() - t0, body)
    batch_ok = path.endswith("batch") and r.status_code == 200 and want is not None
    n_records = want if path.endswith("batch") and want is not None else 1
    got = len(r.json()["results"]) if batch_ok and accept in ("application/json", "*/*") else None
    tally("service", n_records, requests=1, crashes=int(r.status_code >= 500),
          lost=max(0, (want or 0) - got) if got is not None else 0,
          extra=max(0, got - want) if got is not None else 0)
    assert r.status_code < 500, (r.status_code, r.text[:500])
    assert r.headers["cache-control"] == "no-store"
    if r.status_code >= 400:
        assert r.status_code in (413, 415, 422), r.text[:300]
        media = r.headers["content-type"].split(";")[0]
        if media == "application/json":
            err = r.json()
            assert err["status"] == "error" and isinstance(err["error"]["type"], str)
        elif media == "application/fhir+json":  # an error record as an OperationOutcome
            assert r.json()["resourceType"] == "OperationOutcome"
        else:  # ... or as an HL7 ACK with AE
            assert media == "x-application/hl7-v2+er7" and "\rMSA|AE|" in r.text, r.text[:300]
    if path.endswith("batch") and ctype == "application/json" and isinstance(payload, dict) and want:
        assert r.status_code == 200 or r.json()["error"]["type"] == "batch_too_large", r.text[:300]
    if got is not None:
        results = r.json()["results"]
        assert got == want
        assert all(isinstance(x["id"], str) and x["status"] in ("ok", "error") for x in results)
        if isinstance(payload, dict) and "records" in payload:
            assert [x["id"] for x in results] == [_service_id(rec, n) for n, rec in enumerate(payload["records"], 1)]


def _service_id(rec, n: int) -> str:
    rid = rec.get("id") if isinstance(rec, dict) else None
    if isinstance(rid, (str, int)) and not isinstance(rid, bool) and rid != "":
        return re.sub("[\ud800-\udfff]", "\ufffd", str(rid))
    return f"line-{n}"
