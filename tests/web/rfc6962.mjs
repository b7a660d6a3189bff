// RFC 6962 §2.1 written out as the RFC states it (recursive MTH, PATH and
// SUBPROOF), independently of web/js/tlog.js: the fixture board builds its
// proofs with it and unit.mjs checks tlog.js against it.
import crypto from "node:crypto";

export const H = (...b) => crypto.createHash("sha256").update(Buffer.concat(b.map((x) => Buffer.from(x)))).digest();
export const leaf = (d) => H([0], d);
export const node = (l, r) => H([1], l, r);
const split = (n) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
// memoised on the array and range: the fixture asks for many proofs
const memo = new WeakMap();
export function mth(D, lo = 0, hi = D.length) {
  let m = memo.get(D);
  if (!m) memo.set(D, (m = new Map()));
  const key = `${lo}:${hi}`;
  if (m.has(key)) return m.get(key);
  const n = hi - lo;
  const k = split(n);
  const r = n === 0 ? H([]) : n === 1 ? leaf(D[lo]) : node(mth(D, lo, lo + k), mth(D, lo + k, hi));
  m.set(key, r);
  return r;
}
// inclusion proof of leaf m in D[lo:hi]
export function path(m, D, lo = 0, hi = D.length) {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = split(n);
  return m < k ? [...path(m, D, lo, lo + k), mth(D, lo + k, hi)] : [...path(m - k, D, lo + k, hi), mth(D, lo, lo + k)];
}
// consistency proof from the first m leaves to D[lo:hi]
export function subproof(m, D, b = true, lo = 0, hi = D.length) {
  const n = hi - lo;
  if (m === n) return b ? [] : [mth(D, lo, hi)];
  const k = split(n);
  return m <= k ? [...subproof(m, D, b, lo, lo + k), mth(D, lo + k, hi)] : [...subproof(m - k, D, false, lo + k, hi), mth(D, lo, lo + k)];
}
