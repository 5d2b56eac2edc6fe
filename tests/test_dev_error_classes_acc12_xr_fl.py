"""Error classes of the enlarged dev split (issue 12, acc12: the retired parts cal_be..cal_bl) in
radiographs, fluoroscopy and guidance, fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # a central venous device whose vein was accessed under ultrasound and whose catheter was placed under
    # fluoroscopy: both guidances are billed (76937 + 77001), whichever the title names
    ("PROCEDURE: Tunneled right IJ hemodialysis catheter placement\nThe right internal jugular vein was patent on "
     "ultrasound and was accessed under real-time ultrasound guidance; an image was stored. The catheter tip was "
     "positioned under fluoroscopy in the right atrium.\nIMPRESSION: Successful placement.", ["76937", "77001"]),
    ("LEFT ARM PICC PLACEMENT\nIndication: IV antibiotics.\nThe left basilic vein was patent and compressible and "
     "was accessed under ultrasound guidance, permanent image recorded. Under fluoroscopy the catheter was "
     "advanced and the tip positioned at the cavoatrial junction.\nImpression: 5 Fr double lumen PICC.",
     ["76937", "77001"]),
    ("IR PORT PLACEMENT\nUS: right IJ patent and compressible, image saved; real-time US guided micropuncture "
     "access. Fluoroscopy used to position the catheter tip at the cavoatrial junction; final spot image saved.",
     ["76937", "77001"]),
    ("FL GUIDANCE CVC\nThe right IJ vein was patent and was entered under direct ultrasound visualization, image "
     "stored. Tunneled catheter placed; fluoroscopy used to position the tip at the cavoatrial junction.",
     ["76937", "77001"]),
    # one guidance documented, or the other said not used: that guidance alone
    ("Chest port placement. The right IJ was accessed using anatomic landmarks. Fluoroscopy was used to position "
     "the catheter tip at the cavoatrial junction.", ["77001"]),
    ("PICC PLACEMENT RIGHT ARM\nThe right brachial vein was patent and accessed under real-time ultrasound "
     "guidance; image saved. Tip position confirmed by ECG tip confirmation technology. No fluoroscopy was used.",
     ["76937"]),
    ("PROCEDURE: EXCHANGE OF TUNNELED DIALYSIS CATHETER\nORDER: HD CATH EXCHANGE WITH US AND FLUORO GUIDANCE\n"
     "Technique: A wire was advanced through the old catheter into the IVC under fluoroscopy. No new venous access "
     "was needed, so ultrasound was not used. New catheter tip in the right atrium on the final spot image.",
     ["77001"]),
])
def test_venous_access_with_both_guidances(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an esophagram done with an upper GI series is part of the series: the upper GI code alone, double
    # contrast when either part was
    ("BARIUM SWALLOW AND UPPER GI SERIES\nTechnique: Double contrast evaluation of the esophagus, stomach and "
     "duodenum using effervescent granules and high-density barium, followed by single contrast prone views.\n"
     "Findings: Small sliding hiatal hernia. Stomach and duodenum normal.", ["74246"]),
    ("EXAM: FL ESOPHAGRAM AND UGI, DOUBLE CONTRAST\nTECHNIQUE: Effervescent agent and high-density barium; upright "
     "double-contrast views of the esophagus, stomach and duodenal bulb.\nFINDINGS: Normal.", ["74246"]),
    ("EXAM: ESOPHAGRAM WITH UPPER GI\nTECHNIQUE: Single contrast thin barium study of the esophagus, stomach and "
     "duodenum.\nFINDINGS: No stricture. No ulcer.", ["74240"]),
    ("EXAM: UPPER GI SERIES WITH SMALL BOWEL FOLLOW THROUGH AND BARIUM SWALLOW\nTECHNIQUE: Thin barium, single "
     "contrast views of the esophagus, stomach and duodenum; overhead films of the small bowel every 30 minutes "
     "until the cecum filled.\nFINDINGS: Normal.", ["74240", "74248"]),
    # an upper GI title whose body says the study stopped at the esophagus is the esophagram
    ("88290010|FL UGI SINGLE CONTRAST|BARIUM ESOPHAGRAM ONLY PER GI REQUEST - STOMACH/DUODENUM NOT EVALUATED. "
     "SINGLE CONTRAST, THIN BARIUM. DISTAL SCHATZKI RING.", ["74220"]),
    ("EXAM: UPPER GI SERIES\nTECHNIQUE: Thin barium swallowed in the upright and prone positions. The patient "
     "could not tolerate further positioning; the stomach and duodenum were not examined.\nFINDINGS: Small hiatal "
     "hernia.", ["74220"]),
    # ... not a history that says so of a prior study, nor an esophagram alone
    ("EXAM: UPPER GI SERIES\nHISTORY: Prior esophagram only, stomach not evaluated.\nTECHNIQUE: Single contrast "
     "barium study of the esophagus, stomach and duodenum.\nFINDINGS: Normal.", ["74240"]),
    ("EXAM: FL ESOPHAGRAM\nTECHNIQUE: Double contrast esophagram with effervescent granules.\nFINDINGS: Normal "
     "esophagus.", ["74221"]),
])
def test_esophagram_within_upper_gi_series(sg, text, expected):
    assert codes(sg.suggest(text)) == expected



def test_upper_gi_series_parts_are_no_bundling_conflict(sg):
    # the esophagram is part of the series: no combined-code flag; nor on the follow-through add-on
    for text in ("EXAM: ESOPHAGRAM AND UPPER GI\nTECHNIQUE: Thin barium; esophagus, stomach and duodenum.\n"
                 "FINDINGS: Normal.",
                 "EXAM: UPPER GI WITH SMALL BOWEL FOLLOW-THROUGH\nTECHNIQUE: Thin barium; esophagus, stomach and "
                 "duodenum, then overhead films of the small bowel to the cecum.\nFINDINGS: Normal."):
        assert "bundling_conflict" not in flag_types(sg.suggest(text))

@pytest.mark.parametrize(("text", "expected"), [
    # a conventional arthrogram followed by a CT / MR of the joint the same report reads: the arthrography
    # and the CT / MR with (intra-articular) contrast (CODING_RULES §2)
    ("PROCEDURE: Right hip arthrogram with injection for CT arthrography\nUsing fluoroscopic guidance a 22G needle "
     "was placed into the right hip joint. 10 mL iodinated contrast injected. Spot images confirm intra-articular "
     "distribution.\nCT RIGHT HIP: thin-section axial with coronal and sagittal reformats after intra-articular "
     "contrast. Anterosuperior labral tear.\nIMPRESSION: Labral tear.", ["73525-RT", "73701-RT"]),
    ("EXAM: ELBOW ARTHROGRAM RIGHT WITH CT\nUnder fluoro, 25G needle into the right radiocapitellar joint; 4 mL "
     "iodinated contrast. Spot fluoroscopic images. CT right elbow after intra-articular contrast with "
     "reformats.\nImpression: Partial UCL tear.", ["73085-RT", "73201-RT"]),
    ("SHOULDER ARTHROGRAM AND MR ARTHROGRAM, LEFT\nPROCEDURE: Under fluoroscopic guidance a 22 gauge needle was "
     "advanced into the left glenohumeral joint. Dilute gadolinium injected. Fluoroscopic images document "
     "intra-articular distribution.\nMR TECHNIQUE: Fat-suppressed T1 images in three planes of the left "
     "shoulder.\nMR FINDINGS: Anteroinferior labral tear.", ["73040-LT", "73222-LT"]),
    ("EXAM: RIGHT WRIST ARTHROGRAM\nTECHNIQUE: Under fluoroscopy the radiocarpal joint was injected with 3 mL "
     "iodinated contrast; spot images obtained. CT of the right wrist was then performed with thin axial images "
     "and coronal reformats.\nFINDINGS: Scapholunate ligament tear.", ["73115-RT", "73201-RT"]),
    # a CT / MR the report only sends the patient to, or says another report reads, adds nothing
    ("EXAM: KNEE ARTHROGRAM LEFT\nPROCEDURE: Under fluoroscopy a 22 gauge needle was placed into the left knee "
     "joint and 30 mL iodinated contrast injected. Spot images obtained. The patient was then transferred to CT.\n"
     "FINDINGS: Contrast outlines the joint. No extravasation.", ["73580-LT"]),
    # ... nor an earlier CT / MR the read is compared with (review of acc12c)
    ("EXAM: FL RIGHT SHOULDER ARTHROGRAM\nTECHNIQUE: Under fluoroscopic guidance a 22 gauge needle was advanced "
     "into the right glenohumeral joint and 12 mL of dilute contrast was injected. Contrast outlines the joint "
     "without extravasation. Findings were correlated with the CT images of the shoulder from 11/2026.\n"
     "IMPRESSION: Intact rotator cuff.", ["73040-RT"]),
    ("EXAM: LEFT WRIST ARTHROGRAM\nTECHNIQUE: Radiocarpal injection under fluoroscopy, 3 mL iodinated contrast, spot "
     "images. Compared with MRI of the left wrist, axial images of 2025.\nFINDINGS: Contrast communicates with the "
     "midcarpal joint.", ["73115-LT"]),
])
def test_arthrogram_with_cross_sectional_read(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a bilateral hip series whose images each hold both hips: one view per image (CODING_RULES §4)
    ("XR HIPS BILAT W PELVIS\nTechnique: AP pelvis and frog-leg lateral pelvis (both hips on each image).\n"
     "Findings: Left slipped capital femoral epiphysis.", ["73521"]),
    ("XR BILATERAL HIPS WITH PELVIS\nTECHNIQUE: AP and frog-leg lateral views of the pelvis, both hips included on "
     "each film.\nFINDINGS: Normal.", ["73521"]),
    # ... a view of each hip counts twice
    ("XR HIPS BILAT W PELVIS: AP pelvis, AP and frog lateral views of each hip. Normal.", ["73523"]),
    # hip projections by name: the Dunn view, the false profile
    ("XR HIPS BILATERAL WITH PELVIS\nTECHNIQUE: Standing AP pelvis, frog-leg lateral views of both hips, and "
     "45-degree Dunn views of both hips.\nFINDINGS: Cam morphology on the right.", ["73523"]),
    ("XR HIP RIGHT\nTECHNIQUE: AP pelvis and Dunn view of the right hip.\nFINDINGS: Cam morphology.", ["73502-RT"]),
    ("XR HIP LEFT\nTECHNIQUE: AP pelvis, false profile, Dunn and frog-leg lateral views of the left hip.\n"
     "FINDINGS: Acetabular dysplasia.", ["73503-LT"]),
])
def test_bilateral_hip_views_per_image(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a one-line read whose title ends with its date (and time) before the colon: the title ends at the
    # colon, the anatomy of the findings after it is no exam of its own
    ("XR ELBOW RT 2V 11/02/2026 1410: NONDISPLACED RADIAL HEAD FRACTURE. DISTAL HUMERUS AND OLECRANON INTACT. "
     "POSTERIOR FAT PAD ELEVATED.", ["73070-RT"]),
    ("FOOT LT 3V 12/01/2026: TRANSVERSE FRACTURE BASE OF THE 5TH METATARSAL. ANKLE MORTISE AND CALCANEUS INTACT.",
     ["73630-LT"]),
    ("SI JOINTS 3V (AP + BILAT OBL) 11/29/26: BILAT SYMMETRIC EROSIONS AND SCLEROSIS ILIAC SIDE. IMP: "
     "SACROILIITIS.", ["72202"]),
    ("PANOREX 12/01/2026: Hx jaw pain, swelling L mandible. Periapical lucency around the roots of tooth #19. "
     "IMP: abscess.", ["70355"]),
    # (a clock in the title, or no date, as before)
    ("XR CHEST 2V 12/02/2026 07:55: Lungs clear, no effusion. Heart size normal.", ["71046"]),
    ("XR KNEE LT 3V: Small joint effusion. No fracture of the distal femur or proximal tibia.", ["73562-LT"]),
])
def test_dated_one_line_title_ends_at_colon(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a "barium swallow" / esophagram whose body feeds the consistencies of a swallowing function study is
    # the modified barium swallow (CODING_RULES §8)
    ("FL BARIUM SWALLOW\nPerformed with SLP. Lateral and AP videofluoroscopy recorded at 30 fps.\nConsistencies: thin "
     "liquid by cup/straw, nectar-thick, honey-thick, puree, solid (cracker).\nFindings: Mild vallecular residue "
     "with solids. No penetration or aspiration.", ["74230"]),
    ("FL ESOPHAGRAM\nConsistencies trialed: thin, nectar-thick and honey-thick liquids, puree and a solid. Lateral "
     "fluoroscopy.\nFindings: Penetration with thin liquids; no aspiration.", ["74230"]),
    ("BARIUM SWALLOW STUDY\nGiven by SLP: thin liquid, mildly thick liquid, puree and cracker, lateral and frontal "
     "views.\nIMPRESSION: Oropharyngeal dysphagia with silent aspiration of thin liquid.", ["74230"]),
    ("XR BARIUM SWALLOW\nTechnique: Thin liquids, nectar-thick liquids and applesauce were administered; imaging in "
     "the lateral projection.\nImpression: Mild vallecular residue.", ["74230"]),
    # ... not an esophagram of thin barium and a tablet, nor one that says it is no swallowing evaluation
    ("EXAM: BARIUM SWALLOW\nTechnique: Thin liquid barium swallowed in the upright and prone positions; a 13 mm "
     "barium tablet was given.\nFindings: Schatzki ring.", ["74220"]),
    ("PROCEDURE: ESOPHAGRAM (PEDIATRIC)\nTechnique: Thin barium by bottle, lateral and AP fluoroscopy of the full "
     "esophagus. Speech therapist not present; this is not a functional swallowing evaluation. Nectar thick liquid "
     "and puree were not given.\nFindings: Normal.", ["74220"]),
    # ... nor an esophagram of thin barium and a solid bolus (a cookie, a cracker: review of acc12c)
    ("EXAM: FL ESOPHAGRAM\nHISTORY: Dysphagia to solids.\nTECHNIQUE: Thin liquid barium was administered in the "
     "upright and prone positions. A barium-coated cookie was then given to assess for a stricture.\nFINDINGS: "
     "The cookie passed without delay. Small sliding hiatal hernia.", ["74220"]),
    ("BARIUM SWALLOW\nTechnique: Thin barium, then a cracker with barium to look for a ring.\nFindings: Normal.",
     ["74220"]),
])
def test_swallowing_function_by_consistencies(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a radiograph whose technique documents its views of another part of the limb than the title names is
    # billed as the part imaged (CODING_RULES §6)
    ("EXAM: XR WRIST LEFT 2 VIEWS\nTECHNIQUE: Left forearm, AP and lateral, including the wrist and elbow joints.\n"
     "FINDINGS: Buckle fractures of the distal radius and ulna.", ["73090-LT"]),
    ("EXAM: XR WRIST LEFT 2 VIEWS\nTECHNIQUE: AP and lateral views of the left forearm were obtained.\nFINDINGS: "
     "Buckle fracture of the distal radius.", ["73090-LT"]),
    ("EXAM: XR ANKLE RIGHT 3 VIEWS\nTECHNIQUE: AP, oblique and lateral views of the right foot.\nFINDINGS: Jones "
     "fracture of the fifth metatarsal.", ["73630-RT"]),
    ("XR ELBOW LEFT 2V\nTECHNIQUE: AP and lateral views of the left humerus, including the elbow and shoulder.\n"
     "FINDINGS: Supracondylar fracture.", ["73060-LT"]),
    # ... not when the technique names the title's part too, or names another part as included in the film
    ("XR HAND RIGHT 3V\nTECHNIQUE: PA, oblique and lateral views of the right hand and wrist.\nFINDINGS: Normal.",
     ["73130-RT"]),
    ("XR ANKLE LEFT 3V\nTECHNIQUE: AP, mortise and lateral views; the foot is included.\nFINDINGS: Normal.",
     ["73610-LT"]),
    ("XR WRIST RIGHT 3 VIEWS\nTECHNIQUE: PA, oblique and lateral views. Scaphoid view of the right hand not "
     "obtained.\nFINDINGS: Normal.", ["73110-RT"]),
])
def test_technique_part_wins_over_title_part(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_technique_part_flags_the_title(sg):
    out = sg.suggest("EXAM: XR WRIST LEFT 2 VIEWS\nTECHNIQUE: AP and lateral views of the left forearm were "
                     "obtained.\nFINDINGS: Buckle fracture of the distal radius.")
    assert "title_technique_conflict" in flag_types(out)


@pytest.mark.parametrize(("text", "expected"), [
    # a one-side title whose technique states its views of both sides: both were imaged (CODING_RULES §1/§6;
    # Medicare one line with 50)
    ("EXAM: XR KNEE RT 3V\nVIEWS: AP, lateral and sunrise of the right knee and of the left knee.\nFINDINGS: "
     "Bilateral medial compartment narrowing.", ["73562-50"]),
    ("EXAM: XR KNEE RIGHT 3 VIEWS\nTECHNIQUE: AP, lateral and sunrise views of both knees.\nFINDINGS: Bilateral OA.",
     ["73562-50"]),
    # ... not the other side for comparison, in the film of the pelvis, or on a standing view of both
    ("XR KNEE RIGHT 3V\nTECHNIQUE: AP, lateral and sunrise views of the right knee and a comparison AP view of the "
     "left knee.\nFINDINGS: Normal.", ["73562-RT"]),
    ("XR HIP RIGHT 2 VIEWS\nTECHNIQUE: AP pelvis including both hips and a frog-leg lateral of the right hip.\n"
     "FINDINGS: Normal.", ["73502-RT"]),
    ("XR HAND LEFT 3V\nTECHNIQUE: PA, oblique and lateral of the left hand. Bilateral PA hands were also obtained for "
     "comparison.\nFINDINGS: Normal.", ["73130-LT"]),
])
def test_one_side_title_with_views_of_both_sides(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an arthrogram whose findings read the contrast's course ("contrast promptly flows into the DRUJ",
    # "post-injection images show contrast leaking ...") is a conventional arthrogram read, even when a CT / MR
    # arthrogram follows on its own report
    ("EXAM: FL ARTHROGRAM WRIST LEFT (RADIOCARPAL INJECTION)\nCLINICAL INDICATION: Ulnar-sided wrist pain. Evaluate "
     "TFCC; CT arthrogram to follow.\nPROCEDURE: Under fluoroscopy a 25-gauge needle was placed at the radioscaphoid "
     "space and 3 mL of iodinated contrast injected.\nFINDINGS: During injection, contrast promptly flows from the "
     "radiocarpal joint into the distal radioulnar joint through a TFCC defect.\nIMPRESSION: Communicating TFCC "
     "tear. CT arthrogram reported separately.", ["73115-LT"]),
    ("EXAM: FL ARTHROGRAM WRIST RIGHT\nPROCEDURE: Under fluoroscopy the radiocarpal joint was injected with "
     "iodinated contrast; MR arthrogram to follow, reported separately.\nFINDINGS: Post-injection images show "
     "contrast leaking into the midcarpal compartment through the scapholunate interval.", ["73115-RT"]),
    # ... an injection for the MR with no image read stays the guidance
    ("EXAM: FL SHOULDER INJECTION FOR MR ARTHROGRAM RIGHT\nUnder fluoroscopic guidance a 22 gauge needle was placed "
     "into the right glenohumeral joint and 12 mL dilute gadolinium injected. MR to follow, reported separately.",
     ["77002"]),
])
def test_arthrogram_read_by_contrast_course(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the injection for an MR arthrogram whose MR is read on a "separate MR report": the guidance alone
    ("Procedure: Left shoulder injection for MR arthrogram under fluoroscopy.\nHistory: Recurrent dislocation.\n"
     "Under fluoroscopy a 22 g needle was advanced into the joint, position confirmed with a small amount of "
     "iodinated contrast. 12 mL of dilute gadolinium mixture was injected. Patient was sent to MRI; see separate MR "
     "report.\nImpression: Successful fluoroscopy-guided left glenohumeral injection for MR arthrography.",
     ["77002"]),
    ("PROCEDURE: Right hip injection for MR arthrography\nUnder fluoroscopic guidance a 20 gauge needle was placed "
     "into the right hip joint and 10 mL of dilute gadolinium injected. The MR arthrogram is dictated as a separate "
     "MR report.", ["77002"]),
    # ... an MR read in the same report keeps both
    ("MR ARTHROGRAM RIGHT SHOULDER\nPROCEDURE: Under fluoroscopic guidance a 22 gauge needle was placed into the "
     "right glenohumeral joint and 12 mL dilute gadolinium injected.\nMR TECHNIQUE: T1 fat-saturated axial, coronal "
     "and sagittal images.\nFINDINGS: Anteroinferior labral tear.", ["73222-RT", "77002"]),
])
def test_mr_arthrogram_injection_with_separate_mr_report(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an MR / CT arthrogram whose cross-sectional portion was cancelled after the injection: the conventional
    # arthrogram the report reads, or the guidance when it reads no image (CODING_RULES §6)
    ("EXAM: MR ARTHROGRAM RIGHT SHOULDER\nPROCEDURE: Under fluoroscopic guidance a 22 gauge needle was placed into "
     "the right glenohumeral joint and 12 mL of dilute iodinated contrast was injected. Spot images were obtained "
     "and interpreted. The patient then had a vasovagal episode and the MRI portion was cancelled.\nFINDINGS: No "
     "contrast extends into the subacromial bursa.", ["73040-RT"]),
    ("MR ARTHROGRAM LEFT HIP\nPROCEDURE: Under fluoroscopic guidance a 22 gauge needle was placed into the left hip "
     "joint and 10 mL dilute gadolinium injected. Spot images show contrast outlining the joint. The patient became "
     "claustrophobic and the MR portion was cancelled.", ["73525-LT"]),
    ("MR ARTHROGRAM LEFT HIP\nPROCEDURE: Under fluoroscopic guidance a 22 gauge needle was placed into the left hip "
     "joint and 10 mL dilute gadolinium injected. The MRI was not performed; the patient left before scanning.",
     ["77002"]),
    # ... the MR performed keeps the guidance and the MR
    ("MR ARTHROGRAM LEFT HIP\nPROCEDURE: Under fluoroscopic guidance a 22 gauge needle was placed into the left hip "
     "joint and 10 mL dilute gadolinium injected.\nMR TECHNIQUE: Coronal and sagittal T1 fat saturated images.\n"
     "FINDINGS: Labral tear.", ["73722-LT", "77002"]),
])
def test_arthrogram_whose_cross_sectional_portion_was_cancelled(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the total of views a radiograph report states wins over its own projection words counted again
    # (CODING_RULES §4: the documented views)
    ("XR KNEE RIGHT 2 VIEWS\nAP and lateral: lipohemarthrosis on the cross-table lateral.\nADDENDUM: A sunrise (axial "
     "patellar) view was added by the technologist. On the sunrise view there is lateral patellar tilt and a small "
     "medial facet fragment. Total 3 views reviewed.", ["73562-RT"]),
    ("XR HIPS BILAT W PELVIS 3-4V\nVIEWS: AP pelvis, AP and frog lateral of each hip (5 images? see note) -- note: "
     "AP pelvis, frog lateral R hip, frog lateral L hip, AP R hip. 4 images total.\nFINDINGS: Right femoral head "
     "AVN.", ["73522"]),
    # ... a total that agrees with the list changes nothing; a total over both sides of a code of one side
    # counts the two sides' views
    ("EXAM: XR KNEE 3 VIEWS BILATERAL\nTECHNIQUE: AP, lateral and sunrise views of each knee (6 images total).\n"
     "FINDINGS: Osgood-Schlatter disease, right greater than left.", ["73562-50"]),
    ("XR ANKLE LEFT 2 VIEWS\nAP and lateral views. Addendum: a mortise view was added; the lateral was also repeated "
     "after splinting. Total of three views.", ["73610-LT"]),
    ("XR ELBOW RIGHT\nTechnique: AP, lateral, and radial head views, the lateral repeated for positioning. Three "
     "views total.", ["73080-RT"]),
])
def test_stated_total_of_views(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an exam the patient is scheduled for, or cleared for, is the purpose of this one, not an exam performed
    ("Orbits for metallic foreign body prior to MRI. A 52-year-old welder scheduled for brain MRI. Two frontal views "
     "with eyes looking up and down were obtained. No radiopaque foreign body.", ["70030"]),
    ("Foreign body orbits, metal worker, clearance for MRI. Two views of the orbits. No radiopaque foreign body.",
     ["70030"]),
    # (named as the purpose before, as it was)
    ("Orbits for foreign body. Machinist scheduled for MRI of the cervical spine. Frontal views with upward and "
     "downward gaze. No metallic foreign body.", ["70030"]),
    ("XR CHEST PA AND LATERAL\nIndication: clearance for MRI (pacemaker check).\nFindings: Dual-chamber pacemaker, "
     "leads intact.", ["71046"]),
])
def test_exam_scheduled_or_cleared_for_is_no_exam(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a height after a number ("fall from ladder approx 8 ft") is a unit, never the foot
    ("XR CALCANEUS LT 2V / 12-01-2026 / hx fall from ladder approx 8 ft, heel pain / Axial (Harris) and lateral "
     "views: comminuted intra-articular calcaneal fracture. / IMP: calcaneal fx.", ["73650-LT"]),
    ("XR WRIST RT 3V -- fall from 6 ft, FOOSH. PA, oblique and lateral: distal radius fracture.", ["73110-RT"]),
    # ... the abbreviation of the foot still names it
    ("XR FT RT 3V\nFINDINGS: No fracture.", ["73630-RT"]),
])
def test_feet_after_a_number_is_a_unit(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a pipe-delimited row without spaces around its pipes, a date or code field between the exam and the
    # read: the exam field is the title, the last field the read (views and side documented there win)
    ("88436290|XXXXXXX|XR CHEST 2V|12/01/2026 05:10|Portable AP chest only; lateral not obtained, patient "
     "intubated in MICU. ET tube tip 4 cm above carina. No pneumothorax.", ["71045"]),
    ("A7731|XR KNEE RT 3V|11/30/2026 14:22|AP, lateral and sunrise views of the LEFT knee were obtained per the "
     "ordering provider. Small effusion. No fracture.", ["73562-LT"]),
    ("55012|XR WRIST LT 3V|2026-11-02|PA and lateral views only, oblique not obtained due to splint. Distal radius "
     "fracture with dorsal angulation of the left wrist.", ["73100-LT"]),
    # (spaced pipes, the read right after the exam field, as before)
    ("ACC 558247 | 12/02/2026 | XRELBR | XR ELBOW RIGHT 2V | AP and lateral views of the LEFT elbow were obtained. "
     "Posterior fat pad elevation.", ["73070-LT"]),
])
def test_pipe_row_with_fields_between_exam_and_read(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a technique sentence that quotes the title's or the order's side ("the exam title states left", "the
    # requisition states right in error") says nothing of the side imaged: the side of the views wins
    ("EXAM: XR ANKLE LEFT 3 VIEWS\nTECHNIQUE: Three projections of the RIGHT ankle (AP, mortise, lateral). Note the "
     "order/exam title states left; the technologist confirmed the right ankle is the injured side.\nFINDINGS: "
     "Small avulsion fracture of the lateral malleolus.", ["73610-RT"]),
    ("XR WRIST RIGHT 3V\nTECHNIQUE: PA, oblique and lateral views of the left wrist; the requisition states right "
     "in error.\nFINDINGS: Normal.", ["73110-LT"]),
    ("XR KNEE LEFT 2V\nTECHNIQUE: AP and lateral views of the right knee (the order says left; side confirmed with "
     "the patient).\nFINDINGS: Joint effusion.", ["73560-RT"]),
    ("XR KNEE LEFT 2V\nTECHNIQUE: AP and lateral views of the left knee.\nFINDINGS: Joint effusion. Right knee not "
     "imaged.", ["73560-LT"]),
])
def test_side_quoted_from_the_title_or_order(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a voiding cystourethrogram whose patient did not void (no voiding images) is the cystogram (74430)
    ("EXAM: FL VOIDING CYSTOURETHROGRAM\nTECHNIQUE: Through the existing Foley catheter the bladder was filled with "
     "200 mL of contrast; AP, oblique and lateral images of the full bladder and a post-drainage image. The patient "
     "was unable to void around the catheter.\nFINDINGS: Small anastomotic leak.", ["74430"]),
    ("VCUG\nTechnique: Bladder filled by gravity via a 5 Fr feeding tube, AP and both oblique views. No voiding "
     "images were obtained; the child was too agitated.\nFindings: No vesicoureteral reflux during filling.",
     ["74430"]),
    # ... voiding documented, or a history that says so of another study, stays the voiding study
    ("VCUG\nTechnique: Bladder filled by gravity via a 5 Fr feeding tube; AP and oblique views during filling and "
     "voiding views of the urethra.\nFindings: Grade II reflux on the left.", ["74455"]),
    ("EXAM: VOIDING CYSTOURETHROGRAM\nHISTORY: Prior study the patient could not void.\nTECHNIQUE: Bladder filled "
     "via catheter; voiding images of the urethra obtained.\nFINDINGS: Normal.", ["74455"]),
])
def test_voiding_study_without_voiding_is_the_cystogram(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a post-myelography CT the report says was deferred undoes the CT, not the myelogram: the regions imaged
    # decide (two or more: 72270)
    ("EXAM: FL MYELOGRAM CERVICAL\nTECHNIQUE: Lumbar puncture at L3-L4. Iohexol instilled intrathecally. AP and "
     "lateral images of the lumbar spine, spot images of the thoracic spine, and AP and lateral views of the "
     "cervical spine. Post-myelography CT was deferred to a separate date.\nFINDINGS: Multilevel stenosis.",
     ["72270"]),
    ("EXAM: FL MYELOGRAM LUMBAR\nTECHNIQUE: L2-L3 puncture, iohexol intrathecal. AP, lateral and oblique images of "
     "the lumbar spine. Post myelogram CT not performed, the patient declined.\nFINDINGS: L4-L5 stenosis.",
     ["72265"]),
])
def test_deferred_post_myelogram_ct_keeps_the_myelogram(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_pipe_row_both_sides_image_count_is_no_views_conflict(sg):
    # "AP/mortise/lateral each (6 images)" on both ankles: 3 views a side, as the title says
    out = sg.suggest("88427011|XXXXXXX|XR ANKLE 3V BIL|Bilateral ankles, AP/mortise/lateral each (6 images). Inversion "
                     "injury both ankles. RIGHT: small avulsion fragment. LEFT: no fracture.")
    assert codes(out) == ["73610-50"]
    assert "title_technique_conflict" not in flag_types(out)
