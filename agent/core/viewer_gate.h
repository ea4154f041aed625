// What attended support needs from the session loop (docs/support.md §4): viewers that join
// while the end user has not allowed them agree their keys (so the consent window can show
// the 6-digit code) but get no picture and drive no input until admitted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace guru {

/// Holds joining viewers until the person at the machine admits them.
class ViewerGate {
public:
    virtual ~ViewerGate() = default;
    /// From now on, viewers that join are held (true) or admitted at once (false).
    virtual void holdNewViewers(bool hold) = 0;
    /// Lets a held viewer's stream and input start (nothing if it is gone).
    virtual void admitViewer(std::uint32_t viewerId) = 0;
    /// The viewer's 6-digit code once its keys are agreed ("123 456").
    virtual std::optional<std::string> shortAuthString(std::uint32_t viewerId) const = 0;
};

}  // namespace guru
