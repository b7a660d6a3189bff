// The page against a real `scrutin board serve` (board_e2e.sh sets it up):
// the record verifies with the witness's cosignature, a cast and a
// challenged code are found at their device positions, an unknown code is
// not, the observer counts the device's ballots.
//   node real.mjs URL CODES_FILE WITNESS_NAME
import fs from "node:fs";
import { launch, trustText, lookup } from "./browser.mjs";

const [url, codesFile, witness] = process.argv.slice(2);
const codes = fs.readFileSync(codesFile, "utf8").trim().split("\n").map((l) => l.split("\t"));
let passed = 0;
let failed = 0;
const check = (name, ok, detail) => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `: ${detail}`}`);
};
const browser = await launch();
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (m) => /Content Security Policy|Uncaught/.test(m.text()) && problems.push(m.text()));
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
  await page.click("#nav-observer");
  await page.waitForSelector("#devices", { timeout: 15000 });
  const n = await page.$eval("#devices tbody tr td:nth-child(3)", (td) => Number(td.textContent));
  check("observer counts the device's ballots", n === codes.length, `${n} != ${codes.length}`);
  check("no CSP violation or script error", problems.length === 0, problems.join(" | "));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
