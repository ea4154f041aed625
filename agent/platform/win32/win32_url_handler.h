// The per-user `guruconnect://` URL handler (HKCU\Software\Classes\guruconnect): the
// default value "URL:GuruConnect", "URL Protocol" = "", DefaultIcon, and
// shell\open\command = `"EXE" --open-url "%1"`.
#pragma once

#include <string>

#include "platform/service.h"
#include "platform/win32/win32_registry.h"

namespace guru::platform::win32 {

/// HKCU\Software\Classes\guruconnect: the installing user's handler.
RegistryLocation urlHandlerLocation();

/// Writes (or rewrites) the handler so that the browser starts `exe` with the URL.
Outcome<service::ServiceError> registerUrlHandler(const RegistryLocation& at, const std::wstring& exe);

/// Removes it; true if there was one.
Result<bool, service::ServiceError> removeUrlHandler(const RegistryLocation& at);

}  // namespace guru::platform::win32
