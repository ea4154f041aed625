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
  const BYTE_FIELDS = new Set(['agentId', 'credential', 'sessionId', 'joinToken', 'record', 'data', 'rgba']);
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
  const th = await e2e.transcriptHash(agentPub, viewerPub);
  out.transcriptHash = toHex(th);
  const keys = await e2e.deriveKeyBytes(fromHex(v.sharedSecret), th);
  out.keyAgentToViewer = toHex(keys.agentToViewer);
  out.keyViewerToAgent = toHex(keys.viewerToAgent);
  out.fingerprint = e2e.fingerprint(th);
  out.keyShareAgent = toHex(e2e.keyShareRecord(agentPub));
  out.parsedKeyShare = toHex(e2e.parseKeyShare(fromHex(v.keyShareAgent)));
  const make = (role) => role === 'viewer'
    ? e2e.E2EChannel.establish({ role, privateKey: viewerKey.privateKey, localPublic: viewerPub, peerPublic: agentPub })
    : e2e.E2EChannel.establish({ role, privateKey: agentKey.privateKey, localPublic: agentPub, peerPublic: viewerPub });
  const viewer = await make('viewer'), agent = await make('agent');
  out.channelFingerprints = [viewer.fingerprint, agent.fingerprint];
  const kindOf = async (promise) => { try { await promise; return 'ok'; } catch (err) { return err.kind || String(err); } };
  out.records = [];
  for (const r of v.records) {
    const [sender, receiver] = r.direction === 'agentToViewer' ? [agent, viewer] : [viewer, agent];
    const sealed = toHex(await sender.seal(fromHex(r.plaintext)));
    const opened = toHex(await receiver.open(fromHex(r.sealed)));
    out.records.push({ sealed, opened });
  }
  out.replays = [];
  for (const r of v.records) {
    const receiver = r.direction === 'agentToViewer' ? viewer : agent;
    out.replays.push(await kindOf(receiver.open(fromHex(r.sealed))));
  }
  out.rejections = [];
  for (const r of v.rejections) {
    const receiver = await make(r.direction === 'agentToViewer' ? 'viewer' : 'agent');
    out.rejections.push(await kindOf(receiver.open(fromHex(r.sealed))));
  }
  out.invalidKeys = [];
  for (const k of v.invalidPublicKeys) {
    out.invalidKeys.push(await kindOf(e2e.E2EChannel.establish({ role: 'viewer', privateKey: viewerKey.privateKey, localPublic: viewerPub, peerPublic: fromHex(k.hex) })));
  }
  // A gap is fine (the relay may drop stale frames); going back is not.
  const a = await make('agent'), b = await make('viewer');
  const first = await a.seal(new Uint8Array([0x11, 0, 0, 0, 1]));
  await a.seal(new Uint8Array([0x11, 0, 0, 0, 2]));
  const third = await a.seal(new Uint8Array([0x11, 0, 0, 0, 3]));
  out.gap = toHex(await b.open(third));
  out.afterGap = await kindOf(b.open(first));
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
    assert out["keyAgentToViewer"] == v["keyAgentToViewer"]
    assert out["keyViewerToAgent"] == v["keyViewerToAgent"]
    assert out["fingerprint"] == v["fingerprint"]
    assert out["channelFingerprints"] == [v["fingerprint"]] * 2
    assert out["keyShareAgent"] == v["keyShareAgent"]
    assert out["parsedKeyShare"] == v["agentPublic"]
    for record, result in zip(v["records"], out["records"]):
        assert result == {"sealed": record["sealed"], "opened": record["plaintext"]}
    assert out["replays"] == [v["replayError"]] * len(v["records"])
    assert out["rejections"] == [r["error"] for r in v["rejections"]]
    assert out["invalidKeys"] == [k["error"] for k in v["invalidPublicKeys"]]
    assert out["gap"] == "1100000003"
    assert out["afterGap"] == "Replay"
