// Support trailer parsing, signature check and validation (docs/support.md §4).
#include "core/support_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace guru::support {
namespace {

using nlohmann::json;
using Fail = Failure<TrailerFailure>;

Fail fail(TrailerError e, std::string_view field = {}) { return Fail{TrailerFailure{e, field}}; }

// The u32 length and the magic that end a trailer.
constexpr std::size_t kLengthAndMagic = 4 + kTrailerMagic.size();

// The JSON length from the last kLengthAndMagic bytes of a file, or why there is none.
Result<std::uint32_t, TrailerFailure> footerLength(ByteView footer) {
    const std::string magic = toString(footer.last(kTrailerMagic.size()));
    if (magic == kOldTrailerMagic) return fail(TrailerError::OldVersion);
    if (magic != kTrailerMagic) return fail(TrailerError::NotPresent);
    std::uint32_t length = 0;
    for (std::size_t i = 4; i-- > 0;) length = (length << 8) | static_cast<std::uint8_t>(footer[i]);
    if (length == 0 || length > kMaxConfigJson) return fail(TrailerError::BadLength);
    return length;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Code points in valid UTF-8 (nlohmann's parser has already checked validity).
std::size_t utf8Length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

bool hasControl(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

// The string at `key`, or the failure to report.
Result<std::string, TrailerFailure> stringField(const json& object, std::string_view key) {
    auto it = object.find(key);
    if (it == object.end()) return fail(TrailerError::MissingField, key);
    if (!it->is_string()) return fail(TrailerError::InvalidField, key);
    return it->get<std::string>();
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
           });
}

}  // namespace

const char* name(TrailerError e) {
    switch (e) {
        case TrailerError::NotPresent: return "NotPresent";
        case TrailerError::BadLength: return "BadLength";
        case TrailerError::Truncated: return "Truncated";
        case TrailerError::MalformedJson: return "MalformedJson";
        case TrailerError::MissingField: return "MissingField";
        case TrailerError::InvalidField: return "InvalidField";
        case TrailerError::Unreadable: return "Unreadable";
        case TrailerError::OldVersion: return "OldVersion";
        case TrailerError::TooLarge: return "TooLarge";
        case TrailerError::KeySlotMissing: return "KeySlotMissing";
        case TrailerError::KeySlotAmbiguous: return "KeySlotAmbiguous";
        case TrailerError::Unsigned: return "Unsigned";
        case TrailerError::BadSignature: return "BadSignature";
        case TrailerError::CryptoUnavailable: return "CryptoUnavailable";
    }
    return "?";
}

const char* explain(TrailerError e) {
    switch (e) {
        case TrailerError::NotPresent: return "no support trailer";
        case TrailerError::OldVersion: return "an unsigned trailer from an older server; download the agent again";
        case TrailerError::Unsigned: return "the agent's key slot is empty, so nothing vouches for the trailer";
        case TrailerError::BadSignature:
            return "the trailer was altered or signed by another server; not connecting";
        case TrailerError::KeySlotMissing:
        case TrailerError::KeySlotAmbiguous: return "the file is not one agent binary with one key slot";
        case TrailerError::CryptoUnavailable: return "libgcrypt is unavailable, the signature cannot be checked";
        case TrailerError::TooLarge: return "the file is too large to be a support agent";
        default: return "the trailer is damaged; download the agent again";
    }
}

Result<WsUrl, UrlError> agentUrlFromServer(std::string_view server) {
    std::string ws;
    bool http = true;
    if (startsWithNoCase(server, "https://")) {
        ws = "wss://" + std::string(server.substr(8));
    } else if (startsWithNoCase(server, "http://")) {
        ws = "ws://" + std::string(server.substr(7));
    } else {
        ws = std::string(server);
        http = false;
    }
    auto url = parseWsUrl(ws);
    if (!url) return url;
    if (url->path.find_first_of("?#") != std::string::npos) return Failure{UrlError::BadHost};
    if (http || url->path == "/") {
        std::string prefix = http ? url->path : std::string();
        while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
        url->path = prefix + "/api/agent/ws";
    }
    return url;
}

Result<SupportConfig, TrailerFailure> parseConfigJson(std::string_view text) {
    if (text.empty() || text.size() > kMaxConfigJson) return fail(TrailerError::BadLength);
    // No exceptions: a parse error gives a "discarded" value.
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(TrailerError::MalformedJson);

    SupportConfig c;
    auto server = stringField(doc, "server");
    if (!server) return Failure{server.error()};
    auto url = agentUrlFromServer(*server);
    if (!url) return fail(TrailerError::InvalidField, "server");
    c.serverBase = std::move(*server);
    c.agentUrl = std::move(*url);

    auto session = stringField(doc, "session");
    if (!session) return Failure{session.error()};
    if (session->size() != 32) return fail(TrailerError::InvalidField, "session");
    for (std::size_t i = 0; i < 32; ++i) {
        const int v = hexValue((*session)[i]);
        if (v < 0) return fail(TrailerError::InvalidField, "session");
        c.sessionId[i / 2] = static_cast<std::byte>((static_cast<int>(c.sessionId[i / 2]) << 4) | v);
        c.sessionHex.push_back("0123456789abcdef"[v]);
    }

    auto secret = stringField(doc, "secret");
    if (!secret) return Failure{secret.error()};
    if (secret->empty() || secret->size() > kMaxSecret) return fail(TrailerError::InvalidField, "secret");
    c.secret = std::move(*secret);

    auto code = stringField(doc, "code");
    if (!code) return Failure{code.error()};
    if (code->size() != 6 || !std::all_of(code->begin(), code->end(), [](char ch) {
            return ch >= '0' && ch <= '9';
        })) {
        return fail(TrailerError::InvalidField, "code");
    }
    c.code = std::move(*code);

    auto company = stringField(doc, "company");
    if (!company) return Failure{company.error()};
    if (utf8Length(*company) > kMaxCompanyChars || hasControl(*company)) {
        return fail(TrailerError::InvalidField, "company");
    }
    c.company = std::move(*company);

    auto consent = doc.find("consent");
    if (consent == doc.end()) return fail(TrailerError::MissingField, "consent");
    if (!consent->is_boolean()) return fail(TrailerError::InvalidField, "consent");
    c.consentRequired = consent->get<bool>();
    return c;
}

Result<std::string, TrailerFailure> verifiedTrailerJson(ByteView file) {
    if (file.size() < kLengthAndMagic) return fail(TrailerError::NotPresent);
    auto length = footerLength(file.last(kLengthAndMagic));
    if (!length) return Failure{length.error()};
    if (file.size() - kLengthAndMagic < kSignatureSize + *length) return fail(TrailerError::Truncated);
    const std::size_t jsonAt = file.size() - kTrailerFooter - *length;
    const ByteView json = file.subspan(jsonAt, *length);
    const ByteView signature = file.subspan(jsonAt + *length, kSignatureSize);

    // The key comes from the binary the trailer is appended to, never from the trailer.
    auto key = findKeySlot(file.first(jsonAt));
    if (!key) {
        return fail(key.error() == KeySlotError::Missing ? TrailerError::KeySlotMissing
                                                         : TrailerError::KeySlotAmbiguous);
    }
    if (isUnstamped(*key)) return fail(TrailerError::Unsigned);
    switch (verifyEd25519(*key, signedMessage(toString(json)), signature)) {
        case SignatureCheck::Valid: break;
        case SignatureCheck::Invalid: return fail(TrailerError::BadSignature);
        case SignatureCheck::Unavailable: return fail(TrailerError::CryptoUnavailable);
    }
    return toString(json);
}

Result<SupportConfig, TrailerFailure> parseTrailer(ByteView file) {
    auto json = verifiedTrailerJson(file);
    if (!json) return Failure{json.error()};
    return parseConfigJson(*json);
}

Result<SupportConfig, TrailerFailure> readTrailer(const std::string& path) {
    auto json = readVerifiedTrailerJson(path);
    if (!json) return Failure{json.error()};
    return parseConfigJson(*json);
}

Result<std::string, TrailerFailure> readVerifiedTrailerJson(const std::string& path) {
    // C stdio rather than <fstream>: iostreams would add ~0.4 MB of static libstdc++.
    std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"),
                                                            &std::fclose);
    if (!file || std::fseek(file.get(), 0, SEEK_END) != 0) return fail(TrailerError::Unreadable);
    const long size = std::ftell(file.get());
    if (size < 0) return fail(TrailerError::Unreadable);
    const auto fileSize = static_cast<std::size_t>(size);
    if (fileSize < kLengthAndMagic) return fail(TrailerError::NotPresent);

    // The footer alone first: an ordinary agent reads 12 bytes of itself at start, no more.
    Bytes footer(kLengthAndMagic);
    if (std::fseek(file.get(), size - static_cast<long>(kLengthAndMagic), SEEK_SET) != 0 ||
        std::fread(footer.data(), 1, footer.size(), file.get()) != footer.size()) {
        return fail(TrailerError::Unreadable);
    }
    if (auto length = footerLength(footer); !length) return Failure{length.error()};
    if (fileSize > kMaxTrailerFile) return fail(TrailerError::TooLarge);

    Bytes whole(fileSize);
    if (std::fseek(file.get(), 0, SEEK_SET) != 0 ||
        std::fread(whole.data(), 1, whole.size(), file.get()) != whole.size()) {
        return fail(TrailerError::Unreadable);
    }
    return verifiedTrailerJson(whole);
}

Bytes signedMessage(std::string_view json) {
    ByteWriter w(kSignedPrefix.size() + json.size());
    w.text(kSignedPrefix);
    w.text(json);
    return w.take();
}

Bytes makeTrailer(std::string_view json, ByteView signature) {
    ByteWriter w(json.size() + kTrailerFooter);
    w.text(json);
    w.bytes(signature);
    const auto length = static_cast<std::uint32_t>(json.size());
    for (int i = 0; i < 4; ++i) w.u8(static_cast<std::uint8_t>(length >> (8 * i)));
    w.text(kTrailerMagic);
    return w.take();
}

}  // namespace guru::support
