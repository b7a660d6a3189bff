// Reads the board's public API (docs/BOARD.md §4) and checks everything it
// shows with tlog.js. Nothing returned from here is trusted unless it came
// through a verified checkpoint: the board key and authority key from entry
// 0 (the election payload), the witness policy from its authority-signed
// entry, and every checkpoint's board signature, witness quorum and
// consistency with the largest checkpoint this browser has seen.
import * as T from "./tlog.js";
import { tallyContests, checkResults, webReport } from "./results.js";

const dec = new TextDecoder("utf-8", { fatal: true });
const STORE = "scrutin.board."; // localStorage key prefix, + origin

export function normalizeCode(s) {
  return s.replace(/[\s\-_.:]/g, "").toLowerCase();
}

// Reads the opened ballot's and the result's labels from the canonical
// manifest (docs/RECORD.md).
function label(manifest, ci, oi) {
  const c = manifest && manifest.contests && manifest.contests[ci - 1];
  if (!c) return { contest: `#${ci}`, option: `#${oi}` };
  const o = c.options && c.options[oi - 1];
  return { contest: c.label, option: o ? o.label : `#${oi}` };
}
export { label as manifestLabel };

export class Board {
  constructor(base = "", storage = globalThis.localStorage) {
    this.base = base.replace(/\/$/, "");
    this.storage = storage;
    this.seen = new Map(); // checkpoint text -> verified checkpoint
  }

  async fetch(path, kind = "text") {
    let r;
    try {
      r = await fetch(this.base + path, { cache: "no-store" });
    } catch (e) {
      throw new T.VerifyError("network", path);
    }
    if (r.status === 404) throw new T.VerifyError("not-found", path);
    if (!r.ok) throw new T.VerifyError("network", `${path}: HTTP ${r.status}`);
    if (kind === "bytes") return new Uint8Array(await r.arrayBuffer());
    const text = await r.text();
    if (kind === "text") return text;
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new T.VerifyError("malformed", path);
    }
  }

  // The election's keys, origin, manifest and witness policy, all checked.
  async init() {
    if (!globalThis.isSecureContext || !globalThis.crypto || !globalThis.crypto.subtle) {
      throw new T.VerifyError("insecure");
    }
    const e0 = await this.fetch("/v1/entry/0", "json");
    const entry0 = T.parseEntry(T.hexToBytes(e0.entry));
    if (entry0.type !== T.TYPES.election || entry0.index !== 0) {
      throw new T.VerifyError("malformed", "entry 0 is not the election");
    }
    const bytes = await this.payloadBytes(entry0);
    let el;
    try {
      el = JSON.parse(dec.decode(bytes));
    } catch (e) {
      throw new T.VerifyError("malformed", "election payload");
    }
    const board = await T.parseVkey(String(el.board_key), 1);
    const files = new Map((el.files || []).map((f) => [f.name, f.base64]));
    const file = (n) => {
      if (!files.has(n)) throw new T.VerifyError("malformed", `election payload lacks ${n}`);
      return JSON.parse(dec.decode(T.b64ToBytes(files.get(n))));
    };
    const hE = String(file("hashes_ext.json").h_e || "");
    const origin = `scrutin.board/${hE.slice(0, 16).toLowerCase()}`;
    if (el.type !== "election" || el.origin !== origin || board.name !== origin) {
      throw new T.VerifyError("origin", `${el.origin} / ${board.name} / ${origin}`);
    }
    if (T.bytesToHex(entry0.signer) !== String(el.authority_key).toLowerCase()) {
      throw new T.VerifyError("entry-signature", "entry 0 is not signed by the authority");
    }
    await T.verifyEntrySignature(entry0, origin);
    this.origin = origin;
    this.hE = hE;
    this.board = board;
    this.authority = entry0.signer;
    this.election = el;
    this.manifest = file("election_manifest_canonical.bin");
    this.electionEntry = entry0;
    this.pinKey();

    // The policy, from /v1/policy, must be the payload of an authority-signed
    // witness_policy entry; witness_policy entries come first (tile 0).
    const pbytes = await this.fetch("/v1/policy", "bytes").catch((e) => {
      throw e.code === "not-found" ? new T.VerifyError("policy", "no witness policy published") : e;
    });
    const phash = await T.sha256(pbytes);
    this.policy = await T.parsePolicy(JSON.parse(dec.decode(pbytes)));
    const cp0 = await this.acceptCheckpoint(T.parseTlogProof(e0.proof).checkpoint);
    const first = await this.tile(0, Math.min(cp0.size, 256));
    const pe = first.find((e) => e.type === T.TYPES.witness_policy && T.equalBytes(e.payloadSha256, phash));
    if (!pe) throw new T.VerifyError("policy", "no witness_policy entry holds this policy");
    const { entry: pentry } = await this.entry(pe.index);
    if (!T.equalBytes(pentry.signer, this.authority)) {
      throw new T.VerifyError("entry-signature", "policy not signed by the authority");
    }
    // entry 0's inclusion, now that the policy is known
    const { checkpoint } = await this.entry(0, e0);
    return checkpoint;
  }

  // The board key is pinned per origin the first time it is seen.
  pinKey() {
    const st = this.load();
    const vk = this.election.board_key;
    if (st.boardKey && st.boardKey !== vk) throw new T.VerifyError("key-changed");
    this.save({ ...st, boardKey: vk });
  }

  load() {
    try {
      return JSON.parse(this.storage.getItem(STORE + this.origin) || "{}");
    } catch (e) {
      return {};
    }
  }

  save(st) {
    try {
      this.storage.setItem(STORE + this.origin, JSON.stringify(st));
    } catch (e) {
      /* private browsing: nothing remembered */
    }
  }

  // Verifies a checkpoint note (board signature, witness quorum) and its
  // consistency with the largest checkpoint seen before, then remembers it
  // if it is larger. A smaller checkpoint, or one of the same size with
  // another root, or one that fails consistency, is a rollback or a fork.
  async acceptCheckpoint(note) {
    if (this.seen.has(note)) return this.seen.get(note);
    if (!this.policy) throw new T.VerifyError("policy", "not loaded");
    const cp = await T.verifyCheckpoint(note, this.board, this.policy);
    const st = this.load();
    const old = st.size !== undefined ? { size: st.size, root: T.b64ToBytes(st.root) } : null;
    if (old) {
      if (cp.size < old.size) throw new T.VerifyError("rollback", `${cp.size} < ${old.size}`);
      if (cp.size === old.size) {
        if (!T.equalBytes(cp.root, old.root)) throw new T.VerifyError("rollback", "same size, other root");
      } else if (old.size > 0) {
        const text = await this.fetch(`/v1/consistency?from=${old.size}&to=${cp.size}`);
        const proof = text.split("\n").filter((l) => l !== "").map(T.b64ToBytes);
        try {
          await T.verifyConsistency(old.size, old.root, cp.size, cp.root, proof);
        } catch (e) {
          throw new T.VerifyError("rollback", e.message);
        }
      }
    }
    if (!old || cp.size > old.size) this.save({ ...st, size: cp.size, root: T.bytesToB64(cp.root) });
    this.checkpoint = cp;
    this.seen.set(note, cp);
    return cp;
  }

  // Entry i with its inclusion proof checked against a verified checkpoint.
  async entry(i, json) {
    const j = json || (await this.fetch(`/v1/entry/${i}`, "json"));
    const e = T.parseEntry(T.hexToBytes(j.entry));
    const p = T.parseTlogProof(j.proof);
    if (e.index !== i || p.index !== i || j.index !== i) throw new T.VerifyError("proof", "index");
    const checkpoint = await this.acceptCheckpoint(p.checkpoint);
    await T.verifyInclusion(i, checkpoint.size, await T.leafHash(e.bytes), p.hashes, checkpoint.root);
    await T.verifyEntrySignature(e, this.origin);
    return { entry: e, checkpoint, proofText: j.proof };
  }

  async payloadBytes(e) {
    const b = await this.fetch(`/v1/payload/${T.bytesToHex(e.payloadSha256)}`, "bytes");
    await T.checkPayload(e, b);
    return b;
  }

  async payloadJson(e) {
    try {
      return JSON.parse(dec.decode(await this.payloadBytes(e)));
    } catch (err) {
      if (err instanceof T.VerifyError) throw err;
      throw new T.VerifyError("malformed", "payload");
    }
  }

  // The entries of tile n (width w), unverified: callers either check each
  // one they use with entry() or check the whole log with allEntries().
  async tile(n, w) {
    const path = `/tile/entries/${T.tilePath(n)}${w < 256 ? `.p/${w}` : ""}`;
    const list = T.parseEntryBundle(await this.fetch(path, "bytes")).map(T.parseEntry);
    if (list.length !== w || list.some((e, k) => e.index !== n * 256 + k)) {
      throw new T.VerifyError("malformed", `tile ${n}`);
    }
    return list;
  }

  // Every entry of the log at the current checkpoint; the tree recomputed
  // from them must have the checkpoint's root.
  async allEntries() {
    const note = await this.fetch("/checkpoint");
    const cp = await this.acceptCheckpoint(note);
    const all = [];
    for (let n = 0; n * 256 < cp.size; n++) {
      all.push(...(await this.tile(n, Math.min(256, cp.size - n * 256))));
    }
    const leaves = [];
    for (const e of all) leaves.push(await T.leafHash(e.bytes));
    if (!T.equalBytes(await T.merkleRoot(leaves), cp.root)) {
      throw new T.VerifyError("proof", "the entries do not make the checkpoint's tree");
    }
    return { checkpoint: cp, entries: all, note };
  }

  // Finds a ballot by its code or a unique prefix (>= 8 hex digits). Asks
  // the board about a short bucket first (4 digits), so that it learns less
  // about which ballot is looked up, and narrows only when the answer is
  // truncated.
  async findCode(input) {
    const want = normalizeCode(input);
    if (!/^[0-9a-f]{8,64}$/.test(want)) return { status: "bad-code" };
    let matches = [];
    for (const len of [4, 8, 64]) {
      const r = await this.fetch(`/v1/codes/${want.slice(0, len)}`, "json");
      matches = (r.matches || []).filter((m) => String(m.code).toLowerCase().startsWith(want));
      if (!r.truncated) break;
      if (len >= want.length) break;
    }
    if (matches.length === 0) return { status: "not-found" };
    if (matches.length > 1) return { status: "ambiguous", count: matches.length };
    return { status: "found", index: matches[0].index, code: String(matches[0].code).toLowerCase() };
  }

  // The ballot at `index` whose code is `code`: entry, inclusion, payload.
  async ballot(index, code) {
    const { entry, checkpoint, proofText } = await this.entry(index);
    if (entry.type !== T.TYPES.ballot || T.bytesToHex(entry.key) !== code) {
      throw new T.VerifyError("malformed", "not the ballot asked for");
    }
    const b = await this.payloadJson(entry);
    if (String(b.confirmation_code).toLowerCase() !== code) {
      throw new T.VerifyError("payload", "confirmation code differs");
    }
    return { entry, checkpoint, proofText, ballot: b };
  }

  // The guardians' opening of a challenged ballot: the challenged entry
  // (after the ballot) whose payload names the ballot's id_B and id.
  async opening(ballot) {
    const { entries } = await this.allEntries();
    for (const e of entries) {
      if (e.type !== T.TYPES.challenged) continue;
      const o = await this.payloadJson(e);
      if (o.selection_encryption_identifier === ballot.selection_encryption_identifier && o.id === ballot.id) {
        if (!T.equalBytes(e.signer, this.authority)) throw new T.VerifyError("entry-signature", "opening");
        await T.verifyEntrySignature(e, this.origin);
        return o;
      }
    }
    return null;
  }

  // The observer's view, from the whole verified log: devices with their
  // ballot counts, whether voting is closed, and after the close the
  // results (results.json checked against tally.json: results.js), the
  // downloads and the page's own verification report.
  async overview() {
    const { checkpoint, entries, note } = await this.allEntries();
    for (const e of entries) await T.verifyEntrySignature(e, this.origin);
    const devices = [];
    const bySigner = new Map();
    let closed = false;
    const auth = {}; // kind -> { entry, bytes, json } (one of each)
    const challenged = [];
    const links = [];
    for (const e of entries) {
      const isAuth = T.equalBytes(e.signer, this.authority);
      const kind = Object.keys(T.TYPES).find((k) => T.TYPES[k] === e.type);
      if (e.type === T.TYPES.ballot || e.type === T.TYPES.device_close) {
        const dev = bySigner.get(T.bytesToHex(e.signer));
        if (!dev) throw new T.VerifyError("entry-signature", `entry ${e.index}: unregistered device`);
        if (e.type === T.TYPES.ballot) dev.ballots++;
        else dev.closed = true;
        continue;
      }
      if (!isAuth) throw new T.VerifyError("entry-signature", `entry ${e.index}: ${kind} not signed by the authority`);
      if (e.type === T.TYPES.device) {
        const d = await this.payloadJson(e);
        const dev = { index: d.index, name: d.device, ballots: 0, closed: false };
        devices.push(dev);
        bySigner.set(String(d.public_key).toLowerCase(), dev);
      } else if (e.type === T.TYPES.close) {
        closed = true;
      } else if (e.type === T.TYPES.challenged) {
        challenged.push(e);
      } else if (["tally", "decryption", "result"].includes(kind)) {
        const bytes = await this.payloadBytes(e);
        let json;
        try {
          json = JSON.parse(dec.decode(bytes));
        } catch (err) {
          throw new T.VerifyError("malformed", `${kind} payload`);
        }
        auth[kind] = { entry: e, json };
      }
      if (["election", "witness_policy", "tally", "decryption", "result"].includes(kind)) {
        links.push({ kind, index: e.index, hash: T.bytesToHex(e.payloadSha256) });
      }
    }
    const facts = {
      origin: this.origin,
      checkpointText: note,
      size: entries.length,
      quorum: String(this.policy.quorum),
      witnesses: this.policy.witnesses.length,
      cosigners: checkpoint.cosigners.length,
      at: new Date().toISOString(),
      authorityEntries: 0,
      tallyOptions: 0,
      resultOptions: 0,
    };
    // Results exist only once voting is closed (never partial results):
    // from results.json when published (checked against tally.json), else
    // tally.json itself.
    let results = null;
    let openings = null;
    if (closed) {
      const list = [];
      for (const e of challenged) list.push(dec.decode(await this.payloadBytes(e)));
      openings = list.length ? `${list.join("\n")}\n` : null;
      facts.authorityEntries = challenged.length + ["tally", "decryption", "result"].filter((k) => auth[k]).length;
      if (auth.decryption) {
        const contests = tallyContests(auth.decryption.json, this.manifest);
        facts.tallyOptions = contests.reduce((n, c) => n + c.options.length, 0);
        results = { contests, source: "tally.json" };
        if (auth.result) {
          if (!auth.tally) throw new T.VerifyError("results", "results without an encrypted tally");
          facts.resultOptions = checkResults(auth.result.json, {
            hE: this.hE,
            tallySha: T.bytesToHex(auth.decryption.entry.payloadSha256),
            encSha: T.bytesToHex(auth.tally.entry.payloadSha256),
            enc: auth.tally.json,
            contests,
            challenged: challenged.length,
          });
          const r = auth.result.json;
          results = { contests, source: "results.json", cast: r.cast_ballots, challenged: r.challenged_ballots, guardians: r.guardians_present };
        }
      } else if (auth.result) {
        throw new T.VerifyError("results", "results without a decrypted tally");
      }
    }
    const report = closed ? webReport(facts) : null;
    return { checkpoint, note, devices, closed, results, links, openings, report, size: entries.length };
  }
}
