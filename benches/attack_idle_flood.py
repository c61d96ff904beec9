#!/usr/bin/env python3
"""Issue 8's idle-connection flood against a running binary under a low descriptor limit:
opens N connections that send nothing, then times an IsAlive-equivalent on a fresh connection
and counts the node's log lines.

usage: attack_idle_flood.py <nanoipc binary> [connections=400] [nofile=256]
"""
import os, resource, socket, struct, subprocess, sys, tempfile, time

binary = sys.argv[1]
conns = int(sys.argv[2]) if len(sys.argv) > 2 else 400
nofile = int(sys.argv[3]) if len(sys.argv) > 3 else 256

d = tempfile.mkdtemp()
sock = os.path.join(d, "sock")
with open(os.path.join(d, "config-node.toml"), "w") as f:
    f.write('[node]\nnetwork = "dev"\n[node.ipc.local]\npath = "%s"\n' % sock)
log = open(os.path.join(d, "log"), "w+")
limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
node = subprocess.Popen([binary, "node", "--data-path", d], stderr=log, preexec_fn=limit)
while not os.path.exists(sock):
    time.sleep(0.05)

idle = []
for _ in range(conns):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    idle.append(s)
time.sleep(2)

def probe(timeout):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(timeout)
    s.connect(sock)
    body = b'{"action":"block_count"}'
    start = time.monotonic()
    try:
        s.sendall(b"N\x01\x00\x00" + struct.pack(">I", len(body)) + body)
        n = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
        s.recv(n, socket.MSG_WAITALL)
        return "%.1f ms" % ((time.monotonic() - start) * 1000)
    except socket.timeout:
        return "no answer within %d s" % timeout
    finally:
        s.close()

print("%d idle connections, RLIMIT_NOFILE %d: probe %s" % (conns, nofile, probe(5)))
node.terminate()
node.wait()
log.seek(0)
lines = log.read().splitlines()
print("log lines: %d, of which accept failures: %d" % (len(lines), sum("accept failed" in l for l in lines)))
for l in lines:
    if "max_connections" in l or "file-descriptor" in l:
        print("  " + l[:200])
