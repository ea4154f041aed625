// Input dispatch from decoded inner messages to the injector.
#include "core/input_dispatch.h"

namespace guru {

bool isInput(const inner::Message& message) {
    return std::holds_alternative<inner::PointerMove>(message) ||
           std::holds_alternative<inner::PointerButton>(message) ||
           std::holds_alternative<inner::Wheel>(message) ||
           std::holds_alternative<inner::Key>(message);
}

InputKind applyInput(platform::InputInjector& injector, const inner::Message& message) {
    if (auto* m = std::get_if<inner::PointerMove>(&message)) {
        (void)injector.movePointer(m->x, m->y);
    } else if (auto* b = std::get_if<inner::PointerButton>(&message)) {
        (void)injector.button(b->button, b->pressed);
    } else if (auto* w = std::get_if<inner::Wheel>(&message)) {
        (void)injector.wheel(w->dx, w->dy);
    } else if (auto* k = std::get_if<inner::Key>(&message)) {
        (void)injector.key(*k);
    } else {
        return InputKind::NotInput;
    }
    return InputKind::Input;
}

}  // namespace guru
