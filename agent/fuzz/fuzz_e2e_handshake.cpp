// libFuzzer target: the E2E v2 handshake records and sealed records as a viewer (and the
// agent) receives them (docs/protocol.md §3). The input is a list of records, each
// `u16 length ‖ bytes`: the first goes to the agent's finish() as a KeyShare and to the
// viewer as its KeyCommit, the second to the viewer as its KeyConfirm, the rest are opened
// by the channel it yields (or by a channel of fixed keys when the handshake failed). The
// keys are those of protocol/vectors/e2e.json, so the vector-made seeds pass the handshake
// and the fuzzer reaches the sealed records with the real keys. The fixed key pairs are
// derived once (d·G) and copied per input; what the input drives (ECDH with the peer point,
// Ed25519 signing and verification, HKDF, opening) runs on every input that reaches it.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "core/e2e_handshake.h"

namespace {

using namespace guru;
using namespace guru::crypto;

Bytes hex(std::string_view text) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
        out.push_back(static_cast<std::byte>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    }
    return out;
}

std::vector<ByteView> split(ByteView input) {
    std::vector<ByteView> records;
    ByteReader r(input);
    while (r.remaining() >= 2 && records.size() < 64) {
        auto length = r.u16();
        auto body = r.bytes(std::min<std::size_t>(*length, r.remaining()));
        records.push_back(*body);
    }
    return records;
}

// The vectors' fixed keys: 31 times `byte`, then `last`.
Bytes fixedKey(std::string_view byte, std::string_view last) {
    std::string text;
    for (int i = 0; i < 31; ++i) text += byte;
    return hex(text + std::string(last));
}

struct Fixture {
    IdentityKey identity = IdentityKey::fromSeed(fixedKey("3d", "03")).value();
    SessionId session = [] {
        SessionId id{};
        auto bytes = hex("0123456789abcdef0123456789abcdef");
        std::copy(bytes.begin(), bytes.end(), id.begin());
        return id;
    }();
    EcdhKeyPair agentKey = EcdhKeyPair::fromPrivate(fixedKey("1f", "01")).value();
    EcdhKeyPair viewerKey = EcdhKeyPair::fromPrivate(fixedKey("2e", "02")).value();
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Fixture fixture;
    const auto records = split(ByteView(reinterpret_cast<const std::byte*>(data), size));
    if (records.empty()) return 0;

    // The agent receiving a KeyShare from anyone.
    auto agent = AgentHandshake::withKey(fixture.identity, fixture.agentKey.copy().value(),
                                         fixture.session, 7);
    if (auto finished = agent.finish(records[0])) {
        if (finished->confirmRecord.size() != 162) std::abort();
    }

    // The viewer: commit, confirm, then sealed records.
    ViewerHandshake viewer(fixture.viewerKey.copy().value(), fixture.session, 7);
    std::optional<E2eChannel> channel;
    if (viewer.commitReceived(records[0]) && records.size() > 1) {
        if (auto confirmed = viewer.confirmReceived(records[1])) {
            if (!viewer.identity()) std::abort();  // accepted, so it knows whom it trusts
            channel.emplace(std::move(*confirmed));
        }
    }
    if (!channel) {
        SessionKeys fixed{};
        channel.emplace(E2eChannel::fromKeys(Role::Viewer, fixed).value());
    }
    for (std::size_t i = 2; i < records.size(); ++i) {
        auto opened = channel->open(records[i]);
        if (opened && opened->message.size() + kSealedHeaderSize + kTagSize + kPaddingHeaderSize > records[i].size()) {
            std::abort();  // the message cannot be larger than what carried it
        }
    }
    return 0;
}
