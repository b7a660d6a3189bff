// results.json (docs/BOARD.md §3.5) checked against the decrypted tally
// (tally.json), the encrypted tally, the election's H_E and manifest, and
// the log; and the page's own verification report (§6, "report"). Pure:
// the caller hands in verified payloads (board.js).
import { VerifyError } from "./tlog.js";

const bad = (detail) => {
  throw new VerifyError("results", detail);
};
const lc = (s) => String(s ?? "").toLowerCase();

// The supplemental fields of a manifest contest (docs/RECORD.md
// "Supplemental verifiable fields"): they follow the options in this
// order, whatever the order of its "supplemental" list, with these labels
// in tally.json.
const SUPPLEMENTAL = [
  ["undervote", "[undervote]"],
  ["overvote", "[overvote]"],
  ["null_vote", "[null vote]"],
  ["write_ins", "[write-ins]"],
];

// The manifest's labels for contest ci, option oi (1-based): the option's
// label, or the label of the supplemental field at that place
// (supplemental: true); null when the manifest has neither.
function manifestLabels(manifest, ci, oi) {
  const c = manifest && Array.isArray(manifest.contests) ? manifest.contests[ci - 1] : null;
  if (!c) return null;
  const opts = Array.isArray(c.options) ? c.options : [];
  if (oi >= 1 && oi <= opts.length) return { contest: c.label, option: opts[oi - 1].label, supplemental: false };
  const listed = Array.isArray(c.supplemental) ? c.supplemental : [];
  const fields = SUPPLEMENTAL.filter(([name]) => listed.includes(name));
  const f = fields[oi - opts.length - 1];
  return f ? { contest: c.label, option: f[1], supplemental: true } : null;
}

// tally.json's contests as the page shows them: labels equal the
// manifest's (Verification 11 in the browser, options and supplemental
// fields), counts are whole numbers. A supplemental field is marked
// (supplemental: true): it is a count about the ballots (undervotes,
// write-ins, ...), not an option, and is never charted as one.
export function tallyContests(tally, manifest) {
  if (!tally || !Array.isArray(tally.contests)) bad("tally.json has no contests");
  return tally.contests.map((c, k) => {
    if (!Number.isInteger(c.index) || !Array.isArray(c.options)) bad(`tally.json contest ${k + 1}`);
    const mc = manifest && Array.isArray(manifest.contests) ? manifest.contests[c.index - 1] : null;
    const limit = mc && Number.isSafeInteger(mc.selection_limit) && mc.selection_limit >= 1 ? mc.selection_limit : 1;
    return {
      index: c.index,
      label: String(c.label),
      limit,
      options: c.options.map((o) => {
        if (!Number.isSafeInteger(o.value) || o.value < 0 || !Number.isInteger(o.index)) bad(`tally.json contest ${c.index} option ${o.index}`);
        const m = manifestLabels(manifest, c.index, o.index);
        if (!m || m.contest !== c.label || m.option !== o.label) {
          bad(`tally.json contest ${c.index} option ${o.index}: label differs from the manifest`);
        }
        return { index: o.index, label: String(o.label), votes: o.value, supplemental: m.supplemental };
      }),
    };
  });
}

// A tie that decides a contest, as `scrutin results` flags it
// (src/cli/results.c): with L selections allowed, the L-th and (L+1)-th
// highest counts of the options (supplemental fields excluded) are equal.
// Returns { place: L, votes, labels: the options at that count, in the
// manifest's order }, or null.
export function decidingTie(contest) {
  const opts = contest.options.filter((o) => !o.supplemental);
  const L = contest.limit ?? 1;
  if (opts.length < 2 || L < 1 || L >= opts.length) return null;
  const sorted = opts.map((o) => o.votes).sort((a, b) => b - a);
  if (sorted[L - 1] !== sorted[L]) return null;
  const votes = sorted[L - 1];
  return { place: L, votes, labels: opts.filter((o) => o.votes === votes).map((o) => o.label) };
}

// results.json against what it is derived from. `ctx`: { hE, tallySha,
// encSha (hex of the decryption and tally entries' payload hashes), enc
// (encrypted_tally.json), contests (tallyContests), challenged (number of
// challenged entries in the log) }. Returns the number of counts compared.
export function checkResults(r, ctx) {
  if (!r || r.format !== "scrutin-results" || r.format_version !== 1) bad("not scrutin-results version 1");
  if (lc(r.h_e) !== lc(ctx.hE)) bad("h_e is not the election's");
  if (lc(r.tally_sha256) !== ctx.tallySha) bad("tally_sha256 is not the published decryption's");
  if (lc(r.encrypted_tally_sha256) !== ctx.encSha) bad("encrypted_tally_sha256 is not the published tally's");
  if (r.cast_ballots !== ctx.enc.cast_ballots) bad("cast_ballots differs from the encrypted tally");
  if (r.challenged_ballots !== ctx.challenged) bad(`challenged_ballots ${r.challenged_ballots}, the log has ${ctx.challenged}`);
  const want = ctx.contests;
  if (!Array.isArray(r.contests) || r.contests.length !== want.length) bad("not the tally's contests");
  let n = 0;
  r.contests.forEach((c, k) => {
    const w = want[k];
    if (c.index !== w.index || c.label !== w.label) bad(`contest ${k + 1} is not the tally's`);
    if (!Array.isArray(c.options) || c.options.length !== w.options.length) bad(`contest ${w.index}: not the tally's options`);
    c.options.forEach((o, j) => {
      const x = w.options[j];
      if (o.index !== x.index || o.label !== x.label || o.votes !== x.votes) {
        bad(`contest ${w.index} option ${x.index}: ${o.votes} votes, the decrypted tally says ${x.votes}`);
      }
      n++;
    });
  });
  return n;
}

// The page's verification report: what this browser checked, in the
// shape of `scrutin verify --json` (steps with id, title, checked,
// status), so that one reader handles both. `facts` comes from
// Board.overview().
export function webReport(facts) {
  const ok = (checked) => ({ checked, status: "ok" });
  const none = { checked: 0, status: "not published" };
  const steps = [
    { id: "W1", title: "election entry 0: authority's signature, board key and origin (H_E)", ...ok(1) },
    { id: "W2", title: `witness policy: authority-signed entry, quorum rule ${facts.quorum}`, ...ok(facts.witnesses) },
    { id: "W3", title: "checkpoint: board's signature and the witnesses' cosignatures (quorum met)", ...ok(facts.cosigners) },
    { id: "W4", title: "checkpoint not older than the largest this browser has seen (RFC 6962 consistency)", ...ok(facts.size) },
    { id: "W5", title: "every entry: Merkle tree root = the checkpoint's root", ...ok(facts.size) },
    { id: "W6", title: "every entry: submitter's Ed25519 signature, signer registered (ballots by their device)", ...ok(facts.size) },
    { id: "W7", title: "tally, decryption, challenged openings, results: signed by the authority", ...(facts.authorityEntries ? ok(facts.authorityEntries) : none) },
    { id: "W8", title: "decrypted tally: contest and option labels = the manifest's", ...(facts.tallyOptions ? ok(facts.tallyOptions) : none) },
    { id: "W9", title: "results.json = the decrypted tally (counts, labels, hashes, cast and challenged ballots)", ...(facts.resultOptions ? ok(facts.resultOptions) : none) },
  ];
  return {
    format: "scrutin-web-report",
    format_version: 1,
    origin: facts.origin,
    checkpoint: facts.checkpointText,
    checked_at: facts.at,
    verdict: "verified in this browser (advisory)",
    steps,
    not_checked: "the ballots' proofs, the tally's product and the decryption proofs (Verifications 1-13): run scrutin verify on the exported record",
  };
}
