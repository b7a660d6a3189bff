#!/usr/bin/env python3
"""Seed corpora for the tlog fuzz targets (corpus/tlog_*/), made with an
independent Ed25519 and SHA-256 (Python cryptography, hashlib). Keys: the
board "scrutin.board/0123456789abcdef" from seed 01*32, the witness
"w.alpha" from seed 0a*32 (as fuzz_tlog_util.h)."""
import base64, hashlib, json, os, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
ORIGIN = "scrutin.board/0123456789abcdef"
b64 = lambda b: base64.b64encode(b).decode()
sha = lambda b: hashlib.sha256(b).digest()


def key(seed_byte):
    sk = Ed25519PrivateKey.from_private_bytes(bytes([seed_byte]) * 32)
    pk = sk.public_key().public_bytes(serialization.Encoding.Raw,
                                      serialization.PublicFormat.Raw)
    return sk, pk


def key_id(name, typ, pk):
    return sha(name.encode() + b"\n" + bytes([typ]) + pk)[:4]


def vkey(name, typ, pk):
    return "%s+%s+%s" % (name, key_id(name, typ, pk).hex(), b64(bytes([typ]) + pk))


def mth(leaves):
    if len(leaves) == 0:
        return sha(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while 2 * k < len(leaves):
        k *= 2
    return sha(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = 1
    while 2 * k < len(leaves):
        k *= 2
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, b):
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = 1
    while 2 * k < n:
        k *= 2
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


board_sk, board_pk = key(1)
w_sk, w_pk = key(10)
leaves = [sha(b"\x00" + bytes([i])) for i in range(10)]


def checkpoint(size, cosign, lv=None):
    lv = leaves if lv is None else lv
    text = "%s\n%d\n%s\n" % (ORIGIN, size, b64(mth(lv[:size])))
    sig = board_sk.sign(text.encode())
    note = text + "\n\u2014 %s %s\n" % (ORIGIN, b64(key_id(ORIGIN, 1, board_pk) + sig))
    if cosign:
        t = 1700000000
        msg = b"cosignature/v1\ntime %d\n" % t + text.encode()
        ts = struct.pack(">Q", t) + w_sk.sign(msg)
        note += "\u2014 w.alpha %s\n" % b64(key_id("w.alpha", 4, w_pk) + ts)
    return note


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


write("tlog_note", "checkpoint", checkpoint(10, False))
write("tlog_note", "cosigned", checkpoint(10, True))
write("tlog_note", "example", "This is an example message.\n\n\u2014 example.com/foo "
      "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n")
write("tlog_note", "vkey", vkey("w.alpha", 4, w_pk))
write("tlog_note", "empty", "")

for idx in (0, 3, 9):
    r = "c2sp.org/tlog-proof@v1\n" + ("extra YWJj\n" if idx == 3 else "")
    r += "index %d\n" % idx + "".join(b64(h) + "\n" for h in path(idx, leaves))
    write("tlog_proof", "receipt%d" % idx, r + "\n" + checkpoint(10, idx == 9))
write("tlog_proof", "empty", "")

for old in (0, 3, 8, 10):
    proof = [] if old in (0, 10) else subproof(old, leaves, True)
    body = "old %d\n" % old + "".join(b64(h) + "\n" for h in proof) + "\n"
    write("tlog_add_checkpoint", "old%d" % old, body + checkpoint(10, False))
write("tlog_add_checkpoint", "size409", "10\n")
write("tlog_add_checkpoint", "empty", "")

entry = bytes([1, 4]) + struct.pack(">QQ", 5, 1700000000000) + sha(b"p") + \
    struct.pack(">I", 1) + bytes(32) + board_pk + struct.pack(">I", 1) + bytes(64)
assert len(entry) == 186
write("tlog_entry", "ballot", entry)
write("tlog_entry", "tile", "tile/0/x001/x234/067")
write("tlog_entry", "tile_partial", "tile/entries/273.p/112")
write("tlog_entry", "empty", "")

pol = {"type": "witness_policy", "witnesses": [
    {"name": "w.alpha", "party": "A", "vkey": vkey("w.alpha", 4, w_pk), "url": "http://127.0.0.1:1"},
    {"name": "w.beta", "party": "B", "vkey": vkey("w.beta", 4, key(11)[1]), "url": "http://127.0.0.1:2"}],
    "quorum": "k-of-n:1"}
write("tlog_policy", "k1", json.dumps(pol))
pol["quorum"] = "all-parties"
write("tlog_policy", "all", json.dumps(pol))
write("tlog_policy", "empty", "")

# The per-signer index (GET /v1/signer, docs/BOARD.md §4.2): a log of real
# entries, signed as §3.2 says by the authority (seed 02..02) and a device
# (seed 03..03).
auth_sk, auth_pk = key(2)
dev_sk, dev_pk = key(3)


def mk_entry(typ, idx, sk, pk, seq):
    psha, kb = sha(bytes([idx])), bytes(32)
    msg = b"scrutin/board/v1/submit\n" + ORIGIN.encode() + b"\n" + \
        bytes([typ]) + struct.pack(">I", seq) + psha + kb
    return bytes([1, typ]) + struct.pack(">QQ", idx, 0) + psha + \
        struct.pack(">I", 10) + kb + pk + struct.pack(">I", seq) + sk.sign(msg)


plan = [(1, auth_sk, auth_pk, 1), (2, auth_sk, auth_pk, 2),
        (4, dev_sk, dev_pk, 1), (4, dev_sk, dev_pk, 2),
        (2, auth_sk, auth_pk, 3), (4, dev_sk, dev_pk, 3)]
ents = [mk_entry(t, i, sk, pk, q) for i, (t, sk, pk, q) in enumerate(plan)]
lv2 = [sha(b"\x00" + e) for e in ents]


def sitem(i):
    return {"index": i, "entry": ents[i].hex(),
            "proof": "".join(h.hex() for h in path(i, lv2))}


def sindex(pk, frm, idxs, reg, truncated=False, cosign=False):
    a = {"signer": pk.hex(), "from": frm,
         "checkpoint": checkpoint(len(ents), cosign, lv2),
         "entries": [sitem(i) for i in idxs], "truncated": truncated}
    if reg is not None:
        a["registration"] = sitem(reg)
    return json.dumps(a)


write("signer_index", "device", sindex(dev_pk, 1, [2, 3, 5], 1))
write("signer_index", "device_from2", sindex(dev_pk, 2, [3, 5], 1, True))
write("signer_index", "authority", sindex(auth_pk, 1, [0, 1, 4], None,
                                          cosign=True))
write("signer_index", "none", sindex(dev_pk, 4, [], 1))
write("signer_index", "empty", "")
