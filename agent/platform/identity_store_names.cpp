// Names of identity-store errors (platform/identity_store.h), the same on every OS.
#include "platform/identity_store.h"

namespace guru::platform {

const char* name(IdentityStoreError e) {
    switch (e) {
        case IdentityStoreError::NoLocation: return "NoLocation";
        case IdentityStoreError::Unreadable: return "Unreadable";
        case IdentityStoreError::Corrupt: return "Corrupt";
        case IdentityStoreError::TooOpen: return "TooOpen";
        case IdentityStoreError::Unwritable: return "Unwritable";
        case IdentityStoreError::CryptoFailed: return "CryptoFailed";
    }
    return "?";
}

}  // namespace guru::platform
