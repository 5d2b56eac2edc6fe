"""Full-length reports and exports as production writes them (stop 35, acc22): speech-recognition run-on
reports that read several exams under their own subheadings ("ct head findings ..."), a short banner sentence
before the exam's name on the title line ("code stroke. ct head without contrast, ..."), unformatted banner lines
whose values the noise stage set aside, exports' status, rule and facility lines around the title, ORDERED /
PERFORMED headers over an export's row, a column-header row run on into its data row, lower-cased RIS rows, a
radiograph reduced to fewer views, a breast ultrasound's "complete" finding and a CT's stated coverage.
Reports written for these tests."""

from __future__ import annotations

import pytest

from suggester import Suggester
from suggester.sections import split_sections


@pytest.fixture(scope="module")
def s():
    return Suggester(billing="global", payer="medicare")


def _codes(out):
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"]) for c in out["codes"])


# ------------------------------------------------------------------ exams' subheadings in a run-on report

_TWO_EXAMS = (
    "ed preliminary read for trauma. history 35 year old man thrown from a bicycle. technique axial images of the "
    "brain without contrast and helical images of the cervical spine with coronal and sagittal reformats, no "
    "contrast given. ct head findings no acute intracranial bleed. no extra axial collection. the paranasal "
    "sinuses and the mastoid air cells are clear and the orbits are unremarkable. ct cervical spine findings no "
    "fracture of the vertebral bodies. the lung apices are clear. impression 1. no acute intracranial finding. "
    "2. no cervical spine fracture.")


def test_exam_subheadings_open_findings_in_a_run_on_report(s):
    """"ct head findings" and "ct cervical spine findings" open the findings of each exam: the sinuses,
    mastoids, orbits and lung apices they read are findings, not scanned regions of the technique
    (70450 + 72125, not also 70486, 70480 and 71250; the title names no exam)."""
    assert _codes(s.suggest(_TWO_EXAMS)) == ["70450", "72125"]
    assert _codes(s.suggest(_TWO_EXAMS.upper())) == ["70450", "72125"]


def test_exam_subheading_starts_at_its_modality_word(s):
    """The subheading's own words open the findings section, not the end of the technique; a findings
    word after prose ("these findings are") opens none."""
    text = _TWO_EXAMS + " these findings are new since the prior study and were discussed with the ed physician."
    sections = split_sections(text, s.lex.sections, openers=s.lex.modality_words())
    assert [text[x.start:x.end].split(".")[0] for x in sections if x.name == "findings"] == \
        ["no acute intracranial bleed", "no fracture of the vertebral bodies"]
    technique = next(text[x.start:x.end] for x in sections if x.name == "technique")
    assert technique.endswith("no contrast given. ")


# ------------------------------------------------------------------ a banner sentence before the exam's name


def test_lead_in_sentence_before_the_exam_name_is_not_the_title(s):
    """"code stroke." before the exam's name on the title line is the reason for it: the title names the
    noncontrast head CT of the stroke workup beside the CTA, which is billed on its own (70450 + 70496 +
    70498)."""
    text = ("code stroke. ct head without contrast, cta head and neck. history 81 year old man with aphasia, "
            "last known well one hour ago. technique noncontrast ct of the head was done first, then ct angiography "
            "from the arch to the vertex after 75 ml iohexol iv, with 3d mip reconstructions. findings "
            "no hemorrhage. occlusion of the left m2 branch. impression left m2 occlusion.")
    assert _codes(s.suggest(text)) == ["70450", "70496", "70498"]
    mixed = text.replace("code stroke.", "Code stroke.").replace("ct head", "CT head").replace("cta", "CTA")
    assert _codes(s.suggest(mixed)) == ["70450", "70496", "70498"]


def test_lead_in_sentence_before_a_multi_exam_title(s):
    """"trauma pan scan." before a title that names four exams: the title is read (70450 + 72125 + 71260 +
    74177), not a without-then-with read of the whole set from its sentence order."""
    text = ("trauma pan scan. ct head and cervical spine without contrast, ct chest abdomen and pelvis with "
            "contrast. history 40 year old pedestrian struck. technique noncontrast images of the head and "
            "cervical spine first. then helical images of the chest abdomen and pelvis in the portal venous "
            "phase after 100 ml iodinated contrast iv. reformats of the thoracic and lumbar spine were reviewed. "
            "head no bleed. chest no pneumothorax. abdomen no solid organ injury. impression no acute injury.")
    assert _codes(s.suggest(text)) == ["70450", "71260", "72125", "74177"]


# ------------------------------------------------------------------ a banner whose values were set aside


def test_plain_banner_with_set_aside_values_is_not_the_title(s):
    """An unformatted banner line ("patient class outpatient. referring dr. x. lee. study date ...") whose date
    and accession the noise stage set aside is a banner, not the title: the hip MRI on the next line is the
    exam, its pelvic field of view no pelvis MRI (73721-LT, not also 72195)."""
    text = ("patient class outpatient. referring dr. x. lee. study date 11/30/2026. acc# 70112233. internal order "
            "MR-123.\nmri left hip without contrast. history 60 year old man with groin pain. technique coronal t1 "
            "and stir and axial t2 images of the left hip, with a large field of view coronal series of the pelvis. "
            "no contrast. findings no fracture. no avascular necrosis. impression normal left hip.")
    assert _codes(s.suggest(text)) == ["73721-LT"]


# ------------------------------------------------------------------ exports' banners, status and facility lines


def test_class_field_and_rule_line_above_the_title_are_banners(s):
    """A banner line whose last field is the patient's class ("Loc: ...   Class: O") and a rule line of dashes
    under it name no exam: the bone length study below is the title (77073, not femur films)."""
    text = ("WESTFIELD ORTHO IMAGING -- RADIOLOGY REPORT\n"
            "Pt ID: 5512340   Visit #: V1120   Loc: WOI-OP   Class: O\n"
            "Referring: Dr. K. Amos\n"
            "------------------------------------------\n"
            "XR BONE LENGTH STUDY (SCANOGRAM)\n"
            "Clinical indication: 10-year-old girl, leg length difference.\n"
            "Technique: Standing AP full-length bilateral lower extremity radiograph with a ruler.\n"
            "Findings: Right femur 40.2 cm, left femur 41.0 cm.\n"
            "Impression: Left leg 0.8 cm longer.\n")
    assert _codes(s.suggest(text)) == ["77073"]


def test_export_status_line_and_facility_line_are_no_titles(s):
    """"PACS REPORT EXPORT - FINAL" above the title is the export's status line, and the facility's name under
    the title ("... Breast & Bone Imaging | scanner") no second title: the axial DXA is billed (77080), not an
    appendicular study read from a breast in the facility's name."""
    text = ("PACS REPORT EXPORT - FINAL\n"
            "Facility: Eastlake Breast & Bone Imaging, 12 Lake Road\n"
            "Patient class: Outpatient   Priority: Routine\n\n"
            "BONE DENSITOMETRY (DXA) - AXIAL SKELETON\n"
            "Eastlake Breast & Bone Imaging | Lunar iDXA\n"
            "Accession: BD77120011   Date: 11/30/2026\n\n"
            "TECHNIQUE: DXA of the lumbar spine and both proximal femurs.\n"
            "RESULTS: Lumbar spine T-score -1.1. Left femoral neck T-score -1.8.\n"
            "IMPRESSION: Osteopenia.\n")
    assert _codes(s.suggest(text)) == ["77080"]


def test_breast_ultrasound_complete_only_when_the_exam_is(s):
    """A targeted axillary ultrasound beside a diagnostic mammogram is limited: "complete effacement of the
    fatty hilum" is a finding, not a complete breast survey (76642-LT, not 76641-LT)."""
    text = ("DIAGNOSTIC MAMMOGRAM BILATERAL AND LEFT AXILLARY ULTRASOUND\n\n"
            "CLINICAL HISTORY: 65-year-old woman with a palpable left axillary lump.\n\n"
            "TECHNIQUE: Bilateral CC and MLO digital mammograms. Targeted ultrasound of the left axilla.\n\n"
            "MAMMOGRAPHY FINDINGS: Dense left axillary nodes. No suspicious breast mass.\n\n"
            "ULTRASOUND FINDINGS: Left axilla: two enlarged nodes with complete effacement of the fatty hilum.\n\n"
            "IMPRESSION: Suspicious left axillary adenopathy. BI-RADS 4.\n")
    assert _codes(s.suggest(text)) == ["76642-LT", "77066"]


# ------------------------------------------------------------------ a reduced radiograph


def test_radiograph_coded_by_fewer_views_gets_no_52(s):
    """A spine series whose title names 2-3 views but only a lateral view was taken, "incomplete exam": the
    single-view code is the service done (72020), no 52 on top of it (it would reduce it twice)."""
    text = ("XR CERVICAL SPINE 2-3V\n"
            "HISTORY: neck pain after a fall\n"
            "FINDINGS: A lateral view only was obtained; the patient declined the remaining views. Normal alignment.\n"
            "IMPRESSION: Incomplete exam. No fracture on the lateral view.\n")
    out = s.suggest(text)
    assert _codes(out) == ["72020"]
    assert any("no 52" in r for c in out["codes"] for r in c["modifier_reasons"])


# ------------------------------------------------------------------ lower-cased one-line rows


def test_lower_case_ris_row_title_ends_at_its_dash(s):
    """A lower-cased RIS row: the title ends at the spaced dash after its procedure code, as it does in
    capitals; the prior study the read names after it ("seen on cta in may") is no exam of this report
    (71250, not 71275)."""
    text = ("ct chest wo [ctchwo] -- 6 mo f/u of an 8 mm lul nodule seen on cta 05/2026. nodule unchanged at 8 mm, "
            "smooth margins. no new nodules. impression: stable lul nodule. dr. a. lin 11/20/2026")
    assert _codes(s.suggest(text)) == ["71250"]
    assert _codes(s.suggest(text.upper())) == ["71250"]


def test_lower_case_row_gap_ends_the_title(s):
    """A lower-cased row whose fields are set apart by runs of blanks: the title ends at the gap before the
    history ("mri c spine wo  hx ..."); the arm in the history is no exam (72141 alone)."""
    text = ("mri c spine wo  11/28/2026  hx neck pain radiating r arm, numbness of the thumb  tech sag t1/t2/stir ax "
            "t2/gre no contrast  findings: c6-7 r foraminal disc osteophyte complex with severe r foraminal stenosis. "
            "cord normal. imp: severe r c6-7 foraminal stenosis.")
    assert _codes(s.suggest(text)) == ["72141"]


# ------------------------------------------------------------------ an ORDERED / PERFORMED pair over a row


def test_header_row_repeated_as_the_report_first_line_is_the_title(s):
    """ORDERED / PERFORMED headers that carry the export's whole row, and the row again as the report's first
    line: the copy is the title again, not report body; the read's "contrast not given" decides (72141, not
    the order field's with-and-without 72156)."""
    row = "77120014|MRN-XXXX|11/30/2026 09:10|MR C-SPINE W/WO [MRCS2]|FINAL|MRI CERVICAL SPINE"
    text = (f"ORDERED: {row}\nPERFORMED: {row}\n{row}. CONTRAST NOT GIVEN, PATIENT DECLINED IV ACCESS; NONCONTRAST "
            "SEQUENCES ONLY. HX: LEFT ARM NUMBNESS. C6-7 LEFT FORAMINAL STENOSIS. CORD NORMAL. IMP: LEFT C6-7 FORAMINAL "
            "STENOSIS.")
    assert _codes(s.suggest(text)) == ["72141"]


# ------------------------------------------------------------------ a column-header row run on into its data row


def test_column_row_joined_to_its_data_row_by_a_comma(s):
    """A CSV export written on one line, its column-header row joined to the data row by a comma: the header
    row's "EXAM DESC" is a column name, not an exam header; the row's exam field is the title (72100)."""
    text = ('ACC#,MRN,EXAM DESC,REPORT TEXT,66120033,E5512,"XR LUMBAR SPINE [XRLS2]","INDICATION: 70-year-old man '
            'with low back pain. TECHNIQUE: AP and lateral. COMPARISON: None. FINDINGS: No fracture. Mild facet '
            'arthropathy at L4-5 and L5-S1. Disc heights preserved. IMPRESSION: Degenerative change, no fracture."')
    assert _codes(s.suggest(text)) == ["72100"]


def test_tab_column_row_joined_to_its_data_row_by_a_comma(s):
    """The same with a tab-separated row in mixed case ("Acc#<TAB>MRN<TAB>Procedure ...,MR..."): the performed
    exam's knee MRI is billed (73721-LT), not a femur radiograph."""
    text = ("Acc#\tMRN\tProcedure\tModality\tOrdering\tReport,MR2611001\t004411223\tMR KNEE LT WO [MRKNL]\tMR\tSPORTS "
            "CLINIC\tMRI LEFT KNEE WITHOUT CONTRAST. HX: 24 yo F, pivoting injury. TECH: PD, T2 FS, T1 in 3 planes, no "
            "IV contrast. FINDINGS: Complete tear of the anterior cruciate ligament. Menisci intact. Bone bruises of "
            "the lateral femoral condyle. IMPRESSION: ACL tear.")
    assert _codes(s.suggest(text)) == ["73721-LT"]


def test_performed_header_that_names_the_order_and_what_was_obtained(s):
    """"PERFORMED: XR ANKLE LT 3V ordered; AP and lateral views only obtained": what was obtained is the
    technique and beats the order's view count (73600-LT for two views, not 73610-LT)."""
    text = ("ORDERED: XR ANKLE LT 3V\n"
            "PERFORMED: XR ANKLE LT 3V ordered; AP and lateral views only obtained.\n"
            "HX: inversion injury.\n"
            "FINDINGS: No fracture. Lateral soft tissue swelling.\n")
    assert _codes(s.suggest(text)) == ["73600-LT"]


# ------------------------------------------------------------------ the coverage a technique states


def test_coverage_to_the_bladder_base_includes_the_pelvis(s):
    """A stone-protocol CT titled abdomen whose technique covers "from the kidneys to the bladder base" scans
    the pelvis too: abdomen and pelvis without contrast (74176, not 74150)."""
    text = ("CT ABDOMEN WITHOUT CONTRAST\n"
            "Indication: 35 yo, left flank pain, stone protocol.\n"
            "Technique: low-dose noncontrast images from the kidneys to the bladder base.\n"
            "Findings: 4 mm calculus at the left ureterovesical junction with mild hydroureter.\n"
            "Impression: Left UVJ calculus.\n")
    assert _codes(s.suggest(text)) == ["74176"]


def test_compact_age_after_the_title_opens_the_history(s):
    """A terse preliminary read whose title runs on into the patient's compact age and complaint ("CT chest w
    contrast 58F cough, ..., CXR with a mass"): the title ends before the age; the chest film the history cites
    is no exam of this report (71260, not also 71045)."""
    text = ("PRELIM: CT chest w contrast 58F cough, weight loss, CXR with RLL mass. IV contrast given. 3.9 cm RLL mass "
            "with hilar adenopathy. No effusion.\nIMP: RLL mass, likely primary lung cancer.")
    assert _codes(s.suggest(text)) == ["71260"]


def test_acute_abdomen_series_whose_narrative_says_no_chest_view(s):
    """An acute abdomen series with no technique section whose narrative says the chest view was not taken and
    a decubitus abdomen was taken instead: the three abdomen views alone (74021, not the series' 74022)."""
    text = ("ACUTE ABDOMEN SERIES\n"
            "HX: abdominal pain, rule out free air\n"
            "Supine and upright abdomen. Upright chest was not obtained (patient unable to stand); left lateral "
            "decubitus abdomen obtained instead.\n"
            "Nonobstructive bowel gas pattern. No free air on the decubitus view.\n"
            "IMP: No free air.\n")
    assert _codes(s.suggest(text)) == ["74021"]
