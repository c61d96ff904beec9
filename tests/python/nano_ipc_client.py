"""A standard-library IPC client written the way nano's Python IPC client is: a socket, the 'N'
preamble, a be32 length, the JSON request; the answer is a be32 length and JSON. Used by
tests/ipc_python.rs as an independent second implementation of the wire format."""
import json
import socket
import struct
import sys


GENESIS = "nano_3e3j5tkog48pnny9dmfzj1r16pg8t1e76dz5tmac6iq689wyjfpiij4txtdo"


def connect(target):
    if target.startswith("unix://"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(target[len("unix://"):])
    elif target.startswith("tcp://"):
        host, port = target[len("tcp://"):].rsplit(":", 1)
        s = socket.create_connection((host, int(port)))
    else:
        raise ValueError("bad target " + target)
    return s


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def request(s, encoding, payload):
    s.sendall(struct.pack(">cBBBI", b"N", encoding, 0, 0, len(payload)) + payload)
    (length,) = struct.unpack(">I", recv_exactly(s, 4))
    return recv_exactly(s, length)


def main():
    target = sys.argv[1]
    s = connect(target)
    out = []
    # Several requests on one persistent connection.
    for body in ({"action": "echo", "value": "py"}, {"action": "nope"}, {"action": "work_cancel", "hash": "AB"}):
        answer = request(s, 1, json.dumps(body).encode())
        out.append(json.loads(answer))
    # One v2 call in flatbuffers' JSON form (encoding 4) on the same connection.
    v2 = json.loads(request(s, 4, json.dumps(
        {"correlation_id": "py-1", "message_type": "AccountWeight",
         "message": {"account": GENESIS}}).encode()))
    out.append({k: v2[k] for k in ("correlation_id", "message_type", "message")})
    out.append({"time_is_int": isinstance(v2.get("time"), int) and v2["time"] > 0})
    # A bad preamble must close the connection without an answer.
    bad = connect(target)
    bad.sendall(b"X\x01\x00\x00\x00\x00\x00\x02{}")
    closed = bad.recv(16) == b""
    print(json.dumps({"answers": out, "bad_preamble_closed": closed}, sort_keys=True))


if __name__ == "__main__":
    main()
