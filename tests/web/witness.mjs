// A test double of a C2SP tlog-witness for the real-board test: it
// cosigns (tlog-cosignature/v1, Ed25519, key id with type 0x04) every
// checkpoint POSTed to /add-checkpoint without checking consistency, so
// that the page's checks can be run against `scrutin board serve` without
// depending on the witness server. Never a real witness.
//   node witness.mjs NAME PORT_FILE VKEY_FILE
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { H } from "./rfc6962.mjs";

const [name, portFile, vkeyFile] = process.argv.slice(2);
const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
const pub = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
const kid = H(Buffer.from(`${name}\n`), [4], pub).subarray(0, 4);
fs.writeFileSync(vkeyFile, `${name}+${kid.toString("hex")}+${Buffer.concat([Buffer.from([4]), pub]).toString("base64")}`);
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", () => {
    const note = body.slice(body.indexOf("\n\n") + 2); // after "old N" and the proof
    const text = note.slice(0, note.indexOf("\n\n") + 1);
    const t = Math.floor(Date.now() / 1000);
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(BigInt(t));
    const sig = crypto.sign(null, Buffer.from(`cosignature/v1\ntime ${t}\n${text}`), privateKey);
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(`\u2014 ${name} ${Buffer.concat([kid, ts, sig]).toString("base64")}\n`);
  });
});
server.listen(0, "127.0.0.1", () => fs.writeFileSync(portFile, String(server.address().port)));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
