"""Error classes of the enlarged dev split in duplex, ultrasound and MR (issue 12: the calibration
parts cal_af..cal_ak that joined it), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # a bilateral order changed or limited to one side: that side's unilateral code (CODING_RULES §5, §6)
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nHISTORY: Left calf pain.\nTECHNIQUE: Bilateral order "
     "changed to left only per the ordering physician. Compression and spectral Doppler of the left common "
     "femoral, femoral, popliteal and calf veins.\nFINDINGS: All veins compressible with phasic flow.\n"
     "IMPRESSION: No left DVT.", ["93971-LT"]),
    ("VEN DUP BLE [VLVENB] ACC# 1234 -- CONVERTED TO A RIGHT LEG ONLY STUDY, LEFT DONE YESTERDAY. RT CFV/FV/POP "
     "COMPRESSIBLE. IMP: NO RT DVT.", ["93971-RT"]),
    ("EXAM: DUPLEX UPPER EXTREMITY VEINS BILATERAL\nHISTORY: Right arm swelling, PICC.\nTECHNIQUE: The exam was "
     "limited to the right upper extremity at the request of the clinical team. Grayscale, color and spectral "
     "Doppler of the right IJ, subclavian, axillary, brachial and basilic veins.\nFINDINGS: Occlusive thrombus "
     "in the right basilic vein around the PICC.\nIMPRESSION: Right basilic vein thrombosis.", ["93971-RT"]),
    ("US CAROTID DUPLEX BILATERAL. Order changed to right side only; the left was stented and studied last "
     "week. Right ICA PSV 95 cm/s, ICA/CCA ratio 1.2, 16-49% stenosis. IMP: mild right ICA stenosis.",
     ["93882-RT"]),
    # negatives: both sides examined, and "only" about a vessel, not a side
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nTECHNIQUE: Compression and Doppler of both legs. "
     "Right calf veins only partially seen.\nFINDINGS: No DVT on the right or the left.\nIMPRESSION: No DVT.",
     ["93970"]),
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nCOMPARISON: Prior study changed to right only on "
     "11/02.\nTECHNIQUE: Compression and Doppler of both legs.\nFINDINGS: No DVT on the right or the left.\n"
     "IMPRESSION: No DVT.", ["93970"]),
])
def test_bilateral_order_changed_to_one_side(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_order_changed_to_one_side_is_flagged(sg):
    rec = sg.suggest("ORDER: US VENOUS DOPPLER BILAT LE\nPERFORMED: VEN DUP RLE -- CHANGED TO RIGHT ONLY PER "
                     "DR. LEE. RT CFV/FV/POP COMPRESSIBLE. IMP: NO RT DVT.", ordered="US VENOUS DOPPLER BILAT LE")
    assert codes(rec) == ["93971-RT"]
    assert "performed_differs_from_ordered" in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # an ORDER line, then a one-line read that opens with the exam performed (RIS row): the read is
    # the report, not a part of the order; the title ends at the row's spaced dash
    ("ORDER: ARTERIAL PHYSIOLOGIC STUDY LE MULTILEVEL\nABI BILAT RESTING [VLABI] ACC# 88123 -- DIABETIC, "
     "CLAUDICATION. SEGMENTALS NOT DONE, CUFF PAIN. RT ABI 0.71, LT ABI 0.95. IMP: MILD RT PAD.", ["93922"]),
    ("ORDER: US ABDOMEN COMPLETE\nUS RUQ [USRUQ] ACC# 55120 -- RUQ PAIN. LIVER NORMAL. GB WITH STONES, NO WALL "
     "THICKENING. CBD 4 MM. IMP: CHOLELITHIASIS.", ["76705"]),
    ("ORDERED: CT HEAD WO\nCT HEAD WO CONTRAST [CTHWO] ACC# 771 -- FALL ON BLOOD THINNERS, R HALLUX FRACTURE IN "
     "ED. NO HEMORRHAGE, NO MASS EFFECT. IMP: NO ACUTE INTRACRANIAL FINDING.", ["70450"]),
])
def test_order_line_then_one_line_read(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a resting ABI title, the multi-level study performed: complete (CODING_RULES §5, §6)
    ("EXAM: ABI BILATERAL\nTECHNIQUE: Resting ABIs were abnormal, so segmental pressures at the thigh, calf and "
     "ankle with pulse volume recordings were added bilaterally.\nFINDINGS: Right ABI 0.62 with a thigh-calf "
     "gradient. Left ABI 0.91.\nIMPRESSION: Right femoropopliteal disease.", ["93923"]),
    ("EXAM: ANKLE BRACHIAL INDEX, BILATERAL\nTECHNIQUE: Multilevel segmental pressures and pulse volume "
     "recordings of both lower extremities.\nFINDINGS: Normal waveforms at all levels.\nIMPRESSION: No PAD.",
     ["93923"]),
    # negatives: the title's ABIs only; a multi-level title over levels not done keeps the text's reading
    ("EXAM: ABI BILATERAL\nTECHNIQUE: Resting ankle-brachial indices. Segmental pressures were not performed.\n"
     "FINDINGS: Right 0.88, left 0.90.\nIMPRESSION: Mild bilateral PAD.", ["93922"]),
    ("EXAM: ABI BILATERAL\nTECHNIQUE: Brachial and ankle pressures bilaterally.\nFINDINGS: Right 1.02, left "
     "0.98.\nIMPRESSION: Normal.", ["93922"]),
])
def test_abi_title_multilevel_study_performed(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # MR enterography images the abdomen and the pelvis: one code each (no combined MR code, §3)
    ("MR ENTEROGRAPHY\nTechnique: Oral VoLumen, glucagon. Axial and coronal T2, DWI, then dynamic T1 images "
     "before and after IV gadoterate.\nFindings: Terminal ileal wall thickening with hyperenhancement.\n"
     "Impression: Active terminal ileitis.", ["72197", "74183"]),
    ("EXAM: MRI SMALL BOWEL (ENTEROGRAPHY) WITHOUT CONTRAST\nTECHNIQUE: Oral contrast, T2 and DWI only; no IV "
     "gadolinium (pregnancy).\nFINDINGS: Normal small bowel.\nIMPRESSION: No active Crohn disease.",
     ["72195", "74181"]),
    ("EXAM: MRE W/WO\nHISTORY: Crohn disease.\nTECHNIQUE: MR enterography: precontrast and postcontrast T1 "
     "after gadobutrol.\nFINDINGS: Stricture of the neoterminal ileum.\nIMPRESSION: Stricture.",
     ["72197", "74183"]),
    # negatives: a CT enterography stays the combined CT code; a fluoroscopic small bowel series its own
    ("EXAM: CT ENTEROGRAPHY WITH CONTRAST\nTECHNIQUE: Neutral oral contrast and IV contrast in the enteric phase."
     "\nFINDINGS: Normal small bowel.\nIMPRESSION: Normal.", ["74177"]),
])
def test_mr_enterography_abdomen_and_pelvis(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a RIS row whose read says a speech pathologist's video study was done: the swallowing
    # function study, not the esophagram the title names (CODING_RULES §8)
    ("FL BARIUM SWALLOW [FLBASW] ACC# 4401 -- SLP present, videofluoroscopic lateral views, thin and nectar "
     "liquids. Trace penetration with thin. IMP: mild oropharyngeal dysphagia.", ["74230"]),
    ("FL ESOPHAGRAM [FLESO] ACC# 4402 -- Single contrast barium, upright and prone views. Small sliding hiatal "
     "hernia. IMP: hiatal hernia.", ["74220"]),
])
def test_ris_row_swallow_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a template's conditional contrast sentence documents no contrast (CODING_RULES §2)
    ("EXAM: MRI LEFT ANKLE WITHOUT CONTRAST\nTECHNIQUE: Multiplanar PD and T2 fat-saturated images of the left "
     "ankle. Contrast agent (where given) by hand injection via antecubital IV.\nFINDINGS: Partial tear of the "
     "ATFL.\nIMPRESSION: ATFL sprain.", ["73721-LT"]),
    ("EXAM: MRI LUMBAR SPINE\nTECHNIQUE: Sagittal T1, T2 and STIR, axial T2. If IV contrast was given, the dose "
     "and agent are listed in the contrast log.\nFINDINGS: L4-L5 disc protrusion.\nIMPRESSION: L4-L5 "
     "protrusion.", ["72148"]),
    ("EXAM: CT HEAD\nTECHNIQUE: Axial images of the head. Where contrast is described, it was given by power "
     "injector through an 18 gauge IV.\nFINDINGS: No hemorrhage.\nIMPRESSION: Normal.", ["70450"]),
    # the series before and after the agent the report names stays the without-then-with study
    ("EXAM: MRI PELVIS WITHOUT AND WITH CONTRAST\nTECHNIQUE: T2 and DWI, then dynamic T1 before and after 7 mL "
     "gadobutrol IV. Where contrast is described above, it was administered by power injector.\nFINDINGS: "
     "Normal.\nIMPRESSION: Normal.", ["72197"]),
    ("EXAM: MRI BRAIN\nTECHNIQUE: Sagittal T1, axial FLAIR and DWI, then axial and coronal T1 after 7 mL "
     "gadoterate IV.\nFINDINGS: Normal.\nIMPRESSION: Normal.", ["70553"]),
])
def test_conditional_contrast_template_sentence(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a terse read's organ shorthands document the complete study's elements (CODING_RULES §5)
    ("US ABD COMP [USABC] ACC# 99 -- ABD PAIN. LIVER 14 CM NL, GB NO STONES, CBD 4, PANC NL, SPLEEN 9.8, RK 10.2 "
     "LK 10.8 NO HYDRO, IVC NL, AORTA 1.9 CM. IMP: NORMAL.", ["76700"]),
    ("EXAM: US ABDOMEN COMPLETE\nFINDINGS: Liver normal. GB normal. CBD 3 mm. Panc obscured by gas. Spleen 10 cm. "
     "RK 11 cm, LK 11 cm. IVC and aorta normal.\nIMPRESSION: Normal.", ["76705"]),
    ("EXAM: US RETROPERITONEUM COMPLETE\nFINDINGS: RK 10.5 cm, LK 10.9 cm, no hydronephrosis. Bladder normal.\n"
     "IMPRESSION: Normal kidneys.", ["76770"]),
    # the kidneys without the aorta or the bladder: limited
    ("EXAM: US RETROPERITONEUM COMPLETE\nFINDINGS: RK 10.5 cm, LK 10.9 cm, no hydronephrosis. The bladder was "
     "not visualized (empty).\nIMPRESSION: Normal kidneys.", ["76775"]),
])
def test_terse_organ_shorthands_document_elements(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an MR arthrogram images the contrast injected into the joint: "with" (CODING_RULES §2); a
    # reaction named before "contrast" and "no intravenous contrast" say nothing of a plain series
    ("EXAM: MR ARTHROGRAM SHOULDER\nTECHNIQUE: MR arthrogram of the right shoulder after intra-articular "
     "injection of dilute gadolinium under fluoroscopy (separate report). Fat-suppressed T1 in three planes, "
     "coronal T2 FS. No immediate adverse reaction to contrast.\nFINDINGS: Anterior labral tear.\nIMPRESSION: "
     "Bankart lesion.", ["73222-RT"]),
    ("EXAM: MR ARTHROGRAM LEFT HIP\nTECHNIQUE: Intra-articular gadolinium was injected under fluoroscopy (separate "
     "procedure note). No allergic reaction to the contrast. Fat-suppressed T1 and PD images of the left hip.\nFINDINGS: "
     "Anterosuperior labral tear.\nIMPRESSION: Labral tear.", ["73722-LT"]),
    ("MR arthrogram of the right wrist.\n\nThe radiocarpal joint was injected with dilute gadolinium under "
     "fluoroscopy earlier today (separate procedure note). Fat-suppressed T1 images in three planes were then obtained. No intravenous "
     "contrast was given.\n\nThe scapholunate ligament is torn.\n\nImpression: scapholunate ligament tear.",
     ["73222-RT"]),
    # negatives: a plain MRI with a reaction sentence stays without; an arthrogram with IV contrast too
    ("EXAM: MRI RIGHT SHOULDER WITHOUT CONTRAST\nTECHNIQUE: Multiplanar PD FS and T1 images. History of "
     "reaction to contrast; none given.\nFINDINGS: Supraspinatus tendinosis.\nIMPRESSION: Tendinosis.",
     ["73221-RT"]),
])
def test_arthrogram_contrast_not_undone_by_reaction_or_iv_route(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a raw HL7 OBX segment whose formatted-text value separates its lines with "~": each line is
    # a line, so the findings ("C2 dorsal columns", "right hand") name no exam of their own
    ("OBX|1|FT|MRCS^MRI C-SPINE W/WO||MRI CERVICAL SPINE WITHOUT AND WITH CONTRAST~~HX: right hand numbness~~"
     "TECHNIQUE: Sagittal T1, T2, STIR pre contrast; sagittal and axial T1 after 7 mL gadoterate IV.~~FINDINGS: "
     "T2 lesion in the C3 dorsal columns, enhancing. Right lateral cord normal.~~IMPRESSION: Active "
     "demyelination.", ["72156"]),
    ("OBX|1|FT|USRUQ^US RUQ||US ABDOMEN LIMITED RUQ~HISTORY: RUQ pain, left kidney stone history~FINDINGS: "
     "Gallstones without wall thickening. CBD 4 mm.~IMPRESSION: Cholelithiasis.", ["76705"]),
    ("OBX|1|TX|CTH^CT HEAD WO||CT HEAD WITHOUT CONTRAST~TECHNIQUE: Axial images without contrast.~FINDINGS: "
     "Right parietal scalp hematoma. No hemorrhage.~IMPRESSION: No acute intracranial finding.", ["70450"]),
])
def test_hl7_segment_repetition_separators_are_lines(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
