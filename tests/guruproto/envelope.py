"""The envelope (docs/protocol.md §2): an 8-byte header (version, tag, flags, length), then the payload.

Messages are dicts shaped like the vectors' `message` objects, with Python values: bytes for ids,
tokens and records, int for u64 nonces. `decode` checks every rule the other implementations check
and raises `EnvelopeError` whose `kind` is the vectors' error name.
"""
import enum
import struct

VERSION = 1
HEADER_SIZE = 8
MAX_PAYLOAD = 1 << 20
MAX_FRAME = HEADER_SIZE + MAX_PAYLOAD
MAX_TOKEN = 1024
ID_SIZE = 16
# AgentChallenge and AgentProof (§1.1): a nonce, an Ed25519 public key and signature.
CHALLENGE_NONCE_SIZE, IDENTITY_KEY_SIZE, SIGNATURE_SIZE = 32, 32, 64
INVENTORY_MIN, INVENTORY_MAX = 2, 65536
MAC_SIZE, IPV4_SIZE = 6, 4


class Tag(enum.IntEnum):
    """Stable numeric tags (§2.2); the member names are the messages' `type`."""
    AgentHello = 0x01
    ViewerJoin = 0x02
    Welcome = 0x03
    Reject = 0x04
    AgentChallenge = 0x05
    AgentProof = 0x06
    Ping = 0x10
    Pong = 0x11
    ViewerJoined = 0x20
    ViewerLeft = 0x21
    SessionEnd = 0x22
    ViewerInfo = 0x23
    Relay = 0x30
    AgentStatus = 0x40
    AgentInfo = 0x41
    AgentInventory = 0x42
    WakeOnLan = 0x43


# Relay flags (§2.5): the agent marks the records of a picture frame, so the relay can drop a slow
# viewer's frames whole. "frameEnd" is the last record of a frame and includes "picture".
PICTURE, FRAME_END = 0x0001, 0x0002
RELAY_MARKS = {"none": 0, "picture": PICTURE, "frameEnd": PICTURE | FRAME_END}
RELAY_MARK_NAMES = {value: name for name, value in RELAY_MARKS.items()}
MODES = {"control": 0, "view": 1}
MODE_NAMES = {value: name for name, value in MODES.items()}
REJECT_CODES = {1: "bad credential", 2: "unknown session", 3: "unsupported version", 4: "rate limited",
                5: "server error", 6: "session full"}
AGENT_STATES = {1: "waiting for consent", 2: "consent given", 3: "consent declined", 4: "ended by the user"}


class EnvelopeError(Exception):
    """A frame that breaks §2; `kind` is one of the vectors' error names."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


def frame(tag, payload=b"", *, version=VERSION, flags=0, length=None):
    """A frame from raw parts: `tag` a name or any byte (unknown ones too), `length` overriding the
    declared length (both for the invalid vectors)."""
    n = len(payload) if length is None else length
    return struct.pack(">BBHI", version, Tag[tag] if isinstance(tag, str) else tag, flags, n) + payload


# ---------- encoding ----------
def _token(value):
    if not 1 <= len(value) <= MAX_TOKEN:
        raise EnvelopeError("InvalidField", "token length")
    return struct.pack(">H", len(value)) + value


def _id(value):
    if len(value) != ID_SIZE:
        raise EnvelopeError("InvalidField", "id128")
    return value


def _short_text(text):
    encoded = text.encode()
    if len(encoded) > 255:
        raise EnvelopeError("InvalidField", "text longer than 255 bytes")
    return bytes([len(encoded)]) + encoded


def _fixed(value, size, what):
    if len(value) != size:
        raise EnvelopeError("InvalidField", what)
    return bytes(value)


def _mode(mode):
    if mode not in MODES:
        raise EnvelopeError("InvalidField", "mode")
    return MODES[mode]


def payload_of(m):
    """The payload bytes of message `m`."""
    t = m["type"]
    if t == "AgentHello":
        return _id(m["agentId"]) + _token(m["credential"]) + _short_text(m["agentVersion"])
    if t == "ViewerJoin":
        return _id(m["sessionId"]) + _token(m["joinToken"]) + bytes([_mode(m["mode"])])
    if t == "Welcome":
        if m["heartbeatSeconds"] < 1:
            raise EnvelopeError("InvalidField", "heartbeatSeconds")
        return struct.pack(">IH", m["connectionId"], m["heartbeatSeconds"])
    if t == "Reject":
        return struct.pack(">H", m["code"])
    if t in ("Ping", "Pong"):
        return struct.pack(">Q", m["nonce"])
    if t == "ViewerJoined":
        if m["viewerId"] == 0:
            raise EnvelopeError("InvalidField", "viewerId")
        return _id(m["sessionId"]) + struct.pack(">IB", m["viewerId"], _mode(m["mode"]))
    if t == "ViewerLeft":
        return struct.pack(">IH", m["viewerId"], m["reason"])
    if t == "SessionEnd":
        return _id(m["sessionId"]) + struct.pack(">H", m["reason"])
    if t == "ViewerInfo":
        if m["viewerId"] == 0:
            raise EnvelopeError("InvalidField", "viewerId")
        return struct.pack(">I", m["viewerId"]) + _short_text(m["name"])
    if t == "Relay":
        if not m["sealed"]:
            raise EnvelopeError("InvalidField", "empty record")
        return struct.pack(">I", m["peerId"]) + m["sealed"]
    if t == "AgentStatus":
        return bytes([m["state"]])
    if t == "AgentInfo":
        return b"".join(_short_text(m[k]) for k in ("hostname", "osName", "userName"))
    if t == "AgentInventory":
        data = m["json"].encode("utf-8")
        if not INVENTORY_MIN <= len(data) <= INVENTORY_MAX:
            raise EnvelopeError("InvalidField", "inventory size")
        return data
    if t == "WakeOnLan":
        mac = _fixed(m["mac"], MAC_SIZE, "mac")
        if mac in (bytes(MAC_SIZE), b"\xff" * MAC_SIZE):
            raise EnvelopeError("InvalidField", "mac")
        return mac + _fixed(m["broadcast"], IPV4_SIZE, "broadcast")
    if t == "AgentChallenge":
        return _fixed(m["nonce"], CHALLENGE_NONCE_SIZE, "nonce")
    if t == "AgentProof":
        return _fixed(m["identityKey"], IDENTITY_KEY_SIZE, "identityKey") + _fixed(m["signature"], SIGNATURE_SIZE, "signature")
    raise EnvelopeError("UnknownTag", str(t))


def encode(m):
    """The frame of message `m`."""
    payload = payload_of(m)
    if len(payload) > MAX_PAYLOAD:
        raise EnvelopeError("FrameTooLarge")
    flags = RELAY_MARKS[m.get("mark", "none")] if m["type"] == "Relay" else 0
    return frame(Tag[m["type"]], payload, flags=flags)


# ---------- decoding ----------
class Reader:
    """Reads big-endian fields, never past the end; running short raises `short` (an error kind)."""

    def __init__(self, data, short, error=EnvelopeError):
        self.data, self.at, self.short, self.error = data, 0, short, error

    @property
    def remaining(self):
        return len(self.data) - self.at

    def take(self, n):
        if n < 0 or self.remaining < n:
            raise self.error(self.short)
        out = self.data[self.at:self.at + n]
        self.at += n
        return out

    def need(self, n):
        if self.remaining < n:
            raise self.error(self.short)

    def unpack(self, fmt):
        values = struct.unpack(fmt, self.take(struct.calcsize(fmt)))
        return values[0] if len(values) == 1 else values

    def rest(self):
        return self.take(self.remaining)


def check_header(data):
    """(tag, flags, declared payload length) from the header alone: what a receiver checks before
    buffering. Only Relay may carry flags, and only the combinations of RELAY_MARKS."""
    if len(data) < HEADER_SIZE:
        raise EnvelopeError("Incomplete")
    version, tag, flags, length = struct.unpack(">BBHI", data[:HEADER_SIZE])
    if version != VERSION:
        raise EnvelopeError("UnsupportedVersion")
    if tag not in Tag._value2member_map_:
        raise EnvelopeError("UnknownTag")
    if flags != 0 and not (tag == Tag.Relay and flags in RELAY_MARK_NAMES):
        raise EnvelopeError("ReservedFlags")
    if length > MAX_PAYLOAD:
        raise EnvelopeError("FrameTooLarge")
    return Tag(tag), flags, length


def _split(data):
    data = bytes(data)
    tag, flags, length = check_header(data)
    if len(data) < HEADER_SIZE + length:
        raise EnvelopeError("Incomplete")
    if len(data) > HEADER_SIZE + length:
        raise EnvelopeError("MalformedPayload", "bytes after the declared length")
    return tag, flags, data[HEADER_SIZE:]


def split(data):
    """(tag, payload) of exactly one frame, header and length checked, payload not decoded."""
    tag, _, payload = _split(data)
    return tag, payload


def _utf8(raw, what):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EnvelopeError("InvalidField", what) from None


def _read_token(r):
    n = r.unpack(">H")
    if not 1 <= n <= MAX_TOKEN:
        raise EnvelopeError("InvalidField", "token length")
    return r.take(n)


def _read_mode(r):
    value = r.unpack(">B")
    if value not in MODE_NAMES:
        raise EnvelopeError("InvalidField", "mode")
    return MODE_NAMES[value]


def _decode_payload(tag, flags, r):
    name = tag.name
    if tag == Tag.AgentHello:
        agent_id, credential = r.take(ID_SIZE), _read_token(r)
        return {"type": name, "agentId": agent_id, "credential": credential,
                "agentVersion": _utf8(r.take(r.unpack(">B")), "agentVersion")}
    if tag == Tag.ViewerJoin:
        return {"type": name, "sessionId": r.take(ID_SIZE), "joinToken": _read_token(r), "mode": _read_mode(r)}
    if tag == Tag.Welcome:
        connection_id, heartbeat = r.unpack(">IH")
        if heartbeat < 1:
            raise EnvelopeError("InvalidField", "heartbeatSeconds")
        return {"type": name, "connectionId": connection_id, "heartbeatSeconds": heartbeat}
    if tag == Tag.Reject:
        code = r.unpack(">H")
        if code not in REJECT_CODES:
            raise EnvelopeError("InvalidField", "reject code")
        return {"type": name, "code": code}
    if tag in (Tag.Ping, Tag.Pong):
        return {"type": name, "nonce": r.unpack(">Q")}
    if tag == Tag.ViewerJoined:
        session, viewer_id = r.take(ID_SIZE), r.unpack(">I")
        if viewer_id == 0:
            raise EnvelopeError("InvalidField", "viewerId")
        return {"type": name, "sessionId": session, "viewerId": viewer_id, "mode": _read_mode(r)}
    if tag == Tag.ViewerLeft:
        viewer_id, reason = r.unpack(">IH")
        return {"type": name, "viewerId": viewer_id, "reason": reason}
    if tag == Tag.SessionEnd:
        return {"type": name, "sessionId": r.take(ID_SIZE), "reason": r.unpack(">H")}
    if tag == Tag.ViewerInfo:
        viewer_id = r.unpack(">I")
        if viewer_id == 0:
            raise EnvelopeError("InvalidField", "viewerId")
        return {"type": name, "viewerId": viewer_id, "name": _utf8(r.take(r.unpack(">B")), "name")}
    if tag == Tag.Relay:
        peer = r.unpack(">I")
        if r.remaining < 1:
            raise EnvelopeError("InvalidField", "empty record")
        return {"type": name, "peerId": peer, "sealed": r.rest(), "mark": RELAY_MARK_NAMES[flags]}
    if tag == Tag.AgentStatus:
        state = r.unpack(">B")
        if state not in AGENT_STATES:
            raise EnvelopeError("InvalidField", "state")
        return {"type": name, "state": state}
    if tag == Tag.AgentChallenge:
        return {"type": name, "nonce": r.take(CHALLENGE_NONCE_SIZE)}
    if tag == Tag.AgentProof:
        return {"type": name, "identityKey": r.take(IDENTITY_KEY_SIZE), "signature": r.take(SIGNATURE_SIZE)}
    if tag == Tag.AgentInfo:
        out = {"type": name}
        for field in ("hostname", "osName", "userName"):
            out[field] = _utf8(r.take(r.unpack(">B")), field)
        return out
    if tag == Tag.AgentInventory:
        data = r.rest()
        if not INVENTORY_MIN <= len(data) <= INVENTORY_MAX:
            raise EnvelopeError("InvalidField", "inventory size")
        return {"type": name, "json": _utf8(data, "json")}
    if tag == Tag.WakeOnLan:
        mac, broadcast = r.take(MAC_SIZE), r.take(IPV4_SIZE)
        if mac in (bytes(MAC_SIZE), b"\xff" * MAC_SIZE):
            raise EnvelopeError("InvalidField", "mac")
        return {"type": name, "mac": mac, "broadcast": broadcast}
    raise EnvelopeError("UnknownTag")


def decode(data):
    """The message of exactly one frame (the whole of `data`)."""
    tag, flags, payload = _split(data)
    r = Reader(payload, "MalformedPayload")
    message = _decode_payload(tag, flags, r)
    if r.remaining:
        raise EnvelopeError("MalformedPayload", "trailing bytes")
    return message


# ---------- one builder per message ----------
def agent_hello(agent_id, credential, version="0.1.0"):
    return encode({"type": "AgentHello", "agentId": agent_id, "credential": credential, "agentVersion": version})


def viewer_join(session_id, join_token, mode="control"):
    return encode({"type": "ViewerJoin", "sessionId": session_id, "joinToken": join_token, "mode": mode})


def welcome(connection_id, heartbeat_seconds):
    return encode({"type": "Welcome", "connectionId": connection_id, "heartbeatSeconds": heartbeat_seconds})


def reject(code):
    return encode({"type": "Reject", "code": code})


def ping(nonce):
    return encode({"type": "Ping", "nonce": nonce})


def pong(nonce):
    return encode({"type": "Pong", "nonce": nonce})


def viewer_joined(session_id, viewer_id, mode="control"):
    return encode({"type": "ViewerJoined", "sessionId": session_id, "viewerId": viewer_id, "mode": mode})


def viewer_left(viewer_id, reason=0):
    return encode({"type": "ViewerLeft", "viewerId": viewer_id, "reason": reason})


def session_end(session_id, reason):
    return encode({"type": "SessionEnd", "sessionId": session_id, "reason": reason})


def viewer_info(viewer_id, name):
    return encode({"type": "ViewerInfo", "viewerId": viewer_id, "name": name})


def relay(peer_id, record, mark="none"):
    """`mark`: "none", or "picture" / "frameEnd" for the records of a picture frame (§2.5)."""
    return encode({"type": "Relay", "peerId": peer_id, "sealed": record, "mark": mark})


def agent_status(state):
    """AgentStatus (docs/support.md §3): 1 waiting for consent, 2 given, 3 declined, 4 ended by the user."""
    return encode({"type": "AgentStatus", "state": state})


def agent_info(hostname, os_name, user_name):
    return encode({"type": "AgentInfo", "hostname": hostname, "osName": os_name, "userName": user_name})


def agent_inventory(json_text):
    return encode({"type": "AgentInventory", "json": json_text})


def wake_on_lan(mac, broadcast):
    return encode({"type": "WakeOnLan", "mac": mac, "broadcast": broadcast})


def agent_challenge(nonce):
    return encode({"type": "AgentChallenge", "nonce": nonce})


def agent_proof(identity_key, signature):
    return encode({"type": "AgentProof", "identityKey": identity_key, "signature": signature})
