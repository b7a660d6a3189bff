# The write-in election on a board, shared by write_ins_board.sh and
# write_ins_witness.sh (sourced after preamble.sh, with S, D set).
# wi_election: the election of tests/cli/write_ins_flow.sh and a
#   challenged ballot (b.jsonl), its ceremony (rec, sec) and a board in
#   st/; sets VKEY and ORIGIN.
# wi_guardians: the guardians, offline, on the board's export x0: work/
#   with the tally, the decryption, the write-in counts and openings and
#   results.json.
# post TYPE FILE: the authority posts FILE (the board stopped).
post() {
    "$S" board post --state st --passphrase-file pass --type "$1" "$2"
}

wi_election() {
    echo 'write-ins board test passphrase' >pass
    chmod 600 pass
    cp "$D/../cli/write_ins_manifest.json" m.json &&
        cp "$D/../cli/write_ins_ballots.jsonl" b.jsonl || exit 3
    echo '{"id":"b5","style":1,"challenge":true,"contest_fields_plaintexts":{"1":{"field_values":[0,1,0]},"2":{"field_values":[0,1]}}}' >>b.jsonl
    "$S" ceremony --guardians 3 --quorum 2 --out rec --secrets sec \
        --manifest m.json --group toy-q64 --passphrase-file pass \
        --kdf interactive >/dev/null || { echo "ceremony failed"; exit 3; }
    "$S" board init --record rec --state st --passphrase-file pass \
        --kdf interactive >init.txt 2>err.txt || { cat err.txt; exit 3; }
    VKEY=$(sed -n 's/^board key //p' init.txt)
    ORIGIN=${VKEY%%+*}
}

wi_guardians() {
    cp -r x0 work && rm -rf work/log
    expect 0 "tally" "$S" tally -r work
    expect 0 "decrypt (tally and write-in counts)" "$S" decrypt all \
        --record work --present 1,3 --secrets sec --passphrase-file pass
    expect 0 "decrypt --write-ins" "$S" decrypt all --write-ins --record work \
        --present 1,3 --secrets sec --passphrase-file pass
    [ "$(wc -l <work/write_in_counts.jsonl)" -eq 4 ] &&
        [ "$(wc -l <work/write_ins.jsonl)" -eq 2 ] &&
        ok "4 counts, 2 openings" ||
        bad "counts/openings: $(wc -l work/write_in*)"
    expect 0 "board results" "$S" board results --record work
}
