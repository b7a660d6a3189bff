// Receipts of `scrutin encrypt --receipts-qr`: a toy election, then every
// receipt's QR code, both the SVG file and the UTF-8 half blocks of the
// text receipt, is drawn on a canvas in Chromium and decoded with jsQR (an
// independent decoder); it must give the ballot's code as --codes wrote
// it, and the text must show that code in groups of four.
//   node receipt.mjs SCRUTIN EXAMPLES_DIR
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";

const [scrutin, examples] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scrutin-receipt-"));
let passed = 0;
let failed = 0;
const check = (name, ok, detail = "") => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `: ${detail}`}`);
};

const browser = await launch();
try {
  const run = (...a) => execFileSync(scrutin, a, { cwd: tmp, encoding: "utf8" });
  fs.writeFileSync(path.join(tmp, "pass"), "receipt test passphrase\n", { mode: 0o600 });
  run("ceremony", "--guardians", "3", "--quorum", "2", "--out", "rec", "--secrets", "sec", "--manifest", `${examples}/manifest.json`, "--group", "toy-q64", "--passphrase-file", "pass", "--kdf", "interactive");
  run("encrypt", "-r", "rec", "-d", "1", "--seed", "5", "--codes", "codes.txt", "--receipts-qr", "qr", `${examples}/ballots.jsonl`);
  const codes = fs.readFileSync(path.join(tmp, "codes.txt"), "utf8").trim().split("\n").map((l) => l.split("\t"));
  const page = await (await browser.newContext()).newPage();
  await page.setContent("<canvas id=c></canvas>");
  await page.addScriptTag({ path: path.join(here, "node_modules/jsqr/dist/jsQR.js") });
  // draws a module matrix (1 = dark), 6 px a module, and decodes it
  const decodeMatrix = (m) => page.evaluate((m) => {
    const c = document.getElementById("c");
    const s = 6;
    c.width = c.height = m.length * s;
    const g = c.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = "#000";
    m.forEach((row, y) => row.forEach((v, x) => v && g.fillRect(x * s, y * s, s, s)));
    const r = globalThis.jsQR(g.getImageData(0, 0, c.width, c.height).data, c.width, c.height);
    return r && r.data;
  }, m);
  const decodeSvg = (svg) => page.evaluate(async (svg) => {
    const img = new Image();
    img.src = `data:image/svg+xml;base64,${btoa(svg)}`;
    await img.decode();
    const c = document.getElementById("c");
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const r = globalThis.jsQR(g.getImageData(0, 0, c.width, c.height).data, c.width, c.height);
    return r && r.data;
  }, svg);
  // UTF-8 half blocks back to modules: each character is two rows
  const blocksToMatrix = (lines) => {
    const m = [];
    for (const l of lines) {
      const ch = [...l];
      m.push(ch.map((c) => (c === "\u2588" || c === "\u2580" ? 1 : 0)));
      m.push(ch.map((c) => (c === "\u2588" || c === "\u2584" ? 1 : 0)));
    }
    return m;
  };
  for (const [k, [id, code, state]] of codes.entries()) {
    const base = path.join(tmp, "qr", `receipt_1_${k + 1}`);
    const txt = fs.readFileSync(`${base}.txt`, "utf8");
    const grouped = code.match(/.{4}/g);
    check(`${id}: text names the ballot, state and grouped code`, txt.includes(`ballot:    ${id}\n`) && txt.includes(`state:     ${state}\n`) && txt.includes(grouped.slice(0, 8).join(" ")) && txt.includes(grouped.slice(8).join(" ")), txt);
    const lines = txt.split("\n"); // ..., "check it ...", QR lines, link, ""
    const qrLines = lines.slice(lines.findIndex((l) => l.startsWith("check it")) + 1, -2);
    check(`${id}: text QR decodes to the code`, (await decodeMatrix(blocksToMatrix(qrLines))) === code, qrLines.length);
    check(`${id}: SVG QR decodes to the code`, (await decodeSvg(fs.readFileSync(`${base}.svg`, "utf8"))) === code);
  }
  const printed = run("encrypt", "-r", "rec", "-d", "2", "-c", "none", "--challenge-rate", "0", "-q", "--receipts-qr", "-", `${examples}/ballot.json`);
  check("--receipts-qr - prints the receipt", printed.startsWith("Scrutin ballot receipt\n") && printed.includes("state:     cast\n"), printed);
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
