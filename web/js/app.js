// The page: two views (voter, observer), the language switch, and the
// rendering of what board.js verified. Every result goes into a
// role="status" region; a failed check replaces everything with a "not
// verified" box.
import { Board, normalizeCode, manifestLabel } from "./board.js";
import { t, reason, setLanguage, pickLanguage, currentLanguage } from "./i18n.js";
import { decidingTie } from "./results.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 15000;
const board = new Board("");
let trust = null; // promise of the verified checkpoint
let renderResult = () => {};
let renderOverview = () => {};
let pollTimer = null;

// h("p", {class: "x"}, "text", child, ...): a small element builder.
function h(tag, attrs = {}, ...kids) {
  const svg = ["svg", "rect", "text", "title", "g"].includes(tag);
  const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  for (const k of kids.flat()) if (k !== null && k !== undefined) el.append(k instanceof Node ? k : String(k));
  return el;
}

const groupCode = (hex) => hex.toUpperCase().match(/.{1,4}/g).join(" ");

function notVerified(err) {
  return h("div", { class: "box bad" },
    h("p", { class: "verdict" }, t("notVerified", { reason: reason(err) })),
    h("p", {}, t("notVerifiedHelp")));
}

// --- trust banner -----------------------------------------------------------

let trustState = { kind: "checking" };
function renderTrust() {
  const el = $("trust");
  el.className = "trust";
  if (trustState.kind === "checking") {
    el.textContent = t("trustChecking");
  } else if (trustState.kind === "ok") {
    const cp = trustState.cp;
    const who = cp.cosigners.map((w) => (w.party ? `${w.name} (${w.party})` : w.name)).join(", ");
    el.classList.add("ok");
    el.textContent = t("trustOk", { size: cp.size, cosigners: who });
  } else {
    el.classList.add("bad");
    el.textContent = t("trustBad", { reason: reason(trustState.err) });
  }
}

function setTrust(s) {
  // a failure is final for this page: nothing later shows as verified
  if (trustState.kind === "bad") return;
  trustState = s;
  renderTrust();
}

// --- voter view -----------------------------------------------------------

async function lookup(input) {
  const btn = $("check");
  btn.disabled = true;
  $("result").replaceChildren(h("p", {}, t("checking")));
  let outcome;
  try {
    if (!/^[0-9a-f]{8,64}$/.test(normalizeCode(input))) {
      outcome = { kind: "msg", key: "badCode" };
    } else {
      await trust;
      const f = await board.findCode(input);
      if (f.status === "not-found") outcome = { kind: "msg", key: "notFound", bad: true };
      else if (f.status === "ambiguous") outcome = { kind: "msg", key: "ambiguous", params: { count: f.count } };
      else {
        const b = await board.ballot(f.index, f.code);
        const challenged = b.ballot.state === "Challenged";
        const opening = challenged ? await board.opening(b.ballot) : null;
        setTrust({ kind: "ok", cp: board.checkpoint });
        outcome = { kind: "found", code: f.code, ...b, challenged, opening };
      }
    }
  } catch (err) {
    console.error(err);
    setTrust({ kind: "bad", err });
    outcome = { kind: "error", err };
  }
  btn.disabled = false;
  renderResult = () => $("result").replaceChildren(resultView(outcome));
  renderResult();
}

function resultView(o) {
  if (o.kind === "error") return notVerified(o.err);
  if (o.kind === "msg") return h("div", { class: o.bad ? "box bad" : "box" }, h("p", { class: o.bad ? "verdict" : "" }, t(o.key, o.params)));
  const b = o.ballot;
  const box = h("div", { class: "box ok" },
    h("p", { class: "verdict" }, t(o.challenged ? "foundChallenged" : "foundCast")),
    h("p", {}, t("proven")),
    h("dl", {},
      h("dt", {}, t("stateLabel")), h("dd", {}, t(o.challenged ? "stateChallenged" : "stateCast")),
      h("dt", {}, t("deviceLabel")), h("dd", {}, String(b.device)),
      h("dt", {}, t("positionLabel")), h("dd", {}, String(b.sequence)),
      h("dt", {}, t("entryLabel")), h("dd", {}, t("entryOf", { index: o.entry.index, size: o.checkpoint.size })),
      h("dt", {}, t("codeShown")), h("dd", { class: "code" }, groupCode(o.code))));
  const blob = new Blob([o.proofText], { type: "text/plain" });
  box.append(h("p", {}, h("a", { href: URL.createObjectURL(blob), download: `ballot-${o.code.slice(0, 8)}.tlog-proof` }, t("downloadProof"))));
  if (o.challenged) box.append(openingView(o.opening));
  return box;
}

function openingView(op) {
  const sec = h("div", {}, h("h2", {}, t("openingHeading")));
  if (!op) return sec.append(h("p", {}, t("openingNone"))), sec;
  sec.append(h("p", {}, t("openingIntro")));
  const rows = [];
  for (const c of op.contests || []) {
    (c.selections || []).forEach((v, k) => {
      const l = manifestLabel(board.manifest, c.index, k + 1);
      rows.push(h("tr", {}, h("td", {}, l.contest), h("td", {}, l.option), h("td", {}, v > 0 ? (v === 1 ? t("yes") : String(v)) : t("no"))));
    });
  }
  sec.append(h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("contest")), h("th", { scope: "col" }, t("option")), h("th", { scope: "col" }, t("selected")))), h("tbody", {}, rows)));
  sec.append(h("p", {}, t("openingOnly")));
  return sec;
}

// --- observer view -------------------------------------------------------------

async function refreshOverview() {
  clearTimeout(pollTimer);
  let o;
  try {
    await trust;
    o = { ok: true, ...(await board.overview()), at: new Date() };
    setTrust({ kind: "ok", cp: o.checkpoint });
  } catch (err) {
    console.error(err);
    setTrust({ kind: "bad", err });
    o = { ok: false, err };
  }
  renderOverview = () => $("overview").replaceChildren(overviewView(o));
  renderOverview();
  if (o.ok && !o.closed && !$("observer").hidden) pollTimer = setTimeout(refreshOverview, POLL_MS);
}

function overviewView(o) {
  if (!o.ok) return notVerified(o.err);
  const out = h("div", {});
  out.append(h("p", {}, t(o.closed ? "obsClosed" : "obsOpen")));
  let total = 0;
  const rows = o.devices.map((d) => {
    total += d.ballots;
    return h("tr", {}, h("td", { class: "num" }, String(d.index)), h("td", {}, d.name), h("td", { class: "num" }, String(d.ballots)), h("td", {}, d.closed ? t("yes") : t("no")));
  });
  out.append(h("table", { id: "devices" },
    h("caption", {}, t("devicesCaption")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "num" }, t("device")), h("th", { scope: "col" }, t("deviceName")), h("th", { scope: "col", class: "num" }, t("ballots")), h("th", { scope: "col" }, t("deviceClosed")))),
    h("tbody", {}, rows),
    h("tfoot", {}, h("tr", {}, h("th", { scope: "row", colspan: "2" }, t("total")), h("td", { class: "num" }, String(total)), h("td", {})))));
  if (!o.closed) out.append(h("p", {}, t("updated", { time: o.at.toLocaleTimeString(currentLanguage()) })));
  if (o.closed && !o.results) out.append(h("p", {}, t("obsNoResults")));
  if (o.results) out.append(resultsView(o.results));
  if (o.report) out.append(reportView(o.report));
  out.append(downloadsView(o));
  return out;
}

function resultsView(r) {
  const sec = h("section", { id: "results", "aria-labelledby": "results-h" }, h("h2", { id: "results-h" }, t("resultsHeading")));
  sec.append(h("p", { class: "checked-note" }, t(r.source === "results.json" ? "resultsChecked" : "resultsFromTally", { cast: r.cast ?? "", challenged: r.challenged ?? "" })));
  r.contests.forEach((c, ci) => {
    const id = `contest-${ci + 1}`;
    sec.append(h("h3", { id }, c.label));
    // the manifest's options; supplemental fields (undervotes, write-in
    // counts, ...) in a body of their own, and never in the chart
    const options = c.options.filter((op) => !op.supplemental);
    const extra = c.options.filter((op) => op.supplemental);
    const row = (op) => h("tr", {}, h("th", { scope: "row" }, op.label), h("td", { class: "num" }, String(op.votes)));
    sec.append(h("table", { class: "results", "aria-labelledby": id },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("option")), h("th", { scope: "col", class: "num" }, t("votes")))),
      h("tbody", {}, options.map(row)),
      extra.length ? h("tbody", { class: "supplemental" }, h("tr", {}, h("th", { scope: "colgroup", colspan: "2" }, t("supplementalFields"))), extra.map(row)) : null));
    const tie = decidingTie(c);
    if (tie) {
      const names = tie.labels.join(", ");
      sec.append(h("p", { class: "tie" }, tie.place === 1 ? t("tieFirst", { names, votes: tie.votes }) : t("tiePlace", { place: tie.place, names, votes: tie.votes })));
    }
    sec.append(barChart(c.label, options));
  });
  return sec;
}

// Horizontal bars, one per option: the label above its bar, the count at
// the bar's end. Widths are proportional to the counts (the largest bar
// spans 290 of the 400 units; the SVG scales with the screen).
function barChart(contest, opts) {
  const row = 50;
  const max = Math.max(1, ...opts.map((o) => o.votes));
  const svg = h("svg", { class: "chart", viewBox: `0 0 400 ${row * opts.length + 6}`, role: "img", "aria-label": t("chartLabel", { contest }) });
  opts.forEach((o, i) => {
    const y = i * row;
    const w = Math.max(1, Math.round((290 * o.votes) / max));
    svg.append(h("text", { x: 0, y: y + 17 }, o.label));
    svg.append(h("rect", { class: "bar", x: 0, y: y + 24, width: w, height: 20, "data-value": o.votes }));
    svg.append(h("text", { x: w + 8, y: y + 40 }, String(o.votes)));
  });
  return svg;
}

// The page's own report (results.js webReport): what this browser checked.
function reportView(rep) {
  const sec = h("section", { id: "report", "aria-labelledby": "report-h" }, h("h2", { id: "report-h" }, t("reportHeading")), h("p", {}, t("reportIntro")));
  sec.append(h("table", {},
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("step")), h("th", { scope: "col", class: "num" }, t("checked")), h("th", { scope: "col" }, t("status")))),
    h("tbody", {}, rep.steps.map((s) => h("tr", { "data-step": s.id },
      h("td", {}, `${s.id} ${t(`step_${s.id}`)}`),
      h("td", { class: "num" }, String(s.checked)),
      h("td", { class: s.status === "ok" ? "status-pass" : null }, t(s.status === "ok" ? "stepOk" : "stepNone")))))));
  sec.append(h("p", {}, t("reportNotChecked")));
  return sec;
}

const blobLink = (text, type, name, label) => h("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name }, label);

function downloadsView(o) {
  const sec = h("section", { id: "downloads", "aria-labelledby": "dl-h" }, h("h2", { id: "dl-h" }, t("downloadsHeading")), h("p", {}, t("downloadsIntro")),
    h("pre", {}, h("code", {}, `scrutin board export --board ${location.origin} --out record\nscrutin verify record`)));
  const items = o.links.map((l) => h("li", {},
    h("a", { href: `/v1/payload/${l.hash}`, download: DL_NAMES[l.kind] || `${l.kind}-${l.index}.json`, "data-kind": l.kind }, t(`dl_${l.kind}`)),
    ` (${l.hash.slice(0, 16)}…)`));
  if (o.openings) items.push(h("li", {}, blobLink(o.openings, "application/x-ndjson", "challenged.jsonl", t("dl_challenged"))));
  items.push(h("li", {}, blobLink(o.note, "text/plain", "checkpoint", t("dl_checkpoint"))));
  if (o.report) items.push(h("li", {}, blobLink(`${JSON.stringify(o.report, null, 1)}\n`, "application/json", "verification-report.json", t("dl_report"))));
  sec.append(h("ul", {}, items));
  return sec;
}

// The names the files have in an exported record (docs/VERIFIER.md).
const DL_NAMES = { witness_policy: "policy.json", tally: "encrypted_tally.json", decryption: "tally.json", result: "results.json" };

// --- navigation, language -----------------------------------------------------------

function show(view) {
  const voter = view === "voter";
  $("voter").hidden = !voter;
  $("observer").hidden = voter;
  $("nav-voter").setAttribute("aria-pressed", String(voter));
  $("nav-observer").setAttribute("aria-pressed", String(!voter));
  if (!voter) refreshOverview();
}

function applyLanguage(l) {
  setLanguage(l);
  $("lang").lang = currentLanguage() === "fr" ? "en" : "fr";
  $("lang").setAttribute("aria-label", t("switchLangName"));
  renderTrust();
  renderResult();
  renderOverview();
}

function start() {
  let saved = null;
  try {
    saved = localStorage.getItem("scrutin.lang");
  } catch (e) {
    /* no storage */
  }
  applyLanguage(pickLanguage(saved, navigator.languages || [navigator.language]));
  $("lang").addEventListener("click", () => {
    const l = currentLanguage() === "fr" ? "en" : "fr";
    try {
      localStorage.setItem("scrutin.lang", l);
    } catch (e) {
      /* no storage */
    }
    applyLanguage(l);
  });
  $("nav-voter").addEventListener("click", () => show("voter"));
  $("nav-observer").addEventListener("click", () => show("observer"));
  $("lookup").addEventListener("submit", (ev) => {
    ev.preventDefault();
    lookup($("code").value);
  });
  trust = board.init();
  trust.then((cp) => setTrust({ kind: "ok", cp }), (err) => {
    console.error(err);
    setTrust({ kind: "bad", err });
  });
  trust.catch(() => {});
  fromHash();
  window.addEventListener("hashchange", fromHash);
}

// A receipt's QR code opens /#c=<code>: the code stays in the browser
// (a fragment is never sent to the server). #observer opens that view.
function fromHash() {
  let hash = location.hash;
  try {
    hash = decodeURIComponent(hash);
  } catch (e) {
    /* malformed escape: taken as it is */
  }
  const m = /^#c=([0-9A-Fa-f\s-]+)$/.exec(hash);
  if (m) {
    show("voter");
    $("code").value = groupCode(normalizeCode(m[1]));
    lookup(m[1]);
  } else if (hash === "#observer") {
    show("observer");
  }
}

start();
