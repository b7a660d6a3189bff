// The page's words in English and French. The language follows the
// browser (navigator.languages) unless the reader picks one; elements with
// data-i18n="key" get the text of that key.

const STRINGS = {
  en: {
    title: "Scrutin: public record of the election",
    skip: "Skip to the main content",
    switchLang: "Français",
    switchLangName: "Lire cette page en français",
    navVoter: "Check my ballot",
    navObserver: "Election and results",
    trustChecking: "Checking the public record…",
    trustOk: "Public record checked in this browser: {size} entries, signed by the board and countersigned by {cosigners}.",
    trustBad: "The public record could NOT be verified: {reason}. Nothing on this page is shown as verified.",
    voterHeading: "Check your ballot",
    voterIntro: "Type the confirmation code from your receipt. Spaces, dashes and capital letters do not matter. The first 8 characters are enough when no other ballot starts the same way.",
    codeLabel: "Confirmation code",
    codeHint: "For example: 3F9A 07C2 5B11 …",
    check: "Check",
    checking: "Checking…",
    badCode: "A confirmation code is made of the digits 0–9 and letters A–F. Type at least 8 of them.",
    notFound: "No ballot with this code is in the public record. Check the code on your receipt. If it is right, your ballot was not recorded: contact the election office and keep your receipt.",
    ambiguous: "{count} ballots start with these characters. Type more of the code.",
    foundCast: "Your ballot is in the public record: cast.",
    foundChallenged: "Your ballot is in the public record: challenged (not counted, opened for checking).",
    proven: "What this proves: your encrypted ballot is in the public record that everyone sees, unchanged, in the same record as everyone else's. It does not show your choices.",
    stateLabel: "State",
    stateCast: "cast (counted)",
    stateChallenged: "challenged (not counted)",
    deviceLabel: "Voting device",
    positionLabel: "Position on the device",
    entryLabel: "Record entry",
    entryOf: "{index} of {size}",
    codeShown: "Confirmation code",
    openingHeading: "The opened ballot",
    openingIntro: "You challenged this ballot. The guardians opened it and published what it contained. Compare it with what you chose: if it differs, the voting device did not encrypt your choices correctly. Tell the election office.",
    openingNone: "The opening of this challenged ballot is not published yet. Come back after the election closes.",
    openingOnly: "The full check that this opening matches the encrypted ballot is done by the verifier (scrutin verify).",
    contest: "Contest",
    option: "Choice",
    selected: "Selected",
    yes: "yes",
    no: "no",
    downloadProof: "Download the proof of inclusion (.tlog-proof)",
    notVerified: "Not verified: {reason}",
    notVerifiedHelp: "Do not rely on what the board shows here. Keep your receipt and tell the election office.",
    obsHeading: "The election",
    obsOpen: "Voting is open. Ballots recorded so far, per voting device (cast and challenged together). No result exists before voting closes.",
    obsClosed: "Voting is closed.",
    obsNoResults: "The results are not published yet.",
    device: "Device",
    deviceName: "Name",
    ballots: "Ballots",
    deviceClosed: "Closed",
    total: "Total",
    updated: "Updated at {time}.",
    resultsHeading: "Results",
    votes: "Votes",
    chartLabel: "Bar chart of the votes in {contest}",
    reportHeading: "Verification report",
    reportNone: "No verification report is published with the results. Anyone can make one with the verifier (scrutin verify).",
    step: "Step",
    checked: "Checked",
    status: "Status",
    verdict: "Verdict: {verdict}",
    downloadsHeading: "Downloads",
    downloadsIntro: "To check the whole election yourself, export the record from the board and run the verifier on it. Below, the files the authority published, as the board holds them (each is the file whose SHA-256 the record commits to).",
    dl_election: "The election (manifest, keys, parameters)",
    dl_witness_policy: "The witness policy",
    dl_tally: "The encrypted tally",
    dl_decryption: "The decrypted tally with its proofs",
    dl_result: "The results",
    reason_network: "the board could not be reached",
    "reason_not-found": "the board does not have what was asked",
    reason_malformed: "the board sent malformed data",
    reason_insecure: "this page is not in a secure context (HTTPS), so the browser offers no cryptography",
    reason_origin: "the record names another election",
    reason_key: "a public key is malformed",
    "reason_key-changed": "the board's key is not the one this browser saw before",
    "reason_board-signature": "the board's signature on the checkpoint is missing or wrong",
    reason_cosignature: "a witness countersignature is wrong",
    reason_quorum: "not enough witnesses countersigned the checkpoint",
    reason_policy: "the witness policy is missing or malformed",
    reason_rollback: "the board shows an older or different record than it showed this browser before (rollback)",
    reason_consistency: "the record is not an extension of the one seen before",
    reason_proof: "the proof of inclusion does not match the signed checkpoint",
    reason_payload: "a published file does not match the record",
    "reason_entry-signature": "an entry's signature is wrong",
    reason_unknown: "unexpected error",
    footer: "This page checks the board's answers itself, in your browser. It is advisory: the verifier (scrutin verify) is the full check.",
  },
  fr: {
    title: "Scrutin : registre public de l’élection",
    skip: "Aller au contenu principal",
    switchLang: "English",
    switchLangName: "Read this page in English",
    navVoter: "Vérifier mon bulletin",
    navObserver: "L’élection et les résultats",
    trustChecking: "Vérification du registre public…",
    trustOk: "Registre public vérifié dans ce navigateur : {size} entrées, signé par l’urne et contresigné par {cosigners}.",
    trustBad: "Le registre public n’a PAS pu être vérifié : {reason}. Rien sur cette page n’est présenté comme vérifié.",
    voterHeading: "Vérifier votre bulletin",
    voterIntro: "Saisissez le code de confirmation de votre reçu. Les espaces, les tirets et les majuscules n’ont pas d’importance. Les 8 premiers caractères suffisent quand aucun autre bulletin ne commence de la même façon.",
    codeLabel: "Code de confirmation",
    codeHint: "Par exemple : 3F9A 07C2 5B11 …",
    check: "Vérifier",
    checking: "Vérification…",
    badCode: "Un code de confirmation est fait des chiffres 0 à 9 et des lettres A à F. Saisissez-en au moins 8.",
    notFound: "Aucun bulletin avec ce code n’est dans le registre public. Vérifiez le code sur votre reçu. S’il est juste, votre bulletin n’a pas été enregistré : contactez le bureau de l’élection et gardez votre reçu.",
    ambiguous: "{count} bulletins commencent par ces caractères. Saisissez davantage du code.",
    foundCast: "Votre bulletin est dans le registre public : déposé.",
    foundChallenged: "Votre bulletin est dans le registre public : contesté (non compté, ouvert pour contrôle).",
    proven: "Ce que cela prouve : votre bulletin chiffré est dans le registre public que tout le monde voit, inchangé, dans le même registre que ceux des autres. Cela ne montre pas vos choix.",
    stateLabel: "État",
    stateCast: "déposé (compté)",
    stateChallenged: "contesté (non compté)",
    deviceLabel: "Machine de vote",
    positionLabel: "Position sur la machine",
    entryLabel: "Entrée du registre",
    entryOf: "{index} sur {size}",
    codeShown: "Code de confirmation",
    openingHeading: "Le bulletin ouvert",
    openingIntro: "Vous avez contesté ce bulletin. Les gardiens l’ont ouvert et ont publié son contenu. Comparez-le avec vos choix : s’il diffère, la machine de vote n’a pas chiffré vos choix correctement. Prévenez le bureau de l’élection.",
    openingNone: "L’ouverture de ce bulletin contesté n’est pas encore publiée. Revenez après la clôture du vote.",
    openingOnly: "Le contrôle complet que cette ouverture correspond au bulletin chiffré est fait par le vérificateur (scrutin verify).",
    contest: "Question",
    option: "Choix",
    selected: "Coché",
    yes: "oui",
    no: "non",
    downloadProof: "Télécharger la preuve d’inclusion (.tlog-proof)",
    notVerified: "Non vérifié : {reason}",
    notVerifiedHelp: "Ne vous fiez pas à ce que l’urne affiche ici. Gardez votre reçu et prévenez le bureau de l’élection.",
    obsHeading: "L’élection",
    obsOpen: "Le vote est ouvert. Bulletins enregistrés jusqu’ici, par machine de vote (déposés et contestés ensemble). Aucun résultat n’existe avant la clôture.",
    obsClosed: "Le vote est clos.",
    obsNoResults: "Les résultats ne sont pas encore publiés.",
    device: "Machine",
    deviceName: "Nom",
    ballots: "Bulletins",
    deviceClosed: "Close",
    total: "Total",
    updated: "Mis à jour à {time}.",
    resultsHeading: "Résultats",
    votes: "Voix",
    chartLabel: "Diagramme en barres des voix pour {contest}",
    reportHeading: "Rapport de vérification",
    reportNone: "Aucun rapport de vérification n’est publié avec les résultats. Chacun peut en produire un avec le vérificateur (scrutin verify).",
    step: "Étape",
    checked: "Contrôlés",
    status: "État",
    verdict: "Verdict : {verdict}",
    downloadsHeading: "Téléchargements",
    downloadsIntro: "Pour vérifier toute l’élection vous-même, exportez le registre de l’urne et lancez le vérificateur. Ci-dessous, les fichiers publiés par l’autorité, tels que l’urne les détient (chacun est le fichier dont le registre engage le SHA-256).",
    dl_election: "L’élection (questions, clés, paramètres)",
    dl_witness_policy: "La politique des témoins",
    dl_tally: "Le décompte chiffré",
    dl_decryption: "Le décompte déchiffré avec ses preuves",
    dl_result: "Les résultats",
    reason_network: "l’urne n’a pas pu être jointe",
    "reason_not-found": "l’urne n’a pas ce qui était demandé",
    reason_malformed: "l’urne a envoyé des données mal formées",
    reason_insecure: "cette page n’est pas dans un contexte sécurisé (HTTPS), le navigateur n’offre donc pas de cryptographie",
    reason_origin: "le registre désigne une autre élection",
    reason_key: "une clé publique est mal formée",
    "reason_key-changed": "la clé de l’urne n’est pas celle que ce navigateur a vue auparavant",
    "reason_board-signature": "la signature de l’urne sur le point de contrôle manque ou est fausse",
    reason_cosignature: "une contresignature de témoin est fausse",
    reason_quorum: "trop peu de témoins ont contresigné le point de contrôle",
    reason_policy: "la politique des témoins manque ou est mal formée",
    reason_rollback: "l’urne montre un registre plus ancien ou différent de celui qu’elle a montré à ce navigateur (retour en arrière)",
    reason_consistency: "le registre ne prolonge pas celui vu auparavant",
    reason_proof: "la preuve d’inclusion ne correspond pas au point de contrôle signé",
    reason_payload: "un fichier publié ne correspond pas au registre",
    "reason_entry-signature": "la signature d’une entrée est fausse",
    reason_unknown: "erreur inattendue",
    footer: "Cette page vérifie elle-même les réponses de l’urne, dans votre navigateur. Elle est indicative : le vérificateur (scrutin verify) est le contrôle complet.",
  },
};

let lang = "en";

export function pickLanguage(saved, languages) {
  if (saved && STRINGS[saved]) return saved;
  for (const l of languages || []) {
    const base = String(l).slice(0, 2).toLowerCase();
    if (STRINGS[base]) return base;
  }
  return "en";
}

export function setLanguage(l) {
  lang = STRINGS[l] ? l : "en";
  document.documentElement.lang = lang;
  document.title = t("title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  return lang;
}

export const currentLanguage = () => lang;

export function t(key, params = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ""));
}

export function reason(err) {
  const k = `reason_${err && err.code}`;
  return STRINGS.en[k] ? t(k) : t("reason_unknown");
}

export const languages = Object.keys(STRINGS);
