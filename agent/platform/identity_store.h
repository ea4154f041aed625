// Where an unattended agent keeps its Ed25519 identity key (docs/protocol.md §1.1) between
// starts: created at its first start after enrolment (or --install), then read back, so the
// server that bound the key on first use keeps recognising it. OS-neutral interface;
// platform/posix/identity_file.cpp keeps a 0600 file, platform/win32/win32_identity_store.cpp
// a DPAPI-protected registry value beside the credential.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/identity_key.h"
#include "core/log.h"
#include "core/result.h"

namespace guru::platform {

/// Why no identity key could be loaded or stored.
enum class IdentityStoreError : std::uint8_t {
    NoLocation,     // no place to keep it (no $HOME / no --identity-file)
    Unreadable,     // the stored key exists but cannot be read
    Corrupt,        // ... or does not hold a key
    TooOpen,        // the file can be read by other users: refused, as ssh refuses such keys
    Unwritable,     // a new key could not be stored
    CryptoFailed,   // the key could not be created (libgcrypt) or protected (DPAPI)
};

/// Short stable name for an error.
const char* name(IdentityStoreError e);

/// Where to look: `explicitPath` (--identity-file, $GURU_IDENTITY_FILE) wins where the OS
/// keeps keys in files; otherwise the OS's own place for agent `agentIdHex` (32 hex digits).
struct IdentityStoreOptions {
    std::string agentIdHex;
    std::string explicitPath;
};

/// The agent's key: read from its store, or created from the CSPRNG and stored on the first
/// start. Never returns a key it could not store (the next start would not know it).
Result<crypto::IdentityKey, IdentityStoreError> loadOrCreateIdentity(const IdentityStoreOptions& options,
                                                                     const LogSink& log);

}  // namespace guru::platform
