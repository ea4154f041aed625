// One-time libgcrypt initialisation and error names.
#include <mutex>

#include "core/crypto_error.h"
#include "core/gcrypt_handles.h"

namespace guru::crypto {

bool ensureInitialised() {
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] {
        if (!gcry_check_version("1.8.0")) return;
        // Keys live in ordinary memory; the agent does not run setuid, so skip secmem.
        gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
        ok = true;
    });
    return ok;
}

const char* name(CryptoError e) {
    switch (e) {
        case CryptoError::LibraryUnavailable: return "LibraryUnavailable";
        case CryptoError::InvalidPublicKey: return "InvalidPublicKey";
        case CryptoError::InvalidPrivateKey: return "InvalidPrivateKey";
        case CryptoError::KeyAgreementFailed: return "KeyAgreementFailed";
        case CryptoError::MalformedRecord: return "MalformedRecord";
        case CryptoError::AuthenticationFailed: return "AuthenticationFailed";
        case CryptoError::Replay: return "Replay";
        case CryptoError::MissingRecord: return "MissingRecord";
        case CryptoError::BadPadding: return "BadPadding";
        case CryptoError::BadCommitment: return "BadCommitment";
        case CryptoError::BadSignature: return "BadSignature";
        case CryptoError::UnexpectedRecord: return "UnexpectedRecord";
        case CryptoError::CounterExhausted: return "CounterExhausted";
        case CryptoError::Internal: return "Internal";
    }
    return "?";
}

}  // namespace guru::crypto
