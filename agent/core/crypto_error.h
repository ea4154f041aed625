// Typed errors of the crypto layer (key agreement and the E2E channel).
#pragma once

#include <cstdint>

namespace guru::crypto {

/// Every way an E2E operation can fail; never carries secret-dependent detail.
enum class CryptoError : std::uint8_t {
    LibraryUnavailable,  // libgcrypt too old or failed to initialise
    InvalidPublicKey,    // not a 65-byte uncompressed point on P-256
    InvalidPrivateKey,   // not a 32-byte scalar in [1, n-1]
    KeyAgreementFailed,
    MalformedRecord,     // sealed record too short or of an unknown kind
    AuthenticationFailed,// GCM tag mismatch: tampered, or the wrong key
    Replay,              // counter not greater than the last accepted one
    MissingRecord,       // an ordered record skipped a counter: one was deleted on the way
    BadPadding,          // the opened plaintext's padding is malformed
    BadCommitment,       // KeyConfirm's keys are not the ones KeyCommit committed to
    BadSignature,        // KeyConfirm's signature does not verify under its identity key
    UnexpectedRecord,    // a record this end never accepts (a picture record to the agent…)
    CounterExhausted,
    Internal,
};

/// Short stable name for an error, as used in protocol/vectors.
const char* name(CryptoError e);

}  // namespace guru::crypto
