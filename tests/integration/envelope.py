"""A small envelope encoder/decoder for tests (docs/protocol.md §2), checked against protocol/vectors."""
import struct

TAGS = {"AgentHello": 0x01, "ViewerJoin": 0x02, "Welcome": 0x03, "Reject": 0x04, "Ping": 0x10, "Pong": 0x11,
        "ViewerJoined": 0x20, "ViewerLeft": 0x21, "SessionEnd": 0x22, "ViewerInfo": 0x23, "Relay": 0x30, "AgentInfo": 0x41,
        "AgentStatus": 0x40}
NAMES = {value: key for key, value in TAGS.items()}


def frame(tag, payload):
    return struct.pack(">BBHI", 1, TAGS[tag], 0, len(payload)) + payload


def token(value: bytes):
    return struct.pack(">H", len(value)) + value


def agent_hello(agent_id: bytes, credential: bytes, version=b"0.1.0"):
    return frame("AgentHello", agent_id + token(credential) + bytes([len(version)]) + version)


def viewer_join(session_id: bytes, join_token: bytes, mode=0):
    return frame("ViewerJoin", session_id + token(join_token) + bytes([mode]))


def ping(nonce):
    return frame("Ping", struct.pack(">Q", nonce))


def relay(peer, record: bytes):
    return frame("Relay", struct.pack(">I", peer) + record)


def agent_status(state):
    """AgentStatus (docs/support.md §3): 1 waiting for consent, 2 given, 3 declined, 4 ended by the user."""
    return frame("AgentStatus", bytes([state]))


def agent_info(hostname: str, os_name: str, user_name: str):
    return frame("AgentInfo", b"".join(bytes([len(v)]) + v for v in (hostname.encode(), os_name.encode(), user_name.encode())))


def viewer_info(viewer_id, name: str):
    encoded = name.encode()
    return frame("ViewerInfo", struct.pack(">IB", viewer_id, len(encoded)) + encoded)


def decode(data: bytes):
    """Returns (name, fields) for the frames the server sends."""
    version, tag, flags, length = struct.unpack(">BBHI", data[:8])
    assert version == 1 and flags == 0 and length == len(data) - 8, data[:8].hex()
    body, name = data[8:], NAMES[tag]
    if name == "Welcome":
        return name, dict(zip(("connectionId", "heartbeatSeconds"), struct.unpack(">IH", body)))
    if name == "Reject":
        return name, {"code": struct.unpack(">H", body)[0]}
    if name in ("Ping", "Pong"):
        return name, {"nonce": struct.unpack(">Q", body)[0]}
    if name == "ViewerJoined":
        return name, {"sessionId": body[:16], "viewerId": struct.unpack(">I", body[16:20])[0], "mode": body[20]}
    if name == "ViewerLeft":
        return name, dict(zip(("viewerId", "reason"), struct.unpack(">IH", body)))
    if name == "SessionEnd":
        return name, {"sessionId": body[:16], "reason": struct.unpack(">H", body[16:])[0]}
    if name == "Relay":
        return name, {"peerId": struct.unpack(">I", body[:4])[0], "record": body[4:]}
    if name == "ViewerInfo":
        viewer_id, length = struct.unpack(">IB", body[:5])
        assert viewer_id != 0 and len(body) == 5 + length, body.hex()
        return name, {"viewerId": viewer_id, "name": body[5:].decode()}
    if name == "AgentStatus":
        assert len(body) == 1 and 1 <= body[0] <= 4, body.hex()
        return name, {"state": body[0]}
    return name, {"raw": body}
