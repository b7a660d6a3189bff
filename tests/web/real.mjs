// The page against a real `scrutin board serve` (board_e2e.sh sets it up).
//
//   node real.mjs open URL CODES_FILE WITNESS DIR
//     while voting: the record verifies with the witness's cosignature, a
//     cast and a challenged code are found at their device positions, an
//     unknown code is not, the observer counts the device's ballots, no
//     results; saves the board's /checkpoint and /v1/entry/0 answers in DIR
//     (for the rollback test after the close).
//   node real.mjs closed URL CODES_FILE WITNESS DIR RECORD BAD_URL
//     after tally, decryption, openings, results.json and close: the
//     results table and bar chart of each contest are RECORD/results.json
//     and RECORD/tally.json, the challenged ballots show their opened
//     selections (RECORD/challenged.jsonl), the report's steps are verified
//     with their counts, the downloads are the record's files and the
//     report; then each way of not verifying (board signature, missing
//     cosignature, rollback, tampered inclusion proof, results payload
//     changed in transit, and BAD_URL: a board whose authority-signed
//     results.json differs from its tally) shows nothing as verified.
import fs from "node:fs";
import path from "node:path";
import { launch, trustText, lookup } from "./browser.mjs";

const [phase, url, codesFile, witness, dir, record, badUrl] = process.argv.slice(2);
const codes = fs.readFileSync(codesFile, "utf8").trim().split("\n").map((l) => l.split("\t"));
let passed = 0;
let failed = 0;
const check = (name, ok, detail) => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `: ${detail}`}`);
};
const browser = await launch();
const problems = [];
async function newPage(context) {
  const ctx = context || (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true }));
  const page = await ctx.newPage();
  page.on("console", (m) => /Content Security Policy|Uncaught/.test(m.text()) && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  return { ctx, page };
}
async function observer(page) {
  await page.click("#nav-observer");
  await page.waitForSelector("#overview > *", { timeout: 20000 });
  return page.textContent("#overview");
}
const get = async (p) => {
  const r = await fetch(url + p);
  if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
  return r.text();
};
// Nothing on the page is shown as verified: the banner is red, no green
// box, no results, no report.
async function nothingVerified(page) {
  const t = await trustText(page);
  const green = await page.$$(".box.ok, #results, #report, table.results");
  return { ok: !t.ok && green.length === 0, text: t.text };
}
// Rewrites every response of a pattern with f(text).
async function rewrite(page, pattern, f) {
  await page.route(pattern, async (route) => {
    const r = await route.fetch();
    await route.fulfill({ response: r, body: f(await r.text(), route.request().url()) });
  });
}
// f applied to every checkpoint: /checkpoint and those inside /v1/entry.
async function rewriteCheckpoints(page, f) {
  await rewrite(page, "**/v1/entry/*", (b) => {
    const j = JSON.parse(b);
    const cut = j.proof.indexOf("\n\n") + 2;
    j.proof = j.proof.slice(0, cut) + f(j.proof.slice(cut));
    return JSON.stringify(j);
  });
  await rewrite(page, "**/checkpoint", f);
}
const flip = (s, at) => s.slice(0, at) + (s[at] === "A" ? "B" : "A") + s.slice(at + 1);

async function openPhase() {
  const { page } = await newPage();
  await page.goto(`${url}/`);
  const t = await trustText(page);
  check("record verified, cosigned by the witness", t.ok && t.text.includes(witness), t.text);
  for (const state of ["cast", "challenged"]) {
    const k = codes.findIndex((c) => c[2] === state);
    const r = await lookup(page, codes[k][1]);
    check(`${state} code found at its position`, r.ok && r.text.includes(state === "cast" ? "cast (counted)" : "challenged (not counted)") && r.text.includes(`Position on the device${k + 1}`), r.text);
  }
  const r = await lookup(page, "00000000deadbeef");
  check("unknown code not found", r.bad && r.text.includes("No ballot with this code"), r.text);
  const o = await observer(page);
  const n = await page.$eval("#devices tbody tr td:nth-child(3)", (td) => Number(td.textContent));
  check("observer counts the device's ballots", n === codes.length, `${n} != ${codes.length}`);
  check("no results and no report while voting", !o.includes("Results") && (await page.$$("#report, table.results")).length === 0, o);
  fs.writeFileSync(path.join(dir, "open.checkpoint"), await get("/checkpoint"));
  fs.writeFileSync(path.join(dir, "open.entry0"), await get("/v1/entry/0"));
}

async function closedPhase() {
  const results = JSON.parse(fs.readFileSync(path.join(record, "results.json"), "utf8"));
  const tally = JSON.parse(fs.readFileSync(path.join(record, "tally.json"), "utf8"));
  const openings = fs.readFileSync(path.join(record, "challenged.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const status = JSON.parse(await get("/v1/status"));
  const { ctx, page } = await newPage();
  await page.goto(`${url}/`);
  const t = await trustText(page);
  check("closed record verified", t.ok && t.text.includes(`${status.size} entries`), t.text);

  // challenged ballots: the opened selections, option by option
  for (const [id, code, state] of codes) {
    if (state !== "challenged") continue;
    const r = await lookup(page, code);
    const rows = await page.$$eval("#result table tbody tr", (trs) => trs.map((tr) => tr.cells[2].textContent));
    const op = openings.find((o) => o.id === id);
    const want = op.contests.flatMap((c) => c.selections.map((v) => (v === 1 ? "yes" : v === 0 ? "no" : String(v))));
    check(`challenged ${id}: opened selections shown`, r.ok && r.text.includes("The opened ballot") && JSON.stringify(rows) === JSON.stringify(want), `${JSON.stringify(rows)} != ${JSON.stringify(want)}: ${r.text}`);
  }

  // results: table and chart per contest = results.json = tally.json
  const o = await observer(page);
  check("voting closed, results checked", o.includes("Voting is closed") && o.includes("Checked in this browser: these results are the decrypted tally") && o.includes(`for ${results.cast_ballots} cast ballots`), o);
  const tables = await page.$$eval("table.results", (ts) => ts.map((tb) => [...tb.tBodies[0].rows].map((r) => [r.cells[0].textContent, Number(r.cells[1].textContent)])));
  const want = tally.contests.map((c) => c.options.map((x) => [x.label, x.value]));
  const fromResults = results.contests.map((c) => c.options.map((x) => [x.label, x.votes]));
  check("results tables = tally.json = results.json", JSON.stringify(tables) === JSON.stringify(want) && JSON.stringify(want) === JSON.stringify(fromResults), `${JSON.stringify(tables)} != ${JSON.stringify(want)}`);
  const heads = await page.$$eval("#results h3", (hs) => hs.map((x) => x.textContent));
  check("one heading per contest", JSON.stringify(heads) === JSON.stringify(tally.contests.map((c) => c.label)), JSON.stringify(heads));
  const bars = await page.$$eval("svg.chart", (ss) => ss.map((s) => [...s.querySelectorAll("rect.bar")].map((r) => [Number(r.dataset.value), Number(r.getAttribute("width"))])));
  let barsOk = bars.length === want.length;
  bars.forEach((bs, ci) => {
    const vals = want[ci].map((x) => x[1]);
    const max = Math.max(1, ...vals);
    bs.forEach(([v, w], oi) => {
      barsOk &&= v === vals[oi] && (v === 0 ? w === 1 : Math.abs(w - (290 * v) / max) <= 0.5);
    });
    barsOk &&= bs.length === vals.length;
  });
  check("bar chart per contest matches the tally", barsOk, JSON.stringify(bars));

  // the report: every step verified, with its counts
  const steps = await page.$$eval("#report tbody tr", (trs) => trs.map((tr) => [tr.dataset.step, Number(tr.cells[1].textContent), tr.cells[2].textContent]));
  const nOptions = want.flat().length;
  const counts = { W1: 1, W2: 1, W3: 1, W4: status.size, W5: status.size, W6: status.size, W7: 3 + openings.length, W8: nOptions, W9: nOptions };
  const bad = steps.filter(([id, n, st]) => st !== "verified" || n !== counts[id]);
  check("report: 9 steps verified with their counts", steps.length === 9 && bad.length === 0, JSON.stringify(steps));

  // downloads: the record's files (each as the board holds it) and the report
  const names = await page.$$eval("#downloads a[download]", (as) => as.map((a) => a.getAttribute("download")));
  check("downloads listed", JSON.stringify(names) === JSON.stringify(["election-0.json", "policy.json", "encrypted_tally.json", "tally.json", "results.json", "challenged.jsonl", "checkpoint", "verification-report.json"]), JSON.stringify(names));
  const download = async (name) => {
    const [d] = await Promise.all([page.waitForEvent("download"), page.click(`#downloads a[download='${name}']`)]);
    return fs.readFileSync(await d.path());
  };
  for (const f of ["encrypted_tally.json", "tally.json", "results.json", "challenged.jsonl"]) {
    const got = await download(f);
    const mine = fs.readFileSync(path.join(record, f));
    check(`download ${f} = the record's`, got.equals(mine), `${got.length} bytes vs ${mine.length}`);
  }
  const rep = JSON.parse((await download("verification-report.json")).toString("utf8"));
  check("download verification-report.json", rep.format === "scrutin-web-report" && rep.steps.length === 9 && rep.steps.every((s) => s.status === "ok") && rep.checkpoint.startsWith(status.origin), JSON.stringify(rep).slice(0, 400));
  const cpText = (await download("checkpoint")).toString("utf8");
  check("download checkpoint (board signature and cosignature)", cpText.startsWith(`${status.origin}\n${status.size}\n`) && cpText.includes(`\u2014 ${witness} `), cpText);

  // French
  await page.click("#lang");
  const fr = await page.textContent("#overview");
  check("results view in French", fr.includes("Résultats") && fr.includes("Rapport de vérification") && fr.includes("vérifié"), fr.slice(0, 300));

  // axe-core on the real board's results view, English and French
  {
    const c = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const p = await c.newPage();
    await p.goto(`${url}/#observer`);
    await p.waitForSelector("#report", { timeout: 20000 });
    for (const lang of ["en", "fr"]) {
      if (lang === "fr") await p.click("#lang");
      await p.addScriptTag({ path: new URL("./node_modules/axe-core/axe.min.js", import.meta.url).pathname });
      const r = await p.evaluate(() => globalThis.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "wcag2aaa"] }));
      const v = r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      check(`axe-core: results view (${lang}) has no violation`, v.length === 0 && r.passes.length > 0, v.join("; "));
    }
    await c.close();
  }

  // --- each way of not verifying: nothing shown as verified ---------------
  const cast = codes.find((c) => c[2] === "cast")[1];
  const tamper = async (name, setup, go, want) => {
    const { ctx: c, page: p } = await newPage();
    try {
      if (setup) await setup(p, c);
      await go(p);
      const r = await nothingVerified(p);
      check(`${name}: not verified`, r.ok && want.test(r.text), r.text);
    } finally {
      await c.close();
    }
  };
  const both = async (p) => {
    await p.goto(`${url}/#observer`);
    await p.waitForSelector("#overview > *", { timeout: 20000 });
  };
  // the board's signature: one base64 digit of its signature line changed
  await tamper("bad board signature", (p) => rewriteCheckpoints(p, (cp) => cp.split("\n").map((l) => (l.startsWith(`\u2014 ${status.origin} `) ? flip(l, l.length - 10) : l)).join("\n")), both, /signature on the checkpoint is missing or wrong/);
  // the witness's cosignature removed: the all-parties quorum is not met
  await tamper("missing cosignature", (p) => rewriteCheckpoints(p, (cp) => cp.split("\n").filter((l) => !l.startsWith(`\u2014 ${witness} `)).join("\n")), both, /not enough witnesses/);
  // a tampered inclusion proof for a cast ballot (its first proof hash;
  // line 0 of a tlog-proof is its header, line 1 the index)
  const castIndex = JSON.parse(await get(`/v1/codes/${cast.toLowerCase()}`)).matches[0].index;
  await tamper("tampered inclusion proof", (p) => rewrite(p, `**/v1/entry/${castIndex}`, (b) => {
    const j = JSON.parse(b);
    const lines = j.proof.split("\n");
    lines[2] = flip(lines[2], 5);
    j.proof = lines.join("\n");
    return JSON.stringify(j);
  }), async (p) => {
    await p.goto(`${url}/`);
    await trustText(p);
    await lookup(p, cast);
  }, /proof of inclusion does not match/);
  // rollback: this browser saw the closed board, then is shown the
  // checkpoint (and entry 0's proof) the board signed while voting
  await tamper("rollback below the largest checkpoint seen", async (p, c) => {
    const first = await c.newPage();
    await first.goto(`${url}/`);
    await trustText(first);
    await first.close();
    await p.route("**/checkpoint", (r) => r.fulfill({ status: 200, contentType: "text/plain", body: fs.readFileSync(path.join(dir, "open.checkpoint"), "utf8") }));
    await p.route("**/v1/entry/0", (r) => r.fulfill({ status: 200, contentType: "application/json", body: fs.readFileSync(path.join(dir, "open.entry0"), "utf8") }));
  }, both, /older or different record/);
  // results.json changed on the way: its SHA-256 is not the entry's
  const rhash = JSON.parse(await get("/v1/status")).results;
  await tamper("results payload changed in transit", (p) => rewrite(p, `**/v1/payload/${rhash}`, (b) => b.replace(/"votes":(\d+)/, (m, v) => `"votes":${Number(v) + 1}`)), both, /published file does not match/);
  // a board whose authority signed a results.json that is not its tally
  {
    const { ctx: c, page: p } = await newPage();
    await p.goto(`${badUrl}/#observer`);
    await p.waitForSelector("#overview > *", { timeout: 20000 });
    const r = await nothingVerified(p);
    check("authority-signed results differing from the tally: not verified", r.ok && /do not match the decrypted tally/.test(r.text), r.text);
    await c.close();
  }
  await ctx.close();
}

try {
  if (phase === "open") await openPhase();
  else await closedPhase();
  check("no CSP violation or script error", problems.length === 0, problems.join(" | "));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
