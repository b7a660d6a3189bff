// A small stand-in for `scrutin board serve`, written from docs/BOARD.md
// alone: a fixture election (keys, entries, payloads) with real Ed25519
// signatures and RFC 6962 proofs made by Node's crypto, served over HTTP on
// 127.0.0.1 with the board's read API, and web/ at / and /web/* under the
// same Content-Security-Policy as the board.
//   node fixture.mjs [PORT]   serves it for a person to look at
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { H, leaf, mth, path as inclusionPath, subproof } from "./rfc6962.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(here, "../../web");
export const CSP = "default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const b64 = (b) => Buffer.from(b).toString("base64");
const hex = (b) => Buffer.from(b).toString("hex");

function keypair() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
  return { pub, sign: (msg) => crypto.sign(null, Buffer.from(msg), privateKey) };
}
const keyId = (name, type, pub) => H(Buffer.from(name + "\n"), [type], pub).subarray(0, 4);
const vkey = (name, type, pub) => `${name}+${hex(keyId(name, type, pub))}+${b64(Buffer.concat([Buffer.from([type]), pub]))}`;

export const MANIFEST = {
  label: "Municipal election (fixture)",
  contests: [
    { label: "Mayor", options: [{ label: "Hugo Martin" }, { label: "Inès Duarte" }, { label: "Zoé Bernard" }] },
    { label: "Referendum: new library", options: [{ label: "Yes" }, { label: "No" }] },
  ],
  ballot_styles: [{ label: "All", contests: [1, 2] }],
};

const TYPES = { election: 1, device: 2, witness_policy: 3, ballot: 4, device_close: 5, tally: 6, decryption: 7, challenged: 8, close: 9, result: 10 };

// The election: `ballots` ballots over two devices, every `challengeEvery`-th
// challenged. Two ballot codes share their first 8 digits (prefix test).
// `resultsText(results)` (tests) may write another results.json.
// `supplemental`: the Mayor contest also counts undervotes and write-ins
// (docs/RECORD.md: fields after the options, "[undervote]", "[write-ins]";
// listed here in the other order, as a manifest may), with the counts
// given, and tally.json carries them as a real record does.
export function makeElection({ ballots = 24, challengeEvery = 5, seed = 1, resultsText, supplemental } = {}) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const hE = H(`fixture election ${seed}`).toString("hex").toUpperCase();
  const origin = `scrutin.board/${hE.slice(0, 16).toLowerCase()}`;
  const boardKey = keypair();
  const authority = keypair();
  const devices = [keypair(), keypair()];
  const witnesses = [
    { name: "witness.party-a.example", party: "Party A", key: keypair() },
    { name: "witness.party-b.example", party: "Party B", key: keypair() },
  ];
  const seqs = new Map();
  const entries = []; // {bytes, type, payload, code}
  const payloads = new Map(); // hex sha256 -> bytes
  function add(type, payload, signer, code = Buffer.alloc(32)) {
    const p = Buffer.from(payload);
    const ph = H(p);
    const seq = (seqs.get(signer) || 0) + 1;
    seqs.set(signer, seq);
    const e = Buffer.alloc(186);
    e[0] = 1;
    e[1] = type;
    e.writeBigUInt64BE(BigInt(entries.length), 2);
    e.writeBigUInt64BE(BigInt(1780000000000 + entries.length * 1000), 10);
    ph.copy(e, 18);
    e.writeUInt32BE(p.length, 50);
    code.copy(e, 54);
    signer.pub.copy(e, 86);
    e.writeUInt32BE(seq, 118);
    const seqb = Buffer.alloc(4);
    seqb.writeUInt32BE(seq);
    const msg = Buffer.concat([Buffer.from(`scrutin/board/v1/submit\n${origin}\n`), Buffer.from([type]), seqb, ph, code]);
    signer.sign(msg).copy(e, 122);
    entries.push({ bytes: e, type, code: hex(code) });
    payloads.set(hex(ph), p);
    return entries.length - 1;
  }
  const manifest = supplemental
    ? { ...MANIFEST, contests: MANIFEST.contests.map((c, ci) => (ci === 0 ? { ...c, contest_data_blocks: 1, supplemental: ["write_ins", "undervote"] } : c)) }
    : MANIFEST;
  const files = [
    ["election_manifest_canonical.bin", JSON.stringify(manifest)],
    ["hashes_ext.json", JSON.stringify({ h_e: hE, h_g: H("h_g").toString("hex").toUpperCase() })],
    ["record.json", JSON.stringify({ format: "scrutin-record", format_version: 1, electionguard: "2.1.0", parameter_set: "toy-q64" })],
  ].map(([name, text]) => ({ name, base64: b64(Buffer.from(text)) }));
  add(TYPES.election, JSON.stringify({ type: "election", origin, board_key: vkey(origin, 1, boardKey.pub), authority_key: hex(authority.pub), files }), authority);
  const policy = JSON.stringify({
    type: "witness_policy",
    witnesses: witnesses.map((w) => ({ name: w.name, party: w.party, vkey: vkey(w.name, 4, w.key.pub), url: `http://127.0.0.1:1/${w.party}` })),
    quorum: "all-parties",
  });
  add(TYPES.witness_policy, policy, authority);
  devices.forEach((d, i) => add(TYPES.device, JSON.stringify({ type: "device", index: i + 1, device: `Polling station ${i + 1}`, chaining: "simple", public_key: hex(d.pub) }), authority));

  const tally = MANIFEST.contests.map((c) => c.options.map(() => 0));
  const ballotList = [];
  const perDevice = [0, 0];
  for (let b = 0; b < ballots; b++) {
    const d = b % 2;
    const seq = ++perDevice[d];
    let code = H(`code ${seed} ${b}`);
    if (b === 3) code = Buffer.concat([ballotList[1].codeBytes.subarray(0, 4), code.subarray(4)]);
    const choice = MANIFEST.contests.map((c) => c.options.map(() => 0));
    choice[0][Math.floor(rnd() * 3)] = 1;
    choice[1][Math.floor(rnd() * 2)] = 1;
    const state = (b + 1) % challengeEvery === 0 ? "Challenged" : "Cast";
    const idB = H(`id_B ${b}`).toString("hex").toUpperCase();
    const line = { id: `ballot-${b + 1}`, state, style: 1, device: d + 1, sequence: seq, selection_encryption_identifier: idB, confirmation_code: hex(code).toUpperCase() };
    const index = add(TYPES.ballot, JSON.stringify(line), devices[d], code);
    ballotList.push({ ...line, code: hex(code), codeBytes: code, index, choice });
    if (state === "Cast") choice.forEach((c, ci) => c.forEach((v, oi) => (tally[ci][oi] += v)));
  }
  const openSize = entries.length; // voting still open up to here
  devices.forEach((d, i) => add(TYPES.device_close, JSON.stringify({ type: "device_close", device: i + 1, ballots: perDevice[i] }), d));
  // The authority's entries in the order of a real board (docs/BOARD.md
  // §3.5): tally, decryption, openings, results.json, close.
  const contests = MANIFEST.contests.map((c, ci) => ({
    index: ci + 1, label: c.label,
    options: c.options.map((o, oi) => ({ index: oi + 1, label: o.label, value: tally[ci][oi] })),
  }));
  if (supplemental) {
    const n = MANIFEST.contests[0].options.length;
    contests[0].options.push(
      { index: n + 1, label: "[undervote]", value: supplemental.undervote },
      { index: n + 2, label: supplemental.writeInsLabel ?? "[write-ins]", value: supplemental.writeIns },
    );
  }
  const enc = JSON.stringify({ cast_ballots: ballotList.filter((b) => b.state === "Cast").length, contests });
  const dec = JSON.stringify({ guardians_present: [1, 2], contests });
  add(TYPES.tally, enc, authority);
  add(TYPES.decryption, dec, authority);
  const challenged = ballotList.filter((x) => x.state === "Challenged");
  for (const b of challenged) {
    add(TYPES.challenged, JSON.stringify({ id: b.id, selection_encryption_identifier: b.selection_encryption_identifier, contests: b.choice.map((sel, ci) => ({ index: ci + 1, selections: sel, nonces: [] })) }), authority);
  }
  const results = {
    format: "scrutin-results", format_version: 1, h_e: hE,
    encrypted_tally_sha256: hex(H(Buffer.from(enc))), tally_sha256: hex(H(Buffer.from(dec))),
    challenged_ballots: challenged.length, cast_ballots: JSON.parse(enc).cast_ballots, guardians_present: [1, 2],
    contests: contests.map((c) => ({ index: c.index, label: c.label, options: c.options.map((o) => ({ index: o.index, label: o.label, votes: o.value })) })),
  };
  add(TYPES.result, (resultsText ?? ((x) => JSON.stringify(x)))(results), authority);
  add(TYPES.close, JSON.stringify({ type: "close" }), authority);
  return { origin, hE, boardKey, authority, witnesses, entries, payloads, policy: Buffer.from(policy), ballots: ballotList, tally, openSize, fullSize: entries.length };
}

// The checkpoint of the first `size` entries, signed by the board and
// cosigned by `cosigners` (names; default all).
export function checkpoint(el, size, cosigners) {
  const D = el.entries.slice(0, size).map((e) => e.bytes);
  const text = `${el.origin}\n${size}\n${b64(mth(D))}\n`;
  const lines = [`\u2014 ${el.origin} ${b64(Buffer.concat([keyId(el.origin, 1, el.boardKey.pub), el.boardKey.sign(text)]))}`];
  for (const w of el.witnesses) {
    if (cosigners && !cosigners.includes(w.name)) continue;
    const t = Buffer.alloc(8);
    t.writeBigUInt64BE(1780000000n);
    const sig = w.key.sign(Buffer.concat([Buffer.from("cosignature/v1\ntime 1780000000\n"), Buffer.from(text)]));
    lines.push(`\u2014 ${w.name} ${b64(Buffer.concat([keyId(w.name, 4, w.key.pub), t, sig]))}`);
  }
  return `${text}\n${lines.join("\n")}\n`;
}

function tilePathToN(p) {
  const segs = p.split("/");
  let n = 0;
  for (const [i, sgm] of segs.entries()) {
    const m = (i < segs.length - 1 ? /^x(\d{3})$/ : /^(\d{3})$/).exec(sgm);
    if (!m) return -1;
    n = n * 1000 + Number(m[1]);
  }
  return n;
}

const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml" };

// Serves `el` at its current view size (server.size, changeable).
export function serve(el, { port = 0, size } = {}) {
  const state = { size: size ?? el.fullSize };
  const cpCache = new Map();
  const cp = () => {
    if (!cpCache.has(state.size)) cpCache.set(state.size, checkpoint(el, state.size));
    return cpCache.get(state.size);
  };
  const leaves = () => el.entries.slice(0, state.size).map((e) => e.bytes);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const p = url.pathname;
    const send = (code, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(code, { "Content-Type": type, "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" });
      res.end(body);
    };
    let m;
    if (p === "/" || p.startsWith("/web/")) {
      const rel = p === "/" ? "index.html" : p.slice(5);
      const f = path.resolve(WEB_DIR, rel);
      if (!f.startsWith(WEB_DIR + path.sep) || !fs.existsSync(f) || !fs.statSync(f).isFile()) return send(404, "not found\n");
      return send(200, fs.readFileSync(f), MIME[path.extname(f)] || "application/octet-stream");
    }
    if (p === "/checkpoint") return send(200, cp());
    if ((m = /^\/tile\/entries\/(.+?)(?:\.p\/(\d+))?$/.exec(p))) {
      const n = tilePathToN(m[1]);
      const w = m[2] ? Number(m[2]) : 256;
      if (n < 0 || w < 1 || w > 256 || n * 256 + w > state.size) return send(404, "no such tile\n");
      const parts = el.entries.slice(n * 256, n * 256 + w).map((e) => {
        const l = Buffer.alloc(2);
        l.writeUInt16BE(e.bytes.length);
        return Buffer.concat([l, e.bytes]);
      });
      return send(200, Buffer.concat(parts), "application/octet-stream");
    }
    if ((m = /^\/v1\/payload\/([0-9a-f]{64})$/.exec(p))) {
      const known = el.entries.slice(0, state.size).some((e) => hex(e.bytes.subarray(18, 50)) === m[1]);
      return known ? send(200, el.payloads.get(m[1]), "application/octet-stream") : send(404, "no such payload\n");
    }
    if ((m = /^\/v1\/entry\/(0|[1-9]\d*)$/.exec(p))) {
      const i = Number(m[1]);
      if (i >= state.size) return send(404, "no such entry\n");
      const proof = inclusionPath(i, leaves()).map((x) => b64(x));
      const text = `c2sp.org/tlog-proof@v1\nindex ${i}\n${proof.map((x) => x + "\n").join("")}\n${cp()}`;
      return send(200, JSON.stringify({ index: i, entry: hex(el.entries[i].bytes), payload_sha256: hex(el.entries[i].bytes.subarray(18, 50)), proof: text }), "application/json");
    }
    if ((m = /^\/v1\/codes\/([0-9a-f]{2,64})$/.exec(p))) {
      const all = el.entries.slice(0, state.size).map((e, index) => ({ code: e.code, index, type: e.type }))
        .filter((e) => e.type === TYPES.ballot && e.code.startsWith(m[1])).sort((a, b) => (a.code < b.code ? -1 : 1));
      return send(200, JSON.stringify({ matches: all.slice(0, 16).map(({ code, index }) => ({ code, index })), truncated: all.length > 16 }), "application/json");
    }
    if (p === "/v1/consistency") {
      const from = Number(url.searchParams.get("from"));
      const to = Number(url.searchParams.get("to"));
      if (!(from >= 1 && from <= to && to <= state.size)) return send(400, "bad sizes\n");
      const D = el.entries.slice(0, to).map((e) => e.bytes);
      return send(200, subproof(from, D).map((x) => b64(x) + "\n").join(""));
    }
    if (p === "/v1/policy") return send(200, el.policy, "application/json");
    if (p === "/v1/status") {
      return send(200, JSON.stringify({ origin: el.origin, size: state.size, phase: state.size > el.openSize ? "closed" : "open" }), "application/json");
    }
    return send(404, "not found\n");
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({ url, state, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const el = makeElection();
  const s = await serve(el, { port: Number(process.argv[2] || 8080) });
  console.log(`fixture board at ${s.url}/ (${el.fullSize} entries)`);
  for (const b of el.ballots.slice(0, 6)) console.log(`  ${b.state.padEnd(10)} ${b.code}`);
}
