"""Coding knowledge is data (issue 10): codes, add-on rules and payer policies live in lexicons/.

Each test edits a COPY of the packaged lexicons in tmp_path: adding a code with a new region,
deleting a code (with and without its rule), bumping the version, and the referential check that
turns any dangling name into a load error naming ``file:line``. The last tests scan suggester/ for
CPT/HCPCS literals outside docstrings and comments.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from suggester import Suggester
from suggester.lexicon import LexiconError, load_lexicon, load_payer
from suggester.resources import lexicon_dir

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "domain" / "cpt_reference.csv"
SAMPLE = REPO / "eval" / "data" / "sample.jsonl"


@pytest.fixture
def lexcopy(tmp_path) -> Path:
    d = tmp_path / "lex"
    shutil.copytree(lexicon_dir(), d)
    return d


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _drop(path: Path, pred) -> list[int]:
    """Delete the lines matching ``pred``; returns their 1-based numbers."""
    lines = _lines(path)
    gone = [i + 1 for i, ln in enumerate(lines) if pred(ln)]
    _write(path, [ln for ln in lines if not pred(ln)])
    return gone


def _code_row(code: str) -> str:
    return f'{{"code": "{code}",'


def _rule_line(lex: Path, rule_id: str) -> int:
    return next(i + 1 for i, ln in enumerate(_lines(lex / "rules.jsonl")) if f'"id": "{rule_id}"' in ln)


def _codes(rec: dict) -> list[str]:
    return sorted(c["code"] for c in rec["codes"])


# ------------------------------------------------------------------ adding and deleting codes


@pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared not present")
def test_a_code_with_a_new_region_is_a_data_only_change(lexcopy):
    """Take a real code out of the copy (code row, site, terms), then add it back under a region
    no code had: a report naming the new term gets exactly that code."""
    code = "70355"
    ref = next(r for r in csv.DictReader(REFERENCE.open(newline="")) if r["code"] == code)
    _drop(lexcopy / "codes.jsonl", lambda ln: ln.startswith(_code_row(code)))
    _drop(lexcopy / "regions.tsv", lambda ln: ln.startswith("panoramic\t"))
    _drop(lexcopy / "terms" / "anatomy.tsv", lambda ln: ln.endswith("\tsite=panoramic"))
    without = load_lexicon(lexcopy)
    assert code not in without.codes and "jaw_panoramic" not in without.sites

    region = "jaw_panoramic"  # a region no code of the table has
    with (lexcopy / "codes.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"code": code, "family": ref["family"], "modality": ref["modality"], "region": region,
                             "contrast": None, "views": None, "side": None, "qualifier": None,
                             "label": "Panoramic jaw radiograph", "components": "split"}) + "\n")
    with (lexcopy / "regions.tsv").open("a", encoding="utf-8") as fh:
        fh.write(f"{region}\tXR={region}\n")
    with (lexcopy / "terms" / "anatomy.tsv").open("a", encoding="utf-8") as fh:
        fh.write(f"orthopantomogram\tsite={region}\npanorex\tsite={region}\n")
    lex = load_lexicon(lexcopy)
    assert (lex.codes[code].region, lex.region_for(region, "XR")) == (region, region)

    s = Suggester(lexicon_path=str(lexcopy), billing="global")
    rec = s.suggest("EXAM: XR ORTHOPANTOMOGRAM\nFINDINGS: No acute abnormality.")
    assert (rec["status"], _codes(rec)) == ("ok", [code])
    assert _codes(s.suggest("PANOREX")) == [code]


def test_deleting_a_code_with_its_rule_loads_and_codes_without_it(lexcopy, sg):
    """74248 (small bowel follow-through add-on): code row + its add-on rule removed, its
    qualifier kept as an atom for the terms that still name it. Loads; the primary stays."""
    text = "FL UPPER GI SERIES WITH SMALL BOWEL FOLLOW THROUGH"
    assert _codes(sg.suggest(text)) == ["74240", "74248"]

    _drop(lexcopy / "codes.jsonl", lambda ln: ln.startswith(_code_row("74248")))
    _drop(lexcopy / "rules.jsonl", lambda ln: '"id": "sbft"' in ln)
    q = lexcopy / "qualifiers.tsv"
    _write(q, ["atom\tfollowthrough_addon\t" if ln.startswith("code\tfollowthrough_addon\t") else ln
               for ln in _lines(q)])
    lex = load_lexicon(lexcopy)
    assert "74248" not in lex.codes and "sbft" not in {r.id for r in lex.rules}

    rec = Suggester(lexicon_path=str(lexcopy), billing="global").suggest(text)
    assert (rec["status"], _codes(rec)) == ("ok", ["74240"])


def _delete_code_then_its_rule(lex: Path, code: str, rule_id: str) -> None:
    """Delete a code row: the load fails where the rule still names it; then delete the rule."""
    line = _rule_line(lex, rule_id)
    _drop(lex / "codes.jsonl", lambda ln: ln.startswith(_code_row(code)))
    with pytest.raises(LexiconError, match=rf"rules.jsonl:{line}: unknown code '{code}'"):
        load_lexicon(lex)
    _drop(lex / "rules.jsonl", lambda ln: f'"id": "{rule_id}"' in ln)


def test_deleting_only_the_code_fails_at_load_where_a_rule_names_it(lexcopy):
    _delete_code_then_its_rule(lexcopy, "74248", "sbft")
    # the rule removed too: its qualifier row is now the dangling name
    row = next(i + 1 for i, ln in enumerate(_lines(lexcopy / "qualifiers.tsv"))
               if ln.startswith("code\tfollowthrough_addon\t"))
    with pytest.raises(LexiconError, match=rf"qualifiers.tsv:{row}: qualifier 'followthrough_addon' is used by no "
                                           r"code of codes.jsonl \(delete the row, or make it an 'atom' row"):
        load_lexicon(lexcopy)


def test_deleting_a_payer_add_on_code_is_caught_at_load(lexcopy):
    _delete_code_then_its_rule(lexcopy, "G0279", "g0279")
    # with its qualifier row gone as well, Medicare's policy value is named by no rule
    _drop(lexcopy / "qualifiers.tsv", lambda ln: ln.startswith("code\tdiagnostic_tomosynthesis_addon\t"))
    with pytest.raises(LexiconError, match=r"medicare.json:5: diagnostic_tomosynthesis must be one of \('cpt',\)"):
        load_lexicon(lexcopy)


# ------------------------------------------------------------------ payer policy as data


def test_add_on_rules_follow_the_payer_policy(sg):
    lex = load_lexicon()
    med, com = lex.payers["medicare"], lex.payers["commercial"]
    assert lex.payer_policies["diagnostic_tomosynthesis"] == ("G0279", "cpt")
    assert sorted(lex.not_billed_to(med)) == ["77061", "77062"]
    assert sorted(lex.not_billed_to(com)) == ["G0279"]
    text = "DIAGNOSTIC MAMMOGRAM BILATERAL WITH TOMOSYNTHESIS"
    assert _codes(sg.suggest_record({"text": text, "payer": "medicare"})) == ["77066", "G0279"]
    assert _codes(sg.suggest_record({"text": text, "payer": "commercial"})) == ["77062", "77066"]


def test_a_new_payer_policy_value_is_a_data_change(lexcopy, tmp_path):
    """A third diagnostic-tomosynthesis policy: a rule names it, a payer file uses it."""
    rules = lexcopy / "rules.jsonl"
    with rules.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"rule": "addon", "id": "dbt_both", "code": "77062", "primaries": ["77066"],
                             "when_qualifier": "tomosynthesis",
                             "when_payer": {"diagnostic_tomosynthesis": "cpt_bilateral_only"}}) + "\n")
    lex = load_lexicon(lexcopy)
    assert lex.payer_policies["diagnostic_tomosynthesis"] == ("G0279", "cpt", "cpt_bilateral_only")
    prof = tmp_path / "acme.json"
    prof.write_text(json.dumps({"_schema": "payer/1", "name": "acme", "description": "test",
                                "bilateral": "rt_lt", "diagnostic_tomosynthesis": "cpt_bilateral_only",
                                "substitutions": {}, "source": "test"}, indent=1) + "\n", encoding="utf-8")
    payer = load_payer(prof, lex.codes, lex.payer_policies)
    assert sorted(lex.not_billed_to(payer)) == ["77061", "G0279"]
    # the packaged rules do not know the value: the same file is refused there, naming its line
    with pytest.raises(LexiconError, match=r"acme.json:6: diagnostic_tomosynthesis must be one of \('G0279', 'cpt'\)"):
        load_payer(prof)


# ------------------------------------------------------------------ referential check at load


def _append(path: Path, row: str) -> int:
    lines = _lines(path)
    _write(path, lines + [row])
    return len(lines) + 1


@pytest.mark.parametrize("file,row,message", [
    ("rules.jsonl", '{"rule": "addon", "id": "x", "code": "74248", "primaries": ["74240"], '
                    '"when_qualifier": "follow_through_typo"}', "unknown qualifier atom 'follow_through_typo'"),
    ("rules.jsonl", '{"rule": "addon", "id": "x", "code": "74248", "primaries": ["74240"], '
                    '"when_payer": {"colour": "red"}}', "when_payer: unknown payer policy 'colour'"),
    ("rules.jsonl", '{"rule": "bundle", "id": "x", "if_any": ["99999"], "drop": ["70450"]}', "unknown code '99999'"),
    ("rules.jsonl", '{"rule": "merge", "id": "x", "modalities": ["CT"], "regions": ["abdomen", "pelvic"], '
                    '"into": "abdomen_pelvis"}', "no code has region 'pelvic'"),
    ("rules.jsonl", '{"rule": "split", "id": "x", "modalities": ["XQ"], "region": "chest", "into": ["chest"]}',
     "unknown modality 'XQ'"),
    ("rules.jsonl", '{"rule": "indication", "id": "x", "codes": ["71250"], "when_qualifier": "low_dose", '
                    '"indications": ["screening"], "message": "coded {cpt}"}', r"message: only \{code\} may be"),
    ("regions.tsv", "whole_trunk\tCT=chest\tparts=chest+abdomen_pelvis+tail", "parts: unknown site 'tail'"),
    ("regions.tsv", "whole_trunk\tCT=trunk", "site 'whole_trunk': no CT code has region 'trunk'"),
    ("regions.tsv", "whole_trunk\tCT=chest\timplies=limitd", "implies: unknown qualifier atom 'limitd'"),
    ("regions.tsv", "whole_trunk\tCT=chest\textent=US", "extent: no US code for site 'whole_trunk'"),
    ("region_rules.tsv", "XR\tkneecap\tstanding\tknees_standing", "no XR code or site has region 'kneecap'"),
    ("qualifiers.tsv", "code\tnever_used\tlimited\t", "qualifier 'never_used' is used by no code"),
])
def test_dangling_names_fail_at_load_naming_the_line(lexcopy, file, row, message):
    line = _append(lexcopy / file, row)
    with pytest.raises(LexiconError, match=rf"{re.escape(file)}:{line}: {message}"):
        load_lexicon(lexcopy)


def test_parts_cycle_and_missing_manifest_file(lexcopy):
    _append(lexcopy / "regions.tsv", "trunk_a\tCT=chest\tparts=trunk_b")
    line = _append(lexcopy / "regions.tsv", "trunk_b\tCT=chest\tparts=trunk_a")  # the row closing the cycle
    with pytest.raises(LexiconError, match=rf"regions.tsv:{line}: parts: trunk_a -> trunk_b -> trunk_a is a cycle"):
        load_lexicon(lexcopy)
    shutil.copy(lexicon_dir() / "regions.tsv", lexcopy / "regions.tsv")
    (lexcopy / "context.tsv").unlink()
    line = next(i + 1 for i, ln in enumerate(_lines(lexcopy / "manifest.json")) if '"context.tsv"' in ln)
    with pytest.raises(LexiconError, match=rf"manifest.json:{line}: file 'context.tsv' not found"):
        load_lexicon(lexcopy)


def test_a_code_whose_qualifier_has_no_row_names_the_code_line(lexcopy):
    lines = _lines(lexcopy / "codes.jsonl")
    no = next(i for i, ln in enumerate(lines) if ln.startswith(_code_row("74248")))
    lines[no] = lines[no].replace('"followthrough_addon"', '"follow_through"')
    _write(lexcopy / "codes.jsonl", lines)
    with pytest.raises(LexiconError, match=rf"codes.jsonl:{no + 1}: code 74248: qualifier 'follow_through' has no "
                                           r"'code' row in qualifiers.tsv"):
        load_lexicon(lexcopy)


def test_region_parts_come_from_regions_tsv_only():
    """One parts table (regions.tsv ``parts=``), closed transitively; frames reads it."""
    from suggester.frames import site_parts

    lex = load_lexicon()
    assert lex.site_parts("chest_abdomen_pelvis") == ("chest", "abdomen_pelvis", "abdomen", "pelvis")
    assert lex.site_parts("total_spine") == ("cervical_spine", "thoracic_spine", "lumbar_spine")
    assert lex.site_parts("knee") == () and lex.site_parts(None) == ()
    assert site_parts("abdomen_pelvis") == ("abdomen", "pelvis")
    import suggester.frames as frames

    assert not hasattr(frames, "SITE_PARTS")


# ------------------------------------------------------------------ a version bump needs no retrain


def _cli_code(tmp_path: Path, name: str, *extra: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    out = tmp_path / f"{name}.jsonl"
    proc = subprocess.run([sys.executable, "-c", "from suggester.cli import main; main()", "code", str(SAMPLE),
                           "-o", str(out), "--workers", "1", *extra],
                          capture_output=True, text=True, timeout=600)
    recs = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return proc, recs


def test_a_bumped_lexicon_version_codes_the_sample_with_exit_0(lexcopy, tmp_path):
    manifest = json.loads((lexcopy / "manifest.json").read_text(encoding="utf-8"))
    packaged = manifest["version"]
    manifest["version"] = packaged + ".1"
    (lexcopy / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")

    base, want = _cli_code(tmp_path, "packaged")
    bumped, got = _cli_code(tmp_path, "bumped", "--lexicon", str(lexcopy))
    assert (base.returncode, bumped.returncode) == (0, 0), bumped.stderr[-2000:]
    assert "Traceback" not in bumped.stderr
    assert f"trained with lexicons {packaged}, running {packaged}.1" in bumped.stderr  # a warning, not a refusal
    assert len(got) == len(want) == len(_lines(SAMPLE))
    assert [r["versions"]["lexicons"] for r in got] == [packaged + ".1"] * len(got)
    # the same code lines, modifiers, units and confidence: nothing was retrained
    assert [(r["id"], r["codes"]) for r in got] == [(r["id"], r["codes"]) for r in want]


# ------------------------------------------------------------------ no CPT/HCPCS literal in the code

# a code-shaped string: 5 digits, 4 digits + T (category III), a letter + 4 digits (HCPCS II)
CODE_SHAPED = re.compile(r"[0-9]{4}[0-9T]|[A-Z][0-9]{4}")
# user-facing examples that show what a code looks like (not coding facts); each entry is the
# exact phrase, so another literal in the same file still fails
EXAMPLES = {
    "suggester/cli.py": ("--ordered 73560",),
    "suggester/evaluation.py": ("e.g. 73562-RT",),
    "suggester/workbench/store.py": ('" 74177 73562 "',),  # a comment inside the SQL schema
}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def code_literals(source: str, codes: frozenset, examples: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(line, code) of every CPT/HCPCS code in a string constant outside docstrings (comments are
    not in the syntax tree): a string that is a code-shaped value, or a code of the table written
    inside a longer string (messages, f-string parts)."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    hits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docs:
            continue
        text = node.value
        for phrase in examples:
            text = text.replace(phrase, "")
        if CODE_SHAPED.fullmatch(text.strip()):
            hits.append((node.lineno, text.strip()))
            continue
        hits += [(node.lineno, w) for w in re.findall(r"(?<![0-9A-Za-z])[0-9A-Z][0-9]{3}[0-9A-Z](?![0-9A-Za-z])", text)
                 if w in codes]
    return sorted(hits)


def test_the_literal_scan_finds_literals_and_skips_docstrings_and_comments():
    src = ('"""Module doc: 74248 is the add-on."""\n'
           'def f(code):\n'
           '    """Doc: ``f("77067")``."""\n'
           '    # a comment naming 71271\n'
           '    if code in ("74240", "0042T"):\n'
           '        return f"{code} needs 71271 here"\n'
           '    return "CT 2025 review"\n')
    assert code_literals(src, frozenset({"74240", "71271"})) == [(5, "0042T"), (5, "74240"), (6, "71271")]


def test_no_cpt_code_literal_in_suggester_outside_docstrings():
    codes = frozenset(load_lexicon().codes)
    found = []
    for path in sorted((REPO / "suggester").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        found += [f"{rel}:{no}: {code}" for no, code in
                  code_literals(path.read_text(encoding="utf-8"), codes, EXAMPLES.get(rel, ()))]
    assert found == [], "coding facts belong in lexicons/ (docs/codes.md):\n" + "\n".join(found)


@pytest.mark.parametrize("row,message", [
    ("jawbn\tmandibel", "word 'mandibel' is in no term: the shorthand would match nothing"),
    ("lwr\tlower", "shorthand 'lwr' is a word of the term at anatomy.tsv:[0-9]+: it would no longer match as written"),
    ("radex\tradiograph", "duplicate shorthand 'radex' \\(first at line [0-9]+\\)"),
    ("Up Extr\tupper", "shorthand 'Up Extr': write one lower-case word"),
])
def test_abbreviation_rows_are_checked(lexcopy, row, message):
    line = _append(lexcopy / "abbreviations.tsv", row)
    with pytest.raises(LexiconError, match=rf"abbreviations.tsv:{line}: {message}"):
        load_lexicon(lexcopy)


def test_a_lexicon_without_abbreviations_reads_shorthand_as_written(lexcopy):
    m = json.loads((lexcopy / "manifest.json").read_text(encoding="utf-8"))
    del m["abbreviations"]
    (lexcopy / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert load_lexicon(lexcopy).abbreviations == {}
    assert load_lexicon().abbreviations["mndbl"] == "mandible"
