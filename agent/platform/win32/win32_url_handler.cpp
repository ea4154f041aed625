// The `guruconnect://` URL handler's registry keys (win32_url_handler.h).
#include "platform/win32/win32_url_handler.h"

#include "platform/win32/win32_agent_config.h"
#include "platform/win32/win32_text.h"

namespace guru::platform::win32 {

using service::ServiceError;

RegistryLocation urlHandlerLocation() { return {HKEY_CURRENT_USER, L"Software\\Classes\\guruconnect"}; }

Outcome<ServiceError> registerUrlHandler(const RegistryLocation& at, const std::wstring& exe) {
    const std::wstring command = widen(service::urlHandlerCommand(narrow(exe)));
    UniqueKey root, icon, open;
    LSTATUS status = createKey(at, root);
    if (status == ERROR_SUCCESS) status = setString(root.get(), nullptr, L"URL:GuruConnect");
    if (status == ERROR_SUCCESS) status = setString(root.get(), L"URL Protocol", L"");
    if (status == ERROR_SUCCESS) status = createKey({at.root, at.subkey + L"\\DefaultIcon"}, icon);
    if (status == ERROR_SUCCESS) status = setString(icon.get(), nullptr, L"\"" + exe + L"\",0");
    if (status == ERROR_SUCCESS) status = createKey({at.root, at.subkey + L"\\shell\\open\\command"}, open);
    if (status == ERROR_SUCCESS) status = setString(open.get(), nullptr, command);
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, ServiceError::RegistryFailed)};
    return Unit{};
}

Result<bool, ServiceError> removeUrlHandler(const RegistryLocation& at) {
    LSTATUS status = ERROR_SUCCESS;
    const bool existed = deleteTree(at, status);
    if (status != ERROR_SUCCESS) return Failure{serviceErrorFrom(status, ServiceError::RegistryFailed)};
    return existed;
}

}  // namespace guru::platform::win32
