#!/usr/bin/env python3
"""Known answers for contest data (spec 2.1.0 §3.3.10, eq 63-70) and
Scrutin's D_Λ layout (docs/RECORD.md "Contest data encoding"), computed
from the spec text alone with Python's hashlib/hmac: a path independent of
Scrutin's C code. Inputs: the main chain of shared/vectors/eg21_kat.json
(H_I, xi_B, K-hat = g^7) and its contest-1 selections; the Schnorr nonce
u = 11 (deterministic, NOT secure). Writes JSON to stdout; the C test
tests/kat/test_kat_contest_data.c compares against the stored copy
tests/kat/contest_data_kat.json.

Usage: tools/kat_contest_data.py SPEC_NOTES.md eg21_kat.json > out.json
"""
import hashlib
import hmac
import json
import re
import sys


def group(notes):
    t = open(notes, encoding="utf-8").read()
    get = lambda k: int(re.search(r"^%s = ([0-9A-F]+)$" % k, t, re.M).group(1), 16)
    return get("p"), get("q"), get("g")


def H(key, data):  # §5.1: H(B0; B1) = HMAC-SHA-256(B0, B1)
    return hmac.new(key, data, hashlib.sha256).digest()


def b(x, n):
    return x.to_bytes(n, "big")


def main():
    p, q, g = group(sys.argv[1])
    kat = json.load(open(sys.argv[2]))["vectors"]
    ch = kat["main_chain"]
    hi = bytes.fromhex(ch["H_I"])
    xib = bytes.fromhex(ch["xi_B"])
    khat = pow(g, 7, p)
    lp, lq = 512, 32
    ind_c, blocks = 1, 2

    # Scrutin's layout for contest 1 of the KAT manifest read as a contest
    # with options 1, 2 (limit L = 1) and a third, write-in option: an
    # overvote of 1, 1, 1 with write-in text "Ada Lovelace".
    text = "Ada Lovelace".encode()
    D = bytes([0x01]) + b(1, 2) + b(1, 2) + b(1, 2) + b(len(text), 2) + text
    D = D + bytes(32 * blocks - len(D))

    xi = int.from_bytes(H(hi, b"\x25" + b(ind_c, 4) + xib), "big") % q  # eq 64
    alpha, beta = pow(g, xi, p), pow(khat, xi, p)
    h = H(hi, b"\x26" + b(ind_c, 4) + b(alpha, lp) + b(beta, lp))  # eq 65
    ks = [H(h, b(i, 4) + b"data enc keys" + b"\x00" + b"contest data" +
            b(ind_c, 4) + b(blocks * 256, 4)) for i in range(1, blocks + 1)]  # eq 66
    c1 = b"".join(bytes(x ^ y for x, y in zip(D[32 * i:32 * i + 32], ks[i]))
                  for i in range(blocks))  # eq 68
    u = 11
    a = pow(g, u, p)
    c = int.from_bytes(H(hi, b"\x27" + b(ind_c, 4) + b(a, lp) + b(alpha, lp) + c1),
                       "big") % q  # eq 69
    v = (u - c * xi) % q
    sel = kat["contest1_selections"]
    fields = b"".join(b(int(sel[k]["alpha"], 16), lp) + b(int(sel[k]["beta"], 16), lp)
                      for k in ("option 1 (sigma=1)", "option 2 (sigma=0)"))
    chi = H(hi, b"\x28" + b(ind_c, 4) + fields + b(alpha, lp) + c1 +
            b(c, lq) + b(v, lq))  # eq 70, C_2 = b(c, lq) ‖ b(v, lq)
    # Verification 12 / eq 101 with a known beta: a fixed u' = 13
    u2 = 13
    a2, b2 = pow(g, u2, p), pow(alpha, u2, p)
    c2 = b(c, lq) + b(v, lq)
    cc = int.from_bytes(H(hi, b"\x33" + b(ind_c, 4) + b(alpha, lp) + c1 + c2 +
                          b(a2, lp) + b(b2, lp) + b(beta, lp)), "big") % q
    vv = (u2 - cc * 7) % q  # s-hat = 7
    hx = lambda x, n: b(x, n).hex().upper()
    out = {
        "note": "tools/kat_contest_data.py: eq 63-70 and 101 from the spec text, "
                "main_chain inputs of eg21_kat.json, u = 11, u' = 13, s-hat = 7",
        "ind_c": ind_c, "blocks": blocks,
        "D": D.hex().upper(),
        "xi_eq64": hx(xi, lq),
        "C0_eq67": hx(alpha, lp),
        "beta": hx(beta, lp),
        "h_eq65": h.hex().upper(),
        "k_eq66": [k.hex().upper() for k in ks],
        "C1_eq68": c1.hex().upper(),
        "c_eq69": hx(c, lq),
        "v_eq69": hx(v, lq),
        "chi_eq70": chi.hex().upper(),
        "v12_c_eq101": hx(cc, lq),
        "v12_v_eq103": hx(vv, lq),
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
