"""ref24: the administrative fields of report headers are one lexicon table (lexicons/admin_fields.tsv).

The noise stage's administrative lines, the sections stage's banner lines and its fields written
without their colons are built from the rows of the table that carry each role. The table is checked
at load (errors name file and line), and a lexicon copy with a field added is read by every stage the
field's roles name, and by no other. The extractor reads its word lists from the lexicon. A side the
report documents over a frame's own is set by one Frame method (conflict, side, evidence, source).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from suggester import Suggester
from suggester.lexicon import LexiconError, default_lexicon, load_lexicon
from suggester.model import Frame, Mention
from suggester.noise import set_aside
from suggester.resources import lexicon_dir
from suggester.sections import split_sections

TABLE = "admin_fields.tsv"

# a line of labelled fields whose first label is new to the packaged table, above the exam title
LABELLED = "Ward: 5B   Room: 4\nXR CHEST 2 VIEWS\nFINDINGS: Clear lungs."
# the same fields written without their colons (an unformatted export): three fields make a banner line
UNLABELLED = "ward 5b. mrn 7133150. location outpatient.\nXR CHEST 2 VIEWS\nFINDINGS: Clear lungs."


@pytest.fixture
def lexcopy(tmp_path) -> Path:
    d = tmp_path / "lex"
    shutil.copytree(lexicon_dir(), d)
    return d


def _append(lex: Path, row: str) -> int:
    """Append a row to the copy's table; its line number."""
    path = lex / TABLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text + row + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _exam(text: str, lex) -> str:
    secs = split_sections(text, lex.sections, admin_fields=lex.admin_fields)
    return next(text[s.start:s.end] for s in secs if s.name == "exam")


def _admin_lines(text: str, lex) -> list[tuple[int, int]]:
    return [(n.start, n.end) for n in set_aside(text, admin_fields=lex.admin_fields)[1] if n.kind == "admin_line"]


# ------------------------------------------------------------------ the table is checked at load

@pytest.mark.parametrize(("row", "message"), [
    ("ward\tnoise+header", "unknown role 'header'"),
    ("ward\t", "unknown role ''"),
    ("Ward Code\tbanner", "field 'Ward Code': write lower-case words one blank apart"),
    ("ward\tplain\tward(code)?", r"the pattern has a capturing group: write \(\?:\.\.\.\)"),
    ("ward\tplain\t(?:ward)?", "the pattern matches an empty text"),
    ("ward\tplain\tward[", "bad pattern"),
    ("ward\tbanner\t(?i)ward", "bad pattern"),  # a global flag inside the stages' alternation
    ("ward\tnoise\tward\textra", "expected 2-3 tab-separated columns, got 4"),
])
def test_a_malformed_row_names_the_file_and_its_line(lexcopy, row, message):
    line = _append(lexcopy, row)
    with pytest.raises(LexiconError, match=rf"{TABLE}:{line}: {message}"):
        load_lexicon(lexcopy)


def test_a_field_twice_in_one_role_names_both_lines(lexcopy):
    first = _append(lexcopy, "ward\tnoise+banner")
    line = _append(lexcopy, "ward\tplain+banner\tward(?:[ \\t]+no)?")
    with pytest.raises(LexiconError, match=rf"{TABLE}:{line}: duplicate field 'ward' in role banner "
                                           rf"\(first at line {first}\)"):
        load_lexicon(lexcopy)


def test_the_schema_line_is_checked(lexcopy):
    path = lexcopy / TABLE
    path.write_text(path.read_text(encoding="utf-8").replace("admin_fields/1", "admin_fields/0", 1), encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"{TABLE}:1: schema 'admin_fields/0', expected 'admin_fields/1'"):
        load_lexicon(lexcopy)


def test_a_role_without_fields_is_an_error(lexcopy):
    path = lexcopy / TABLE
    kept = [ln for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.startswith("#") or "plain" not in ln.split("\t")[1]]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"{TABLE}: no field has role plain"):
        load_lexicon(lexcopy)


def test_the_manifest_names_the_table(lexcopy):
    (lexcopy / TABLE).unlink()
    with pytest.raises(LexiconError, match=r"manifest.json:\d+: file 'admin_fields.tsv' not found"):
        load_lexicon(lexcopy)


# ------------------------------------------------------------------ a field added is read by its roles

def test_the_packaged_table_does_not_know_the_new_field():
    lex = default_lexicon()
    assert _admin_lines(LABELLED, lex) == []
    assert _exam(LABELLED, lex) == "Ward: 5B   Room: 4"
    assert _exam(UNLABELLED, lex) == "ward 5b."


def test_a_field_added_with_every_role_is_read_by_all_three(lexcopy):
    _append(lexcopy, "ward\tnoise+banner+plain")
    lex = load_lexicon(lexcopy)
    assert _admin_lines("Ward: 5B west\nXR CHEST 2 VIEWS", lex) == [(0, 13)]  # noise: the line is set aside
    assert _exam(LABELLED, lex) == "XR CHEST 2 VIEWS"  # banner: a line of labelled fields, no title
    assert _exam(UNLABELLED, lex) == "XR CHEST 2 VIEWS"  # plain: its third field without a colon


def test_a_field_added_with_one_role_is_read_by_that_role_alone(lexcopy):
    _append(lexcopy, "ward\tplain")
    lex = load_lexicon(lexcopy)
    assert _admin_lines("Ward: 5B west\nXR CHEST 2 VIEWS", lex) == []
    assert _exam(LABELLED, lex) == "Ward: 5B   Room: 4"
    assert _exam(UNLABELLED, lex) == "XR CHEST 2 VIEWS"


def test_a_field_pattern_replaces_its_label(lexcopy):
    _append(lexcopy, "ward\tbanner\tward(?:[ \\t]+(?:no|#))?")
    lex = load_lexicon(lexcopy)
    assert _exam("Ward no: 5B   Room: 4\nXR CHEST 2 VIEWS", lex) == "XR CHEST 2 VIEWS"
    assert _exam("Ward name: 5B   Room: 4\nXR CHEST 2 VIEWS", lex) == "Ward name: 5B   Room: 4"


def test_the_pipeline_reads_the_fields_of_its_own_lexicon(lexcopy):
    _append(lexcopy, "ward\tnoise+banner")
    for path, exam in ((None, "Ward: 5B   Room: 4"), (lexcopy, "XR CHEST 2 VIEWS")):
        ex = Suggester(lexicon_path=path).extractor.extract(LABELLED)
        assert [LABELLED[s.start:s.end] for s in ex.sections if s.name == "exam"] == [exam]


# ------------------------------------------------------------------ the extractor's word lists are the lexicon's

def test_the_lexicon_names_its_exam_words_and_term_words():
    lex = default_lexicon()
    assert {"ct", "xr", "mri"} <= lex.exam_words  # modalities name an exam in a banner line
    assert "knee" not in lex.exam_words and "knee" in lex.term_words  # anatomy alone names a facility
    assert lex.exam_words < lex.term_words


# ------------------------------------------------------------------ a side the report documents over the frame's

def _side_mention(value: str, start: int) -> Mention:
    return Mention("side", value, start, start + 5, "technique", value, 0, 0)


def test_a_corrected_side_records_the_conflict_and_its_evidence():
    f = Frame("XR", "knee", side="left")
    before = [_side_mention("left", 0)]
    f.evidence["side"] = before
    now = [_side_mention("right", 20)]
    f.correct_side("right", now)
    assert (f.side, f.evidence["side"], f.sources) == ("right", now, {})
    assert [(c.attribute, c.title_value, c.performed_value, c.title, c.performed) for c in f.conflicts] \
        == [("side", "left", "right", before, now)]


def test_a_corrected_side_without_a_conflict_keeps_its_source():
    f = Frame("DXA", "hip", side="left")
    now = [_side_mention("right", 20)]
    f.correct_side("right", now, conflict=False, source="addendum")
    assert (f.side, f.evidence["side"], f.sources["side"], f.conflicts) == ("right", now, "addendum", [])
