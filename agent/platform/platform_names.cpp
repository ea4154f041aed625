// Names of the platform interfaces' error values: shared by every backend and the core.
#include "platform/elevation.h"
#include "platform/agent_config_store.h"
#include "platform/platform.h"
#include "platform/transport.h"

namespace guru::platform {

const char* name(PromptError e) {
    switch (e) {
        case PromptError::Unsupported: return "Unsupported";
        case PromptError::NoDisplay: return "NoDisplay";
    }
    return "?";
}

const char* name(ElevationError e) {
    switch (e) {
        case ElevationError::Unsupported: return "Unsupported";
        case ElevationError::SystemError: return "SystemError";
    }
    return "?";
}

const char* name(BackendError e) {
    switch (e) {
        case BackendError::NoDisplay: return "NoDisplay";
        case BackendError::MissingExtension: return "MissingExtension";
        case BackendError::SystemError: return "SystemError";
    }
    return "?";
}

const char* name(TransportError e) {
    switch (e) {
        case TransportError::ResolveFailed: return "ResolveFailed";
        case TransportError::ConnectFailed: return "ConnectFailed";
        case TransportError::Timeout: return "Timeout";
        case TransportError::TlsSetupFailed: return "TlsSetupFailed";
        case TransportError::TlsHandshakeFailed: return "TlsHandshakeFailed";
        case TransportError::CertificateRejected: return "CertificateRejected";
        case TransportError::Closed: return "Closed";
        case TransportError::Interrupted: return "Interrupted";
        case TransportError::SystemError: return "SystemError";
    }
    return "?";
}

const char* name(ConfigFileError e) {
    switch (e) {
        case ConfigFileError::NotFound: return "NotFound";
        case ConfigFileError::Unreadable: return "Unreadable";
        case ConfigFileError::TooOpen: return "TooOpen";
        case ConfigFileError::Invalid: return "Invalid";
        case ConfigFileError::Unwritable: return "Unwritable";
        case ConfigFileError::Unsupported: return "Unsupported";
    }
    return "?";
}

}  // namespace guru::platform
