// Transparency-log checks with WebCrypto only (docs/BOARD.md §3, §6):
// signed notes and checkpoints (C2SP signed-note, tlog-checkpoint), witness
// cosignatures (C2SP tlog-cosignature/v1, Ed25519), tlog-proof receipts,
// RFC 6962 leaf hashes and the RFC 9162 §2.1.3.2 / §2.1.4.2 proofs, the
// 186-byte board entry and the message its submitter signs.
// Every function throws a VerifyError (with a reason code the page
// translates) when a check fails; nothing here touches the network.

const subtle = () => globalThis.crypto.subtle;
const enc = new TextEncoder();

export class VerifyError extends Error {
  constructor(code, detail) {
    super(detail ? `${code}: ${detail}` : code);
    this.code = code;
    this.detail = detail || "";
  }
}

const fail = (code, detail) => {
  throw new VerifyError(code, detail);
};

// --- bytes ---------------------------------------------------------------

export function hexToBytes(h) {
  if (typeof h !== "string" || h.length % 2 || /[^0-9a-fA-F]/.test(h)) {
    fail("malformed", "bad hex");
  }
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16);
  return b;
}

export function bytesToHex(b) {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export function b64ToBytes(s) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4) {
    fail("malformed", "bad base64");
  }
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function bytesToB64(b) {
  return btoa(String.fromCharCode(...b));
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export async function sha256(data) {
  const d = typeof data === "string" ? enc.encode(data) : data;
  return new Uint8Array(await subtle().digest("SHA-256", d));
}

async function ed25519Verify(pub, sig, msg) {
  try {
    const key = await subtle().importKey("raw", pub, { name: "Ed25519" }, false, [
      "verify",
    ]);
    return await subtle().verify({ name: "Ed25519" }, key, sig, msg);
  } catch (e) {
    return false; // a malformed key or signature verifies nothing
  }
}

// --- RFC 6962 hashing and proofs -------------------------------------------

export const leafHash = (entry) => sha256(concat(Uint8Array.of(0), entry));
const nodeHash = (l, r) => sha256(concat(Uint8Array.of(1), l, r));

// The proofs' "repeat {fn >>= 1; sn >>= 1} until LSB(fn) or fn == 0".
function climb(fn, sn) {
  do {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  } while (fn % 2 === 0 && fn !== 0);
  return [fn, sn];
}

// RFC 9162 §2.1.3.2: is leaf `index` with hash `leaf` in the tree of
// `size` leaves whose root is `root`? (Sizes are Numbers: safe to 2^53.)
export async function verifyInclusion(index, size, leaf, proof, root) {
  if (!(index < size)) fail("proof", "index outside the tree");
  if (proof.some((p) => p.length !== 32)) fail("proof", "hash length");
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) fail("proof", "proof too long");
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) [fn, sn] = climb(fn, sn);
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0 || !equalBytes(r, root)) fail("proof", "root differs");
}

// RFC 9162 §2.1.4.2: is the tree (size1, root1) a prefix of (size2, root2)?
export async function verifyConsistency(size1, root1, size2, root2, proof) {
  if (size1 < 1 || size1 > size2) fail("consistency", "sizes");
  if (proof.some((p) => p.length !== 32)) fail("consistency", "hash length");
  if (size1 === size2) {
    if (proof.length || !equalBytes(root1, root2)) fail("consistency", "fork");
    return;
  }
  let pw = size1;
  while (pw % 2 === 0) pw /= 2;
  const pr = pw === 1 ? [root1, ...proof] : proof;
  if (pr.length === 0) fail("consistency", "empty proof");
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = pr[0];
  let sr = pr[0];
  for (const c of pr.slice(1)) {
    if (sn === 0) fail("consistency", "proof too long");
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (fn % 2 === 0) [fn, sn] = climb(fn, sn);
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0 || !equalBytes(fr, root1) || !equalBytes(sr, root2)) {
    fail("consistency", "roots differ");
  }
}

// The RFC 6962 root of a list of leaf hashes (the observer recomputes the
// whole tree from the entry tiles).
export async function merkleRoot(leaves) {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  // Combine complete subtrees left to right, as a binary counter does.
  const stack = []; // [hash, size]
  for (const l of leaves) {
    let h = l;
    let s = 1;
    while (stack.length && stack[stack.length - 1][1] === s) {
      const [lh] = stack.pop();
      h = await nodeHash(lh, h);
      s *= 2;
    }
    stack.push([h, s]);
  }
  let [h] = stack.pop();
  while (stack.length) h = await nodeHash(stack.pop()[0], h);
  return h;
}

// --- signed notes, vkeys, checkpoints ----------------------------------------

// vkey "<name>+<8 hex key id>+<base64(type || 32-byte key)>": split at the
// first two '+' only (the base64 part may hold '+').
export async function parseVkey(vkey, wantType) {
  const a = vkey.indexOf("+");
  const b = vkey.indexOf("+", a + 1);
  if (a <= 0 || b < 0) fail("key", "malformed vkey");
  const name = vkey.slice(0, a);
  const id = vkey.slice(a + 1, b);
  const raw = b64ToBytes(vkey.slice(b + 1));
  if (raw.length !== 33 || raw[0] !== wantType || !/^[0-9a-f]{8}$/.test(id)) {
    fail("key", "malformed vkey");
  }
  const pub = raw.slice(1);
  const keyId = await noteKeyId(name, wantType, pub);
  if (bytesToHex(keyId) !== id) fail("key", "vkey id does not match");
  return { name, type: wantType, keyId, pub };
}

// SHA-256(name || "\n" || type || key)[:4]
export async function noteKeyId(name, type, pub) {
  return (await sha256(concat(enc.encode(name + "\n"), Uint8Array.of(type), pub))).slice(0, 4);
}

// A signed note: the text (through its final newline) and its signature
// lines "— <name> <base64>".
export function parseNote(note) {
  const cut = note.indexOf("\n\n");
  if (cut < 0) fail("malformed", "no signature block");
  const text = note.slice(0, cut + 1);
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) fail("malformed", "control character");
  const sigs = [];
  for (const line of note.slice(cut + 2).split("\n")) {
    if (line === "") continue;
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) fail("malformed", "signature line");
    const raw = b64ToBytes(m[2]);
    if (raw.length < 5) fail("malformed", "signature line");
    sigs.push({ name: m[1], keyId: raw.slice(0, 4), sig: raw.slice(4) });
  }
  if (sigs.length === 0) fail("malformed", "no signature");
  return { text, textBytes: enc.encode(text), sigs };
}

// Checkpoint body: origin, decimal size, base64 root (no extension lines).
export function parseCheckpointText(text) {
  const lines = text.split("\n");
  if (lines.length < 4 || lines[lines.length - 1] !== "") fail("malformed", "checkpoint");
  const [origin, sizeS, rootS] = lines;
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeS)) fail("malformed", "checkpoint size");
  const size = Number(sizeS);
  if (!Number.isSafeInteger(size)) fail("malformed", "checkpoint size");
  const root = b64ToBytes(rootS);
  if (root.length !== 32) fail("malformed", "checkpoint root");
  return { origin, size, root };
}

// Checks a checkpoint note: the board's Ed25519 signature (type 0x01),
// then the witnesses' cosignatures (type 0x04, timestamped) against the
// policy's quorum. Returns {origin, size, root, text, cosigners, quorum}.
// A known key whose signature fails rejects the whole note.
export async function verifyCheckpoint(noteText, board, policy) {
  const note = parseNote(noteText);
  const cp = parseCheckpointText(note.text);
  if (cp.origin !== board.name) fail("origin", cp.origin);
  let boardOk = false;
  const cosigners = [];
  for (const s of note.sigs) {
    if (s.name === board.name && equalBytes(s.keyId, board.keyId)) {
      if (!(await ed25519Verify(board.pub, s.sig, note.textBytes))) {
        fail("board-signature", "signature does not verify");
      }
      boardOk = true;
      continue;
    }
    const w = policy.witnesses.find(
      (x) => x.key.name === s.name && equalBytes(x.key.keyId, s.keyId),
    );
    if (!w) continue; // unknown keys are ignored
    if (s.sig.length !== 72) fail("cosignature", s.name);
    const t = s.sig.slice(0, 8);
    let time = 0n;
    for (const x of t) time = (time << 8n) | BigInt(x);
    const msg = concat(enc.encode(`cosignature/v1\ntime ${time}\n`), note.textBytes);
    if (!(await ed25519Verify(w.key.pub, s.sig.slice(8), msg))) fail("cosignature", s.name);
    if (!cosigners.includes(w)) cosigners.push(w);
  }
  if (!boardOk) fail("board-signature", "no signature by the board key");
  if (!quorumMet(policy, cosigners)) fail("quorum", `${cosigners.length} cosignature(s)`);
  return { ...cp, text: note.text, cosigners };
}

// Quorum rules of the witness_policy payload (docs/BOARD.md §3.3).
export function quorumMet(policy, cosigners) {
  const q = policy.quorum;
  if (q === "all-parties") {
    const parties = new Set(policy.witnesses.map((w) => w.party));
    return [...parties].every((p) => cosigners.some((w) => w.party === p));
  }
  const m = /^k-of-n:([1-9][0-9]*)$/.exec(q || "");
  if (m) return cosigners.length >= Number(m[1]);
  fail("policy", `unknown quorum rule ${q}`);
}

// A witness_policy payload with its vkeys parsed (cosignature keys, 0x04).
export async function parsePolicy(obj) {
  if (!obj || obj.type !== "witness_policy" || !Array.isArray(obj.witnesses)) {
    fail("policy", "malformed");
  }
  const witnesses = [];
  for (const w of obj.witnesses) {
    witnesses.push({ name: w.name, party: w.party, url: w.url, key: await parseVkey(w.vkey, 4) });
  }
  if (witnesses.length === 0) fail("policy", "no witness");
  quorumMet({ quorum: obj.quorum, witnesses }, []); // rejects unknown rules
  return { quorum: obj.quorum, witnesses };
}

// tlog-proof: "c2sp.org/tlog-proof@v1", optional "extra", "index <n>",
// proof hashes, blank line, the checkpoint note.
export function parseTlogProof(text) {
  const lines = text.split("\n");
  let i = 0;
  if (lines[i++] !== "c2sp.org/tlog-proof@v1") fail("malformed", "tlog-proof header");
  if (lines[i] && lines[i].startsWith("extra ")) i++;
  const m = /^index (0|[1-9][0-9]*)$/.exec(lines[i++] || "");
  if (!m) fail("malformed", "tlog-proof index");
  const hashes = [];
  while (i < lines.length && lines[i] !== "") hashes.push(b64ToBytes(lines[i++]));
  if (i >= lines.length) fail("malformed", "tlog-proof: no checkpoint");
  return { index: Number(m[1]), hashes, checkpoint: lines.slice(i + 1).join("\n") };
}

// --- board entries (docs/BOARD.md §3.1, §3.2) ----------------------------------

export const ENTRY_LEN = 186;
export const TYPES = {
  election: 1, device: 2, witness_policy: 3, ballot: 4, device_close: 5,
  tally: 6, decryption: 7, challenged: 8, close: 9, result: 10,
  write_in_count: 11, write_in: 12,
};

const u32 = (b, o) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const u64 = (b, o) => u32(b, o) * 2 ** 32 + u32(b, o + 4);

export function parseEntry(bytes) {
  if (bytes.length !== ENTRY_LEN || bytes[0] !== 1) fail("malformed", "entry");
  return {
    bytes,
    type: bytes[1],
    index: u64(bytes, 2),
    timeMs: u64(bytes, 10),
    payloadSha256: bytes.slice(18, 50),
    payloadLen: u32(bytes, 50),
    key: bytes.slice(54, 86),
    signer: bytes.slice(86, 118),
    seq: u32(bytes, 118),
    sig: bytes.slice(122, 186),
  };
}

// The submitter's Ed25519 signature over
// "scrutin/board/v1/submit\n" || origin || "\n" || u8 type || u32 seq ||
// payload_sha256 || key.
export async function verifyEntrySignature(e, origin) {
  const seq = Uint8Array.of(e.seq >>> 24, (e.seq >>> 16) & 255, (e.seq >>> 8) & 255, e.seq & 255);
  const msg = concat(
    enc.encode(`scrutin/board/v1/submit\n${origin}\n`),
    Uint8Array.of(e.type), seq, e.payloadSha256, e.key,
  );
  if (!(await ed25519Verify(e.signer, e.sig, msg))) fail("entry-signature");
}

// A payload's bytes must be the ones the entry commits to.
export async function checkPayload(e, bytes) {
  if (bytes.length !== e.payloadLen || !equalBytes(await sha256(bytes), e.payloadSha256)) {
    fail("payload");
  }
}

// Entry bundle of tlog-tiles: u16 big-endian length-prefixed entries.
export function parseEntryBundle(bytes) {
  const out = [];
  let o = 0;
  while (o < bytes.length) {
    if (o + 2 > bytes.length) fail("malformed", "entry bundle");
    const n = (bytes[o] << 8) | bytes[o + 1];
    if (o + 2 + n > bytes.length) fail("malformed", "entry bundle");
    out.push(bytes.slice(o + 2, o + 2 + n));
    o += 2 + n;
  }
  return out;
}

// Tile index N as tlog-tiles path segments: 1234067 -> "x001/x234/067".
export function tilePath(n) {
  let s = String(n % 1000).padStart(3, "0");
  for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000)) {
    s = `x${String(n % 1000).padStart(3, "0")}/${s}`;
  }
  return s;
}
