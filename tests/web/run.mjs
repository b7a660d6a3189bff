// The voter and observer page (web/) in headless Chromium against the
// fixture board (fixture.mjs). Exit 0 when every test passed, 77 (ctest:
// skipped) when playwright-core is not installed (make deps).
//   node run.mjs [--only NAME]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MANIFEST, makeElection, serve } from "./fixture.mjs";
import { launch, trustText, lookup } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const AXE = path.join(here, "node_modules/axe-core/axe.min.js");

// --- a tiny harness -----------------------------------------------------------
const tests = [];
const test = (name, fn) => tests.push({ name, fn });
class Fail extends Error {}
const assert = (ok, msg) => {
  if (!ok) throw new Fail(msg);
};

const el = makeElection();
const srv = await serve(el);
const browser = await launch();
const cast = el.ballots.find((b) => b.state === "Cast");
const challenged = el.ballots.find((b) => b.state === "Challenged");
const group = (c) => c.toUpperCase().match(/.{4}/g).join(" ");

// A page in a shared context per (locale, bypassCSP), or in a fresh one
// (fresh localStorage) when asked; CSP violations and script errors fail
// the test that opened the page.
const contexts = new Map();
let pages = [];
async function open({ locale = "en-US", hash = "", context, bypassCSP = false, fresh = false, before } = {}) {
  let ctx = context;
  if (!ctx) {
    const key = `${locale} ${bypassCSP}`;
    ctx = fresh ? null : contexts.get(key);
    if (!ctx) {
      ctx = await browser.newContext({ locale, bypassCSP, viewport: { width: 1280, height: 900 } });
      if (!fresh) contexts.set(key, ctx);
    }
  }
  const page = await ctx.newPage();
  page.problems = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Uncaught/.test(m.text())) page.problems.push(m.text());
  });
  page.on("pageerror", (e) => page.problems.push(e.message));
  pages.push(page);
  if (before) await before(page); // routes that tamper, set before loading
  await page.goto(`${srv.url}/${hash}`);
  return { ctx, page };
}
async function observer(page) {
  await page.click("#nav-observer");
  await page.waitForSelector("#overview > *", { timeout: 15000 });
  return page.textContent("#overview");
}
// Rewrites every response of a path pattern with f(text).
async function rewrite(page, pattern, f) {
  // The fixture server may reset a connection under load: retry, and never
  // leave a rejected promise behind (it would end the whole run).
  await page.route(pattern, async (route) => {
    for (let i = 0; ; i++) {
      try {
        const r = await route.fetch();
        await route.fulfill({ response: r, body: f(await r.text(), route.request().url()) });
        return;
      } catch (e) {
        if (i >= 3 || /closed|disposed/i.test(String(e))) {
          await route.abort().catch(() => {});
          return;
        }
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  });
}
// Applies f to every checkpoint the page gets: /checkpoint and the
// checkpoints inside /v1/entry proofs.
async function rewriteCheckpoints(page, f) {
  await rewrite(page, "**/v1/entry/*", (b) => {
    const j = JSON.parse(b);
    const cut = j.proof.indexOf("\n\n") + 2;
    j.proof = j.proof.slice(0, cut) + f(j.proof.slice(cut));
    return JSON.stringify(j);
  });
  await rewrite(page, "**/checkpoint", f);
}
const stripB = (cp) => cp.split("\n").filter((l) => !l.startsWith("\u2014 witness.party-b")).join("\n");
const flipB64 = (line) => (line[0] === "A" ? "B" : "A") + line.slice(1);
async function runAxe(page, what) {
  await page.addScriptTag({ path: AXE });
  const r = await page.evaluate(() => globalThis.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "wcag2aaa"] }));
  const v = r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert(v.length === 0, `axe (${what}): ${v.join("; ")}`);
  return r.passes.length;
}

// --- voter ------------------------------------------------------------------
test("trust banner: checkpoint, board signature, both witnesses", async () => {
  const { page } = await open();
  const t = await trustText(page);
  assert(t.ok, t.text);
  assert(t.text.includes(`${el.fullSize} entries`) && t.text.includes("Party A") && t.text.includes("Party B"), t.text);
});

test("cast code, grouped and lower case", async () => {
  const { page } = await open();
  const r = await lookup(page, group(cast.code).toLowerCase());
  assert(r.ok && r.text.includes("cast (counted)"), r.text);
  assert(r.text.includes(`Voting device${cast.device}`) && r.text.includes(`Position on the device${cast.sequence}`), r.text);
  assert(r.text.includes("does not show your choices"), r.text);
  const href = await page.$eval("#result a[download]", (a) => a.getAttribute("download"));
  assert(href === `ballot-${cast.code.slice(0, 8)}.tlog-proof`, href);
});

test("challenged code shows the opened selections", async () => {
  const { page } = await open();
  const r = await lookup(page, challenged.code.toUpperCase());
  assert(r.ok && r.text.includes("challenged (not counted)"), r.text);
  const rows = await page.$$eval("#result table tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  const want = [];
  challenged.choice.forEach((sel, ci) => sel.forEach((v, oi) => want.push([["Mayor", "Referendum: new library"][ci], [["Hugo Martin", "Inès Duarte", "Zoé Bernard"], ["Yes", "No"]][ci][oi], v ? "yes" : "no"])));
  assert(JSON.stringify(rows) === JSON.stringify(want), `${JSON.stringify(rows)} != ${JSON.stringify(want)}`);
});

test("unique prefix of 8 digits; a shared prefix asks for more", async () => {
  const { page } = await open();
  const b = el.ballots[5];
  let r = await lookup(page, b.code.slice(0, 8));
  assert(r.ok && r.text.includes(group(b.code)), r.text);
  r = await lookup(page, el.ballots[3].code.slice(0, 8)); // shares 8 digits with ballot 2
  assert(!r.ok && !r.bad && r.text.includes("2 ballots start"), r.text);
  r = await lookup(page, el.ballots[3].code.slice(0, 12));
  assert(r.ok && r.text.includes(group(el.ballots[3].code)), r.text);
});

test("unknown and malformed codes", async () => {
  const { page } = await open();
  let r = await lookup(page, "0123 4567 89ab cdef");
  assert(r.bad && r.text.includes("No ballot with this code"), r.text);
  r = await lookup(page, "12AB");
  assert(!r.ok && r.text.includes("at least 8"), r.text);
  r = await lookup(page, "zzzz zzzz zzzz");
  assert(!r.ok && r.text.includes("0–9"), r.text);
});

test("receipt link #c=CODE looks the code up", async () => {
  const { page } = await open({ hash: `#c=${cast.code}` });
  await page.waitForSelector("#result .box.ok", { timeout: 10000 });
  assert((await page.inputValue("#code")) === group(cast.code), "code field");
  await page.evaluate((c) => (location.hash = `#c=${c}`), challenged.code);
  await page.waitForSelector("#result .box.ok >> text=challenged (not counted)", { timeout: 10000 });
  await page.goto(`${srv.url}/#c=%E0%A4%A`); // a malformed escape: no script error
  await trustText(page);
});

test("keyboard only: tab to the field, type, Enter; focus is visible", async () => {
  const { page } = await open();
  await trustText(page);
  let id = "";
  for (let i = 0; i < 8 && id !== "code"; i++) {
    await page.keyboard.press("Tab");
    id = await page.evaluate(() => document.activeElement.id);
    if (id) {
      const o = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert(o === "solid", `no visible focus on #${id}: ${o}`);
    }
  }
  assert(id === "code", "the code field is not reachable by Tab");
  await page.keyboard.type(cast.code.slice(0, 10));
  await page.keyboard.press("Enter");
  await page.waitForSelector("#result .box.ok", { timeout: 10000 });
  await page.keyboard.press("Shift+Tab");
  id = await page.evaluate(() => document.activeElement.id);
  assert(id === "nav-observer", `Shift+Tab from the field reached #${id}`);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#overview table", { timeout: 10000 });
  // results view: Tab reaches every download link, each with a visible
  // focus; Enter on the report's link downloads it
  await page.waitForSelector("#downloads", { timeout: 10000 });
  const seen = [];
  for (let i = 0; i < 40 && !seen.includes("verification-report.json"); i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => ({ dl: document.activeElement.getAttribute("download"), o: getComputedStyle(document.activeElement).outlineStyle }));
    if (f.dl) {
      assert(f.o === "solid", `no visible focus on the ${f.dl} link`);
      seen.push(f.dl);
    }
  }
  assert(seen.length === 8, `download links reached by Tab: ${seen}`);
  const [dl] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  assert(dl.suggestedFilename() === "verification-report.json", dl.suggestedFilename());
});

// --- what must not verify ---------------------------------------------------
test("tampered inclusion proof: not verified", async () => {
  const { page } = await open({ before: (page) => rewrite(page, `**/v1/entry/${cast.index}`, (body) => {
    const j = JSON.parse(body);
    const lines = j.proof.split("\n");
    lines[2] = flipB64(lines[2]); // the first proof hash
    j.proof = lines.join("\n");
    return JSON.stringify(j);
  }) });
  await trustText(page);
  const r = await lookup(page, cast.code);
  assert(r.bad && r.text.includes("Not verified") && r.text.includes("proof of inclusion"), r.text);
  assert(!(await page.$eval("#trust", (e) => e.classList.contains("ok"))), "trust banner still says checked");
});

test("tampered ballot payload: not verified", async () => {
  const { page } = await open({ before: (page) => rewrite(page, `**/v1/payload/${Buffer.from(el.entries[cast.index].bytes.subarray(18, 50)).toString("hex")}`, (body) => body.replace('"Cast"', '"Challenged"')) });
  const r = await lookup(page, cast.code);
  assert(r.bad && r.text.includes("does not match the record"), r.text);
});

test("forged checkpoint (other root): not verified, nothing shown as verified", async () => {
  const { page } = await open({ before: (page) => rewriteCheckpoints(page, (cp) => cp.replace(/^(.*\n\d+\n)(.)/, (_, a, c) => a + (c === "A" ? "B" : "A"))) });
  const t = await trustText(page);
  assert(!t.ok && t.text.includes("could NOT be verified") && t.text.includes("board's signature on the checkpoint"), t.text);
  const r = await lookup(page, cast.code);
  assert(r.bad && !r.text.includes("is in the public record"), r.text);
  const o = await observer(page);
  assert(o.includes("Not verified") && !o.includes("Results"), o);
});

test("board signature altered (cosignatures intact): not verified", async () => {
  const badBoard = (cp) => cp.split("\n").map((l) => (l.startsWith(`\u2014 ${el.origin} `) ? l.slice(0, -8) + flipB64(l.slice(-8)) : l)).join("\n");
  const { page } = await open({ before: (p) => rewriteCheckpoints(p, badBoard) });
  const t = await trustText(page);
  assert(!t.ok && t.text.includes("board's signature on the checkpoint is missing or wrong"), t.text);
});

test("checkpoint signed by another key: not verified", async () => {
  const other = makeElection({ seed: 2 });
  const { checkpoint } = await import("./fixture.mjs");
  // same origin text and tree, but the board line made with another key
  const forged = checkpoint({ ...el, boardKey: other.boardKey }, el.fullSize);
  const { page } = await open({ before: (p) => rewriteCheckpoints(p, () => forged) });
  const t = await trustText(page);
  assert(!t.ok && t.text.includes("board's signature on the checkpoint is missing or wrong"), t.text);
});

test("missing cosignature (quorum all-parties): not verified", async () => {
  const { page } = await open({ before: (page) => rewriteCheckpoints(page, stripB) });
  const t = await trustText(page);
  assert(!t.ok && t.text.includes("not enough witnesses"), t.text);
});

test("bad cosignature: not verified", async () => {
  const bad = (s) => s.split("\n").map((l) => (l.startsWith("\u2014 witness.party-a") ? l.replace(/ (.)(.*)(.{8})$/, (_, a, mid, end) => ` ${a}${mid}${flipB64(end)}`) : l)).join("\n");
  const { page } = await open({ before: (p) => rewriteCheckpoints(p, bad) });
  const t = await trustText(page);
  assert(!t.ok && t.text.includes("countersignature is wrong"), t.text);
});

test("no witness policy, or a weaker policy than the logged one: not verified", async () => {
  let { page } = await open({ before: (p) => p.route("**/v1/policy", (r) => r.fulfill({ status: 404, body: "no witness policy yet\n" })) });
  let t = await trustText(page);
  assert(!t.ok && t.text.includes("witness policy is missing"), t.text);
  ({ page } = await open({
    before: async (p) => {
      await rewrite(p, "**/v1/policy", (b) => b.replace('"all-parties"', '"k-of-n:1"'));
      await rewriteCheckpoints(p, stripB);
    },
  }));
  t = await trustText(page);
  assert(!t.ok && t.text.includes("witness policy is missing or malformed"), t.text);
});

test("growth is accepted with a consistency proof; a tampered one is not", async () => {
  const ctx = await browser.newContext();
  const ctx2 = await browser.newContext();
  srv.state.size = el.openSize;
  try {
    let { page } = await open({ context: ctx });
    assert((await trustText(page)).ok, "open phase");
    srv.state.size = el.fullSize;
    await page.reload();
    let t = await trustText(page);
    assert(t.ok && t.text.includes(`${el.fullSize} entries`), t.text);
    srv.state.size = el.openSize;
    ({ page } = await open({ context: ctx2 }));
    await trustText(page);
    srv.state.size = el.fullSize;
    await rewrite(page, "**/v1/consistency*", (b) => b.split("\n").map((l, i) => (i === 0 ? flipB64(l) : l)).join("\n"));
    await page.reload();
    t = await trustText(page);
    assert(!t.ok && t.text.includes("rollback"), t.text);
  } finally {
    srv.state.size = el.fullSize;
    await ctx.close();
    await ctx2.close();
  }
});

test("rollback to an older checkpoint: not verified", async () => {
  const ctx = await browser.newContext();
  try {
    const { page } = await open({ context: ctx });
    assert((await trustText(page)).ok, "first visit");
    srv.state.size = el.openSize;
    await page.reload();
    const t = await trustText(page);
    assert(!t.ok && t.text.includes("older or different record"), t.text);
    const r = await lookup(page, cast.code);
    assert(r.bad, r.text);
  } finally {
    srv.state.size = el.fullSize;
    await ctx.close();
  }
});

// --- observer ---------------------------------------------------------------
test("observer while voting: counts per device, no results", async () => {
  srv.state.size = el.openSize;
  try {
    const { page } = await open({ hash: "#observer", fresh: true });
    await page.waitForSelector("#overview table", { timeout: 10000 });
    const o = await page.textContent("#overview");
    assert(o.includes("Voting is open") && !o.includes("Results") && o.includes("Updated at"), o);
    const counts = await page.$$eval("#devices tbody tr", (trs) => trs.map((tr) => Number(tr.cells[2].textContent)));
    const per = [1, 2].map((d) => el.ballots.filter((b) => b.device === d).length);
    assert(JSON.stringify(counts) === JSON.stringify(per), `${counts} != ${per}`);
  } finally {
    srv.state.size = el.fullSize;
  }
});

test("results table and bar chart match the tally", async () => {
  const { page } = await open();
  const o = await observer(page);
  assert(o.includes("Voting is closed") && o.includes("Checked in this browser: these results are the decrypted tally"), o);
  const steps = await page.$$eval("#report tbody tr", (trs) => trs.map((tr) => [tr.dataset.step, Number(tr.cells[1].textContent), tr.cells[2].textContent]));
  const want = { W5: el.fullSize, W6: el.fullSize, W9: el.tally.flat().length };
  assert(steps.length === 9 && steps.every(([, , st]) => st === "verified"), JSON.stringify(steps));
  for (const [id, n] of Object.entries(want)) assert(steps.find((x) => x[0] === id)[1] === n, `${id}: ${JSON.stringify(steps)}`);
  const tables = await page.$$eval("table.results", (ts) => ts.map((t) => [...t.tBodies[0].rows].map((r) => Number(r.cells[0].nextElementSibling.textContent))));
  assert(JSON.stringify(tables) === JSON.stringify(el.tally), `${JSON.stringify(tables)} != ${JSON.stringify(el.tally)}`);
  const bars = await page.$$eval("svg.chart", (ss) => ss.map((s) => [...s.querySelectorAll("rect.bar")].map((r) => [Number(r.dataset.value), Number(r.getAttribute("width"))])));
  bars.forEach((bs, ci) => {
    const max = Math.max(...el.tally[ci]);
    const wmax = Math.max(...bs.map(([, w]) => w));
    bs.forEach(([v, w], oi) => {
      assert(v === el.tally[ci][oi], `bar value ${ci}/${oi}`);
      assert(Math.abs(w / wmax - v / max) < 0.01 || (v === 0 && w === 1), `bar width ${ci}/${oi}: ${w} of ${wmax}`);
    });
  });
  // a tie for first place (every fixture contest allows one selection) is
  // said under its contest's table, and no other contest says one
  const ties = await page.$$eval("#results h3", (hs) => hs.map((h3) => {
    let n = h3.nextElementSibling;
    while (n && n.tagName !== "H3" && !n.classList.contains("tie")) n = n.nextElementSibling;
    return n && n.classList.contains("tie") ? n.textContent : null;
  }));
  const wantTies = el.tally.map((v, ci) => {
    const top = Math.max(...v);
    const at = MANIFEST.contests[ci].options.filter((_, oi) => v[oi] === top).map((o) => o.label);
    return at.length > 1 ? `Tie for first place: ${at.join(", ")} (${top} votes each).` : null;
  });
  assert(JSON.stringify(ties) === JSON.stringify(wantTies), `ties ${JSON.stringify(ties)} != ${JSON.stringify(wantTies)}`);
  assert(wantTies.some((x) => x), "the fixture has no tie: this check cannot fail");
  const links = await page.$$eval("#overview a[download]", (as) => as.map((a) => a.getAttribute("download")));
  const names = ["election-0.json", "policy.json", "encrypted_tally.json", "tally.json", "results.json", "challenged.jsonl", "checkpoint", "verification-report.json"];
  assert(JSON.stringify(links) === JSON.stringify(names), `downloads: ${links}`);
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click("a[download='verification-report.json']")]);
  const rep = JSON.parse(await (await import("node:fs")).promises.readFile(await dl.path(), "utf8"));
  assert(rep.format === "scrutin-web-report" && rep.steps.length === 9 && rep.checkpoint.includes(el.origin), JSON.stringify(rep).slice(0, 300));
  const href = await page.$eval("a[download='results.json']", (a) => a.getAttribute("href"));
  const resp = await page.request.get(srv.url + href);
  assert(resp.ok() && JSON.parse(await resp.text()).format === "scrutin-results", "results.json download");
});

test("results that differ from the decrypted tally: not verified, no results shown", async () => {
  const bad = makeElection({ resultsText: (r) => (r.contests[0].options[0].votes += 1, JSON.stringify(r)) });
  const s2 = await serve(bad);
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    pages.push(Object.assign(page, { problems: [] }));
    await page.goto(`${s2.url}/#observer`);
    await page.waitForSelector("#overview > *", { timeout: 15000 });
    const o = await page.textContent("#overview");
    assert(o.includes("do not match the decrypted tally") && !o.includes("Results") && (await page.$$("table.results")).length === 0, o);
    const t = await trustText(page);
    assert(!t.ok, t.text);
    await ctx.close();
  } finally {
    await s2.close();
  }
});

test("supplemental fields: in the table apart, never charted as options", async () => {
  // 40 write-ins and 7 undervotes: more than any option has
  const sup = makeElection({ seed: 3, supplemental: { undervote: 7, writeIns: 40 } });
  const s3 = await serve(sup);
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    pages.push(Object.assign(page, { problems: [] }));
    await page.goto(`${s3.url}/#observer`);
    await page.waitForSelector("#overview > *", { timeout: 15000 });
    const o = await page.textContent("#overview");
    assert(o.includes("Checked in this browser: these results are the decrypted tally"), o);
    const bars = await page.$$eval("svg.chart", (ss) => ss.map((s) => [...s.querySelectorAll("rect.bar")].map((r) => Number(r.dataset.value))));
    assert(JSON.stringify(bars) === JSON.stringify(sup.tally), `chart ${JSON.stringify(bars)} != options ${JSON.stringify(sup.tally)}`);
    const labels = await page.$eval("svg.chart", (s) => [...s.querySelectorAll("text")].map((x) => x.textContent).join("|"));
    assert(!labels.includes("["), `chart labels: ${labels}`);
    // the widest bar is the most-voted option's, not the 40 write-ins
    const widths = await page.$eval("svg.chart", (s) => [...s.querySelectorAll("rect.bar")].map((r) => Number(r.getAttribute("width"))));
    assert(Math.max(...widths) === 290, `widths ${widths}`);
    const body = (i) => page.$eval("table.results", (t, i) => [...t.tBodies[i].rows].map((r) => r.textContent), i);
    const opts = await body(0);
    assert(opts.length === 3 && opts.every((r) => !r.includes("[")), `options body: ${opts}`);
    const extra = await body(1);
    assert(JSON.stringify(extra.slice(1)) === JSON.stringify(["[undervote]7", "[write-ins]40"]), `supplemental body: ${extra}`);
    await page.screenshot({ path: process.env.SC_WEB_SHOT || "/tmp/scrutin-web-supplemental.png", fullPage: true });
    await ctx.close();
  } finally {
    await s3.close();
  }
  // a field the manifest does not have is refused like a wrong label
  const bogus = makeElection({ seed: 4, supplemental: { undervote: 1, writeIns: 2, writeInsLabel: "[overvote]" } });
  const s4 = await serve(bogus);
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    pages.push(Object.assign(page, { problems: [] }));
    await page.goto(`${s4.url}/#observer`);
    await page.waitForSelector("#overview > *", { timeout: 15000 });
    const o = await page.textContent("#overview");
    assert(o.includes("do not match the decrypted tally") && !o.includes("Results") && (await page.$$("table.results")).length === 0, o);
    await ctx.close();
  } finally {
    await s4.close();
  }
});

// --- languages, accessibility -------------------------------------------------------
test("French from the browser's language, switchable to English", async () => {
  const { page } = await open({ locale: "fr-FR" });
  await trustText(page);
  assert((await page.getAttribute("html", "lang")) === "fr", "lang fr");
  assert((await page.textContent("#voter-h")) === "Vérifier votre bulletin", "French heading");
  let r = await lookup(page, cast.code);
  assert(r.text.includes("déposé") && r.text.includes("ne montre pas vos choix"), r.text);
  await page.click("#lang");
  assert((await page.getAttribute("html", "lang")) === "en", "lang en");
  r = { text: await page.textContent("#result") };
  assert(r.text.includes("cast (counted)"), `result re-rendered: ${r.text}`);
  await page.reload();
  assert((await page.getAttribute("html", "lang")) === "en", "choice remembered");
});

test("French failure text", async () => {
  const { page } = await open({ locale: "fr-FR", fresh: true, before: (page) => rewriteCheckpoints(page, stripB) });
  const t = await trustText(page);
  assert(!t.ok && t.text.includes("trop peu de témoins"), t.text);
});

test("axe-core: no violation (voter, challenged, observer; en and fr)", async () => {
  let n = 0;
  for (const locale of ["en-US", "fr-FR"]) {
    const { page } = await open({ locale, bypassCSP: true });
    await trustText(page);
    n += await runAxe(page, `start ${locale}`);
    await lookup(page, challenged.code);
    n += await runAxe(page, `challenged ${locale}`);
    await observer(page);
    n += await runAxe(page, `observer ${locale}`);
  }
  assert(n > 0, "axe ran no rule");
});

// --- run --------------------------------------------------------------------
const only = process.argv.indexOf("--only") > 0 ? process.argv[process.argv.indexOf("--only") + 1] : null;
let passed = 0;
let failed = 0;
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const t0 = Date.now();
  pages = [];
  try {
    await t.fn();
    const bad = pages.flatMap((p) => p.problems);
    assert(bad.length === 0, `CSP or script errors: ${bad.join(" | ")}`);
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}: ${e instanceof Fail ? e.message : e.stack}`);
  }
  for (const p of pages) await p.close().catch(() => {});
}
await browser.close();
await srv.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
