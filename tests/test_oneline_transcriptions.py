"""One-line transcriptions (issue 11): reports in the style of public medical transcription
samples, exported one line per report ("EXAM: , ... , HISTORY: , ... , FINDINGS: , ..."), 100-220
words, written for these tests. Each names other studies in its history, comparison, findings or
recommendations and mentions anatomy outside the exam; some have no exam title and name the
exam only in the technique or the first findings sentence. Only the performed exam is billed:
exact code sets (billing global, Medicare)."""

from __future__ import annotations

import warnings

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def s():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Suggester(billing="global")


def lines(rec):
    return sorted((c["code"], tuple(c["modifiers"])) for c in rec["codes"])


REPORTS = [
    ('ct_ap',
     'EXAM: , CT abdomen and pelvis with contrast. , HISTORY: , A 58-year-old female with right lower quadrant pain and fever for three days. History of cholecystectomy. , TECHNIQUE: , Axial CT images of the abdomen and pelvis were obtained following the administration of 100 mL of Omnipaque 350 intravenously. Oral contrast was also given. Coronal and sagittal reformatted images were reviewed. , COMPARISON: , Ultrasound of the abdomen from 03/12/2019 and plain films of the abdomen from the same day. , FINDINGS: , The visualized lung bases are clear. There is no pleural effusion. The liver is normal in size and attenuation without focal lesion. The gallbladder is surgically absent. The spleen, pancreas and adrenal glands are unremarkable. The kidneys enhance symmetrically without hydronephrosis or renal calculi. The abdominal aorta is normal in caliber. The appendix is dilated to 12 mm with surrounding fat stranding and a small appendicolith at its base. There is no abscess or free air. The small bowel and colon are otherwise unremarkable. The urinary bladder is distended and normal. The uterus and ovaries are within normal limits. No pelvic lymphadenopathy. Degenerative changes are present in the lumbar spine and both hips. , IMPRESSION: , 1. Acute uncomplicated appendicitis with an appendicolith. 2. No abscess or perforation. 3. Status post cholecystectomy.',
     [('74177', ())]),
    ('mr_knee',
     'EXAM: , MRI of the right knee without contrast. , CLINICAL HISTORY: , This is a 44-year-old man who twisted his right knee playing basketball two weeks ago, now with medial joint line pain and locking. , COMPARISON: , Radiographs of the right knee dated 08/01/2021 and a CT of the lower extremity from 2018. , TECHNIQUE: , Multiplanar, multisequence MR imaging of the right knee was performed without the administration of intravenous gadolinium. , FINDINGS: , There is a complex tear of the posterior horn of the medial meniscus extending to the inferior articular surface. The lateral meniscus is intact. The anterior cruciate ligament and posterior cruciate ligament are intact. The medial collateral ligament shows mild periligamentous edema compatible with a low-grade sprain. The lateral collateral ligament complex, biceps femoris tendon and iliotibial band are intact. The quadriceps and patellar tendons are normal. There is a small joint effusion. There is no bone marrow edema in the distal femur, proximal tibia or patella. Articular cartilage is preserved in all three compartments. A small Baker cyst is noted. The popliteal artery and vein are unremarkable. Visualized musculature of the thigh and calf is normal. , IMPRESSION: , 1. Complex tear of the posterior horn of the medial meniscus. 2. Low-grade MCL sprain. 3. Small joint effusion and Baker cyst.',
     [('73721', ('RT',))]),
    ('ct_head',
     'EXAM: , CT head without contrast. , REASON FOR EXAM: , Fall with head strike, on Coumadin. , TECHNIQUE: , Noncontrast axial images of the head were obtained from the skull base to the vertex. , COMPARISON: , MRI of the brain with and without contrast dated 01/05/2020. , FINDINGS: , There is no acute intracranial hemorrhage, mass effect or midline shift. The gray-white matter differentiation is preserved. There is mild periventricular white matter hypodensity consistent with chronic small vessel ischemic disease. The ventricles and sulci are mildly prominent, consistent with age-related volume loss. The basal cisterns are patent. No extra-axial fluid collection is seen. The calvarium is intact without fracture. A small scalp hematoma is present over the right parietal bone. The visualized paranasal sinuses and mastoid air cells are clear. The orbits are unremarkable. There is atherosclerotic calcification of the cavernous carotid arteries. The cervical spine is not fully evaluated on this study. , IMPRESSION: , 1. No acute intracranial abnormality. 2. Small right parietal scalp hematoma without underlying fracture. 3. Chronic small vessel ischemic changes. Recommend CT of the cervical spine if there is clinical concern.',
     [('70450', ())]),
    ('xr_chest',
     'EXAM: , Two views of the chest. , HISTORY: , Cough and fever, rule out pneumonia. History of breast cancer status post left mastectomy. , COMPARISON: , CT chest with contrast from 06/10/2022 and prior chest x-ray from 2021. , FINDINGS: , PA and lateral views of the chest demonstrate a patchy opacity in the right lower lobe, which is new since the prior study. The left lung is clear. There is no pleural effusion or pneumothorax. The cardiomediastinal silhouette is within normal limits. Surgical clips are noted in the left axilla. A port catheter is seen from the right with its tip in the superior vena cava. The visualized upper abdomen is unremarkable, with no free air under the diaphragm. Degenerative changes of the thoracic spine and both shoulders are noted. The bony thorax is otherwise intact. , IMPRESSION: , 1. Right lower lobe pneumonia. Follow-up chest radiographs in 6 to 8 weeks are recommended to document resolution. 2. Port catheter in satisfactory position.',
     [('71046', ())]),
    ('nm_bone',
     'EXAM: , Nuclear medicine whole-body bone scan. , HISTORY: , Prostate cancer with rising PSA, evaluate for osseous metastases. , TECHNIQUE: , Three hours following the intravenous administration of 25.3 mCi of technetium-99m MDP, anterior and posterior whole-body images were obtained. , COMPARISON: , CT of the abdomen and pelvis dated 04/02/2023 and MRI of the lumbar spine from 2022. , FINDINGS: , There is normal symmetric radiotracer uptake throughout the axial and appendicular skeleton. There is mildly increased uptake in both knees and the first metatarsophalangeal joints, consistent with degenerative change. A focus of increased uptake in the lower lumbar spine corresponds to facet arthropathy seen on the prior CT. No focal lesion is seen in the ribs, pelvis, femora or skull to suggest metastatic disease. The kidneys and urinary bladder are visualized, as expected. There is no soft tissue uptake. , IMPRESSION: , 1. No scintigraphic evidence of osseous metastatic disease. 2. Degenerative changes in the knees, feet and lumbar spine.',
     [('78306', ())]),
    ('us_thyroid',
     'EXAM: , Ultrasound of the thyroid. , REASON FOR EXAM: , Palpable nodule in the right neck. , TECHNIQUE: , Real-time gray-scale and color Doppler ultrasound images of the thyroid gland and neck were obtained. , COMPARISON: , CT of the neck with contrast dated 02/02/2023 and a chest x-ray from last year. , FINDINGS: , The right thyroid lobe measures 5.2 x 1.9 x 1.8 cm. The left thyroid lobe measures 4.6 x 1.5 x 1.4 cm. The isthmus measures 3 mm. In the lower pole of the right lobe there is a solid, hypoechoic nodule measuring 1.8 x 1.2 x 1.1 cm with smooth margins and no calcifications, with internal vascularity on color Doppler. In the left lobe there is a 4 mm simple cyst. The background thyroid parenchyma is homogeneous. No abnormal cervical lymph nodes are seen. The common carotid arteries and jugular veins are unremarkable in the visualized portions. The parathyroid glands are not visualized. , IMPRESSION: , 1. A 1.8 cm solid hypoechoic nodule in the right lower pole, TI-RADS 4. Fine-needle aspiration is recommended. 2. Small left thyroid cyst.',
     [('76536', ())]),
    ('nm_mpi',
     'EXAM: , Regadenoson (Lexiscan) Myoview stress test with SPECT myocardial perfusion imaging, rest and stress. , INDICATION: , Chest pain, unable to exercise due to knee arthritis. , PROCEDURE: , The patient received 10.2 mCi of technetium-99m tetrofosmin (Myoview) at rest and SPECT images of the heart were obtained. Regadenoson 0.4 mg was then administered intravenously over 10 seconds followed by a saline flush and 31.5 mCi of Myoview, and stress SPECT images were acquired with gating. The resting EKG showed normal sinus rhythm. During the infusion the patient experienced mild dyspnea and flushing which resolved. There were no ischemic EKG changes. , COMPARISON: , Echocardiogram from 2022 and a chest CT from 2021. , FINDINGS: , The stress and rest images demonstrate normal homogeneous tracer distribution throughout the left ventricular myocardium without fixed or reversible perfusion defect. Gated images show normal wall motion and thickening. The left ventricular ejection fraction is 62%. The left ventricle is normal in size. There is mild extracardiac activity in the bowel and liver. , IMPRESSION: , 1. Normal pharmacologic stress myocardial perfusion study. No evidence of ischemia or infarct. 2. Normal LV function with an ejection fraction of 62%.',
     [('78452', ())]),
    ('duplex_carotid',
     'EXAM: , Bilateral carotid duplex ultrasound. , INDICATION: , Dizziness and a left carotid bruit. , TECHNIQUE: , Real-time gray-scale imaging, color flow and spectral Doppler analysis of the right and left common, internal and external carotid arteries and the vertebral arteries were performed. , COMPARISON: , MRA of the head from 2021 and CT of the brain from last week. , FINDINGS: , On the right, there is mild heterogeneous plaque at the carotid bifurcation. The peak systolic velocity in the right internal carotid artery is 88 cm/sec with an end-diastolic velocity of 22 cm/sec. The ICA to CCA ratio is 1.1. On the left, there is moderate calcified plaque at the bifurcation and proximal internal carotid artery. The peak systolic velocity in the left internal carotid artery is 156 cm/sec with an end-diastolic velocity of 42 cm/sec. The ICA to CCA ratio is 2.3. The external carotid arteries are patent bilaterally. Antegrade flow is seen in both vertebral arteries. The thyroid gland is incidentally noted to be heterogeneous. , IMPRESSION: , 1. Right internal carotid artery stenosis of less than 50%. 2. Left internal carotid artery stenosis of 50-69%. 3. Antegrade vertebral flow bilaterally.',
     [('93880', ())]),
    ('us_pelvis',
     'EXAM: , Pelvic ultrasound, transabdominal and transvaginal. , HISTORY: , A 36-year-old female with pelvic pain and menorrhagia. LMP 10 days ago. , TECHNIQUE: , Transabdominal imaging of the pelvis was performed with a full bladder, followed by endovaginal imaging for better evaluation of the endometrium and ovaries. , COMPARISON: , CT of the abdomen and pelvis from 2020. , FINDINGS: , The uterus is anteverted and measures 9.8 x 5.2 x 6.1 cm. There is a 2.4 cm intramural fibroid in the posterior fundus. The endometrial stripe measures 8 mm and is homogeneous. The right ovary measures 3.1 x 2.0 x 2.2 cm and contains a 1.9 cm simple follicle. The left ovary measures 2.8 x 1.7 x 2.0 cm and is normal. Color flow is present in both ovaries. There is a trace amount of free fluid in the cul-de-sac, likely physiologic. The urinary bladder is normal. The visualized kidneys show no hydronephrosis. , IMPRESSION: , 1. Small intramural uterine fibroid. 2. Normal endometrial thickness. 3. Normal ovaries with a dominant right ovarian follicle.',
     [('76830', ()), ('76856', ())]),
    ('mr_lspine',
     'EXAM: , MRI lumbar spine without contrast. , HISTORY: , Low back pain radiating down the left leg for 6 weeks. No history of surgery. , TECHNIQUE: , Sagittal T1, T2 and STIR and axial T1 and T2 weighted images of the lumbar spine were obtained. No contrast was given. , COMPARISON: , Lumbar spine x-rays from 05/14/2024 and a CT of the abdomen and pelvis with contrast from 2023. , FINDINGS: , There are five lumbar-type vertebral bodies. Alignment is normal. The vertebral body heights are maintained. Marrow signal is normal. The conus medullaris terminates at L1 and is normal. At L3-L4 there is mild disc bulging without stenosis. At L4-L5 there is a broad-based disc bulge with a superimposed left paracentral disc protrusion contacting the descending left L5 nerve root, with mild left lateral recess narrowing. At L5-S1 there is mild facet arthropathy without canal or foraminal stenosis. The paraspinal soft tissues are normal. Incidental note is made of a 2 cm simple cyst in the left kidney. The sacroiliac joints are unremarkable. , IMPRESSION: , 1. Left paracentral disc protrusion at L4-L5 contacting the left L5 nerve root. 2. Incidental left renal cyst.',
     [('72148', ())]),
    ('us_abd',
     'EXAM: , Ultrasound of the abdomen complete. , REASON FOR EXAM: , Elevated liver enzymes. , FINDINGS: , The liver measures 17.5 cm and demonstrates diffusely increased echogenicity consistent with fatty infiltration. No focal hepatic mass is seen. The gallbladder is normal without stones, wall thickening or pericholecystic fluid. The common bile duct measures 4 mm. The pancreas is partially obscured by bowel gas but the visualized head and body are normal. The spleen measures 10 cm and is normal. The right kidney measures 11.2 cm and the left kidney 11.5 cm, without hydronephrosis or stones. The visualized inferior vena cava and abdominal aorta are normal in caliber. There is no ascites. Comparison is made with a CT of the chest from 2022 which showed no upper abdominal abnormality. , IMPRESSION: , 1. Hepatomegaly with fatty infiltration of the liver. 2. Otherwise unremarkable abdominal ultrasound.',
     [('76700', ())]),
    ('hida',
     'EXAM: , Hepatobiliary scan with CCK. , HISTORY: , Right upper quadrant pain after meals. Gallbladder ultrasound was negative. , TECHNIQUE: , Following the intravenous administration of 5.2 mCi of technetium-99m mebrofenin, sequential images of the abdomen were obtained for 60 minutes. Sincalide (CCK) 0.02 mcg/kg was then infused intravenously over 60 minutes and the gallbladder ejection fraction was calculated. , COMPARISON: , Abdominal ultrasound dated 09/09/2024 and CT abdomen and pelvis from 2023. , FINDINGS: , There is prompt and homogeneous hepatic uptake of the radiotracer. The common bile duct is visualized at 15 minutes and activity is seen in the small bowel at 20 minutes. The gallbladder fills at 25 minutes. Following the CCK infusion, the gallbladder ejection fraction is 18% (normal greater than 38%). The patient reported reproduction of her pain during the infusion. , IMPRESSION: , 1. Patent cystic and common bile ducts; no evidence of acute cholecystitis. 2. Decreased gallbladder ejection fraction of 18%, consistent with chronic acalculous cholecystitis / biliary dyskinesia.',
     [('78227', ())]),
    ('mr_brain',
     'MRI BRAIN WITH AND WITHOUT CONTRAST, CLINICAL INDICATION: , Headaches and blurred vision. Rule out mass. , TECHNIQUE: , Sagittal T1, axial T2, FLAIR, diffusion-weighted and gradient echo images of the brain were obtained, followed by axial and coronal T1-weighted images after the intravenous administration of 15 mL of gadolinium (Magnevist). , COMPARISON: , Noncontrast CT of the head dated 02/11/2023. , FINDINGS: , There is no abnormal enhancement. There is no mass, hemorrhage, or acute infarct. The ventricles are normal in size and configuration. There are a few scattered T2 hyperintense foci in the subcortical white matter of both frontal lobes, nonspecific but likely related to migraine or small vessel disease. The pituitary gland and sella are unremarkable. The orbits are symmetric and the optic nerves are normal. There is mucosal thickening in the right maxillary sinus. The mastoid air cells are clear. The major intracranial flow voids are preserved. The craniocervical junction is normal. , IMPRESSION: , 1. No intracranial mass or abnormal enhancement. 2. A few nonspecific white matter foci. 3. Mild right maxillary sinus disease. If clinically indicated, an MRA of the head could be obtained.',
     [('70553', ())]),
    ('xr_foot',
     'X-RAY OF THE LEFT FOOT, THREE VIEWS, HISTORY: , A 22-year-old who dropped a weight on her foot. Pain over the fifth metatarsal. , FINDINGS: , AP, oblique and lateral views of the left foot were obtained. There is a nondisplaced transverse fracture of the base of the fifth metatarsal. The tarsometatarsal alignment is normal. No other fracture is seen. The ankle mortise is not included on these views. The soft tissues show mild swelling laterally. No radiopaque foreign body. , IMPRESSION: , Nondisplaced fracture of the base of the left fifth metatarsal. Consider dedicated ankle films if there is ankle pain; an MRI could be considered if symptoms persist.',
     [('73630', ('LT',))]),
    ('ct_cspine',
     'EXAM: , CT cervical spine without contrast. , HISTORY: , Motor vehicle collision, neck pain. , TECHNIQUE: , Axial images of the cervical spine were acquired from the skull base through T2 without intravenous contrast with sagittal and coronal reformations. , FINDINGS: , There is no acute fracture or malalignment. The craniocervical junction is intact. The dens is intact. There is multilevel degenerative disc disease most pronounced at C5-C6 and C6-C7 with anterior osteophytes and mild disc space narrowing. Uncovertebral hypertrophy causes mild bilateral foraminal narrowing at C5-C6. The prevertebral soft tissues are normal. The visualized lung apices are clear. A 1 cm hypodense nodule is seen in the left thyroid lobe; a thyroid ultrasound could be obtained on a nonemergent basis. Atherosclerotic calcification of the carotid bulbs is noted. The visualized posterior fossa is unremarkable. , IMPRESSION: , 1. No acute fracture or malalignment of the cervical spine. 2. Multilevel degenerative changes. 3. Incidental 1 cm left thyroid nodule.',
     [('72125', ())]),
    ('venous_duplex',
     'EXAM: , Bilateral lower extremity venous Doppler ultrasound. , REASON FOR EXAM: , Bilateral leg swelling, rule out DVT. History of left knee replacement. , TECHNIQUE: , Gray-scale, color and spectral Doppler images of the deep venous system of both lower extremities were obtained with compression. , FINDINGS: , The common femoral, femoral, deep femoral and popliteal veins of both lower extremities are fully compressible with normal color flow, phasicity and augmentation. The posterior tibial and peroneal veins are patent bilaterally. There is no intraluminal thrombus. The great saphenous veins are patent at the saphenofemoral junctions. A 3 cm Baker cyst is seen in the right popliteal fossa. Subcutaneous edema is noted in both calves. The left knee arthroplasty causes no significant artifact. , IMPRESSION: , 1. No deep venous thrombosis in either lower extremity. 2. Right Baker cyst. 3. Bilateral subcutaneous edema.',
     [('93970', ())]),
    ('ct_cap',
     'CT CHEST, ABDOMEN AND PELVIS WITH CONTRAST, HISTORY: , Lymphoma, restaging after chemotherapy. , TECHNIQUE: , Helical CT images were obtained from the thoracic inlet through the pubic symphysis after the uneventful administration of 100 mL of Isovue-370 intravenously. Oral contrast was given. , COMPARISON: , PET/CT dated 01/10/2024 and ultrasound of the neck from 2023. , FINDINGS: , CHEST: , The previously noted mediastinal adenopathy has decreased, with the largest node in the subcarinal station measuring 1.1 cm, previously 2.8 cm. No pulmonary nodules. No pleural or pericardial effusion. The thyroid is normal. A right internal jugular port catheter terminates in the superior vena cava. , ABDOMEN AND PELVIS: , The liver, spleen, pancreas, adrenal glands and kidneys are unremarkable. The spleen measures 11 cm, previously 14 cm. The retroperitoneal lymph nodes have decreased in size and now measure up to 0.9 cm. No ascites. The bowel is unremarkable. The bladder and prostate are normal. There are no suspicious bone lesions. , IMPRESSION: , 1. Interval response to therapy with decrease in mediastinal and retroperitoneal adenopathy and splenomegaly. 2. No new disease.',
     [('71260', ()), ('74177', ())]),
    ('dexa',
     'EXAM: , DEXA bone density scan. , HISTORY: , A 67-year-old postmenopausal woman on long-term prednisone. , TECHNIQUE: , Dual energy x-ray absorptiometry of the lumbar spine L1 through L4 and the left hip was performed. , COMPARISON: , Prior DEXA from 2021 and lumbar spine radiographs from 2022. , FINDINGS: , The L1-L4 bone mineral density is 0.876 g/cm2 with a T-score of -2.1 and a Z-score of -0.8. The left femoral neck bone mineral density is 0.654 g/cm2 with a T-score of -2.6. The left total hip T-score is -2.2. Compared to the prior study, there has been a 4.1% decrease in the lumbar spine density, which is statistically significant. Degenerative changes in the lower lumbar spine may falsely elevate the lumbar measurement. , IMPRESSION: , 1. Osteoporosis by WHO criteria based on the left femoral neck. 2. Significant decrease in lumbar spine bone density since 2021. The 10-year fracture risk (FRAX) is elevated.',
     [('77080', ())]),
    ('us_renal',
     'EXAM: , Renal ultrasound. , HISTORY: , Acute kidney injury. , FINDINGS: , The right kidney measures 10.8 cm in length and the left kidney measures 11.1 cm. The renal cortices are of normal thickness and echogenicity. There is no hydronephrosis, renal calculus or mass in either kidney. There is a 1.2 cm simple cyst in the upper pole of the left kidney. The urinary bladder is partially distended and unremarkable; the prevoid bladder volume is 220 mL. The visualized liver and spleen are normal. No perinephric fluid. Comparison is made to a CT of the abdomen and pelvis with and without contrast from 2019, on which the left renal cyst was also present. , IMPRESSION: , 1. No hydronephrosis. 2. Simple left renal cyst. 3. Normal renal size and echogenicity.',
     [('76770', ())]),
    ('xr_abd',
     'ABDOMEN TWO VIEWS, HISTORY: , Abdominal distention and vomiting. , FINDINGS: , Supine and upright views of the abdomen were obtained. There are multiple dilated loops of small bowel measuring up to 4 cm with air-fluid levels on the upright view. There is a paucity of gas in the colon. No free intraperitoneal air is seen under the diaphragm. The lung bases are clear. Surgical clips are seen in the right upper quadrant from prior cholecystectomy. Degenerative changes of the lumbar spine and both hips are present. , IMPRESSION: , Findings consistent with small bowel obstruction. CT of the abdomen and pelvis with contrast is recommended for further evaluation.',
     [('74019', ())]),
    ('nohdr_ct_chest',
     'CLINICAL HISTORY: , A 61-year-old smoker found to have a right upper lobe mass on chest x-ray, being worked up for carcinoma. The patient also had a positive PET scan in the right upper lobe corresponding to the mass. , TECHNIQUE: , Multiple axial images were obtained through the chest following the administration of intravenous contrast. , FINDINGS: , There is a 4.2 x 3.6 cm spiculated mass in the right upper lobe abutting the mediastinal pleura. There are enlarged right paratracheal and subcarinal lymph nodes measuring up to 1.8 cm. There is no pleural effusion. The left lung is clear except for mild centrilobular emphysema. The heart is normal in size. There is no pericardial effusion. The visualized upper abdomen shows a 1.5 cm left adrenal nodule. The liver is unremarkable in the visualized portions. No lytic or blastic osseous lesions are seen in the thoracic spine or ribs. , IMPRESSION: , 1. Right upper lobe mass with mediastinal adenopathy, consistent with bronchogenic carcinoma. 2. Left adrenal nodule, indeterminate; an adrenal protocol CT or MRI could be performed.',
     [('71260', ())]),
    ('nohdr_ct_ap',
     'REASON FOR EXAM: , Left flank pain, history of kidney stones. , TECHNIQUE: , Noncontrast axial CT images of the abdomen and pelvis were obtained. , COMPARISON: , KUB from earlier today and renal ultrasound from 2022. , FINDINGS: , There is a 6 mm obstructing calculus in the proximal left ureter with moderate left hydronephrosis and perinephric stranding. There are additional nonobstructing stones in the lower pole of the right kidney measuring up to 4 mm. The liver, spleen, pancreas and adrenal glands are unremarkable on this noncontrast study. The gallbladder contains small stones. The appendix is normal. There is no bowel obstruction. The urinary bladder is decompressed. The lung bases show minimal dependent atelectasis. Mild degenerative change is seen in the lumbar spine. , IMPRESSION: , 1. 6 mm obstructing left proximal ureteral stone with moderate hydronephrosis. 2. Nonobstructing right renal stones. 3. Cholelithiasis.',
     [('74176', ())]),
    ('nohdr_mr_lspine',
     'HISTORY: , Back pain radiating to the right leg. , TECHNIQUE: , Sagittal T1, T2 and STIR and axial T1 and T2 images of the lumbar spine were obtained without contrast. , COMPARISON: , Plain films of the lumbar spine dated 03/03/2024. , FINDINGS: , There is normal alignment of the lumbar spine. Vertebral body heights are preserved. There is desiccation of the L4-L5 and L5-S1 discs. At L4-L5, there is a right paracentral disc extrusion extending inferiorly behind the L5 body, compressing the traversing right L5 nerve root and causing moderate central canal stenosis. At L5-S1, there is a small central protrusion without nerve root compression. The conus ends at L1-L2. The visualized retroperitoneum and kidneys are unremarkable. , IMPRESSION: , Right paracentral disc extrusion at L4-L5 compressing the right L5 nerve root.',
     [('72148', ())]),
    ('findings_first',
     'FINDINGS: , Axial scans were performed from the skull base to the vertex without intravenous contrast. There is no intracranial hemorrhage or mass effect. There is a chronic lacunar infarct in the left basal ganglia. The ventricles are normal in size. There is no hydrocephalus. The visualized orbits, paranasal sinuses and mastoids are unremarkable. The calvarium is intact. , IMPRESSION: , No acute intracranial process on this noncontrast head CT. Chronic left basal ganglia lacunar infarct. MRI of the brain would be more sensitive for acute ischemia if clinically indicated.',
     [('70450', ())]),
    ('mr_shoulder_findings_contrast',
     'EXAM: , MRI LEFT SHOULDER , CLINICAL: , This is a 69-year-old male with pain in the shoulder. Evaluate for rotator cuff tear. , FINDINGS: , This is a noncontrast examination. There is a full-thickness tear of the supraspinatus tendon at its insertion with 1.5 cm of retraction. The infraspinatus and subscapularis tendons show tendinosis without a tear. The biceps tendon is in the bicipital groove. There is moderate acromioclavicular joint arthropathy with a lateral downsloping acromion. There is fluid in the subacromial-subdeltoid bursa. The glenoid labrum is grossly intact. The humeral head shows no marrow edema. Comparison is made with radiographs of the left shoulder and a CT of the chest with contrast. , IMPRESSION: , 1. Full-thickness supraspinatus tendon tear with retraction. 2. Subacromial-subdeltoid bursitis. 3. AC joint arthropathy.',
     [('73221', ('LT',))]),
    ('scrotal_us',
     'EXAM: , Ultrasound examination of the scrotum. , REASON FOR EXAM: , Scrotal pain and swelling on the left. , FINDINGS: , Real-time gray-scale imaging of the scrotum and testicles was performed. The right testicle measures 4.5 x 2.6 x 2.9 cm and is homogeneous. The left testicle measures 4.6 x 2.8 x 3.0 cm and is homogeneous without mass. The left epididymis is enlarged and heterogeneous. There is a small left hydrocele. The right epididymis is normal. There is no varicocele. The inguinal canals are unremarkable. , IMPRESSION: , 1. Enlarged heterogeneous left epididymis consistent with epididymitis. 2. Small left hydrocele. 3. No testicular mass.',
     [('76870', ())]),
]


def test_every_transcription_is_one_line():
    assert len({rid for rid, _, _ in REPORTS}) == len(REPORTS)
    assert all("\n" not in text for _, text, _ in REPORTS)


@pytest.mark.parametrize(("rid", "text", "want"), REPORTS, ids=[r[0] for r in REPORTS])
def test_one_line_transcription_bills_only_the_performed_exam(s, rid, text, want):
    assert lines(s.suggest(text)) == want


# a one-line export's header owns its first clause: the patient's age after the exam name starts
# the history (whose "knee arthroscopy" and "trauma CT" are no exams), and a history line ends at
# the first line join (the findings after it still document a complete study)
@pytest.mark.parametrize(("text", "want"), [
    ("ED PRELIMINARY READ, EXAMS:, XR CHEST PORTABLE AP; CTA CHEST (PE PROTOCOL), 61F, dyspnea 4 days "
     "after knee arthroscopy., Technique:, CXR:, single portable AP view., CTA:, Helical CT of the chest "
     "after 80 mL iohexol IV with MIP reconstructions., Findings:, Segmental emboli in both lower lobes. "
     "Chest radiograph unremarkable.", [("71045", ()), ("71275", ())]),
    ("EXAM:, RETROGRADE URETHROGRAM, 33M, pelvic ring fracture on trauma CT, blood at meatus., "
     "Technique:, 20 mL water-soluble contrast injected by hand under fluoroscopy, spot images., "
     "Findings:, Partial membranous urethral injury with extravasation.", [("74450", ())]),
    ("ULTRASOUND RETROPERITONEUM, COMPLETE, Reason for study:, Lymphoma, follow-up of retroperitoneal "
     "nodes; unable to receive iodinated contrast., Both kidneys, the abdominal aorta and the para-aortic "
     "spaces were examined., The right kidney is 11.2 cm and the left 11.6 cm without hydronephrosis. "
     "The aorta is of normal caliber. A left para-aortic node measures 2.1 cm, previously 3.5 cm., "
     "Impression:, Smaller retroperitoneal nodes.", [("76770", ())]),
])
def test_one_line_export_header_owns_its_first_clause(s, text, want):
    assert "\n" not in text
    assert lines(s.suggest(text)) == want


# a short export (under a one-line report's length) whose header carries the export's comma: the
# header owns its first clause, and an unheaded views sentence after the history is report body
@pytest.mark.parametrize("text, want", [
    ("CLINICAL HISTORY: , Shortness of breath.,PA and lateral views of the chest.,FINDINGS:, The heart "
     "size is normal. Lungs are clear.,IMPRESSION: , No acute disease.", [("71046", ())]),
    ("HISTORY:, Fall on the right wrist., Three views of the right wrist were obtained., FINDINGS:, No "
     "fracture., IMPRESSION:, Negative.", [("73110", ("RT",))]),
    ("INDICATION: , Ankle sprain.,AP and lateral views of the left ankle.,IMPRESSION: , No fracture.",
     [("73600", ("LT",))]),
])
def test_short_export_header_owns_its_first_clause(s, text, want):
    assert len(text) < 240 and "\n" not in text
    assert lines(s.suggest(text)) == want


# stacked exam titles (one per line, or one per comma in an export): every exam of the stack is
# billed; a line restating the title's exam, a history line or a sentence under the title is not
# another exam
@pytest.mark.parametrize("text, want", [
    ("CT HEAD WITHOUT CONTRAST\nCT FACIAL BONES WITHOUT CONTRAST\nCT CERVICAL SPINE WITHOUT CONTRAST\n"
     "REASON FOR EXAM: Motor vehicle collision.\nCT HEAD: No hemorrhage.\nCT FACIAL BONES: No fracture.\n"
     "CT CERVICAL SPINE: No fracture.\nIMPRESSION: Negative.", [("70450", ()), ("70486", ()), ("72125", ())]),
    ("CT HEAD WITHOUT CONTRAST,CT FACIAL BONES WITHOUT CONTRAST,CT CERVICAL SPINE WITHOUT CONTRAST,REASON FOR "
     "EXAM: , Motor vehicle collision.,CT HEAD: , No hemorrhage.,CT FACIAL BONES: , No fracture.,CT CERVICAL "
     "SPINE: , No fracture.,IMPRESSION: , Negative.", [("70450", ()), ("70486", ()), ("72125", ())]),
    ("MRI BRAIN WITHOUT AND WITH CONTRAST\nMRI ORBITS WITHOUT AND WITH CONTRAST\nHISTORY: Optic neuritis.\n"
     "FINDINGS: Enhancement of the left optic nerve. Brain normal.\nIMPRESSION: Left optic neuritis.",
     [("70543", ()), ("70553", ())]),
    ("XR Knee 3 Views Right\nXR Knee 3 Views Left\nHISTORY: Bilateral knee pain.\nFINDINGS: Mild medial "
     "joint space narrowing on both sides.\nIMPRESSION: Mild osteoarthritis.",
     [("73562", ("50",))]),
    ("CT ABD/PEL W CON [CTAP2]\nCT ABDOMEN AND PELVIS WITH CONTRAST\nHISTORY: Pain.\nFINDINGS: Normal.\n"
     "IMPRESSION: Negative.", [("74177", ())]),
    ("CT HEAD WO\nCT CERVICAL SPINE WO - CANCELLED\nFINDINGS: No hemorrhage.\nIMPRESSION: Negative head CT.",
     [("70450", ())]),
    ("CT HEAD WO\nCT CERVICAL SPINE WO (NOT PERFORMED)\nFINDINGS: No hemorrhage.", [("70450", ())]),
    ("XR CHEST 2V\nXR ABDOMEN 1V\nFINDINGS: Lungs clear. Nonobstructive bowel gas pattern.",
     [("71046", ()), ("74018", ())]),
    ("ED PRELIM - NM V/Q SCAN\n68F, dyspnea. CTA chest not done: contrast allergy. CXR clear.\nVentilation "
     "and perfusion images, 8 views each.\nIMPRESSION: Low probability.", [("78582", ())]),
])
def test_stacked_titles_bill_every_exam_of_the_stack(s, text, want):
    assert lines(s.suggest(text)) == want


# a headed exam line that names another kind of procedure: its findings' anatomy is no exam
@pytest.mark.parametrize("text", [
    "PROCEDURE: , Colonoscopy with polypectomy., INDICATIONS: , Screening. Prior CT colonography was negative., "
    "FINDINGS: , The scope was advanced to the cecum. A 5 mm polyp was removed from the sigmoid colon. "
    "The terminal ileum was normal., IMPRESSION: , Sigmoid polyp, removed.",
    "PROCEDURE: , Routine electroencephalogram., HISTORY: , Syncope. MRI of the brain was normal., FINDINGS: , "
    "The background is a 9 Hz posterior dominant rhythm over both occipital regions. Photic stimulation of "
    "the eyes produces a symmetric driving response. No epileptiform discharges over the temporal lobes., "
    "IMPRESSION: , Normal awake EEG.",
])
def test_headed_title_of_another_procedure_bills_nothing(s, text):
    assert lines(s.suggest(text)) == []


# a narrative that opens with the patient has no title: the exam is the body's first procedure
# statement, not the "chest CT" of the patient's story
@pytest.mark.parametrize(("text", "want"), [
    ("The patient is a 67-year-old man with a right upper lobe nodule seen on chest CT and a history of colon "
     "cancer treated with surgery. PET/CT imaging from the skull base to the mid-thigh was performed 60 minutes "
     "after the intravenous injection of 12.1 mCi of F-18 FDG. Low-dose CT was used for attenuation correction "
     "and localization. The nodule has an SUV max of 6.2. IMPRESSION: Hypermetabolic right upper lobe nodule.",
     [("78815", ())]),
    ("A 45-year-old woman fell on her outstretched hand at work and had a CT of the head in the emergency "
     "department. Three views of the right wrist were obtained. There is a nondisplaced fracture of the "
     "distal radius. IMPRESSION: Distal radius fracture.", [("73110", ("RT",))]),
])
def test_narrative_opening_with_the_patient_has_no_title(s, text, want):
    assert lines(s.suggest(text)) == want


@pytest.mark.parametrize("text, want", [
    # a gestational age the one-line title states is the scan's: under 14 weeks the first-trimester code
    ("Obstetric sonogram at 11 weeks for dating.", [("76801", ())]),
    ("US OB 9 WKS VIABILITY", [("76801", ())]),
    ("Pregnancy ultrasound, 10-week intrauterine pregnancy.", [("76801", ())]),
    ("US OB 22 WEEKS", [("76805", ())]),
    # a trimester bound is no age: its sign decides ("< 14", "14 or more"), a bare 14 is the bound itself
    ("OB ULTRASOUND UNDER 14 WEEKS", [("76801", ())]),
    ("OB ULTRASOUND 14 WEEKS OR GREATER", [("76805", ())]),
    # a body that documents the scan's own age decides over the title's
    ("US OB 12 WEEKS\nFINDINGS: Single live fetus, biometry 16 weeks 1 day.", [("76805", ())]),
])
def test_title_gestational_age_picks_the_trimester_code(s, text, want):
    assert lines(s.suggest(text)) == want
