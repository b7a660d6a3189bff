// Unit tests of web/js/tlog.js in Node (same WebCrypto API as the browser):
// the RFC 6962 known roots, every inclusion and consistency proof of trees
// of 1..20 leaves made by the RFC 6962 §2.1.1-2.1.2 recursion written here
// independently (and each proof with one bit flipped, which must fail),
// the C2SP signed-note test vector, vkeys whose base64 holds '+'.
import crypto from "node:crypto";
import * as T from "../../web/js/tlog.js";
import { decidingTie } from "../../web/js/results.js";
import { H, leaf, mth, path, subproof } from "./rfc6962.mjs";

let passed = 0;
let failed = 0;
function check(name, ok) {
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAIL ${name}`);
  }
}
async function throws(name, f, code) {
  try {
    await f();
    check(`${name} (did not throw)`, false);
  } catch (e) {
    check(`${name} (${e.message})`, e instanceof T.VerifyError && (!code || e.code === code));
  }
}

const flip = (p, i) => p.map((h, j) => (j === i ? Uint8Array.from(h, (x, k) => (k === 0 ? x ^ 1 : x)) : new Uint8Array(h)));

// RFC 6962 known-answer roots (DESIGN_NOTES §2.2)
const kat = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((h) => Buffer.from(h, "hex"));
const roots = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
for (let n = 0; n <= 8; n++) {
  const D = [...kat, Buffer.from("")].slice(0, n);
  const lh = await Promise.all(D.map((d) => T.leafHash(new Uint8Array(d))));
  check(`root ${n}`, T.bytesToHex(await T.merkleRoot(lh)) === roots[n]);
}

for (let n = 1; n <= 20; n++) {
  const D = Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${i}`));
  const root = mth(D);
  for (let m = 0; m < n; m++) {
    const p = path(m, D);
    await T.verifyInclusion(m, n, leaf(D[m]), p.map((h) => new Uint8Array(h)), root).then(
      () => check(`inclusion ${m}/${n}`, true),
      (e) => check(`inclusion ${m}/${n}: ${e.message}`, false),
    );
    for (let i = 0; i < p.length; i++) {
      await throws(`inclusion ${m}/${n} flipped ${i}`, () => T.verifyInclusion(m, n, leaf(D[m]), flip(p, i), root), "proof");
    }
    if (n > 1) await throws(`inclusion ${m}/${n} wrong leaf`, () => T.verifyInclusion(m, n, leaf(D[(m + 1) % n]), p, root), "proof");
  }
  for (let m = 1; m <= n; m++) {
    const p = subproof(m, D, true).map((h) => new Uint8Array(h));
    const r1 = mth(D, 0, m);
    await T.verifyConsistency(m, r1, n, root, p).then(
      () => check(`consistency ${m}->${n}`, true),
      (e) => check(`consistency ${m}->${n}: ${e.message}`, false),
    );
    for (let i = 0; i < p.length; i++) {
      await throws(`consistency ${m}->${n} flipped ${i}`, () => T.verifyConsistency(m, r1, n, root, flip(p, i)), "consistency");
    }
    if (m < n) await throws(`consistency ${m}->${n} other root`, () => T.verifyConsistency(m, H("x"), n, root, p), "consistency");
  }
}

// C2SP signed-note test vector (DESIGN_NOTES §2.3)
const vk = await T.parseVkey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", 1);
check("vkey id", T.bytesToHex(vk.keyId) === "530d903a");
const note = "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
const pn = T.parseNote(note);
const key = await crypto.webcrypto.subtle.importKey("raw", vk.pub, { name: "Ed25519" }, false, ["verify"]);
check("note vector verifies", await crypto.webcrypto.subtle.verify({ name: "Ed25519" }, key, pn.sigs[0].sig, pn.textBytes));
await throws("vkey with wrong id", () => T.parseVkey("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", 1), "key");
await throws("vkey with wrong type", () => T.parseVkey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", 4), "key");
check("tile path", T.tilePath(1234067) === "x001/x234/067" && T.tilePath(5) === "005" && T.tilePath(1000) === "x001/000");
check("entry bundle", T.parseEntryBundle(Uint8Array.of(0, 1, 7, 0, 2, 8, 9)).length === 2);
await throws("short entry bundle", () => T.parseEntryBundle(Uint8Array.of(0, 3, 7)), "malformed");

// Mutations of a real checkpoint note: every one-character change is
// either rejected with a VerifyError (never another exception) or, where
// it touches only unused base64 bits, accepted with the same content.
{
  const { makeElection, checkpoint } = await import("./fixture.mjs");
  const el = makeElection({ ballots: 4 });
  const policy = await T.parsePolicy(JSON.parse(el.policy.toString()));
  const board = await T.parseVkey(JSON.parse(el.payloads.get(Buffer.from(el.entries[0].bytes.subarray(18, 50)).toString("hex")).toString()).board_key, 1);
  const note = checkpoint(el, el.fullSize);
  const good = await T.verifyCheckpoint(note, board, policy);
  check("fixture checkpoint verifies", good.size === el.fullSize && good.cosigners.length === 2);
  let rejected = 0;
  let same = 0;
  let other = 0;
  const alphabet = "AZaz09+/=\n \u2014x";
  for (let i = 0; i < note.length; i += 1) {
    const c = alphabet[i % alphabet.length] === note[i] ? "Q" : alphabet[i % alphabet.length];
    const bad = note.slice(0, i) + c + note.slice(i + 1);
    try {
      const r = await T.verifyCheckpoint(bad, board, policy);
      if (r.size === good.size && T.equalBytes(r.root, good.root) && r.cosigners.length === 2) same++;
      else other++;
    } catch (e) {
      if (e instanceof T.VerifyError) rejected++;
      else other++;
    }
  }
  check(`checkpoint mutations: ${rejected} rejected, ${same} same content, ${other} other`, other === 0 && rejected > note.length * 0.9);
  console.log(`checkpoint mutations: ${rejected} rejected, ${same} accepted with the same content, of ${note.length}`);
}

// decidingTie (results.js): the tie `scrutin results` flags
{
  const c = (limit, votes, sup = []) => ({ limit, options: [...votes.map((v, i) => ({ label: `o${i + 1}`, votes: v })), ...sup.map((v) => ({ label: "[undervote]", votes: v, supplemental: true }))] });
  const tie = (x) => JSON.stringify(decidingTie(x));
  check("tie for first", tie(c(1, [3, 5, 5])) === JSON.stringify({ place: 1, votes: 5, labels: ["o2", "o3"] }));
  check("no tie for first", decidingTie(c(1, [5, 3, 3])) === null);
  check("tie for the last seat", tie(c(2, [4, 9, 4, 1])) === JSON.stringify({ place: 2, votes: 4, labels: ["o1", "o3"] }));
  check("tie inside the seats decides nothing", decidingTie(c(2, [7, 7, 1])) === null);
  check("supplemental fields are not options", decidingTie(c(1, [5, 3], [5])) === null);
  check("limit >= options: no tie", decidingTie(c(2, [1, 1])) === null);
}

console.log(`unit: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
