#!/usr/bin/env python3
"""A man in the middle for the clients' tests: forwards every request to
the board at UPSTREAM and changes the answers of GET /v1/signer/... as
MODE says, so that a client must refuse them (docs/BOARD.md §4.2):
  proof  one digit of the first entry's inclusion proof
  drop   the first entry left out (a gap in the sequence numbers)
  reg    one digit of the registration's inclusion proof
usage: tamper_proxy.py UPSTREAM_URL PORT_FILE MODE"""
import http.client, http.server, json, sys, urllib.parse

UP = urllib.parse.urlparse(sys.argv[1])
MODE = sys.argv[3]


def flip(h):
    return ("1" if h[0] != "1" else "2") + h[1:]


def tamper(body):
    a = json.loads(body)
    if MODE == "proof":
        a["entries"][0]["proof"] = flip(a["entries"][0]["proof"])
    elif MODE == "drop":
        a["entries"] = a["entries"][1:]
    elif MODE == "reg":
        a["registration"]["proof"] = flip(a["registration"]["proof"])
    return json.dumps(a).encode()


class H(http.server.BaseHTTPRequestHandler):
    def fwd(self, method):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        c = http.client.HTTPConnection(UP.hostname, UP.port, timeout=30)
        hs = {k: v for k, v in self.headers.items()
              if k.lower() not in ("host", "connection")}
        c.request(method, self.path, body=body, headers=hs)
        r = c.getresponse()
        data = r.read()
        if method == "GET" and self.path.startswith("/v1/signer/") and \
                r.status == 200:
            data = tamper(data)
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "connection",
                                 "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        c.close()

    def do_GET(self):
        self.fwd("GET")

    def do_POST(self):
        self.fwd("POST")

    def log_message(self, *a):
        pass


s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.serve_forever()
