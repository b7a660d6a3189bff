// Screenshots of each view of the page at desktop (1280 px) and phone
// (390 px) width, against the fixture board, into docs/screenshots/.
//   node tests/web/screenshots.mjs
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeElection, serve } from "./fixture.mjs";
import { launch } from "./browser.mjs";

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
fs.mkdirSync(out, { recursive: true });
const el = makeElection();
const srv = await serve(el);
// a board whose authority-signed results.json has one vote more than its tally
const badSrv = await serve(makeElection({ resultsText: (r) => (r.contests[0].options[0].votes += 1, JSON.stringify(r)) }));
const browser = await launch();
const cast = el.ballots.find((b) => b.state === "Cast");
const challenged = el.ballots.find((b) => b.state === "Challenged");

async function shot(name, { width, locale = "en-US", size = el.fullSize, code, view, tamper, board = srv }) {
  srv.state.size = size;
  const ctx = await browser.newContext({ locale, viewport: { width, height: width > 600 ? 900 : 800 }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  if (tamper) {
    await page.route("**/checkpoint", async (r) => {
      const res = await r.fetch();
      r.fulfill({ response: res, body: (await res.text()).split("\n").filter((l) => !l.startsWith("\u2014 witness.party-b")).join("\n") });
    });
    await page.route("**/v1/entry/*", async (r) => {
      const res = await r.fetch();
      const j = await res.json();
      j.proof = j.proof.split("\n").filter((l) => !l.startsWith("\u2014 witness.party-b")).join("\n");
      r.fulfill({ response: res, body: JSON.stringify(j) });
    });
  }
  await page.goto(`${board.url}/${view === "observer" ? "#observer" : ""}`);
  await page.waitForFunction(() => document.getElementById("trust").classList.length > 1);
  if (code) {
    await page.fill("#code", code);
    await page.press("#code", "Enter");
    await page.waitForSelector("#result .box");
  }
  if (view === "observer") await page.waitForSelector("#overview > *");
  const f = path.join(out, `${name}-${width > 600 ? "desktop" : "phone"}.png`);
  await page.screenshot({ path: f, fullPage: true });
  await ctx.close();
  console.log(f);
}

for (const width of [1280, 390]) {
  await shot("voter-start", { width });
  await shot("voter-cast", { width, code: cast.code.toUpperCase().match(/.{4}/g).join(" ") });
  await shot("voter-challenged-fr", { width, locale: "fr-FR", code: challenged.code });
  await shot("voter-not-verified", { width, code: cast.code, tamper: true });
  await shot("observer-open", { width, size: el.openSize, view: "observer" });
  await shot("observer-results", { width, view: "observer" });
  await shot("observer-results-fr", { width, locale: "fr-FR", view: "observer" });
  await shot("observer-not-verified", { width, view: "observer", board: badSrv });
}
await browser.close();
await srv.close();
await badSrv.close();
