// InputInjector for Windows: SendInput with scancodes for keys, KEYEVENTF_UNICODE for text,
// and Ctrl+Alt+Del as the secure attention sequence (sas.dll's SendSAS) when that can work.
#pragma once

#include <windows.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "platform/platform.h"

namespace guru::platform::win32 {

/// True if this process's token user is LocalSystem (S-1-5-18), as a service's is by
/// default. SendSAS generates the sequence only for services and LocalSystem processes.
bool processRunsAsLocalSystem();

/// Injects into the input desktop of the session the agent runs in. Windows drops input to
/// windows of higher integrity (UIPI) without telling; SendInput's count is checked anyway.
/// Windows never lets SendInput produce Ctrl+Alt+Del, so the chord goes through SendSAS
/// when the agent runs as LocalSystem and sas.dll is there; otherwise it is refused.
class SendInputInjector final : public InputInjector {
public:
    /// Works out, once, whether SendSAS is usable (loads sas.dll only for LocalSystem) and
    /// whether the process is elevated (an unreadable token counts as not elevated).
    SendInputInjector();
    ~SendInputInjector() override { releaseAll(); }
    SecureAttention secureAttention() const override {
        return sendSas_ ? SecureAttention::Sas : SecureAttention::Unavailable;
    }
    bool elevated() const override { return elevated_; }
    Outcome<InputError> movePointer(int x, int y) override;
    Outcome<InputError> button(inner::Button button, bool pressed) override;
    Outcome<InputError> wheel(int dx, int dy) override;
    Outcome<InputError> key(const inner::Key& key) override;
    void releaseAll() override;

private:
    struct LibraryFree {
        void operator()(HMODULE m) const {
            if (m) FreeLibrary(m);
        }
    };
    using SendSasFn = VOID(WINAPI*)(BOOL asUser);

    /// Key events of the chord: the Delete press becomes SendSAS (or is refused), and its
    /// release is swallowed; nothing of it reaches SendInput.
    Outcome<InputError> chordKey(const inner::Key& key, const std::string& slot);

    std::unique_ptr<std::remove_pointer_t<HMODULE>, LibraryFree> sasLibrary_;
    SendSasFn sendSas_ = nullptr;  // from sasLibrary_; null when SAS is unavailable
    bool elevated_ = false;        // TokenElevation, read once (UIPI lets elevated input through)
    /// The DOM code whose key-down was taken as the chord; its key-up is swallowed.
    std::set<std::string> chordKeys_;
    /// The key-up events that undo each key held down, by DOM code.
    std::map<std::string, std::vector<INPUT>> heldKeys_;
    std::set<inner::Button> heldButtons_;
};

}  // namespace guru::platform::win32
