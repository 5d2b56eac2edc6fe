"""The weakest families (stop 35, fam22): joint ultrasound complete vs limited, an organ ultrasound's
"limited" title beside its Doppler, MRA contrast tried and not given, fluoroscopic needle guidance of a
spine segment, and obstetric scans (an anatomy survey done before, the approaches a line under the
title or the history states). Reports written for these tests."""

from __future__ import annotations

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def s():
    return Suggester(billing="global", payer="medicare")


def _lines(out):
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"]) for c in out["codes"])


def _flags(out):
    return sorted(f["type"] for f in out["flags"])


# ------------------------------------------------------------------ joint ultrasound (CODING_RULES §5)


def test_joint_title_complete_one_tendon_documented_is_limited(s):
    """A knee ultrasound titled complete whose findings name only the patellar tendon: the study of a
    specific structure (76882), the title a documentation gap."""
    text = ("US KNEE LEFT COMPLETE\nIndication: anterior knee pain in a runner.\n"
            "Findings: The patellar tendon is thickened proximally with hypoechoic change, no tear.\n"
            "Impression: Proximal patellar tendinopathy.")
    out = s.suggest(text)
    assert _lines(out) == ["76882-LT"]
    assert "complete_exam_elements_missing" in _flags(out)


def test_joint_title_without_complete_few_structures_is_limited_without_flag(s):
    """A wrist ultrasound (no "complete" in the title) that reports one cyst by the scapholunate
    ligament: limited (76882), and no complete-title flag since the title claimed nothing."""
    text = ("ULTRASOUND WRIST RIGHT\nHistory: dorsal lump.\n"
            "Findings: 9 mm anechoic cyst arising near the scapholunate ligament, no internal flow.\n"
            "Impression: Dorsal ganglion.")
    out = s.suggest(text)
    assert _lines(out) == ["76882-RT"]
    assert "complete_exam_elements_missing" not in _flags(out)


def test_joint_survey_of_many_structures_stays_complete(s):
    """An ankle report that walks through its tendons and ligaments (no "complete evaluation" sentence)
    documents the complete study (76881)."""
    text = ("US ANKLE RIGHT COMPLETE\nIndication: chronic lateral ankle pain.\n"
            "Findings: ATFL thickened, chronic sprain. CFL intact. Peroneal tendons stable without tear. "
            "Posterior tibial tendon normal. Achilles tendon normal. Small anterior recess effusion.\n"
            "Impression: Chronic ATFL sprain.")
    assert _lines(s.suggest(text)) == ["76881-RT"]


def test_joint_survey_stated_complete_stays_complete(s):
    """A technique stating the complete evaluation keeps 76881 however few structures the findings name."""
    text = ("US SHOULDER LEFT COMPLETE\nTechnique: Complete sonographic evaluation of the left shoulder with "
            "dynamic maneuvers.\nFindings: Partial articular-sided supraspinatus tear.\n"
            "Impression: Partial-thickness cuff tear.")
    assert _lines(s.suggest(text)) == ["76881-LT"]


# ------------------------------------------------------------------ organ ultrasound and its Doppler


def test_limited_abdomen_title_does_not_limit_the_complete_duplex(s):
    """"US ABD LTD ... doppler": the limited is the B-mode abdomen's (76705); the duplex analyses the
    hepatic artery (inflow) and the hepatic veins (outflow): complete 93975 (LABELING: 93975 vs 93976)."""
    text = ("US ABD LTD (hepatic doppler)\nHx: cirrhosis.\n"
            "Grayscale liver nodular, no mass. Spectral Doppler: hepatic artery RI 0.70; main portal vein "
            "hepatopetal 22 cm/s; hepatic veins patent with phasic waveforms.\n"
            "IMP: Patent hepatic vessels.")
    assert _lines(s.suggest(text)) == ["76705", "93975"]


def test_doppler_limited_title_keeps_limited_duplex(s):
    """"US LIVER DOPPLER LIMITED": the limited stands with the Doppler; portal veins only (93976)."""
    text = ("US LIVER DOPPLER LIMITED\nHx: portal vein thrombosis follow-up.\n"
            "Technique: Grayscale images of the liver; spectral Doppler of the main portal vein only.\n"
            "Findings: Main portal vein patent, hepatopetal, 20 cm/s.\nImpression: Patent portal vein.")
    assert _lines(s.suggest(text)) == ["76705", "93976"]


# ------------------------------------------------------------------ MRA (CODING_RULES §2, §6)


def test_mra_neck_contrast_tried_but_access_failed_is_without(s):
    """Contrast tried for the neck MRA and never given (IV access failed): the neck is without (70547),
    the title's with-and-without a conflict."""
    text = ("MRA HEAD AND NECK WITHOUT AND WITH CONTRAST\nHistory: TIA.\n"
            "Technique: Time-of-flight MRA of the head. Neck MRA was attempted with contrast but IV access failed; "
            "time-of-flight images of the neck were acquired instead.\n"
            "Findings: No stenosis or occlusion.\nImpression: Normal MRA.")
    out = s.suggest(text)
    assert _lines(out) == ["70544", "70547"]
    assert "title_technique_conflict" in _flags(out)


# ------------------------------------------------------------------ guidance (LABELING: billed on its own)


def test_fluoroscopic_needle_localization_of_a_spine_segment_is_spine_guidance(s):
    """A needle marking a vertebral level under fluoroscopy before surgery, no myelogram: 77003, not the
    thoracic myelography code."""
    text = ("FLUOROSCOPIC LOCALIZATION THORACIC SPINE\nIndication: level marking before surgery.\n"
            "Procedure: Under fluoroscopic guidance a 20 gauge needle was placed at the left T10 pedicle and a small "
            "amount of dye injected; skin marker placed.\nImpression: T10 localized.")
    assert _lines(s.suggest(text)) == ["77003"]


def test_thoracic_myelogram_stays_myelography(s):
    """The same segment with intrathecal contrast is the myelogram (72255)."""
    text = ("FL MYELOGRAM THORACIC\nProcedure: Under fluoroscopic guidance a 22 gauge needle was placed in the "
            "thecal sac at L2-3 and 10 mL intrathecal contrast injected; images of the thoracic spine obtained.\n"
            "Impression: No block.")
    assert _lines(s.suggest(text)) == ["72255"]


# ------------------------------------------------------------------ obstetric ultrasound


def test_anatomy_survey_done_before_is_a_follow_up(s):
    """The complete anatomy survey named only as done at an earlier visit: today's growth scan is the
    follow-up (76816), not the detailed anatomy (76811)."""
    text = ("US OB FOLLOW UP GROWTH\nIndication: gestational diabetes, growth at 30 weeks.\n"
            "Technique: Transabdominal growth scan. The complete anatomic survey was done on 10/02/2026 and is not "
            "repeated.\nFindings: Single live fetus, cephalic. BPD, HC, AC, FL measured; EFW 1500 g, 45th percentile. "
            "AFI 13 cm.\nImpression: Appropriate interval growth.")
    assert _lines(s.suggest(text)) == ["76816"]


def test_detailed_anatomy_completed_at_maternal_fetal_medicine_is_a_follow_up(s):
    text = ("OB ULTRASOUND GREATER THAN 14 WEEKS\nFindings: single live fetus at 24 weeks, cephalic. EFW 650 g. "
            "Fluid normal. Detailed anatomy was completed at maternal fetal medicine 3 weeks ago.\n"
            "Impression: Normal growth.")
    assert _lines(s.suggest(text)) == ["76816"]


def test_approaches_on_the_line_under_the_title_bill_both(s):
    """A first-trimester title with the transvaginal study and the line under it stating both approaches:
    76801 + 76817."""
    text = ("US OB - COMPLETE 1ST TRIMESTER WITH TRANSVAGINAL\n12w5d. Transabdominal and transvaginal.\n"
            "Singleton, CRL 6.7 cm = 12w6d. FHR 150. Nuchal translucency not measured. Adnexa normal.\n"
            "IMP: Live singleton 12w6d.")
    assert _lines(s.suggest(text)) == ["76801", "76817"]


def test_approach_labels_in_the_body_bill_both(s):
    """"TA:" and "TV:" opening lines of the body name the two approaches: 76805 + 76817."""
    text = ("OB US > 14 WK SINGLE W/ TV\nHistory: 18w, spotting.\n"
            "TA: Single live fetus, FHR 150, BPD = 18w1d, anterior placenta.\nTV: cervix 3.9 cm, closed.\n"
            "IMP: Normal cervical length.")
    assert _lines(s.suggest(text)) == ["76805", "76817"]


def test_history_stating_both_approaches_bills_both(s):
    text = ("first trimester OB US\nHistory: 8 weeks by dates, transabdominal and transvaginal.\n"
            "Single intrauterine gestational sac with yolk sac and embryo, CRL = 8w3d, FHR 165.\n"
            "IMP: Live IUP.")
    assert _lines(s.suggest(text)) == ["76801", "76817"]


def test_history_naming_an_earlier_transvaginal_scan_adds_nothing(s):
    """A transvaginal scan the history names as earlier ("2 weeks ago showed") is no approach of today's."""
    text = ("first trimester OB US\nHistory: transvaginal ultrasound 2 weeks ago showed a small sac.\n"
            "Transabdominal images: single intrauterine gestation, CRL = 9w0d, FHR 170.\nIMP: Live IUP.")
    assert _lines(s.suggest(text)) == ["76801"]


def test_narrative_transvaginal_only_drops_the_titled_transabdominal(s):
    """A one-paragraph pelvic report (no technique header) saying the transabdominal part was not done and
    transvaginal images only were taken: 76830 alone, the title's approaches a conflict."""
    text = ("pelvic ultrasound complete transabdominal and transvaginal. indication pelvic pain. the bladder could "
            "not be filled and transabdominal imaging was not performed. transvaginal images only. the uterus "
            "measures 8 cm, endometrium 6 mm. both ovaries normal. impression normal pelvic ultrasound.")
    out = s.suggest(text)
    assert _lines(out) == ["76830"]
    assert "title_technique_conflict" in _flags(out)


def test_early_pregnancy_without_gestational_age_is_first_trimester(s):
    """No gestational age anywhere, an hCG level and no intrauterine sac: the scan of an early pregnancy
    (76801 + the transvaginal 76817), not the default of 14 weeks or more (76805)."""
    text = ("Pelvic ultrasound, pregnant patient with bleeding.\n"
            "32-year-old, quantitative hCG 1,900. Transabdominal and transvaginal imaging were performed.\n"
            "No intrauterine gestational sac. Endometrium 8 mm. Ovaries normal. No free fluid.\n"
            "Impression: No intrauterine pregnancy identified; pregnancy of unknown location, follow hCG.")
    assert _lines(s.suggest(text)) == ["76801", "76817"]


# ------------------------------------------------------------------ CT / MR arthrogram (LABELING: 77002)


def test_guided_injection_for_ct_arthrogram_that_reads_the_ct_bills_both(s):
    """A fluoroscopically guided hip injection "for CT arthrogram" whose report goes on to read the CT: the
    guidance (77002) and the CT of the hip with its intra-articular contrast (73701-LT)."""
    text = ("FLUOROSCOPIC GUIDED LEFT HIP INJECTION FOR CT ARTHROGRAM\nHx: labral tear, MRI not possible (implant).\n"
            "Under fluoroscopic guidance a 20 g needle was placed in the left hip joint and 10 mL iodinated contrast "
            "mixture injected. Patient to CT.\n"
            "CT LEFT HIP ARTHROGRAM: Thin axial images with coronal and sagittal reformats. Anterosuperior labral "
            "tear. No loose body.\nIMP: Anterosuperior labral tear.")
    assert _lines(s.suggest(text)) == ["73701-LT", "77002"]


# ------------------------------------------------------------------ more obstetric titles and bodies


def test_detailed_anatomy_scan_named_with_its_trimester_is_the_detailed_exam(s):
    """"2ND TRIMESTER ANATOMY SCAN - DETAILED" of twins: 76811 + 76812 (the trimester says when), not the
    standard scan 76805 + 76810."""
    text = ("US OB 2ND TRIMESTER ANATOMY SCAN - DETAILED, TWIN GESTATION\nGA 21w0d. Dichorionic twins.\n"
            "Twin A: detailed anatomy normal. Twin B: detailed anatomy normal.\nImpression: Normal twins.")
    assert _lines(s.suggest(text)) == ["76811", "76812"]


def test_anatomy_survey_with_its_trimester_stays_the_standard_scan(s):
    """An anatomy survey no word calls detailed is the standard scan after the first trimester (76805)."""
    text = ("US OB 2ND TRIMESTER ANATOMY SURVEY\nGA 20w1d. BPD, HC, AC and femur length measured. "
            "Anatomy survey normal.\nImpression: Normal.")
    assert _lines(s.suggest(text)) == ["76805"]


# ------------------------------------------------------------------ guidance and duplex extent


def test_port_placement_with_fluoroscopy_used_for_tip_positioning_bills_both_guidances(s):
    """Ultrasound-guided venipuncture and fluoroscopy "used for" the catheter's tip positioning: 76937 +
    77001 (LABELING: guidance billed on its own line)."""
    text = ("PORT PLACEMENT - IMAGING\nIndication: chemotherapy access.\n"
            "Right IJ approach chest port. Ultrasound showed the right IJ patent, image recorded; real-time US guided "
            "venipuncture. Fluoroscopy used for catheter tip positioning at the cavoatrial junction.\n"
            "IMP: Right chest port, tip at cavoatrial junction.")
    assert _lines(s.suggest(text)) == ["76937", "77001"]


def test_renal_veins_said_patent_are_the_outflow_of_a_complete_duplex(s):
    """Spectral Doppler of both main renal arteries and "Renal veins patent": arterial inflow and venous
    outflow, the complete duplex 93975 beside the retroperitoneal survey."""
    text = ("US RENAL COMPLETE\nHx: 7 yo with hypertension.\nBoth kidneys and bladder imaged. Kidneys normal in size, "
            "no hydronephrosis. Bladder normal.\nColor Doppler of both main renal arteries with spectral waveforms: "
            "PSV 80 and 88 cm/s, intrarenal RI 0.64. Renal veins patent.\nIMP: Normal.")
    assert _lines(s.suggest(text)) == ["76770", "93975"]
