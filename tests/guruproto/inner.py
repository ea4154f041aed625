"""Inner messages (docs/protocol.md §4), the plaintext of sealed records: a type byte, then fields.

Messages are dicts shaped like the vectors' `message` objects, with bytes for `data` and `rgba`.
`decode` raises `InnerError` whose `kind` is the vectors' error name.
"""
import enum
import struct

from guruproto.envelope import Reader


class Type(enum.IntEnum):
    """Inner message types; the member names are the messages' `type`."""
    MonitorLayout = 0x01
    SessionInfo = 0x02
    TileUpdate = 0x10
    FrameEnd = 0x11
    FrameAck = 0x12
    CursorImage = 0x20
    CursorPosition = 0x21
    PointerMove = 0x30
    PointerButton = 0x31
    Wheel = 0x32
    Key = 0x33
    ClipboardText = 0x40
    ChannelClosed = 0x50
    DiagnosticsRequest = 0x60
    DiagnosticsReport = 0x61


ENCODINGS = {"jpeg": 1, "png": 2, "webp-lossless": 3, "vp8": 4}
ENCODING_NAMES = {value: name for name, value in ENCODINGS.items()}
SECURE_ATTENTION = {"keys": 0, "sas": 1, "unavailable": 2}
SECURE_ATTENTION_NAMES = {value: name for name, value in SECURE_ATTENTION.items()}
# SessionInfo's flags byte: bit 0, the agent runs elevated (Windows TokenElevation, Linux euid 0).
SESSION_ELEVATED = 0x01
VIDEO_KEYFRAME = 0x01  # bit 0 of a "vp8" tile's first data byte
MAX_MONITORS = 16
MAX_CURSOR = 256
MAX_KEY_STRING = 64
MAX_CAPTURE_NAME = 32
MONITOR_SIZE = 13
INPUT = {Type.PointerMove, Type.PointerButton, Type.Wheel, Type.Key}
PICTURE = {Type.TileUpdate, Type.FrameEnd, Type.CursorImage, Type.CursorPosition}  # their own E2E stream
CLOSE_REASONS = {"missingRecord": 1, "unexpectedRecord": 2}
CLOSE_REASON_NAMES = {value: name for name, value in CLOSE_REASONS.items()}
MAX_DIAGNOSTICS_REPORT = 262144  # bytes of JSON in a DiagnosticsReport


class InnerError(Exception):
    """An inner message that breaks §4; `kind` is one of the vectors' error names."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


def _invalid(what):
    return InnerError("InvalidField", what)


def _check_tile_data(encoding, data):
    if len(data) < 1:
        raise _invalid("empty image")
    if encoding == "vp8":
        if data[0] & ~VIDEO_KEYFRAME:
            raise _invalid("video flags")
        if len(data) < 2:
            raise _invalid("empty video frame")


def _check_request_id(request_id):
    if not 1 <= request_id <= 0xFFFFFFFF:
        raise _invalid("requestId")


def _check_report(raw):
    if not 1 <= len(raw) <= MAX_DIAGNOSTICS_REPORT:
        raise _invalid("report size")


# ---------- encoding ----------
def session_info_raw(name: bytes, secure_attention: int, flags=0):
    """SessionInfo from raw parts, so the invalid vectors can break each rule. `flags`: bit 0
    elevated (SESSION_ELEVATED), the other bits reserved (0)."""
    return bytes([Type.SessionInfo, len(name)]) + name + bytes([secure_attention, flags])


def encode(m):
    """The bytes of inner message `m`."""
    t = Type[m["type"]]
    out = bytes([t])
    if t == Type.MonitorLayout:
        monitors = m["monitors"]
        if not 1 <= len(monitors) <= MAX_MONITORS:
            raise _invalid("monitor count")
        out += bytes([len(monitors)])
        for mon in monitors:
            out += struct.pack(">iiHHB", mon["x"], mon["y"], mon["width"], mon["height"], 1 if mon.get("primary") else 0)
    elif t == Type.SessionInfo:
        name = m["captureName"].encode()
        if not 1 <= len(name) <= MAX_CAPTURE_NAME:
            raise _invalid("capture name")
        return session_info_raw(name, SECURE_ATTENTION[m["secureAttention"]],
                                SESSION_ELEVATED if m.get("elevated") else 0)
    elif t == Type.TileUpdate:
        _check_tile_data(m["encoding"], m["data"])
        out += struct.pack(">HHHHB", m["x"], m["y"], m["width"], m["height"], ENCODINGS[m["encoding"]]) + m["data"]
    elif t in (Type.FrameEnd, Type.FrameAck):
        out += struct.pack(">I", m["sequence"])
    elif t == Type.CursorImage:
        out += struct.pack(">HHHH", m["width"], m["height"], m["hotX"], m["hotY"]) + m["rgba"]
    elif t == Type.CursorPosition:
        out += struct.pack(">iiB", m["x"], m["y"], 1 if m["visible"] else 0)
    elif t == Type.PointerMove:
        out += struct.pack(">ii", m["x"], m["y"])
    elif t == Type.PointerButton:
        out += struct.pack(">BB", m["button"], 1 if m["pressed"] else 0)
    elif t == Type.Wheel:
        out += struct.pack(">hh", m["dx"], m["dy"])
    elif t == Type.Key:
        code, key = m["code"].encode(), m["key"].encode()
        if len(code) > MAX_KEY_STRING or len(key) > MAX_KEY_STRING or not (code or key):
            raise _invalid("key strings")
        out += struct.pack(">BB", 1 if m["pressed"] else 0, m["modifiers"])
        out += bytes([len(code)]) + code + bytes([len(key)]) + key
    elif t == Type.ClipboardText:
        out += m["text"].encode()
    elif t == Type.ChannelClosed:
        if m["reason"] not in CLOSE_REASONS:
            raise _invalid("reason")
        out += bytes([CLOSE_REASONS[m["reason"]]])
    elif t == Type.DiagnosticsRequest:
        _check_request_id(m["requestId"])
        out += struct.pack(">I", m["requestId"])
    elif t == Type.DiagnosticsReport:
        _check_request_id(m["requestId"])
        report = m["report"].encode()
        _check_report(report)
        out += struct.pack(">I", m["requestId"]) + report
    return out


# ---------- decoding ----------
def _bool(value, what):
    if value > 1:
        raise _invalid(what)
    return value == 1


def _utf8(raw, what):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid(what) from None


def _key_string(r, what, ascii_only):
    n = r.unpack(">B")
    if n > MAX_KEY_STRING:
        raise _invalid(what)
    raw = r.take(n)
    if ascii_only and any(b > 0x7F for b in raw):
        raise _invalid(what)
    return _utf8(raw, what)


def _decode_body(t, r):
    name = t.name
    if t == Type.MonitorLayout:
        count = r.unpack(">B")
        if not 1 <= count <= MAX_MONITORS:
            raise _invalid("monitor count")
        r.need(count * MONITOR_SIZE)  # a short list is Truncated before any field is judged
        monitors = []
        for _ in range(count):
            x, y, width, height, primary = r.unpack(">iiHHB")
            if width < 1 or height < 1:
                raise _invalid("monitor size")
            monitors.append({"x": x, "y": y, "width": width, "height": height, "primary": _bool(primary, "primary")})
        return {"type": name, "monitors": monitors}
    if t == Type.SessionInfo:
        raw_name = r.take(r.unpack(">B"))
        secure_attention, flags = r.unpack(">BB")
        if not 1 <= len(raw_name) <= MAX_CAPTURE_NAME:
            raise _invalid("capture name")
        capture_name = _utf8(raw_name, "capture name")
        if secure_attention not in SECURE_ATTENTION_NAMES:
            raise _invalid("secureAttention")
        if flags & ~SESSION_ELEVATED:
            raise _invalid("reserved flags")
        return {"type": name, "captureName": capture_name, "secureAttention": SECURE_ATTENTION_NAMES[secure_attention],
                "elevated": bool(flags & SESSION_ELEVATED)}
    if t == Type.TileUpdate:
        x, y, width, height, encoding = r.unpack(">HHHHB")
        if width < 1 or height < 1:
            raise _invalid("tile size")
        if encoding not in ENCODING_NAMES:
            raise _invalid("encoding")
        data = r.rest()
        _check_tile_data(ENCODING_NAMES[encoding], data)
        return {"type": name, "x": x, "y": y, "width": width, "height": height,
                "encoding": ENCODING_NAMES[encoding], "data": data}
    if t in (Type.FrameEnd, Type.FrameAck):
        return {"type": name, "sequence": r.unpack(">I")}
    if t == Type.CursorImage:
        width, height, hot_x, hot_y = r.unpack(">HHHH")
        if not (1 <= width <= MAX_CURSOR and 1 <= height <= MAX_CURSOR):
            raise _invalid("cursor size")
        if hot_x >= width or hot_y >= height:
            raise _invalid("hotspot")
        return {"type": name, "width": width, "height": height, "hotX": hot_x, "hotY": hot_y,
                "rgba": r.take(width * height * 4)}
    if t == Type.CursorPosition:
        x, y, visible = r.unpack(">iiB")
        return {"type": name, "x": x, "y": y, "visible": _bool(visible, "visible")}
    if t == Type.PointerMove:
        x, y = r.unpack(">ii")
        return {"type": name, "x": x, "y": y}
    if t == Type.PointerButton:
        button, pressed = r.unpack(">BB")
        if button > 4:
            raise _invalid("button")
        return {"type": name, "button": button, "pressed": _bool(pressed, "pressed")}
    if t == Type.Wheel:
        dx, dy = r.unpack(">hh")
        return {"type": name, "dx": dx, "dy": dy}
    if t == Type.Key:
        pressed = _bool(r.unpack(">B"), "pressed")
        modifiers = r.unpack(">B")
        if modifiers & 0xC0:
            raise _invalid("modifiers")
        code = _key_string(r, "code", True)
        key = _key_string(r, "key", False)
        if not code and not key:
            raise _invalid("empty key")
        return {"type": name, "pressed": pressed, "modifiers": modifiers, "code": code, "key": key}
    if t == Type.ClipboardText:
        return {"type": name, "text": _utf8(r.rest(), "text")}
    if t == Type.ChannelClosed:
        reason = CLOSE_REASON_NAMES.get(r.unpack(">B"))
        if reason is None:
            raise _invalid("reason")
        return {"type": name, "reason": reason}
    if t == Type.DiagnosticsRequest:
        request_id = r.unpack(">I")
        _check_request_id(request_id)
        return {"type": name, "requestId": request_id}
    if t == Type.DiagnosticsReport:
        request_id = r.unpack(">I")
        _check_request_id(request_id)
        raw = r.rest()
        _check_report(raw)
        return {"type": name, "requestId": request_id, "report": _utf8(raw, "report")}
    raise InnerError("UnknownType")


def decode(data):
    """The message of one inner plaintext."""
    data = bytes(data)
    if not data:
        raise InnerError("Empty")
    if data[0] not in Type._value2member_map_:
        raise InnerError("UnknownType")
    r = Reader(data[1:], "Truncated", InnerError)
    message = _decode_body(Type(data[0]), r)
    if r.remaining:
        raise InnerError("TrailingBytes")
    return message


# ---------- builders ----------
def monitor_layout(monitors):
    """`monitors`: dicts with x, y, width, height and optionally primary."""
    return encode({"type": "MonitorLayout", "monitors": monitors})


def session_info(capture_name, secure_attention="keys", elevated=False):
    return encode({"type": "SessionInfo", "captureName": capture_name, "secureAttention": secure_attention,
                   "elevated": elevated})


def tile_update(x, y, width, height, encoding, data):
    return encode({"type": "TileUpdate", "x": x, "y": y, "width": width, "height": height,
                   "encoding": encoding, "data": data})


def video_data(vp8_frame, keyframe):
    """The data of a "vp8" TileUpdate: the flags byte (bit 0 keyframe), then one VP8 frame."""
    return bytes([VIDEO_KEYFRAME if keyframe else 0]) + vp8_frame


def frame_end(sequence):
    return encode({"type": "FrameEnd", "sequence": sequence})


def frame_ack(sequence):
    return encode({"type": "FrameAck", "sequence": sequence})


def cursor_image(width, height, hot_x, hot_y, rgba):
    return encode({"type": "CursorImage", "width": width, "height": height, "hotX": hot_x, "hotY": hot_y, "rgba": rgba})


def cursor_position(x, y, visible=True):
    return encode({"type": "CursorPosition", "x": x, "y": y, "visible": visible})


def pointer_move(x, y):
    return encode({"type": "PointerMove", "x": x, "y": y})


def pointer_button(button, pressed):
    return encode({"type": "PointerButton", "button": button, "pressed": pressed})


def wheel(dx, dy):
    return encode({"type": "Wheel", "dx": dx, "dy": dy})


def key(code, key_text, pressed=True, modifiers=0):
    return encode({"type": "Key", "pressed": pressed, "modifiers": modifiers, "code": code, "key": key_text})


def clipboard_text(text):
    return encode({"type": "ClipboardText", "text": text})


def diagnostics_request(request_id):
    return encode({"type": "DiagnosticsRequest", "requestId": request_id})


def diagnostics_report(request_id, report_json):
    """`report_json`: the report's JSON text (a str)."""
    return encode({"type": "DiagnosticsReport", "requestId": request_id, "report": report_json})
