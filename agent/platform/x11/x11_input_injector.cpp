// XTest injection; see x11_input_injector.h.
#include "platform/x11/x11_input_injector.h"

#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include <algorithm>
#include <memory>

#include "platform/x11/x11_keymap.h"

namespace guru::platform::x11 {
namespace {

constexpr int kMaxWheelClicksPerEvent = 20;
constexpr std::size_t kMaxRemapped = 8;

unsigned xButton(inner::Button b) {
    switch (b) {
        case inner::Button::Left: return 1;
        case inner::Button::Middle: return 2;
        case inner::Button::Right: return 3;
        case inner::Button::Back: return 8;
        case inner::Button::Forward: return 9;
    }
    return 1;
}

// Column of the core mapping that holds group 1, level `level` (X11 core/XKB convention).
constexpr int kLevelColumn[] = {0, 1, 4, 5};

}  // namespace

Result<std::unique_ptr<X11InputInjector>, BackendError> X11InputInjector::open(
    const std::string& name) {
    DisplayPtr display = openDisplay(name);
    if (!display) return Failure{BackendError::NoDisplay};
    int event = 0, error = 0, major = 0, minor = 0;
    if (!XTestQueryExtension(display.get(), &event, &error, &major, &minor)) {
        return Failure{BackendError::MissingExtension};
    }
    std::unique_ptr<X11InputInjector> self(new X11InputInjector(std::move(display)));
    self->loadKeyboardMapping();
    return self;
}

X11InputInjector::~X11InputInjector() {
    releaseAll();
    // Give the remapped keycodes back their (empty) original mapping.
    std::vector<KeySym> none(static_cast<std::size_t>(symsPerKeycode_), NoSymbol);
    for (KeyCode kc : remapped_) {
        XChangeKeyboardMapping(display_.get(), kc, symsPerKeycode_, none.data(), 1);
    }
    XSync(display_.get(), False);
}

void X11InputInjector::loadKeyboardMapping() {
    Display* d = display_.get();
    XDisplayKeycodes(d, &minKeycode_, &maxKeycode_);
    int count = maxKeycode_ - minKeycode_ + 1;
    std::unique_ptr<KeySym, decltype(&XFree)> syms(
        XGetKeyboardMapping(d, static_cast<KeyCode>(minKeycode_), count, &symsPerKeycode_),
        &XFree);
    mapping_.assign(syms.get(), syms.get() + static_cast<std::size_t>(count) * symsPerKeycode_);
    spare_.clear();
    for (int i = 0; i < count; ++i) {
        auto first = mapping_.begin() + static_cast<std::ptrdiff_t>(i) * symsPerKeycode_;
        if (std::all_of(first, first + symsPerKeycode_, [](KeySym s) { return s == NoSymbol; })) {
            spare_.push_back(static_cast<KeyCode>(minKeycode_ + i));
        }
    }
}

std::optional<X11InputInjector::Placement> X11InputInjector::find(KeySym keysym) const {
    const int count = maxKeycode_ - minKeycode_ + 1;
    for (int level = 0; level < 4; ++level) {
        int column = kLevelColumn[level];
        if (column >= symsPerKeycode_) break;
        for (int i = 0; i < count; ++i) {
            if (mapping_[static_cast<std::size_t>(i) * symsPerKeycode_ + column] == keysym) {
                return Placement{static_cast<KeyCode>(minKeycode_ + i), level};
            }
        }
    }
    return std::nullopt;
}

std::optional<KeyCode> X11InputInjector::remapSpare(KeySym keysym) {
    KeyCode kc = 0;
    if (remapped_.size() < std::min(spare_.size(), kMaxRemapped)) {
        kc = spare_[remapped_.size()];
    } else {
        // Reuse the least recently remapped keycode that is not held down.
        auto it = std::find_if(remapped_.begin(), remapped_.end(), [this](KeyCode c) {
            return std::none_of(pressedByCode_.begin(), pressedByCode_.end(),
                                [c](const auto& p) { return p.second == c; });
        });
        if (it == remapped_.end()) return std::nullopt;
        kc = *it;
        remapped_.erase(it);
    }
    remapped_.push_back(kc);
    std::vector<KeySym> syms(static_cast<std::size_t>(symsPerKeycode_), NoSymbol);
    syms[0] = keysym;
    if (symsPerKeycode_ > 1) syms[1] = keysym;  // same symbol with Shift held
    XChangeKeyboardMapping(display_.get(), kc, symsPerKeycode_, syms.data(), 1);
    XSync(display_.get(), False);
    std::copy(syms.begin(), syms.end(),
              mapping_.begin() + static_cast<std::ptrdiff_t>(kc - minKeycode_) * symsPerKeycode_);
    return kc;
}

void X11InputInjector::fakeKey(KeyCode keycode, bool down) {
    XTestFakeKeyEvent(display_.get(), keycode, down ? True : False, CurrentTime);
}

void X11InputInjector::flush() { XFlush(display_.get()); }

Outcome<InputError> X11InputInjector::movePointer(int x, int y) {
    XTestFakeMotionEvent(display_.get(), -1, x, y, CurrentTime);
    flush();
    return Unit{};
}

Outcome<InputError> X11InputInjector::button(inner::Button b, bool pressed) {
    unsigned xb = xButton(b);
    XTestFakeButtonEvent(display_.get(), xb, pressed ? True : False, CurrentTime);
    if (pressed) heldButtons_.insert(xb); else heldButtons_.erase(xb);
    flush();
    return Unit{};
}

Outcome<InputError> X11InputInjector::wheel(int dx, int dy) {
    wheelRemainderX_ += dx;
    wheelRemainderY_ += dy;
    auto clicks = [](int& remainder, unsigned negative, unsigned positive, Display* d) {
        int n = remainder / 120;
        remainder -= n * 120;
        unsigned b = n < 0 ? negative : positive;
        for (int i = 0; i < std::min(std::abs(n), kMaxWheelClicksPerEvent); ++i) {
            XTestFakeButtonEvent(d, b, True, CurrentTime);
            XTestFakeButtonEvent(d, b, False, CurrentTime);
        }
    };
    clicks(wheelRemainderY_, 4, 5, display_.get());  // 4 = up, 5 = down
    clicks(wheelRemainderX_, 6, 7, display_.get());  // 6 = left, 7 = right
    flush();
    return Unit{};
}

std::optional<KeySym> X11InputInjector::resolve(const inner::Key& key, bool& typed) const {
    typed = false;
    if (auto cp = singleCodepoint(key.key)) {
        auto ks = keysymForCharacter(*cp);
        // With Control/Alt/Meta held this is a shortcut: press the key, keep the modifiers.
        typed = ks && !(key.modifiers & (inner::Control | inner::Alt | inner::Meta));
        if (ks) return ks;
    }
    if (auto ks = keysymForNamedKey(key.key)) return ks;
    return keysymForCode(key.code);
}

// Presses `place.keycode` with exactly the Shift/AltGr state its level needs, then puts
// the modifiers back as they were; X clients read the state at press time.
Outcome<InputError> X11InputInjector::pressAtLevel(const Placement& place) {
    Display* d = display_.get();
    char keys[32] = {};
    XQueryKeymap(d, keys);
    auto isDown = [&keys](KeyCode kc) { return (keys[kc / 8] >> (kc % 8)) & 1; };
    std::vector<KeyCode> shiftDown, altGrDown;
    for (KeySym ks : {KeySym{XK_Shift_L}, KeySym{XK_Shift_R}}) {
        if (auto p = find(ks); p && isDown(p->keycode)) shiftDown.push_back(p->keycode);
    }
    for (KeySym ks : {KeySym{XK_ISO_Level3_Shift}, KeySym{XK_Mode_switch}}) {
        if (auto p = find(ks); p && isDown(p->keycode)) altGrDown.push_back(p->keycode);
    }
    const bool needShift = place.level & 1, needAltGr = place.level & 2;
    std::vector<std::pair<KeyCode, bool>> undo;  // (keycode, pressed-state to restore)
    auto adjust = [&](bool need, std::vector<KeyCode>& down, KeySym modifier) -> bool {
        if (need && down.empty()) {
            auto m = find(modifier);
            if (!m) return false;
            fakeKey(m->keycode, true);
            undo.emplace_back(m->keycode, false);
        } else if (!need) {
            for (KeyCode kc : down) {
                fakeKey(kc, false);
                undo.emplace_back(kc, true);
            }
        }
        return true;
    };
    if (!adjust(needShift, shiftDown, XK_Shift_L) ||
        !adjust(needAltGr, altGrDown, XK_ISO_Level3_Shift)) {
        for (auto it = undo.rbegin(); it != undo.rend(); ++it) fakeKey(it->first, it->second);
        return Failure{InputError::UnknownKey};
    }
    fakeKey(place.keycode, true);
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) fakeKey(it->first, it->second);
    return Unit{};
}

Outcome<InputError> X11InputInjector::key(const inner::Key& key) {
    const std::string id = key.code.empty() ? key.key : key.code;
    if (!key.pressed) {
        auto it = pressedByCode_.find(id);
        if (it != pressedByCode_.end()) {
            fakeKey(it->second, false);
            pressedByCode_.erase(it);
            flush();
        }
        return Unit{};
    }
    bool typed = false;
    auto keysym = resolve(key, typed);
    if (!keysym) return Failure{InputError::UnknownKey};
    if (auto held = pressedByCode_.find(id); held != pressedByCode_.end()) {
        fakeKey(held->second, false);  // auto-repeat: release before pressing again
        pressedByCode_.erase(held);
    }
    auto place = find(*keysym);
    if (!place) {
        auto kc = remapSpare(*keysym);
        if (!kc) return Failure{InputError::NoFreeKeycode};
        place = Placement{*kc, 0};
        typed = false;  // both levels hold the keysym, so Shift state does not matter
    }
    if (typed) {
        if (!pressAtLevel(*place)) {
            // The level needs a modifier this layout lacks (e.g. no AltGr key): remap.
            auto kc = remapSpare(*keysym);
            if (!kc) return Failure{InputError::NoFreeKeycode};
            place = Placement{*kc, 0};
            fakeKey(place->keycode, true);
        }
    } else {
        fakeKey(place->keycode, true);
    }
    pressedByCode_[id] = place->keycode;
    flush();
    return Unit{};
}

void X11InputInjector::releaseAll() {
    for (const auto& [code, kc] : pressedByCode_) fakeKey(kc, false);
    pressedByCode_.clear();
    for (unsigned b : heldButtons_) XTestFakeButtonEvent(display_.get(), b, False, CurrentTime);
    heldButtons_.clear();
    flush();
}

}  // namespace guru::platform::x11
