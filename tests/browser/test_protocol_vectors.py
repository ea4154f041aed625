"""The viewer's JS protocol modules (js/protocol/) against the shared vectors in
protocol/vectors/, run inside Chromium on a page of the real server."""
import json

import pytest

from browser_steps import REPO

VECTORS = REPO / "protocol" / "vectors"

# Converts between the vectors' JSON shape (hex bytes, u64 as decimal strings) and
# the modules' shape (Uint8Array, BigInt); the envelope's Relay record is "sealed" there.
HARNESS = """
async ({ kind, vectors }) => {
  const bytes = await import('/assets/js/protocol/bytes.js');
  const envelope = await import('/assets/js/protocol/envelope.js');
  const inner = await import('/assets/js/protocol/inner.js');
  const BYTE_FIELDS = new Set(['agentId', 'credential', 'sessionId', 'joinToken', 'record', 'data', 'rgba',
                               'identityKey', 'signature', 'mac', 'broadcast']);
  const toJson = (message) => {
    const out = {};
    for (const [key, value] of Object.entries(message)) {
      const name = message.type === 'Relay' && key === 'record' ? 'sealed' : key;
      if (value instanceof Uint8Array) out[name] = bytes.toHex(value);
      else if (typeof value === 'bigint') out[name] = value.toString();
      else out[name] = value;
    }
    return out;
  };
  const fromJson = (message) => {
    const out = {};
    for (const [key, value] of Object.entries(message)) {
      const name = message.type === 'Relay' && key === 'sealed' ? 'record' : key;
      if (BYTE_FIELDS.has(name)) out[name] = bytes.fromHex(value);
      else if (name === 'nonce' && message.type === 'AgentChallenge') out[name] = bytes.fromHex(value);
      else if (name === 'nonce') out[name] = BigInt(value);
      else out[name] = value;
    }
    return out;
  };
  const [decode, encode] = kind === 'envelope'
    ? [envelope.decodeEnvelope, envelope.encodeEnvelope] : [inner.decodeInner, inner.encodeInner];
  const results = [];
  for (const v of vectors.valid) {
    let decoded = null, encoded = null, error = null;
    try {
      decoded = toJson(decode(bytes.fromHex(v.hex)));
      encoded = bytes.toHex(encode(fromJson(v.message)));
    } catch (err) { error = `${err.name}: ${err.message}`; }
    results.push({ name: v.name, decoded, encoded, error });
  }
  for (const v of vectors.invalid) {
    let error = null;
    try { decode(bytes.fromHex(v.hex)); } catch (err) { error = err.kind || `${err.name}: ${err.message}`; }
    results.push({ name: v.name, error, invalid: true });
  }
  return results;
}
"""

E2E_HARNESS = """
async (v) => {
  const { fromHex, toHex } = await import('/assets/js/protocol/bytes.js');
  const e2e = await import('/assets/js/protocol/e2e.js');
  const out = {};
  const agentPub = fromHex(v.agentPublic), viewerPub = fromHex(v.viewerPublic);
  const agentKey = await e2e.importPrivateKey(fromHex(v.agentPrivate), agentPub);
  const viewerKey = await e2e.importPrivateKey(fromHex(v.viewerPrivate), viewerPub);
  out.secretAgent = toHex(await e2e.sharedSecret(agentKey.privateKey, viewerPub));
  out.secretViewer = toHex(await e2e.sharedSecret(viewerKey.privateKey, agentPub));
  const sessionId = fromHex(v.sessionId), identityPublic = fromHex(v.identityPublic);
  const th = await e2e.transcriptHash({ agentPublic: agentPub, viewerPublic: viewerPub, identityPublic, sessionId, viewerId: v.viewerId });
  out.transcriptHash = toHex(th);
  out.keyCommitment = toHex(await e2e.keyCommitment(agentPub, identityPublic));
  out.signingInput = toHex(e2e.keyConfirmSigningInput(th));
  out.signatureValid = await e2e.verifyEd25519(identityPublic, e2e.keyConfirmSigningInput(th), fromHex(v.signature));
  const keys = await e2e.deriveKeyBytes(fromHex(v.sharedSecret), th);
  out.keyAgentToViewer = toHex(keys.agentToViewer);
  out.keyViewerToAgent = toHex(keys.viewerToAgent);
  out.shortAuthString = await e2e.shortAuthString(th);
  const kindOf = async (fn) => { try { await fn(); return 'ok'; } catch (err) { return err.kind || String(err); } };
  // The viewer's half of the handshake against the agent's vector records.
  const handshake = () => new e2e.ViewerHandshake({ keys: viewerKey, sessionId, viewerId: v.viewerId });
  const hs = handshake();
  out.keyShareViewer = toHex(hs.commitReceived(fromHex(v.keyCommitRecord)));
  const accepted = await hs.confirmReceived(fromHex(v.keyConfirmRecord));
  out.acceptedCode = accepted.shortAuthString;
  out.acceptedIdentity = toHex(accepted.identityPublic);
  out.handshakeRejections = [];
  for (const r of v.handshakeRejections) {
    const h = handshake();
    out.handshakeRejections.push(await kindOf(async () => { h.commitReceived(fromHex(r.commit)); await h.confirmReceived(fromHex(r.confirm)); }));
  }
  const make = async (role) => e2e.E2EChannel.fromKeys(role, await e2e.deriveKeyBytes(fromHex(v.sharedSecret), th), th);
  const viewer = await make('viewer'), agent = await make('agent');
  const viewerRx = await make('viewer'), agentRx = await make('agent');
  out.records = [];
  for (const r of v.records) {
    const [sender, receiver] = r.direction === 'agentToViewer' ? [agent, viewerRx] : [viewer, agentRx];
    const sealed = toHex(await sender.seal(fromHex(r.message), { stream: r.stream, padTo: r.padTo }));
    let opened = null;
    if (!r.dropped) {
      const o = await receiver.open(fromHex(r.sealed));
      opened = { stream: o.stream, message: toHex(o.message) };
    }
    out.records.push({ sealed, opened });
  }
  out.replays = [];
  for (const r of v.records) {
    const receiver = r.direction === 'agentToViewer' ? viewerRx : agentRx;
    out.replays.push(await kindOf(() => receiver.open(fromHex(r.sealed))));
  }
  out.rejections = [];
  for (const r of v.rejections) {
    const receiver = await make(r.direction === 'agentToViewer' ? 'viewer' : 'agent');
    out.rejections.push(await kindOf(() => receiver.open(fromHex(r.sealed))));
  }
  out.sequences = [];
  for (const s of v.sequences) {
    const receiver = await make(s.direction === 'agentToViewer' ? 'viewer' : 'agent');
    const results = [];
    for (const hex of s.sealed) results.push(await kindOf(() => receiver.open(fromHex(hex))));
    out.sequences.push(results);
  }
  out.invalidKeys = [];
  for (const k of v.invalidPublicKeys) {
    out.invalidKeys.push(await kindOf(() => e2e.sharedSecret(viewerKey.privateKey, fromHex(k.hex))));
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def page(server, browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.base_url}/login", timeout=10_000)
    yield page
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("kind", ["envelope", "inner"])
def test_codec_vectors(page, kind):
    vectors = json.loads((VECTORS / f"{kind}.json").read_text())
    results = page.evaluate(HARNESS, {"kind": kind, "vectors": vectors})
    assert len(results) == len(vectors["valid"]) + len(vectors["invalid"])
    for vector, result in zip(vectors["valid"], results):
        assert result["error"] is None, (vector["name"], result["error"])
        assert result["decoded"] == vector["message"], vector["name"]
        assert result["encoded"] == vector["hex"], vector["name"]
    for vector, result in zip(vectors["invalid"], results[len(vectors["valid"]):]):
        assert result["error"] == vector["error"], (vector["name"], result["error"])


def test_e2e_vector(page):
    v = json.loads((VECTORS / "e2e.json").read_text())
    out = page.evaluate(E2E_HARNESS, v)
    assert out["secretAgent"] == out["secretViewer"] == v["sharedSecret"]
    assert out["transcriptHash"] == v["transcriptHash"] == v["hkdfSalt"]
    assert out["keyCommitment"] == v["keyCommitment"]
    assert out["signingInput"] == v["signingInput"]
    assert out["signatureValid"] is True
    assert out["keyAgentToViewer"] == v["keyAgentToViewer"]
    assert out["keyViewerToAgent"] == v["keyViewerToAgent"]
    assert out["shortAuthString"] == out["acceptedCode"] == v["shortAuthString"]
    assert out["keyShareViewer"] == v["keyShareViewer"]
    assert out["acceptedIdentity"] == v["identityPublic"]
    assert out["handshakeRejections"] == [r["error"] for r in v["handshakeRejections"]]
    for record, result in zip(v["records"], out["records"], strict=True):
        assert result["sealed"] == record["sealed"], record
        expected = None if record["dropped"] else {"stream": record["stream"], "message": record["message"]}
        assert result["opened"] == expected, record
    assert out["replays"] == [v["replayError"]] * len(v["records"])
    assert out["rejections"] == [r["error"] for r in v["rejections"]]
    assert out["sequences"] == [["ok"] * (len(s["sealed"]) - 1) + [s["error"]] for s in v["sequences"]]
    assert out["invalidKeys"] == [k["error"] for k in v["invalidPublicKeys"]]
    # Input records are one size on the wire, whatever they carry.
    sizes = {len(r["sealed"]) // 2 for r in v["records"] if r["padTo"] == v["inputPlaintextSize"]}
    assert sizes == {9 + v["inputPlaintextSize"] + 16}
