// Schannel: InitializeSecurityContextW handshake loop, manual certificate validation with
// CertGetCertificateChain + the SSL chain policy, EncryptMessage/DecryptMessage records.
#include "platform/win32/schannel_transport.h"

#include <schannel.h>
#include <wincrypt.h>

#include <ws2tcpip.h>

#include <algorithm>
#include <optional>
#include <cstdio>
#include <cstring>
#include <string>

#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kSlice = std::chrono::milliseconds(200);
constexpr std::size_t kMaxEncrypted = 1 << 20;  // a TLS record is at most ~16 KB
constexpr DWORD kIgnoreUnknownCa = 0x00000100;  // SECURITY_FLAG_IGNORE_UNKNOWN_CA (wininet.h)
constexpr DWORD kIgnoreNameMismatch = 0x00001000;  // SECURITY_FLAG_IGNORE_CERT_CN_INVALID

struct CertFree {
    void operator()(const CERT_CONTEXT* c) const { CertFreeCertificateContext(c); }
};
struct StoreClose {
    void operator()(void* s) const { CertCloseStore(s, 0); }
};
struct ChainFree {
    void operator()(const CERT_CHAIN_CONTEXT* c) const { CertFreeCertificateChain(c); }
};
using UniqueCert = std::unique_ptr<const CERT_CONTEXT, CertFree>;
using UniqueStore = std::unique_ptr<void, StoreClose>;
using UniqueChain = std::unique_ptr<const CERT_CHAIN_CONTEXT, ChainFree>;

// Every PEM certificate of `path` into a memory store; null if unreadable or none found.
UniqueStore loadCaFile(const std::string& path) {
    std::FILE* f = _wfopen(widen(path).c_str(), L"rb");
    if (!f) return nullptr;
    std::string pem;
    char chunk[4096];
    for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0 && pem.size() < (4u << 20);) {
        pem.append(chunk, n);
    }
    std::fclose(f);
    UniqueStore store(CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, nullptr));
    if (!store) return nullptr;
    const std::string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
    int added = 0;
    for (std::size_t at = pem.find(begin); at != std::string::npos; at = pem.find(begin, at + 1)) {
        const std::size_t stop = pem.find(end, at);
        if (stop == std::string::npos) break;
        const std::string block = pem.substr(at, stop + end.size() - at);
        DWORD size = 0;
        if (!CryptStringToBinaryA(block.data(), static_cast<DWORD>(block.size()), CRYPT_STRING_BASE64HEADER,
                                  nullptr, &size, nullptr, nullptr)) {
            continue;
        }
        std::vector<BYTE> der(size);
        if (CryptStringToBinaryA(block.data(), static_cast<DWORD>(block.size()), CRYPT_STRING_BASE64HEADER,
                                 der.data(), &size, nullptr, nullptr) &&
            CertAddEncodedCertificateToStore(store.get(), X509_ASN_ENCODING, der.data(), size,
                                             CERT_STORE_ADD_ALWAYS, nullptr)) {
            ++added;
        }
    }
    return added > 0 ? std::move(store) : nullptr;
}

// The address bytes if `host` is an IPv4 or IPv6 literal.
std::optional<std::vector<BYTE>> ipLiteral(const std::string& host) {
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        const auto* p = reinterpret_cast<const BYTE*>(&v4);
        return std::vector<BYTE>(p, p + sizeof v4);
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        const auto* p = reinterpret_cast<const BYTE*>(&v6);
        return std::vector<BYTE>(p, p + sizeof v6);
    }
    return std::nullopt;
}

// Whether the certificate's subjectAltName lists `address` as an iPAddress (RFC 6125: an
// IP is matched there only). Done here because Wine's SSL policy matches DNS names only.
bool certificateHasIp(const CERT_CONTEXT* cert, const std::vector<BYTE>& address) {
    const CERT_EXTENSION* ext = CertFindExtension(szOID_SUBJECT_ALT_NAME2,
                                                  cert->pCertInfo->cExtension, cert->pCertInfo->rgExtension);
    if (!ext) return false;
    CERT_ALT_NAME_INFO* names = nullptr;
    DWORD size = 0;
    if (!CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME, ext->Value.pbData, ext->Value.cbData,
                             CRYPT_DECODE_ALLOC_FLAG, nullptr, &names, &size)) {
        return false;
    }
    bool found = false;
    for (DWORD i = 0; i < names->cAltEntry && !found; ++i) {
        const CERT_ALT_NAME_ENTRY& e = names->rgAltEntry[i];
        found = e.dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS && e.IPAddress.cbData == address.size() &&
                std::memcmp(e.IPAddress.pbData, address.data(), address.size()) == 0;
    }
    LocalFree(names);
    return found;
}

}  // namespace

Result<std::unique_ptr<Transport>, TransportError> SchannelTransport::handshake(
    WinsockSocket socket, const TransportOptions& options, const std::atomic<bool>* cancel) {
    const auto sendTimeout = options.sendTimeout;
    std::unique_ptr<SchannelTransport> self(
        new SchannelTransport(WinsockTransport(std::move(socket), sendTimeout)));
    SCHANNEL_CRED settings{};
    settings.dwVersion = SCHANNEL_CRED_VERSION;
    settings.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    // Validation is ours (verifyServer): it must accept a --ca-file CA too.
    settings.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    if (AcquireCredentialsHandleW(nullptr, const_cast<wchar_t*>(UNISP_NAME_W), SECPKG_CRED_OUTBOUND,
                                  nullptr, &settings, nullptr, nullptr, &self->credentials_,
                                  nullptr) != SEC_E_OK) {
        return Failure{TransportError::TlsSetupFailed};
    }
    self->haveCredentials_ = true;
    const std::wstring target = widen(options.host);
    auto done = self->runHandshake(target, Clock::now() + options.connectTimeout, cancel);
    if (!done) return Failure{done.error()};
    if (QueryContextAttributesW(&self->context_, SECPKG_ATTR_STREAM_SIZES, &self->sizes_) != SEC_E_OK) {
        return Failure{TransportError::TlsHandshakeFailed};
    }
    auto verified = self->verifyServer(options, target);
    if (!verified) return Failure{verified.error()};
    return std::unique_ptr<Transport>(std::move(self));
}

SchannelTransport::~SchannelTransport() {
    if (haveContext_) DeleteSecurityContext(&context_);
    if (haveCredentials_) FreeCredentialsHandle(&credentials_);
}

Outcome<TransportError> SchannelTransport::readMore(Clock::time_point deadline,
                                                    const std::atomic<bool>* cancel) {
    if (encrypted_.size() > kMaxEncrypted) return Failure{TransportError::TlsHandshakeFailed};
    std::byte buffer[16384];
    for (;;) {
        if (cancel && cancel->load()) return Failure{TransportError::Interrupted};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return Failure{TransportError::Timeout};
        auto n = raw_.receive(buffer, std::min(left, std::chrono::milliseconds(kSlice)));
        if (n) {
            const auto* p = reinterpret_cast<const char*>(buffer);
            encrypted_.insert(encrypted_.end(), p, p + *n);
            return Unit{};
        }
        if (n.error() != TransportError::Timeout) return Failure{n.error()};
    }
}

Outcome<TransportError> SchannelTransport::runHandshake(const std::wstring& target,
                                                        Clock::time_point deadline,
                                                        const std::atomic<bool>* cancel) {
    const DWORD wanted = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |
                         ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_EXTENDED_ERROR;
    std::wstring name = target;
    for (int round = 0; round < 64; ++round) {
        SecBuffer out{0, SECBUFFER_TOKEN, nullptr};
        SecBufferDesc outDesc{SECBUFFER_VERSION, 1, &out};
        SecBuffer in[2] = {{static_cast<unsigned long>(encrypted_.size()), SECBUFFER_TOKEN, encrypted_.data()},
                           {0, SECBUFFER_EMPTY, nullptr}};
        SecBufferDesc inDesc{SECBUFFER_VERSION, 2, in};
        DWORD granted = 0;
        const bool first = !haveContext_;
        SECURITY_STATUS status = InitializeSecurityContextW(
            &credentials_, first ? nullptr : &context_, name.data(), wanted, 0, 0,
            first ? nullptr : &inDesc, 0, first ? &context_ : nullptr, &outDesc, &granted, nullptr);
        if (first && (status == SEC_I_CONTINUE_NEEDED || status == SEC_E_OK)) haveContext_ = true;
        if (out.pvBuffer) {
            Outcome<TransportError> sent = Unit{};
            if (out.cbBuffer > 0) {
                sent = raw_.send(ByteView(static_cast<const std::byte*>(out.pvBuffer), out.cbBuffer));
            }
            FreeContextBuffer(out.pvBuffer);
            if (!sent) return sent;
        }
        if (status == SEC_E_INCOMPLETE_MESSAGE) {
            auto more = readMore(deadline, cancel);
            if (!more) return more;
            continue;
        }
        if (!first) {
            // What Schannel did not consume (the next message, or application data).
            if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer <= encrypted_.size()) {
                encrypted_.erase(encrypted_.begin(),
                                 encrypted_.end() - static_cast<std::ptrdiff_t>(in[1].cbBuffer));
            } else {
                encrypted_.clear();
            }
        }
        if (status == SEC_E_OK) return Unit{};
        if (status != SEC_I_CONTINUE_NEEDED) return Failure{TransportError::TlsHandshakeFailed};
        if (encrypted_.empty()) {
            auto more = readMore(deadline, cancel);
            if (!more) return more;
        }
    }
    return Failure{TransportError::TlsHandshakeFailed};
}

Outcome<TransportError> SchannelTransport::verifyServer(const TransportOptions& options,
                                                        const std::wstring& target) {
    const CERT_CONTEXT* raw = nullptr;
    if (QueryContextAttributesW(&context_, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &raw) != SEC_E_OK || !raw) {
        return Failure{TransportError::CertificateRejected};
    }
    UniqueCert server(raw);
    UniqueStore ca;
    if (!options.caFile.empty()) {
        ca = loadCaFile(options.caFile);
        if (!ca) return Failure{TransportError::TlsSetupFailed};
    }
    // The server's intermediates and our CA file, as extra certificates for the chain.
    UniqueStore extra(CertOpenStore(CERT_STORE_PROV_COLLECTION, 0, 0, 0, nullptr));
    if (!extra) return Failure{TransportError::TlsSetupFailed};
    if (server->hCertStore) CertAddStoreToCollection(extra.get(), server->hCertStore, 0, 0);
    if (ca) CertAddStoreToCollection(extra.get(), ca.get(), 0, 0);

    char serverAuth[] = szOID_PKIX_KP_SERVER_AUTH;
    LPSTR usages[] = {serverAuth};
    CERT_CHAIN_PARA chainPara{};
    chainPara.cbSize = sizeof chainPara;
    chainPara.RequestedUsage.dwType = USAGE_MATCH_TYPE_OR;
    chainPara.RequestedUsage.Usage.cUsageIdentifier = 1;
    chainPara.RequestedUsage.Usage.rgpszUsageIdentifier = usages;
    const CERT_CHAIN_CONTEXT* rawChain = nullptr;
    if (!CertGetCertificateChain(nullptr, server.get(), nullptr, extra.get(), &chainPara, 0, nullptr,
                                 &rawChain) || !rawChain) {
        return Failure{TransportError::CertificateRejected};
    }
    UniqueChain chain(rawChain);
    if (chain->cChain == 0 || chain->rgpChain[0]->cElement == 0) {
        return Failure{TransportError::CertificateRejected};
    }
    const CERT_SIMPLE_CHAIN* simple = chain->rgpChain[0];
    const CERT_CONTEXT* root = simple->rgpElement[simple->cElement - 1]->pCertContext;
    const CERT_CONTEXT* ours =
        ca ? CertFindCertificateInStore(ca.get(), X509_ASN_ENCODING, 0, CERT_FIND_EXISTING, root, nullptr)
           : nullptr;
    const bool rootIsOurCa = ours != nullptr;
    if (ours) CertFreeCertificateContext(ours);
    if (options.caFileOnly && !rootIsOurCa) return Failure{TransportError::CertificateRejected};

    // The SSL policy checks validity, usage and the DNS host name (an IP address is checked
    // above); a root that is the --ca-file CA stands in for one of the system store.
    const auto ip = ipLiteral(options.host);
    if (ip && !certificateHasIp(server.get(), *ip)) {
        std::fprintf(stderr, "tls: certificate is not for %s\n", options.host.c_str());
        return Failure{TransportError::CertificateRejected};
    }
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl{};
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = AUTHTYPE_SERVER;
    ssl.fdwChecks = (rootIsOurCa ? kIgnoreUnknownCa : 0) | (ip ? kIgnoreNameMismatch : 0);
    ssl.pwszServerName = const_cast<wchar_t*>(target.c_str());
    CERT_CHAIN_POLICY_PARA policy{};
    policy.cbSize = sizeof policy;
    policy.dwFlags = rootIsOurCa ? CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG : 0;
    policy.pvExtraPolicyPara = &ssl;
    CERT_CHAIN_POLICY_STATUS result{};
    result.cbSize = sizeof result;
    if (!CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain.get(), &policy, &result) ||
        result.dwError != 0) {
        std::fprintf(stderr, "tls: certificate rejected (0x%08lx)\n", static_cast<unsigned long>(result.dwError));
        return Failure{TransportError::CertificateRejected};
    }
    return Unit{};
}

Outcome<TransportError> SchannelTransport::send(ByteView data) {
    std::vector<char> record;
    while (!data.empty()) {
        const std::size_t chunk = std::min<std::size_t>(data.size(), sizes_.cbMaximumMessage);
        record.assign(sizes_.cbHeader + chunk + sizes_.cbTrailer, 0);
        std::memcpy(record.data() + sizes_.cbHeader, data.data(), chunk);
        SecBuffer buffers[4] = {
            {sizes_.cbHeader, SECBUFFER_STREAM_HEADER, record.data()},
            {static_cast<unsigned long>(chunk), SECBUFFER_DATA, record.data() + sizes_.cbHeader},
            {sizes_.cbTrailer, SECBUFFER_STREAM_TRAILER, record.data() + sizes_.cbHeader + chunk},
            {0, SECBUFFER_EMPTY, nullptr}};
        SecBufferDesc desc{SECBUFFER_VERSION, 4, buffers};
        {
            std::lock_guard lock(crypto_);
            if (EncryptMessage(&context_, 0, &desc, 0) != SEC_E_OK) return Failure{TransportError::SystemError};
        }
        const std::size_t total = buffers[0].cbBuffer + buffers[1].cbBuffer + buffers[2].cbBuffer;
        auto sent = raw_.send(ByteView(reinterpret_cast<const std::byte*>(record.data()), total));
        if (!sent) return sent;
        data = data.subspan(chunk);
    }
    return Unit{};
}

Result<std::size_t, TransportError> SchannelTransport::receive(std::span<std::byte> into,
                                                               std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (plainOffset_ < plain_.size()) {
            const std::size_t n = std::min(into.size(), plain_.size() - plainOffset_);
            std::memcpy(into.data(), plain_.data() + plainOffset_, n);
            plainOffset_ += n;
            if (plainOffset_ == plain_.size()) {
                plain_.clear();
                plainOffset_ = 0;
            }
            return n;
        }
        SECURITY_STATUS status = SEC_E_INCOMPLETE_MESSAGE;
        if (!encrypted_.empty()) {
            SecBuffer buffers[4] = {
                {static_cast<unsigned long>(encrypted_.size()), SECBUFFER_DATA, encrypted_.data()},
                {0, SECBUFFER_EMPTY, nullptr}, {0, SECBUFFER_EMPTY, nullptr}, {0, SECBUFFER_EMPTY, nullptr}};
            SecBufferDesc desc{SECBUFFER_VERSION, 4, buffers};
            {
                std::lock_guard lock(crypto_);
                status = DecryptMessage(&context_, &desc, 0, nullptr);
            }
            if (status == SEC_E_OK || status == SEC_I_CONTEXT_EXPIRED || status == SEC_I_RENEGOTIATE) {
                std::size_t extra = 0;
                for (const SecBuffer& b : buffers) {
                    if (b.BufferType == SECBUFFER_DATA && b.cbBuffer > 0) {
                        const char* p = static_cast<const char*>(b.pvBuffer);
                        plain_.insert(plain_.end(), p, p + b.cbBuffer);  // decrypted in place
                    }
                    if (b.BufferType == SECBUFFER_EXTRA) extra = b.cbBuffer;
                }
                encrypted_.erase(encrypted_.begin(),
                                 encrypted_.end() - static_cast<std::ptrdiff_t>(std::min(extra, encrypted_.size())));
                if (status == SEC_I_CONTEXT_EXPIRED && plain_.empty()) return Failure{TransportError::Closed};
                if (status == SEC_I_RENEGOTIATE) return Failure{TransportError::TlsHandshakeFailed};
                continue;
            }
            if (status != SEC_E_INCOMPLETE_MESSAGE) return Failure{TransportError::Closed};
        }
        auto more = readMore(deadline, nullptr);
        if (!more) return Failure{more.error()};
    }
}

}  // namespace guru::platform::win32
