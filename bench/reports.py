"""Synthetic full-length radiology reports for the benchmark (not for accuracy: no gold codes).

``make_reports(n, seed)`` returns ``n`` records ``{"id", "text", "family"}`` of about 350 words
(300-420), mixed across families (CT, CTA, MR, US, duplex, XR, mammography, NM, DXA, fluoro) and
dictation styles (sectioned mixed case, terse capitals, PowerScribe-like headers, a narrative
paragraph style). The title, technique and contrast lines vary the way real ones do; the
findings are built from organ-by-organ sentence pools until the report reaches its length, so
that, like real reports, most of the words are in the findings and impression.
"""

from __future__ import annotations

import random

# ---------------------------------------------------------------------- sentence pools

FINDINGS = {
    "abdomen": [
        ("Liver", ["The liver is normal in size and attenuation without focal lesion.",
                   "Mild diffuse hepatic steatosis. A 9 mm hypodensity in segment 7 is too small to characterize, likely a cyst.",
                   "The liver measures 17.5 cm in craniocaudal dimension with a smooth contour. No biliary dilatation.",
                   "Several subcentimeter hepatic cysts are unchanged. Portal and hepatic veins are patent."]),
        ("Gallbladder and bile ducts", ["The gallbladder is unremarkable. No radiopaque gallstones. The common bile duct measures 4 mm.",
                                        "Cholelithiasis without gallbladder wall thickening or pericholecystic fluid.",
                                        "Status post cholecystectomy. Mild extrahepatic ductal prominence to 7 mm, expected post surgery."]),
        ("Pancreas", ["The pancreas enhances homogeneously without ductal dilatation or peripancreatic stranding.",
                      "Mild fatty atrophy of the pancreas. A 6 mm cystic lesion in the tail likely represents a side-branch IPMN."]),
        ("Spleen", ["The spleen is normal in size.", "Mild splenomegaly measuring 14.2 cm. No focal splenic lesion."]),
        ("Adrenal glands", ["The adrenal glands are unremarkable.",
                            "A 1.4 cm left adrenal nodule measuring -5 Hounsfield units, consistent with a lipid-rich adenoma."]),
        ("Kidneys and ureters", ["The kidneys enhance symmetrically. No hydronephrosis or nephrolithiasis. The ureters are normal in course and caliber.",
                                 "A 3 mm nonobstructing calculus in the lower pole of the right kidney. Simple cortical cyst in the left kidney measuring 2.1 cm.",
                                 "Mild left hydroureteronephrosis to the level of a 4 mm calculus at the ureterovesical junction with perinephric stranding."]),
        ("Bowel", ["The stomach and small bowel are normal in caliber. The appendix is normal. Scattered colonic diverticula without inflammation.",
                   "Wall thickening and surrounding fat stranding of the sigmoid colon with several inflamed diverticula, no abscess or free air.",
                   "Mildly dilated fluid-filled loops of small bowel measuring up to 3.1 cm with a transition point in the right lower quadrant.",
                   "The appendix is dilated to 12 mm with periappendiceal inflammatory change and an appendicolith at its base."]),
        ("Peritoneum and lymph nodes", ["No free fluid or free air. No pathologically enlarged abdominal or pelvic lymph nodes.",
                                        "Small volume ascites in the pelvis. Mildly prominent mesenteric lymph nodes, likely reactive, up to 9 mm short axis."]),
        ("Vasculature", ["The abdominal aorta is normal in caliber with mild atherosclerotic calcification.",
                         "Infrarenal abdominal aortic aneurysm measuring 3.4 cm, previously 3.3 cm. Moderate atherosclerotic disease."]),
        ("Pelvis", ["The urinary bladder is decompressed. The uterus and adnexa are unremarkable for age.",
                    "The prostate is enlarged, measuring 5.6 cm transverse, with central calcifications. The bladder wall is mildly trabeculated."]),
        ("Bones and soft tissues", ["No aggressive osseous lesion. Multilevel degenerative changes of the lumbar spine. Small fat-containing umbilical hernia.",
                                    "Degenerative disc disease at L4-L5 and L5-S1 with vacuum phenomenon. Bilateral L5 pars defects without listhesis."]),
    ],
    "chest": [
        ("Thoracic inlet and thyroid", ["The thyroid gland is unremarkable. The thoracic inlet is normal.",
                                        "A 1.2 cm hypodense nodule in the left thyroid lobe; nonemergent thyroid ultrasound may be considered."]),
        ("Chest wall and axillae", ["No axillary or supraclavicular lymphadenopathy. The chest wall is unremarkable.",
                                    "Postsurgical changes of a left mastectomy with no chest wall mass."]),
        ("Esophagus", ["The esophagus is normal in caliber.", "Patulous esophagus containing fluid; small hiatal hernia."]),
        ("Lungs and airways", ["The lungs are clear without consolidation, mass or suspicious nodule. The central airways are patent.",
                               "A 6 mm solid nodule in the right upper lobe, unchanged, and scattered calcified granulomas.",
                               "Centrilobular emphysema with upper lobe predominance. Bibasilar dependent atelectasis.",
                               "Patchy consolidation in the left lower lobe with air bronchograms, compatible with pneumonia in the right clinical setting.",
                               "Mild bronchial wall thickening and scattered mucous plugging in the lower lobes."]),
        ("Pleura", ["No pleural effusion or pneumothorax.", "Small right pleural effusion with adjacent compressive atelectasis.",
                    "Calcified pleural plaques along the diaphragmatic pleura bilaterally, consistent with prior asbestos exposure."]),
        ("Heart and mediastinum", ["The heart is normal in size. No pericardial effusion. Mild coronary artery calcification.",
                                   "Mild cardiomegaly. Small pericardial effusion. Thoracic aorta normal in caliber.",
                                   "Mediastinal and hilar lymph nodes are not enlarged. The thyroid gland is unremarkable.",
                                   "Enlarged subcarinal lymph node measuring 1.6 cm short axis and a right hilar node measuring 1.2 cm."]),
        ("Upper abdomen", ["The visualized upper abdomen is unremarkable.", "Limited images of the upper abdomen show a small hiatal hernia and cholelithiasis."]),
        ("Bones", ["No acute fracture or suspicious osseous lesion. Degenerative changes of the thoracic spine.",
                   "Healed fractures of the left lateral sixth and seventh ribs. Mild anterior wedging of T8, chronic."]),
    ],
    "head": [
        ("Posterior fossa", ["The brainstem and cerebellum are unremarkable.", "Old lacunar infarct in the left cerebellar hemisphere."]),
        ("Sella and craniocervical junction", ["The sella and pituitary gland are normal in size. The craniocervical junction is unremarkable.",
                                               "Partially empty sella, a common incidental finding."]),
        ("Orbits", ["The globes and retro-orbital fat are normal.", "Bilateral lens replacements. Otherwise normal orbits."]),
        ("Brain parenchyma", ["No acute intracranial hemorrhage, mass effect or midline shift. Gray-white differentiation is preserved.",
                              "Patchy periventricular and subcortical white matter hypodensities, compatible with chronic small vessel ischemic disease.",
                              "Encephalomalacia in the right frontal lobe at the site of the prior infarct, unchanged.",
                              "No restricted diffusion to suggest acute infarct. No abnormal parenchymal or leptomeningeal enhancement."]),
        ("Ventricles and extra-axial spaces", ["The ventricles and sulci are normal in size for age. No extra-axial collection.",
                                               "Mild generalized volume loss with proportional ventricular enlargement. No hydrocephalus."]),
        ("Vessels", ["Expected flow voids are present in the major intracranial arteries and dural venous sinuses.",
                     "Atherosclerotic calcification of the cavernous internal carotid arteries."]),
        ("Skull and soft tissues", ["The calvarium is intact. The visualized paranasal sinuses and mastoid air cells are clear.",
                                    "Mucosal thickening in the maxillary sinuses bilaterally. Small left frontal scalp hematoma without underlying fracture.",
                                    "The orbits are unremarkable. Partial opacification of the right mastoid air cells."]),
    ],
    "spine": [
        ("Sacroiliac joints", ["The visualized sacroiliac joints are unremarkable.", "Mild degenerative change of the sacroiliac joints."]),
        ("Retroperitoneum", ["The visualized retroperitoneum is unremarkable. The aorta is normal in caliber.",
                             "Incidental 2 cm simple cyst in the lower pole of the left kidney."]),
        ("Alignment", ["Normal lumbar lordosis. No spondylolisthesis.", "Grade 1 anterolisthesis of L4 on L5 measuring 5 mm, unchanged on flexion."]),
        ("Vertebrae and marrow", ["Vertebral body heights are maintained. Marrow signal is normal without edema.",
                                  "Type 2 degenerative endplate changes at L5-S1. No fracture or marrow replacing lesion.",
                                  "Acute compression fracture of L1 with 30 percent height loss and marrow edema, no retropulsion."]),
        ("Conus and cord", ["The conus terminates normally at L1. Normal cord signal.", "The visualized spinal cord is normal in caliber and signal."]),
        ("Disc levels", ["L1-L2 and L2-L3: No disc herniation, canal or foraminal stenosis.",
                         "L3-L4: Mild disc bulge and facet arthropathy with mild bilateral foraminal narrowing, no canal stenosis.",
                         "L4-L5: Broad-based disc protrusion with ligamentum flavum thickening causing moderate canal stenosis and lateral recess narrowing, left greater than right.",
                         "L5-S1: Left paracentral disc extrusion contacting the traversing left S1 nerve root. Mild left foraminal narrowing.",
                         "C5-C6: Disc osteophyte complex with mild canal stenosis and moderate right neural foraminal narrowing.",
                         "C6-C7: Small central disc protrusion without cord contact."]),
        ("Paraspinal soft tissues", ["The paraspinal soft tissues are unremarkable.", "Mild fatty atrophy of the paraspinal muscles."]),
    ],
    "joint": [
        ("Cartilage", ["The articular cartilage is preserved in all compartments.",
                       "High-grade partial-thickness chondral loss along the weight-bearing medial femoral condyle with subchondral edema."]),
        ("Alignment", ["Alignment is anatomic.", "Mild lateral patellar tilt without subluxation."]),
        ("Bones", ["No acute fracture or dislocation. Bone mineralization is normal.",
                   "Nondisplaced fracture through the base of the fifth metatarsal. Mild surrounding soft tissue swelling.",
                   "Bone marrow edema in the lateral femoral condyle and posterolateral tibial plateau, consistent with a pivot-shift contusion pattern.",
                   "Subchondral cystic change and sclerosis at the medial compartment."]),
        ("Joint", ["Joint spaces are preserved. No joint effusion.", "Moderate medial compartment joint space narrowing with marginal osteophytes. Small joint effusion.",
                   "Small joint effusion with a 1.5 cm popliteal cyst."]),
        ("Menisci", ["The medial and lateral menisci are intact.",
                     "Oblique tear of the posterior horn of the medial meniscus extending to the inferior articular surface.",
                     "Degenerative fraying of the free edge of the lateral meniscus without a discrete tear."]),
        ("Ligaments and tendons", ["The cruciate and collateral ligaments are intact. The extensor mechanism is intact.",
                                   "Complete tear of the anterior cruciate ligament with fiber discontinuity. The posterior cruciate ligament is intact.",
                                   "Low-grade sprain of the medial collateral ligament. Mild patellar tendinosis.",
                                   "Full-thickness tear of the supraspinatus tendon with 1 cm retraction; mild infraspinatus tendinosis."]),
        ("Soft tissues", ["The soft tissues are unremarkable.", "Mild subcutaneous edema. No radiopaque foreign body. No soft tissue gas."]),
    ],
    "us_abdomen": [
        ("Liver", ["The liver measures 15.8 cm and is normal in echotexture without focal lesion. Hepatopetal portal venous flow.",
                   "The liver is enlarged at 19 cm and diffusely echogenic, compatible with steatosis. No focal mass is seen."]),
        ("Gallbladder", ["The gallbladder is normally distended without stones, wall thickening or pericholecystic fluid. Negative sonographic Murphy sign.",
                         "Multiple mobile shadowing gallstones up to 1.2 cm. Gallbladder wall 2 mm. Negative sonographic Murphy sign."]),
        ("Bile ducts", ["The common bile duct measures 3 mm. No intrahepatic biliary dilatation."]),
        ("Pancreas", ["The visualized pancreatic head and body are unremarkable; the tail is obscured by bowel gas."]),
        ("Spleen", ["The spleen measures 10.4 cm and is homogeneous."]),
        ("Kidneys", ["The right kidney measures 10.9 cm and the left kidney 11.3 cm. Normal cortical thickness and echogenicity. No hydronephrosis, stone or mass.",
                     "A 2.4 cm simple cyst in the upper pole of the left kidney. No hydronephrosis."]),
        ("Aorta and IVC", ["The visualized abdominal aorta is normal in caliber, measuring 1.9 cm. The inferior vena cava is unremarkable."]),
        ("Other", ["No ascites.", "Trace free fluid in the right lower quadrant."]),
    ],
    "us_pelvis": [
        ("Bladder", ["The urinary bladder is well distended and unremarkable.", "The bladder is partially distended; no wall thickening."]),
        ("Adnexa", ["No adnexal mass.", "A 1.8 cm simple paraovarian cyst on the right."]),
        ("Cervix", ["The cervix is unremarkable; several small nabothian cysts."]),
        ("Uterus", ["The uterus is anteverted and measures 8.1 x 4.3 x 5.0 cm. The myometrium is homogeneous.",
                    "The uterus is enlarged by several fibroids, the largest a 3.2 cm intramural fibroid in the posterior fundus."]),
        ("Endometrium", ["The endometrial stripe measures 7 mm and is homogeneous.", "The endometrium is thickened at 14 mm and heterogeneous with internal vascularity."]),
        ("Right ovary", ["The right ovary measures 3.1 x 2.0 x 2.4 cm with normal follicles and arterial and venous flow.",
                         "A 3.4 cm simple cyst in the right ovary. Normal Doppler flow."]),
        ("Left ovary", ["The left ovary measures 2.8 x 1.9 x 2.2 cm and is unremarkable with normal flow.",
                        "A 2.6 cm left ovarian cyst with lacy internal echoes, compatible with a hemorrhagic cyst."]),
        ("Cul-de-sac", ["Trace physiologic free fluid in the cul-de-sac.", "No free fluid."]),
    ],
    "thyroid": [
        ("Parathyroid region", ["No hypoechoic mass posterior to the thyroid to suggest a parathyroid adenoma."]),
        ("Vascularity", ["Normal parenchymal vascularity on color Doppler.", "Mildly increased diffuse vascularity."]),
        ("Salivary glands", ["The visualized submandibular glands are unremarkable."]),
        ("Right lobe", ["The right lobe measures 4.8 x 1.6 x 1.7 cm with homogeneous echotexture.",
                        "A 1.6 cm solid isoechoic nodule in the right mid pole with smooth margins and no echogenic foci (TI-RADS 3)."]),
        ("Left lobe", ["The left lobe measures 4.5 x 1.5 x 1.4 cm.", "A 9 mm spongiform nodule in the left lower pole (TI-RADS 1)."]),
        ("Isthmus", ["The isthmus measures 3 mm."]),
        ("Lymph nodes", ["No abnormal cervical lymph nodes.", "Several level 3 lymph nodes with preserved fatty hila, likely reactive."]),
    ],
    "vascular": [
        ("Technique notes", ["All segments were visualized with adequate acoustic windows.",
                             "Evaluation of the calf veins is limited by edema and body habitus."]),
        ("Incidental", ["A 3 cm complex fluid collection in the popliteal fossa is consistent with a ruptured Baker cyst.",
                        "No incidental soft tissue abnormality."]),
        ("Right", ["The right common femoral, femoral, popliteal and calf veins are fully compressible with normal phasic flow and augmentation.",
                   "Right common carotid peak systolic velocity 86 cm/s. Mild heterogeneous plaque at the bulb. ICA peak systolic velocity 98 cm/s, end diastolic 24 cm/s; ICA/CCA ratio 1.1, consistent with less than 50 percent stenosis."]),
        ("Left", ["Occlusive thrombus expands and fills the left popliteal and posterior tibial veins, which are noncompressible without flow.",
                  "Left ICA peak systolic velocity 245 cm/s and end diastolic velocity 82 cm/s with calcified plaque, consistent with 70 percent or greater stenosis.",
                  "The left femoral and popliteal veins are compressible with normal flow."]),
        ("Vertebral and other", ["Antegrade flow in both vertebral arteries.", "Normal respiratory variation in the common femoral veins bilaterally."]),
    ],
    "breast": [
        ("Skin and nipple", ["The skin and nipples are unremarkable.", "Mild skin thickening of the left breast consistent with prior radiation therapy."]),
        ("Comparison", ["Compared with studies from the past three years, there is no significant interval change.",
                        "The new calcifications were not present on the mammogram from two years ago."]),
        ("Implants", ["No implants.", "Bilateral subpectoral saline implants are intact."]),
        ("Breast composition", ["The breasts are heterogeneously dense, which may obscure small masses.",
                                "There are scattered areas of fibroglandular density."]),
        ("Findings", ["No suspicious mass, architectural distortion or suspicious calcifications in either breast.",
                      "A 7 mm oval circumscribed mass in the right breast at 10 o'clock, 6 cm from the nipple, stable for three years.",
                      "Grouped amorphous calcifications spanning 8 mm in the upper outer quadrant of the left breast, new since the prior study.",
                      "Benign-appearing vascular and dystrophic calcifications bilaterally.",
                      "On tomosynthesis, a 1.1 cm area of architectural distortion persists in the left breast upper outer quadrant posterior depth."]),
        ("Axillae", ["No suspicious axillary lymph nodes.", "A normal-appearing intramammary lymph node in the right upper outer quadrant."]),
    ],
    "bone_scan": [
        ("Skull and spine", ["Symmetric uptake in the calvarium and spine without focal abnormality.",
                             "Mildly increased uptake at the L4-L5 facets, likely degenerative."]),
        ("Pelvis and extremities", ["No focal abnormality in the pelvis or long bones.",
                                    "Increased uptake at the left hip prosthesis, nonspecific; loosening is not excluded."]),
        ("Spot views", ["Spot views of the chest and pelvis confirm the findings on the whole body images."]),
        ("Skeleton", ["Physiologic distribution of radiotracer throughout the axial and appendicular skeleton.",
                      "Focal intense uptake in the right sixth posterior rib and the L3 vertebral body, new since the prior study, suspicious for osseous metastases.",
                      "Degenerative uptake at both knees, the first carpometacarpal joints and the lower lumbar facets.",
                      "Linear uptake along the left anterior ribs in a pattern consistent with healing fractures."]),
        ("Soft tissues and kidneys", ["Expected renal and bladder activity. No abnormal soft tissue uptake."]),
    ],
    "dxa": [
        ("Quality", ["Positioning and analysis were reviewed and are adequate.", "The left hip was used for comparison because of right hip arthroplasty."]),
        ("Change", ["Compared with the study 2 years ago, lumbar spine BMD has decreased by 4.1 percent, which exceeds the least significant change.",
                    "No statistically significant change in BMD since the prior study."]),
        ("Vertebral fracture assessment", ["Vertebral fracture assessment shows no vertebral compression deformity from T4 to L4."]),
        ("Lumbar spine", ["L1-L4 bone mineral density 0.912 g/cm2, T-score -1.8, Z-score -0.9.",
                          "L3 was excluded for degenerative sclerosis. L1-L4 T-score -2.6."]),
        ("Hips", ["Left femoral neck BMD 0.701 g/cm2, T-score -2.1. Total hip T-score -1.5.",
                  "Right femoral neck T-score -2.7, total hip T-score -2.2."]),
        ("Forearm", ["The 33 percent radius was not measured."]),
        ("Fracture risk", ["The 10-year probability of a major osteoporotic fracture is 14 percent and of a hip fracture 2.8 percent (FRAX, US Caucasian)."]),
    ],
    "fluoro": [
        ("Duodenum", ["Barium passes freely into a normal duodenal sweep."]),
        ("Motility", ["The tertiary contractions seen in the distal esophagus suggest presbyesophagus.",
                      "Esophageal clearance is normal in the upright position."]),
        ("Complications", ["No aspiration or laryngeal penetration was observed. The patient tolerated the procedure well."]),
        ("Pharynx and esophagus", ["The pharynx and cervical esophagus are normal on overhead views.",
                                   "Normal primary peristalsis on four of five swallows; one swallow shows proximal escape."]),
        ("Gastroesophageal junction", ["A smooth symmetric ring at the gastroesophageal junction narrows the lumen to 12 mm, compatible with a Schatzki ring.",
                                       "Small sliding hiatal hernia measuring 2 cm. Spontaneous gastroesophageal reflux to the level of the thoracic inlet."]),
        ("Stomach", ["The visualized stomach is unremarkable.", "The barium tablet passes into the stomach without delay."]),
    ],
}

# sentences any report may carry (quality, dose, communication, sign-off), each at most once
GENERIC = [
    "Image quality is adequate for diagnostic evaluation; mild motion artifact limits assessment of fine detail.",
    "The examination was reviewed together with the prior reports and the clinical history provided.",
    "Additional reformatted images were reviewed on the PACS workstation.",
    "Correlation with the physical examination and laboratory values is recommended.",
    "Follow-up imaging can be considered if symptoms persist or worsen, at the discretion of the referring clinician.",
    "These findings were discussed by telephone with the ordering provider at the time of dictation, who acknowledged receipt.",
    "This report was dictated using speech recognition software; minor transcription errors may be present.",
    "Dose reduction techniques were used, including automated exposure control and adjustment of the mA and kV for patient size.",
    "I have personally reviewed the images and agree with the preliminary interpretation, with the additions above.",
    "No prior imaging was available at the time of interpretation; comparison will be made if outside studies are provided.",
    "The study is not tailored for evaluation of the structures outside the field of view, which are not assessed.",
    "Recommendations are based on the current ACR appropriateness criteria and institutional guidelines.",
]

HISTORIES = ["{age}-year-old {sex} with {why}.", "{why}. {age}{s1}.", "{age} yo {sex}, {why}; evaluate.",
             "Clinical concern for {why} in a {age}-year-old {sex}."]
WHY = {
    "abdomen": ["right lower quadrant pain and fever, rule out appendicitis", "left lower quadrant pain, history of diverticulitis",
                "abdominal pain and weight loss", "follow-up of hepatic lesion", "flank pain and hematuria"],
    "chest": ["persistent cough and a smoker", "shortness of breath and pleuritic chest pain", "follow-up of a pulmonary nodule",
              "fever and leukocytosis after surgery", "staging of newly diagnosed lung cancer"],
    "head": ["fall on anticoagulation with headache", "new left-sided weakness", "chronic headaches", "dizziness and gait instability",
             "altered mental status"],
    "spine": ["low back pain radiating to the left leg for 8 weeks", "neck pain and right arm paresthesias", "back pain after a fall",
              "bilateral leg numbness on walking"],
    "joint": ["twisting injury while playing soccer with pain and swelling", "chronic pain with locking", "fall on an outstretched hand",
              "pain after an ankle inversion injury", "shoulder pain and weakness on abduction"],
    "us_abdomen": ["right upper quadrant pain after meals", "elevated liver enzymes", "abdominal pain and nausea"],
    "us_pelvis": ["pelvic pain", "abnormal uterine bleeding", "follow-up of an ovarian cyst"],
    "thyroid": ["a palpable thyroid nodule", "follow-up of known thyroid nodules"],
    "vascular": ["left calf swelling and pain", "a carotid bruit", "transient right arm weakness"],
    "breast": ["routine screening", "a palpable lump in the left breast", "a callback from screening mammography"],
    "bone_scan": ["prostate cancer with rising PSA", "breast cancer staging", "diffuse bone pain"],
    "dxa": ["postmenopausal, on aromatase inhibitor", "long-term steroid use", "screening for osteoporosis"],
    "fluoro": ["dysphagia to solids", "globus sensation and reflux"],
}

SIDES = ["RIGHT", "LEFT", "Right", "Left", "RT", "LT"]


def _exams(rng: random.Random) -> list[dict]:
    """(title, technique, contrast line, pool, family) for each exam type."""
    side = rng.choice(SIDES)
    return [
        dict(family="ct", pool="abdomen", title=rng.choice(["CT ABDOMEN AND PELVIS WITH CONTRAST", "CT A/P W IV CONTRAST", "CT abdomen/pelvis with IV contrast"]),
             tech="Axial CT images of the abdomen and pelvis were obtained after the intravenous administration of {vol} mL Omnipaque 350. Coronal and sagittal reformats were created. Oral contrast was given.",
             contrast="{vol} mL Omnipaque 350 IV."),
        dict(family="ct", pool="abdomen", title=rng.choice(["CT ABDOMEN PELVIS WITHOUT CONTRAST", "CT ABD/PEL WO - STONE PROTOCOL"]),
             tech="Low-dose axial images from the kidneys through the bladder base without intravenous or oral contrast. Coronal reformats.",
             contrast="None."),
        dict(family="ct", pool="head", title=rng.choice(["CT HEAD WITHOUT CONTRAST", "CT HEAD WO", "Noncontrast CT brain"]),
             tech="Contiguous axial 5 mm images from the skull base to the vertex without intravenous contrast. Bone and soft tissue algorithms. Sagittal and coronal reformats.",
             contrast="None."),
        dict(family="ct", pool="chest", title=rng.choice(["CT CHEST WITH CONTRAST", "CT CHEST W IV CONTRAST", "CT thorax with contrast"]),
             tech="Helical CT of the chest after {vol} mL Isovue 370 intravenously. 1.25 mm reconstructions with multiplanar reformats.",
             contrast="{vol} mL Isovue 370."),
        dict(family="cta", pool="chest", title=rng.choice(["CTA CHEST PE PROTOCOL", "CT ANGIOGRAPHY CHEST", "CTA chest for pulmonary embolism"]),
             tech="CT angiography of the chest in the pulmonary arterial phase after {vol} mL Omnipaque 350. Maximum intensity projection and 3D reconstructions were performed on an independent workstation.",
             contrast="{vol} mL Omnipaque 350 IV.",
             extra="Pulmonary arteries: No filling defect in the main, lobar, segmental or subsegmental pulmonary arteries. RV/LV ratio 0.8."),
        dict(family="mr", pool="head", title=rng.choice(["MRI BRAIN WITH AND WITHOUT CONTRAST", "MR BRAIN W/WO", "MRI brain without and with gadolinium"]),
             tech="Sagittal T1, axial T2, FLAIR, diffusion, susceptibility and pre-contrast T1 images, followed by post-contrast axial and coronal T1 images after {gad} mL gadobutrol.",
             contrast="{gad} mL Gadavist IV."),
        dict(family="mr", pool="spine", title=rng.choice(["MRI LUMBAR SPINE WITHOUT CONTRAST", "MR L-SPINE WO", "MRI lumbar spine"]),
             tech="Sagittal T1, T2 and STIR and axial T1 and T2 images of the lumbar spine. No intravenous contrast.",
             contrast="None."),
        dict(family="mr", pool="joint", title=rng.choice([f"MRI KNEE {side} WITHOUT CONTRAST", f"MR {side} KNEE WO", f"MRI of the {side.lower()} knee"]),
             tech="Multiplanar multisequence MR imaging of the knee without intravenous contrast, including proton density fat-saturated and T1 sequences.",
             contrast="None."),
        dict(family="us", pool="us_abdomen", title=rng.choice(["US ABDOMEN COMPLETE", "ULTRASOUND ABDOMEN", "Complete abdominal ultrasound"]),
             tech="Real-time grayscale and color Doppler ultrasound of the abdomen including the liver, gallbladder, bile ducts, pancreas, spleen, kidneys, aorta and inferior vena cava.",
             contrast=None),
        dict(family="us", pool="us_pelvis", title=rng.choice(["US PELVIS TRANSABDOMINAL AND TRANSVAGINAL", "PELVIC ULTRASOUND COMPLETE"]),
             tech="Transabdominal and transvaginal grayscale and Doppler images of the pelvis. Transvaginal imaging was performed with verbal consent for better evaluation of the endometrium and ovaries.",
             contrast=None),
        dict(family="us", pool="thyroid", title=rng.choice(["US THYROID", "ULTRASOUND SOFT TISSUE NECK (THYROID)"]),
             tech="Grayscale and color Doppler ultrasound of the thyroid gland and cervical lymph nodes.", contrast=None),
        dict(family="duplex", pool="vascular", title=rng.choice([f"VENOUS DUPLEX LOWER EXTREMITY {side}", "DUPLEX CAROTID BILATERAL", "Carotid duplex ultrasound, bilateral"]),
             tech="Grayscale compression, color and spectral Doppler imaging was performed.", contrast=None),
        dict(family="xr", pool="chest", title=rng.choice(["XR CHEST 2 VIEWS", "CHEST PA AND LATERAL", "Radiograph chest, 2 views"]),
             tech="PA and lateral views of the chest.", contrast=None),
        dict(family="xr", pool="joint", title=rng.choice([f"XR KNEE {side} 3 VIEWS", f"XR {side} ANKLE COMPLETE", f"Radiographs {side.lower()} wrist, 3 views"]),
             tech="Frontal, lateral and oblique views.", contrast=None),
        dict(family="mammo", pool="breast", title=rng.choice(["SCREENING MAMMOGRAM BILATERAL WITH TOMOSYNTHESIS", "DIAGNOSTIC MAMMOGRAM LEFT WITH TOMOSYNTHESIS",
                                                               "Bilateral screening digital mammogram with CAD"]),
             tech="Standard craniocaudal and mediolateral oblique views with digital breast tomosynthesis. Computer-aided detection was used.", contrast=None),
        dict(family="nm", pool="bone_scan", title=rng.choice(["NM BONE SCAN WHOLE BODY", "Whole body bone scintigraphy"]),
             tech="Anterior and posterior whole body images were obtained 3 hours after intravenous injection of {mci} mCi Tc-99m MDP.",
             contrast="{mci} mCi Tc-99m MDP IV."),
        dict(family="dxa", pool="dxa", title=rng.choice(["DXA BONE DENSITY AXIAL SKELETON", "Bone densitometry (DXA), hips and spine"]),
             tech="Dual-energy x-ray absorptiometry of the lumbar spine and both hips on a Hologic scanner.", contrast=None),
        dict(family="fl", pool="fluoro", title=rng.choice(["FL ESOPHAGRAM", "Barium swallow (esophagram)"]),
             tech="Scout image. Single contrast esophagram with thin barium in the upright and prone positions. A 13 mm barium tablet was given. Fluoroscopy time 2.1 minutes.",
             contrast="Thin barium orally."),
    ]


IMPRESSIONS = {
    "abdomen": ["No acute abnormality in the abdomen or pelvis.", "Acute uncomplicated sigmoid diverticulitis.",
                "Acute appendicitis without perforation or abscess.", "Obstructing 4 mm left ureterovesical junction calculus with mild hydronephrosis."],
    "chest": ["No acute cardiopulmonary abnormality.", "Left lower lobe pneumonia. Small right pleural effusion.",
              "Stable 6 mm right upper lobe nodule; no follow-up needed per Fleischner guidelines.", "Emphysema. No suspicious pulmonary nodule."],
    "head": ["No acute intracranial abnormality.", "Chronic small vessel ischemic disease. No acute infarct or hemorrhage."],
    "spine": ["Multilevel degenerative disease, most pronounced at L4-L5 with moderate canal stenosis.",
              "Left paracentral L5-S1 disc extrusion contacting the left S1 nerve root."],
    "joint": ["Complete ACL tear with pivot-shift bone contusions and a medial meniscal tear.", "No acute fracture or dislocation.",
              "Moderate medial compartment osteoarthritis."],
    "us_abdomen": ["Cholelithiasis without sonographic evidence of acute cholecystitis.", "Hepatic steatosis. Otherwise unremarkable abdominal ultrasound."],
    "us_pelvis": ["Fibroid uterus. Normal ovaries.", "Thickened heterogeneous endometrium; tissue sampling is recommended."],
    "thyroid": ["1.6 cm TI-RADS 3 right thyroid nodule; follow-up ultrasound in 1 year is recommended."],
    "vascular": ["Acute deep venous thrombosis of the left popliteal and posterior tibial veins.", "Left ICA stenosis of 70 percent or greater; right less than 50 percent."],
    "breast": ["BI-RADS 1: Negative. Routine screening mammography in one year.", "BI-RADS 0: Incomplete. Additional imaging of the left breast calcifications is needed.",
               "BI-RADS 4: Suspicious. Stereotactic biopsy of the left breast calcifications is recommended."],
    "bone_scan": ["New foci of uptake in the right sixth rib and L3, suspicious for metastatic disease.", "No scintigraphic evidence of osseous metastatic disease."],
    "dxa": ["Osteopenia. The FRAX 10-year major osteoporotic fracture probability is 14 percent.", "Osteoporosis by WHO criteria at the right femoral neck."],
    "fluoro": ["Schatzki ring with transient barium tablet impaction.", "Small sliding hiatal hernia with gastroesophageal reflux."],
}


def _fill(s: str, rng: random.Random) -> str:
    return s.format(vol=rng.choice([75, 80, 100, 110]), gad=rng.choice([6, 7, 7.5, 8]), mci=rng.choice([20.1, 22.4, 24.8]))


def make_report(rng: random.Random, target_words: int) -> tuple[str, str]:
    exam = rng.choice(_exams(rng))
    pool = exam["pool"]
    style = rng.choice(["sectioned", "sectioned", "caps", "powerscribe", "narrative"])
    age, sex = rng.randint(19, 91), rng.choice(["male", "female", "man", "woman"])
    if pool in ("us_pelvis", "breast"):
        sex = rng.choice(["female", "woman"])
    hist = rng.choice(HISTORIES).format(age=age, sex=sex, why=rng.choice(WHY[pool]), s1=sex[0].upper())
    comparison = rng.choice(["None.", f"Prior study dated {rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(2018, 2024)}.",
                             "Outside radiograph from the same day, not available for direct comparison.",
                             "CT abdomen and pelvis with contrast from last year."])
    tech = _fill(exam["tech"], rng)
    contrast = _fill(exam["contrast"], rng) if exam.get("contrast") else None
    impression = rng.sample(IMPRESSIONS[pool], k=min(2, len(IMPRESSIONS[pool])))

    # findings: one statement per organ, then quality / communication / sign-off sentences
    # until the report reaches its length (most words sit in the findings, as in real reports)
    findings = [(h, rng.choice(alts)) for h, alts in FINDINGS[pool]]
    if exam.get("extra"):
        findings.insert(0, ("Additional", exam["extra"]))
    fixed = [exam["title"], hist, tech, contrast or "", comparison, *impression, *(b for _, b in findings)]
    words = sum(len(x.split()) for x in fixed)
    trailer = []
    generic = [g for g in GENERIC if exam["family"] in ("ct", "cta", "xr", "fl") or not g.startswith("Dose")]
    for sent in rng.sample(generic, len(generic)):
        if words >= target_words:
            break
        trailer.append(sent)
        words += len(sent.split())
    half = len(trailer) // 2
    body = findings + ([("Other", " ".join(trailer[:half]))] if half else [])
    closing = " ".join(trailer[half:])
    return _render(style, exam["title"], hist, tech, contrast, comparison, body, impression, closing, rng), exam["family"]


def _render(style, title, hist, tech, contrast, comparison, body, impression, closing, rng) -> str:
    imp = "\n".join(f"{i}. {s}" for i, s in enumerate(impression, 1)) + ("\n\n" + closing if closing else "")
    if style == "narrative":
        text = (f"{title}\n\nClinical history: {hist}\n\n{tech} {('Contrast: ' + contrast) if contrast else ''}\n"
                f"Comparison: {comparison}\n\n" + " ".join(b for _, b in body) + f"\n\nImpression:\n{imp}\n")
    elif style == "powerscribe":
        text = (f"EXAM: {title}\nCLINICAL HISTORY: {hist}\nTECHNIQUE: {tech}\n" + (f"CONTRAST: {contrast}\n" if contrast else "")
                + f"COMPARISON: {comparison}\nFINDINGS:\n" + "\n".join(f"{h}: {b}" for h, b in body)
                + f"\n\nIMPRESSION:\n{imp}\n\nElectronically signed by {rng.choice(['Dr. A. Patel', 'Dr. M. Chen', 'Dr. R. Okafor'])}, MD.")
    else:
        text = (f"{title}\nHistory: {hist}\nTechnique: {tech}\n" + (f"Contrast: {contrast}\n" if contrast else "")
                + f"Comparison: {comparison}\n\nFindings:\n" + "\n".join(f"{h}: {b}" for h, b in body) + f"\n\nImpression:\n{imp}\n")
        if style == "caps":
            text = text.upper()
    return text


def make_reports(n: int, seed: int = 0, words: tuple[int, int] = (300, 420)) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text, family = make_report(rng, rng.randint(*words))
        out.append({"id": f"bench-{i + 1:07d}", "text": text, "family": family})
    return out
