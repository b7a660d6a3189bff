#!/usr/bin/env python3
"""Regenerate the seed corpora of tests/fuzz/corpus/ (run from the repo root).

    python3 tests/fuzz/mkseeds.py RECORD_DIR [TARGET ...]

RECORD_DIR is a toy-q64 record made by the test generator:
    build/<tree>/mkrecord /tmp/rec 3 2
(its seed is fixed, so the record and the seeds are reproducible).
Two more records, named in the environment, give the small valid seeds
of the verifier targets (issue 12 item 11: hundreds of inputs/s):
    SMALL_RECORD=/tmp/rec1: build/<tree>/mkrecord /tmp/rec1 2 1 toy-q64 2
        (one device, one cast ballot, one challenged)
    V20_TOY_RECORD=/tmp/toy20: SC_V20_TOY_OUT=/tmp/toy20
        build/<tree>/test_verify20_gen (an egk 2.0 record on toy-q64)
and the merge seeds run `scrutin` (ceremony, encrypt --parallel):
    SCRUTIN=build/<tree>/scrutin
Every corpus file must pass its target's replay (never crash): inputs that
crash a target go to tests/fuzz/crashes/<target>/ instead.
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "..", "..", "shared")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def put_crash(target, name, data):
    """A reproducer of a known bug: tests/fuzz/crashes/<target>/ (not
    replayed by ctest; move it to the corpus once the bug is fixed)."""
    d = os.path.join(ROOT, "..", "crashes", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def rd(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def archive(files):
    """The fuzz_util.h archive format: '=== NAME' lines."""
    out = b""
    for name, data in files:
        if isinstance(data, str):
            data = data.encode("utf-8")
        out += b"=== " + name.encode() + b"\n" + data + b"\n"
    return out


def seeds_manifest(rec):
    t = "manifest"
    canon = rd(os.path.join(rec, "election_manifest_canonical.bin"))
    put(t, "valid_canonical", canon)
    m = json.loads(canon)
    put(t, "valid_pretty", json.dumps(m, indent=2, ensure_ascii=False))
    put(t, "valid_ascii_escapes", json.dumps(m, ensure_ascii=True))
    put(t, "valid_limits", json.dumps({
        "label": "Limits",
        "contests": [
            {"label": "Open", "selection_limit": "NO_LIMIT",
             "options": [{"label": "a", "selection_limit": 3},
                         {"label": "b"}]},
            {"label": "Capped", "selection_limit": 2,
             "options": [{"label": "x", "selection_limit": "CONTEST_LIMIT"},
                         {"label": "y", "selection_limit": 5}]},
            {"label": "Big", "selection_limit": 2147483647,
             "options": [{"label": "z", "selection_limit": 2147483647},
                         {"label": "w", "selection_limit": 2147483647}]}],
        "ballot_styles": [{"label": "S1", "contests": [1, 2]},
                          {"label": "S2", "contests": [1, 2, 3]}]}))
    put(t, "valid_utf8_labels", json.dumps({
        "label": "Élection générale\nde Imaginaria",
        "contests": [{"label": "Gränd Cøuncil",
                      "options": [{"label": "Thündéroak\n(Ætherwïng)"},
                                  {"label": "日本語 候補"},
                                  {"label": "emoji \U0001F5F3"}]}],
        "ballot_styles": [{"label": "全部", "contests": [1]}]},
        ensure_ascii=False))
    eg = os.path.join(SHARED, "records", "eg-rust-2.1-wip", "public",
                      "election_manifest.json")
    if os.path.exists(eg):
        raw = rd(eg)
        put(t, "egrust_contest_options", raw)  # draft key: rejected
        put(t, "egrust_options", raw.replace(b'"contest_options"',
                                             b'"options"'))
    bad = {
        "empty": b"",
        "truncated": canon[: len(canon) // 2],
        "not_object": b"[1,2,3]",
        "dup_key": b'{"label":"a","label":"b","contests":[],"ballot_styles":[]}',
        "dup_contest": b'{"label":"E","contests":[{"label":"C","options":[{"label":"o"}]},{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "dup_option": b'{"label":"E","contests":[{"label":"C","options":[{"label":"o"},{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "limit_zero": b'{"label":"E","contests":[{"label":"C","selection_limit":0,"options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "limit_huge": b'{"label":"E","contests":[{"label":"C","selection_limit":99999999999999999999999,"options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "limit_2p31": b'{"label":"E","contests":[{"label":"C","selection_limit":2147483648,"options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "limit_float": b'{"label":"E","contests":[{"label":"C","selection_limit":1.0,"options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "nolimit_contestlimit": b'{"label":"E","contests":[{"label":"C","selection_limit":"NO_LIMIT","options":[{"label":"o","selection_limit":"CONTEST_LIMIT"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "style_order": b'{"label":"E","contests":[{"label":"C","options":[{"label":"o"}]},{"label":"D","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[2,1]}]}',
        "style_twice": b'{"label":"E","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1,1]}]}',
        "style_range": b'{"label":"E","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[0,4294967297]}]}',
        "label_space": b'{"label":" E","contests":[{"label":"C  D","options":[{"label":"o "}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "label_nbsp": '{"label":"E\u00a0F","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}'.encode(),
        "label_ctrl": b'{"label":"E\\u0001","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "label_nul": b'{"label":"E\\u0000F","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "label_2lf": b'{"label":"E\\n\\nF","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "non_utf8": b'{"label":"E\xff\xfe","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "overlong_utf8": b'{"label":"E\xc0\xafF","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "unknown_prop": b'{"label":"E","x":1,"contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[{"label":"s","contests":[1]}]}',
        "no_styles": b'{"label":"E","contests":[{"label":"C","options":[{"label":"o"}]}],"ballot_styles":[]}',
        "deep_nesting": b"[" * 5000 + b"]" * 5000,
        "deep_label": b'{"label":' + b"[" * 3000 + b"]" * 3000 + b"}",
        "bom": b"\xef\xbb\xbf" + canon,
        "trailing_garbage": canon + b"xyz",
    }
    for k, v in bad.items():
        put(t, k, v)


def main():
    rec = sys.argv[1]
    want = set(sys.argv[2:])
    for name, fn in sorted(globals().items()):
        if name.startswith("seeds_") and (not want or name[6:] in want):
            fn(rec)



def seeds_plain_ballot(rec):
    t = "plain_ballot"
    good = {
        "valid_north": {"id": "00001", "style": 1, "device": "Precinct 12",
                        "contest_fields_plaintexts": {
                            "1": {"field_values": [0, 1]},
                            "2": {"field_values": [1, 1, 0]},
                            "3": {"field_values": [3, 1]}}},
        "valid_style_label": {"id": "b", "style": "South",
                              "contest_fields_plaintexts": {
                                  "3": {"field_values": [0, 0]}}},
        "valid_undervote": {"id": "u", "style": 2,
                            "contest_fields_plaintexts": {}},
        "valid_overvote": {"id": "o", "style": 1, "challenge": True,
                           "weight": 4294967295,
                           "contest_fields_plaintexts": {
                               "2": {"field_values": [1, 1, 1]}}},
        "valid_draft_fields": {"id": "d", "style": 1,
                               "ballot_state": "x", "creation_date": "y",
                               "contest_fields_plaintexts": {
                                   "1": {"field_values": [1, 0]}}},
        "bad_other_style": {"id": "x", "style": 2,
                            "contest_fields_plaintexts": {
                                "2": {"field_values": [0, 0, 0]}}},
        "bad_above_R": {"id": "x", "style": 1,
                        "contest_fields_plaintexts": {
                            "1": {"field_values": [2, 0]}}},
        "bad_count": {"id": "x", "style": 1, "contest_fields_plaintexts": {
            "1": {"field_values": [0]}}},
        "bad_index0": {"id": "x", "style": 1, "contest_fields_plaintexts": {
            "0": {"field_values": [0, 0]}}},
        "bad_index_lead0": {"id": "x", "style": 1,
                            "contest_fields_plaintexts": {
                                "01": {"field_values": [0, 0]}}},
        "bad_index_huge": {"id": "x", "style": 1,
                           "contest_fields_plaintexts": {
                               "99999999999999999999": {"field_values": []}}},
        "bad_negative": {"id": "x", "style": 1, "contest_fields_plaintexts": {
            "1": {"field_values": [-1, 0]}}},
        "bad_weight0": {"id": "x", "style": 1, "weight": 0,
                        "contest_fields_plaintexts": {}},
        "bad_style0": {"id": "x", "style": 0, "contest_fields_plaintexts": {}},
        "bad_style_big": {"id": "x", "style": 4294967296,
                          "contest_fields_plaintexts": {}},
        "bad_empty_id": {"id": "", "style": 1,
                         "contest_fields_plaintexts": {}},
        "bad_unknown": {"id": "x", "style": 1, "color": "red",
                        "contest_fields_plaintexts": {}},
        "bad_extra_key": {"id": "x", "style": 1, "contest_fields_plaintexts": {
            "1": {"field_values": [0, 0], "x": 1}}},
    }
    for k, v in good.items():
        put(t, k, json.dumps(v))
    put(t, "bad_dup_contest",
        b'{"id":"x","style":1,"contest_fields_plaintexts":{"1":{"field_values":[0,0]},"1":{"field_values":[1,0]}}}')
    put(t, "bad_non_utf8", b'{"id":"\xff","style":1,"contest_fields_plaintexts":{}}')
    put(t, "bad_truncated", b'{"id":"x","style":1,"contest_fields_pla')
    put(t, "bad_deep", b'{"id":"x","style":1,"contest_fields_plaintexts":' + b"{\"1\":" * 2000 + b"0" + b"}" * 2001)
    put(t, "bad_float", b'{"id":"x","style":1.5,"contest_fields_plaintexts":{}}')
    canon = rd(os.path.join(rec, "election_manifest_canonical.bin"))
    put(t, "own_manifest", canon + b"\0" + json.dumps(
        {"id": "m", "style": 1, "contest_fields_plaintexts": {
            "3": {"field_values": [2, 1]}}}).encode())
    put(t, "own_manifest_bad", b"{}\0{}")


def seeds_json(rec):
    t = "json"
    q64 = b"\x03"
    for name in ["joint_election_public_key.json", "hashes.json",
                 "hashes_ext.json", "guardians/guardian_1.json",
                 "devices.json", "tally.json", "encrypted_tally.json"]:
        put(t, "rec_" + name.replace("/", "_"), q64 + rd(os.path.join(rec, name)))
    params = json.loads(rd(os.path.join(rec, "election_parameters.json")))
    grp = params["fixed_parameters"]["group"]
    P, Q, G = int(grp["p"], 16), int(grp["q"], 16), int(grp["g"], 16)
    w = len(grp["p"])
    wq = len(grp["q"])
    def hx(x, n):
        return "%0*X" % (n, x)
    edge = {
        "g": hx(G, w), "one": hx(1, w), "zero": hx(0, w), "p": hx(P, w),
        "pm1": hx(P - 1, w), "lower": hx(G, w).lower(), "short": hx(G, w)[1:],
        "long": "0" + hx(G, w), "huge": "F" * 4096, "nonmember": hx(2, w),
        "q": hx(Q, wq), "qm1": hx(Q - 1, wq), "s0": hx(0, wq),
        "hash": "AB" * 32, "hashlow": "ab" * 32, "n": 4294967295,
        "n1": 4294967296, "big": 9007199254740991, "big1": 9007199254740992,
        "neg": -1, "f": 1.5, "t": True, "nul": None, "arr": [hx(G, w), hx(1, w)],
        "sarr": [hx(1, wq), hx(Q - 1, wq)], "o": {"x": 1}, "e": "",
        "bytes": "00112233", "u": "\u00e9\u4e2d"}
    put(t, "edge_q64", q64 + json.dumps(edge).encode())
    put(t, "edge_q7", b"\x00" + json.dumps({"a": "0001", "b": "FFFF", "s": "7E",
        "arr": ["0001", "0002"], "h": "00" * 32}).encode())
    put(t, "dup_keys", q64 + b'{"a":1,"a":2}')
    put(t, "not_object", q64 + b'[1,"2",{"3":4}]')
    put(t, "non_utf8", q64 + b'{"a":"\xff\xfe"}')
    put(t, "deep", q64 + b'{"a":' + b"[" * 3000 + b"]" * 3000 + b"}")
    put(t, "truncated", q64 + b'{"a":"00')
    put(t, "nul_escape", q64 + b'{"a":"\\u0000"}')
    put(t, "empty", b"")


def seeds_enc_ballot(rec):
    t = "enc_ballot"
    # Lines end with a newline: appending to a file whose last line has
    # none loses two ballots (crashes/README.md, enc_ballot/append_*).
    def put(target, name, data):
        if isinstance(data, str):
            data = data.encode()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        globals()["put"](target, name, data)
    d1 = rd(os.path.join(rec, "ballots", "device_1.jsonl"))
    d2 = rd(os.path.join(rec, "ballots", "device_2.jsonl"))
    lines = d1.splitlines() + d2.splitlines()
    put(t, "valid_device1", d1)
    put(t, "valid_one", lines[0] + b"\n")
    for i, ln in enumerate(lines):
        if b'"Challenged"' in ln:
            put(t, "valid_challenged", ln)
            break
    for ln in lines:
        if b'"weight"' in ln:
            put(t, "valid_weight", ln)
            break
    put(t, "valid_crlf_blank", lines[0] + b"\r\n\r\n\n" + lines[1])
    b = json.loads(lines[0])
    canon = rd(os.path.join(rec, "election_manifest_canonical.bin"))
    put(t, "own_manifest", canon + b"\0" + lines[0])
    def mut(name, f):
        x = json.loads(lines[0])
        f(x)
        put(t, name, json.dumps(x, separators=(",", ":")))
    c0 = b["contests"][0]
    al = c0["fields"][0]["alpha"]
    P = int(json.loads(rd(os.path.join(rec, "election_parameters.json")))
            ["fixed_parameters"]["group"]["p"], 16)
    w = len(al)
    mut("bad_lower", lambda x: x["contests"][0]["fields"][0].__setitem__("alpha", al.lower()))
    mut("bad_short", lambda x: x["contests"][0]["fields"][0].__setitem__("alpha", al[1:]))
    mut("bad_zero", lambda x: x["contests"][0]["fields"][0].__setitem__("alpha", "0" * w))
    mut("bad_p", lambda x: x["contests"][0]["fields"][0].__setitem__("alpha", "%0*X" % (w, P)))
    mut("bad_nonmember", lambda x: x["contests"][0]["fields"][0].__setitem__("alpha", "%0*X" % (w, 2)))
    mut("bad_huge", lambda x: x["contests"][0]["fields"][0].__setitem__("alpha", "F" * 5000))
    mut("bad_proof_len", lambda x: x["contests"][0]["fields"][0]["proof"]["c"].pop())
    mut("bad_style", lambda x: x.__setitem__("style", 3))
    mut("bad_style_other", lambda x: x.__setitem__("style", 1))
    mut("bad_index", lambda x: x["contests"][0].__setitem__("index", 2))
    mut("bad_state", lambda x: x.__setitem__("state", "Spoiled"))
    mut("bad_weight0", lambda x: x.__setitem__("weight", 0))
    mut("weight_big", lambda x: x.__setitem__("weight", 9007199254740991))
    mut("weight_one", lambda x: x.__setitem__("weight", 1))
    mut("bad_weight_2p53", lambda x: x.__setitem__("weight", 9007199254740992))
    mut("bad_seq_neg", lambda x: x.__setitem__("sequence", -1))
    mut("bad_bc", lambda x: x.__setitem__("chaining_field", x["chaining_field"][:-2]))
    mut("bad_nonce", lambda x: x["ballot_nonce"].__setitem__("c", "F" * 16))
    mut("extra_field", lambda x: x.__setitem__("zzz", [1, 2]))
    mut("missing_nonce", lambda x: x.pop("ballot_nonce"))
    put(t, "bad_dup_key", lines[0].replace(b'"state":"Cast"', b'"state":"Cast","state":"Cast"', 1))
    put(t, "bad_truncated", lines[0][: len(lines[0]) // 2] + b"\n" + lines[1])
    put(t, "bad_second_line", lines[0] + b"\n{\n" + lines[1])
    put(t, "bad_non_utf8", lines[0].replace(b'"b-', b'"\xff-', 1))
    put(t, "bad_deep", b"[" * 5000)
    put(t, "empty", b"")
    put(t, "blank_lines", b"\n\n\r\n")
    put_crash(t, "append_no_final_newline", lines[0])
    put_crash(t, "append_final_cr", lines[0] + b"\r")


RECORD_FILES = ["record.json", "election_parameters.json",
                "election_manifest_canonical.bin", "hashes.json",
                "guardians/guardian_1.json", "guardians/guardian_2.json",
                "guardians/guardian_3.json", "joint_election_public_key.json",
                "hashes_ext.json", "devices.json", "ballots/device_1.jsonl",
                "ballots/device_2.jsonl", "encrypted_tally.json", "tally.json",
                "challenged.jsonl"]


def record_files(rec, skip=(), small=False):
    out = []
    for name in RECORD_FILES:
        if name in skip or not os.path.exists(os.path.join(rec, name)):
            continue
        data = rd(os.path.join(rec, name))
        if small and name.startswith("ballots/"):
            data = data.splitlines()[0]
        out.append((name, data))
    return out


def record_variants(t, rec, crashes=()):
    files = record_files(rec)
    put(t, "valid_record", archive(files))
    put(t, "valid_small", archive(record_files(rec, small=True)))
    put(t, "no_keys", archive(record_files(rec, skip=(
        "joint_election_public_key.json", "hashes_ext.json",
        "guardians/guardian_1.json", "guardians/guardian_2.json",
        "guardians/guardian_3.json"))))
    put(t, "no_ballots", archive(record_files(rec, skip=(
        "ballots/device_1.jsonl", "ballots/device_2.jsonl"))))
    put(t, "no_devices", archive(record_files(rec, skip=("devices.json",))))
    def sub(name, old, new, tag):
        out = []
        for n, d in files:
            if n == name:
                d = d.replace(old, new, 1)
            out.append((n, d))
        (put_crash if tag in crashes else put)(t, tag, archive(out))
    sub("record.json", b"toy-q64", b"toy-q7", "group_q7")
    sub("record.json", b"toy-q64", b"nosuch", "group_unknown")
    sub("record.json", b'"format_version": 1', b'"format_version": 2', "format_v2")
    sub("election_parameters.json", b'"k": 2', b'"k": 4', "k_gt_n")
    sub("election_parameters.json", b'"k": 2', b'"k": 0', "k_zero")
    sub("election_manifest_canonical.bin", b'"Mayor"', b'"Mayor "', "manifest_bad")
    sub("election_manifest_canonical.bin", b'{"label"', b'{ "label"', "manifest_not_canonical")
    sub("hashes.json", b'"h_p": "', b'"h_p": "0', "hp_long")
    sub("devices.json", b'"ballots": 3', b'"ballots": 4', "devices_count")
    sub("devices.json", b'"index": 2', b'"index": 1', "devices_order")
    sub("devices.json", b'"none"', b'"chained"', "devices_mode")
    sub("devices.json", b'"index": 2', b'"index": 4294967295', "devices_max_index")
    sub("devices.json", b'"Precinct 1 unit 1"', '"Précinct \\u00e9 ☃"'.encode(), "devices_utf8")
    sub("ballots/device_1.jsonl", b'"sequence":2', b'"sequence":3', "ballot_sequence")
    # accepted although RECORD.md has "closing" for simple chaining only
    sub("devices.json", b'"chaining": "none",\n      "ballots": 3',
        b'"chaining": "none",\n      "ballots": 3,\n      "closing": {"chaining_field": "' +
        b"00" * 36 + b'", "hash": "' + b"00" * 32 + b'"}', "devices_none_closing")
    sub("ballots/device_1.jsonl", b'"Cast"', b'"Challenged"', "ballot_state")
    sub("encrypted_tally.json", b'"cast_ballots": 5', b'"cast_ballots": -5', "tally_neg")
    sub("encrypted_tally.json", b'"A": "', b'"A": "0', "tally_long")
    sub("guardians/guardian_2.json", b'"i": 2', b'"i": 3', "guardian_index")
    sub("guardians/guardian_1.json", b'"coefficient_commitments": [', b'"coefficient_commitments": [[],', "guardian_commit")
    sub("joint_election_public_key.json", b'": "', b'": "F', "joint_long")
    put(t, "not_archive", rd(os.path.join(rec, "record.json")))
    put(t, "bad_names", archive([("../x", b"1"), ("/abs", b"2"), ("a//b", b"3"),
                                 ("a/b/c/d/e", b"4"), ("", b"5")]))
    put(t, "empty", b"")


def seeds_record(rec):
    record_variants("record", rec)


def seeds_guardian_files(rec):
    t = "guardian_files"
    g1 = rd(os.path.join(rec, "guardians", "guardian_1.json"))
    G = json.loads(g1)
    E = G["coefficient_commitments"]          # members of toy-q64
    S = G["coefficient_proof"]["responses"]   # scalars
    jk = json.loads(rd(os.path.join(rec, "joint_election_public_key.json")))
    he = json.loads(rd(os.path.join(rec, "hashes_ext.json")))
    H = he["h_e"]
    def one(sel, name, obj, n=3, crash=False):
        b = bytes([sel | ((n - 2) << 3)])
        (put_crash if crash else put)(t, name, b + (
            obj if isinstance(obj, bytes) else
            json.dumps(obj, separators=(",", ":")).encode()))
    one(0, "public_valid", g1)
    for i in (2, 3):
        one(0, "public_valid_%d" % i, rd(os.path.join(rec, "guardians", "guardian_%d.json" % i)))
    x = dict(G); x["name"] = "N" * 62 + "\u00e9"
    one(0, "public_name_cut_utf8", x)  # fixed in f2496a2
    x = dict(G); x["name"] = "x" * 200
    one(0, "public_name_long", x)
    x = dict(G); x["name"] = 7
    one(0, "public_name_number", x)
    x = dict(G); x.pop("name")
    one(0, "public_no_name", x)
    x = dict(G); x["i"] = 2147483647
    one(0, "public_i_max", x)
    x = dict(G); x["i"] = 2147483648
    one(0, "public_i_2p31", x)
    x = dict(G); x["coefficient_commitments"] = E + [E[0]]
    one(0, "public_k_mismatch", x)
    x = dict(G); x["coefficient_commitments"] = []
    one(0, "public_k0", x)
    x = dict(G); x["communication_public_key"] = "0" * len(E[0])
    one(0, "public_kappa0", x)
    x = dict(G); x["communication_public_key"] = E[0].lower()
    one(0, "public_lower", x)
    shares = {"from": 1, "n": 3, "shares": [
        {"to": 2, "c0": E[0], "c1": "AB" * 64, "c": S[0], "v": S[1]},
        {"to": 3, "c0": E[1], "c1": "CD" * 64, "c": S[1], "v": S[0]}]}
    one(1, "shares_valid", shares)
    x = json.loads(json.dumps(shares)); x["shares"][1]["to"] = 2
    one(1, "shares_repeat", x)
    x = json.loads(json.dumps(shares)); x["shares"][1]["to"] = 1
    one(1, "shares_self", x)
    x = json.loads(json.dumps(shares)); x["n"] = 4
    one(1, "shares_n4", x, n=4)
    one(1, "shares_n_mismatch", shares, n=5)
    x = json.loads(json.dumps(shares)); x["shares"][0]["c1"] = "AB" * 63
    one(1, "shares_c1_short", x)
    res = {"i": 1, "joint_election_public_key": jk["joint_election_public_key"],
           "joint_ballot_data_public_key": jk["joint_ballot_data_public_key"],
           "h_e": H, "h_g": he.get("h_g", H)}
    one(2, "result_valid", res)
    x = dict(res); x["h_g"] = H[:-1]
    one(2, "result_hg_short", x)
    x = dict(res); x["i"] = -1
    one(2, "result_i_neg", x)
    ma = {"round": "a", "i": 1, "job": H, "present": [1, 3],
          "tally": [{"M": E[0], "d": H}, {"M": E[1], "d": H}],
          "ballot_nonces": [E[0]]}
    one(3, "msg_a_valid", ma)
    x = dict(ma); x["present"] = [3, 1, 1]
    one(3, "msg_a_present_unsorted", x)
    x = dict(ma); x["tally"] = []; x["ballot_nonces"] = []
    one(3, "msg_a_empty", x)
    x = dict(ma); x["present"] = []
    one(3, "msg_a_no_present", x)
    x = dict(ma); x["round"] = "b"
    one(3, "msg_a_round_b", x)
    mb = {"round": "b", "i": 3, "job": H, "tally": [{"a": E[0], "b": E[1]}]}
    one(4, "msg_b_valid", mb)
    x = dict(mb); x["tally"] = [{"a": E[0]}]
    one(4, "msg_b_missing", x)
    mc = {"round": "c", "i": 3, "job": H, "tally": [S[0], S[1]]}
    one(5, "msg_c_valid", mc)
    x = dict(mc); x["tally"] = ["F" * 16]
    one(5, "msg_c_q", x)
    x = dict(mc); x["tally"] = []
    one(5, "msg_c_empty", x)
    one(0, "not_object", b"[]")
    one(0, "truncated", g1[:100])
    one(0, "dup_key", b'{"i":1,"i":1}')
    one(0, "non_utf8", b'{"i":1,"name":"\xff"}')
    one(0, "deep", b"[" * 4000)
    one(6, "sel6", b"{}")


def seeds_secret(rec):
    import struct
    t = "secret"
    Q = 0xFFFFFFFFFFFFFFC5  # toy-q64
    def sc(x):
        return x.to_bytes(32, "big")
    def gsecret(i=1, n=3, k=2, group=b"toy-q64", phase=1, scal=None,
                magic=0x53434753, ver=1, extra=b""):
        b = struct.pack(">IIIII", magic, ver, i, n, k)
        b += group.ljust(16, b"\0")[:16] + b"\x11" * 32 + b"\x22" * 32
        b += b"Guardian 1".ljust(64, b"\0") + struct.pack(">I", phase)
        if phase == 1:
            vals = scal or [3 + j for j in range(2 * k + 1)]
        else:
            vals = scal or [5, 7]
        b += b"".join(sc(v) for v in vals)
        if phase == 2:
            b += b"\x33" * 32 + b"\x44" * 32
        return b + extra
    def dstate(i=1, phase=1, nu=2, ni=2, U=(1, 3), u=None, extra=b""):
        b = struct.pack(">III", 0x53434453, i, phase) + b"\x55" * 32
        b += struct.pack(">II", nu, ni)
        b += b"".join(struct.pack(">I", x) for x in U)
        b += b"".join(sc(v) for v in (u or [9] * ni))
        b += b"\x66" * (32 * nu * ni)
        return b + extra
    P = lambda which, raw, where=0: bytes([which | (raw << 1), where])
    put(t, "secret_keys", P(0, 0) + gsecret())
    put(t, "secret_shares", P(0, 0, 7) + gsecret(phase=2))
    put(t, "secret_k1_n1", P(0, 0, 200) + gsecret(i=1, n=1, k=1))
    put(t, "secret_scalar_q", P(0, 0) + gsecret(scal=[Q, 1, 1, 1, 1]))
    put(t, "secret_scalar_max", P(0, 0) + gsecret(phase=2, scal=[2**256 - 1, 0]))
    put(t, "secret_group_std", P(0, 0) + gsecret(group=b"standard"))
    put(t, "secret_group_unterminated", P(0, 0) + gsecret(group=b"G" * 16))
    put(t, "secret_phase3", P(0, 0) + gsecret(phase=3))
    put(t, "secret_k_gt_n", P(0, 0) + gsecret(k=4, n=3))
    put(t, "secret_i0", P(0, 0) + gsecret(i=0))
    put(t, "secret_k_huge", P(0, 0) + gsecret(k=2**20 - 1, n=2**31, scal=[1, 2, 3]))
    put(t, "secret_trailing", P(0, 0) + gsecret(extra=b"\0"))
    put(t, "secret_truncated", P(0, 0) + gsecret()[:-1])
    put(t, "secret_magic", P(0, 0) + gsecret(magic=0))
    put(t, "secret_empty", P(0, 0))
    put(t, "state_valid", P(1, 0) + dstate())
    put(t, "state_phase3", P(1, 0, 9) + dstate(phase=3))
    put(t, "state_nu0", P(1, 0) + dstate(nu=0, U=()))
    put(t, "state_ni0", P(1, 0) + dstate(ni=0))
    put(t, "state_u_big", P(1, 0) + dstate(u=[2**256 - 1, Q]))
    put(t, "state_len", P(1, 0) + dstate(extra=b"x"))
    put(t, "state_huge_counts", P(1, 0) + dstate(nu=2, ni=2**24)[:200])
    env = {"format": "scrutin-sealed", "version": 1, "kind": "guardian-secret",
           "kdf": "argon2id13", "opslimit": 1, "memlimit": 8192,
           "salt": "5A" * 16, "nonce": "A5" * 24, "box": "00" * 40}
    def e(name, which=0, **kw):
        x = dict(env); x.update(kw)
        for k2, v in list(x.items()):
            if v is None:
                x.pop(k2)
        put(t, name, P(which, 1) + json.dumps(x).encode())
    e("env_bad_mac")
    e("env_state_bad_mac", 1, kind="decrypt-state")
    e("env_wrong_kind", kind="decrypt-state")
    e("env_no_format", format=None)
    e("env_kdf", kdf="scrypt")
    e("env_ops0", opslimit=0)
    e("env_ops_neg", opslimit=-1)
    e("env_mem_small", memlimit=8191)
    e("env_salt_short", salt="5A" * 15)
    e("env_salt_lower", salt="5a" * 16)
    e("env_box_odd", box="000")
    e("env_box_short", box="00" * 16)
    e("env_box_nothex", box="ZZ" * 40)
    e("env_box_lower", box="ab" * 40)
    e("env_box_number", box=7)
    put(t, "env_not_json", P(0, 1) + b"{\"format\":")
    for name, pw in (("pass_plain", b"correct horse"), ("pass_nl", b"pw\n"),
                     ("pass_crlf", b"pw\r\n"), ("pass_two_lines", b"pw\nmore"),
                     ("pass_empty", b""), ("pass_only_nl", b"\n"),
                     ("pass_nul", b"a\0b\n"), ("pass_1023", b"x" * 1023),
                     ("pass_1022", b"x" * 1022 + b"\n"),
                     ("pass_utf8", "p\u00e4ssw\u00f6rd \u2603".encode())):
        put(t, name, bytes([4, 0]) + pw)
    put(t, "env_array", P(0, 1) + b"[]")
    sec = os.path.join(os.path.dirname(rec), os.path.basename(rec) + ".secrets",
                       "guardian_1.secret")
    if os.path.exists(sec):  # real file (INTERACTIVE cost: skipped, kept as shape)
        put(t, "env_real_interactive", P(0, 1) + rd(sec))


def seeds_verify(rec):
    # format_v2 was found valid by the verifier (fixed in 52ec8cf)
    record_variants("verify", rec)
    # the smallest record that reaches every step: one device, one cast
    # ballot and one challenged (SMALL_RECORD, see the top), and variants;
    # an input costs a few milliseconds instead of tens
    small = os.environ.get("SMALL_RECORD")
    if small:
        files = record_files(small)
        put("verify", "one_cast_one_challenged", archive(files))
        for name, old, new, tag in (
                ("tally.json", b'"value":1', b'"value":2', "tally_value"),
                ("challenged.jsonl", b'"selections":[0,0]',
                 b'"selections":[1,0]', "challenged_selection"),
                ("ballots/device_1.jsonl", b'"Challenged"', b'"Cast"',
                 "challenged_as_cast")):
            out = [(n, d.replace(old, new, 1) if n == name else d)
                   for n, d in files]
            put("verify", "small_" + tag, archive(out))


def seeds_cli_results(rec):
    """MANIFEST NUL TALLY [NUL ENCRYPTED_TALLY] for fuzz_cli_results."""
    t = "cli_results"
    man = json.loads(rd(os.path.join(rec, "election_manifest_canonical.bin")))
    tally = json.loads(rd(os.path.join(rec, "tally.json")))
    for c in tally["contests"]:
        c["options"] = [{"index": o["index"], "label": o["label"],
                         "value": o["value"]} for o in c["options"]]
    enc = json.dumps({"cast_ballots": 5})

    def seed(name, m, tl, e=enc):
        data = json.dumps(m, ensure_ascii=False).encode() + b"\0" + \
            json.dumps(tl, ensure_ascii=False).encode()
        if e is not None:
            data += b"\0" + e.encode()
        put(t, name, data)

    def relabel(labels):
        m = json.loads(json.dumps(man))
        tl = json.loads(json.dumps(tally))
        for ci, c in enumerate(m["contests"]):
            for oi, o in enumerate(c["options"]):
                new = labels.get((ci, oi))
                if new is not None:
                    o["label"] = new
                    tl["contests"][ci]["options"][oi]["label"] = new
            new = labels.get((ci, None))
            if new is not None:
                c["label"] = new
                tl["contests"][ci]["label"] = new
        return m, tl

    seed("valid", man, tally)
    seed("valid_no_enc", man, tally, None)
    # spreadsheet formulas (OWASP CSV injection): = + - @ at the start
    seed("formula_labels", *relabel({
        (0, None): "=HYPERLINK(\"http://x\",\"y\")", (0, 0): "+1+1",
        (0, 1): "-2+3", (1, 0): "@SUM(A1:A9)", (1, None): "=1"}))
    seed("quotes_commas", *relabel({
        (0, None): 'Mayor, "the" one', (0, 0): '"Ada"', (0, 1): "a,b\nc",
        (1, 0): "x'=y", (1, 1): " -not first"}))
    m, tl = relabel({})
    tl["contests"][0]["options"][0]["label"] = "Someone else"
    seed("tally_label_differs", m, tl)
    m, tl = relabel({})
    tl["contests"] = tl["contests"][:1]
    seed("tally_fewer_contests", m, tl)
    m, tl = relabel({})
    tl["contests"][0]["options"][0]["value"] = 2**64
    seed("tally_value_huge", m, tl)
    m, tl = relabel({})
    tl["contests"][0]["options"][1]["value"] = \
        tl["contests"][0]["options"][0]["value"]
    seed("tie", m, tl)
    seed("enc_negative", man, tally, json.dumps({"cast_ballots": -1}))
    put(t, "tally_not_json", json.dumps(man).encode() + b"\0{")
    put(t, "no_nul", json.dumps(man).encode())


def seeds_merge(rec):
    """fuzz_merge: r/ a record after a 2-guardian toy-q64 ceremony, d1/ ..
    d3/ devices' copies that encrypted in parallel, made with the scrutin
    binary named by SCRUTIN (keys are random: the seeds are not byte for
    byte reproducible, their shapes are)."""
    import shutil
    import subprocess
    import tempfile
    t = "merge"
    exe = os.environ.get("SCRUTIN")
    if not exe:
        return
    ex = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "examples")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    w = tempfile.mkdtemp()

    def run(*args):
        subprocess.run([exe] + list(args), cwd=w, env=env, check=True,
                       stdout=subprocess.DEVNULL)

    with open(os.path.join(w, "pass"), "w") as f:
        f.write("merge fuzz seed passphrase\n")
    os.chmod(os.path.join(w, "pass"), 0o600)
    run("ceremony", "--guardians", "2", "--quorum", "2", "--out", "base",
        "--secrets", "sec", "--manifest", os.path.join(ex, "manifest.json"),
        "--group", "toy-q64", "--passphrase-file", "pass", "--kdf",
        "interactive")
    lines = rd(os.path.join(ex, "ballots.jsonl")).splitlines(True)

    def device(name, d, prefix, n, *opts):
        with open(os.path.join(w, prefix + ".jsonl"), "wb") as f:
            for ln in lines[:n]:
                f.write(ln.replace(b'"id":"b-', b'"id":"' + prefix.encode() +
                                   b"-"))
        shutil.copytree(os.path.join(w, "base"), os.path.join(w, name))
        run("encrypt", "-q", "-r", name, "-d", str(d), *opts, prefix + ".jsonl")

    device("devA", 1, "a", 2)
    device("devB", 2, "b", 1, "--parallel")
    device("devC", 3, "c", 1, "--parallel", "-c", "none")
    device("devA2", 1, "b", 1)
    device("devDup", 2, "a", 1, "--parallel")
    ceremony = ["record.json", "election_parameters.json",
                "election_manifest_canonical.bin", "hashes.json",
                "joint_election_public_key.json", "hashes_ext.json",
                "guardians/guardian_1.json", "guardians/guardian_2.json"]
    base = [("r/" + n, rd(os.path.join(w, "base", n))) for n in ceremony]

    def dev(slot, name, d, edit=None):
        out = []
        for n in ("devices.json", "ballots/device_%d.jsonl" % d):
            data = rd(os.path.join(w, name, n))
            if edit is not None:
                data = edit(n, data)
            out.append(("%s/%s" % (slot, n), data))
        return out

    A, B, C = dev("d1", "devA", 1), dev("d2", "devB", 2), dev("d3", "devC", 3)
    put(t, "three_devices", archive(base + A + B + C))
    put(t, "one_device", archive(base + A))
    put(t, "again", archive(base + [(n.replace("d1/", "r/", 1), d)
                                    for n, d in A] + A + B))
    put(t, "one_number_two_devices",
        archive(base + A + dev("d2", "devA2", 1) + C))
    put(t, "label_twice", archive(base + A + dev("d2", "devDup", 2)))
    put(t, "gap", archive(base + A + C))
    put(t, "tallied", archive(base + [("r/encrypted_tally.json", b"{}")] + A))
    cut = lambda n, d: d[:d.rstrip(b"\n").rfind(b"\n") + 1] \
        if n.startswith("ballots/") else d
    put(t, "ballot_missing", archive(base + dev("d1", "devA", 1, cut) + B))
    seq = lambda n, d: d.replace(b'"sequence":2', b'"sequence":7', 1)
    put(t, "sequence", archive(base + dev("d1", "devA", 1, seq) + B))
    put(t, "other_election", archive(base + [
        ("d1/hashes.json", rd(os.path.join(w, "base", "hashes.json"))
         .replace(b'"h_p": "', b'"h_p": "0'))] + A))
    put(t, "no_devices_json", archive(base + A[1:] + B))
    shutil.rmtree(w)


def seeds_verify20_toy():
    """The toy-q64 2.0 record of test_verify20_gen (V20_TOY_RECORD): JSON
    compacted except manifest.json, whose bytes H_M hashes."""
    toy = os.environ.get("V20_TOY_RECORD")
    if not toy:
        return []
    files = []
    for dp, dn, fn in sorted(os.walk(toy)):
        dn.sort()
        for f in sorted(fn):
            p = os.path.join(dp, f)
            rel = os.path.relpath(p, toy)
            data = rd(p)
            if rel != "manifest.json":
                data = json.dumps(json.loads(data),
                                  separators=(",", ":")).encode()
            files.append((rel, data))
    return files


EGK = os.path.join(SHARED, "records", "egk-2.0")


def seeds_json20(rec):
    t = "json20"
    aa = os.path.join(EGK, "allAvailable")
    for name in ["constants.json", "election_config.json",
                 "election_initialized.json"]:
        p = os.path.join(aa, name)
        if os.path.exists(p):
            put(t, "egk_" + name, b"\x03" + rd(p))
    ch = os.path.join(EGK, "chained", "encrypted_ballots",
                      "runWorkflowChainedJson", "ballot_chain.json")
    if os.path.exists(ch):
        put(t, "egk_ballot_chain", b"\x03" + rd(ch))
    params = json.loads(rd(os.path.join(rec, "election_parameters.json")))
    grp = params["fixed_parameters"]["group"]
    P = int(grp["p"], 16)
    w = len(grp["p"])
    edge = {"g": grp["g"], "glow": grp["g"].lower(), "p": grp["p"],
            "zero": "0" * w, "one": "%0*X" % (w, 1), "short": grp["g"][2:],
            "h": "AB" * 32, "hlow": "ab" * 32, "h63": "A" * 63, "odd": "ABC",
            "nothex": "GG" * 32, "int": 1000, "intneg": -6, "big": 2**63 - 1,
            "float": 1.0, "null": None, "bool": True, "arr": [1, "2", None],
            "nest": {"a": {"b": {"c": [{"d": "AB" * 32}]}}}}
    put(t, "edge_q64", b"\x03" + json.dumps(edge).encode())
    long_key = "k" * 200
    put(t, "long_path", b"\x03" + json.dumps({long_key: {long_key: {long_key: [[[1]]]}}}).encode())
    put(t, "deep", b"\x00" + b'{"a":' * 60 + b"1" + b"}" * 60)
    put(t, "not_json", b"\x00{")
    put(t, "empty", b"")


def seeds_verify20(rec):
    t = "verify20"
    toy = seeds_verify20_toy()
    if toy:
        # a valid record on toy-q64 (fuzz_verify20 allows test parameters)
        put(t, "toy20_valid", archive(toy))
        def toy_sub(name, old, new, tag):
            out = [(n, d.replace(old, new, 1) if n == name else d)
                   for n, d in toy]
            put(t, "toy20_" + tag, archive(out))
        toy_sub("election_config.json", b'"chain_confirmation_codes":true',
                b'"chain_confirmation_codes":false', "unchained")
        toy_sub("tally.json", b'"tally":1', b'"tally":2', "tally_value")
        toy_sub("constants.json", b'"generator":"', b'"generator":"1',
                "generator")
        toy_sub("election_initialized.json", b'"x_coordinate":2',
                b'"x_coordinate":3', "x_coordinate")
        put(t, "toy20_no_ballots", archive(
            [(n, d) for n, d in toy if not n.startswith("encrypted_ballots/")]))
    t = "verify20_egk"  # standard group: replayed, not mutated (fuzz.cmake)
    for rname in ("allAvailable", "chained"):
        base = os.path.join(EGK, rname)
        if not os.path.isdir(base):
            continue
        head = [(n, rd(os.path.join(base, n))) for n in
                ("constants.json", "election_config.json", "manifest.json",
                 "election_initialized.json")]
        put(t, rname + "_head", archive(head))
        bdir = os.path.join(base, "encrypted_ballots")
        dev = sorted(os.listdir(bdir))[0]
        files = sorted(os.listdir(os.path.join(bdir, dev)))
        eb = [f for f in files if f.startswith("eballot-")][:2]
        def trim(obj, key, n):
            obj = json.loads(json.dumps(obj))
            obj[key] = obj[key][:n]
            return obj
        balls = []
        for f in eb:
            b = json.loads(rd(os.path.join(bdir, dev, f)))
            balls.append(("encrypted_ballots/%s/%s" % (dev, f),
                          json.dumps(trim(b, "contests", 1), indent=1)))
        if "ballot_chain.json" in files:
            balls.append(("encrypted_ballots/%s/ballot_chain.json" % dev,
                          rd(os.path.join(bdir, dev, "ballot_chain.json"))))
        tal = [("encrypted_tally.json", json.dumps(trim(json.loads(
                    rd(os.path.join(base, "encrypted_tally.json"))), "contests", 1))),
               ("tally.json", json.dumps(trim(json.loads(
                    rd(os.path.join(base, "tally.json"))), "contests", 1)))]
        put(t, rname + "_trimmed", archive(head + balls + tal))
        cb = os.path.join(base, "challenged_ballots")
        if os.path.isdir(cb):
            f = sorted(os.listdir(cb))[0]
            d = json.loads(rd(os.path.join(cb, f)))
            put(t, rname + "_challenged", archive(head + [
                ("challenged_ballots/" + f,
                 json.dumps(trim(d, "contests", 1)))]))
        if rname != "allAvailable":
            continue  # each input costs ~1 s (4096-bit group): keep few
        cfg = json.loads(head[1][1])
        for k2, v2 in (("config_version", "v2.1.0"), ("number_of_guardians", 0),
                       ("quorum", 99), ("parameter_base_hash", "AB")):
            c = dict(cfg); c[k2] = v2
            put(t, "%s_config_%s" % (rname, k2), archive(
                [head[0], ("election_config.json", json.dumps(c))] + head[2:]))
    t = "verify20"
    put(t, "config_only", archive([("election_config.json",
                                    b'{"config_version":"v2.0.0"}')]))
    put(t, "empty", b"")


if __name__ == "__main__":
    main()
