// RAII ownership of an X connection, and a scoped trap for X protocol errors.
#pragma once

#include <X11/Xlib.h>

#include <memory>
#include <string>

namespace guru::platform::x11 {

struct DisplayClose { void operator()(Display* d) const { XCloseDisplay(d); } };
/// An owned X connection.
using DisplayPtr = std::unique_ptr<Display, DisplayClose>;

/// Opens a connection to `name` (empty: $DISPLAY); null on failure.
DisplayPtr openDisplay(const std::string& name);

/// While alive, X protocol errors on this thread are recorded instead of aborting.
/// Xlib's error handler is process-global, so the handler itself is installed once and
/// consults a thread-local pointer to the innermost trap.
class ErrorTrap {
public:
    explicit ErrorTrap(Display* display);
    ~ErrorTrap();
    ErrorTrap(const ErrorTrap&) = delete;
    ErrorTrap& operator=(const ErrorTrap&) = delete;

    /// Syncs with the server and reports whether any error arrived since construction.
    bool failed();
    /// The last X error code seen (0 if none).
    int errorCode() const { return errorCode_; }

private:
    static int handle(Display*, XErrorEvent* event);

    Display* display_;
    ErrorTrap* outer_;
    int errorCode_ = 0;
};

}  // namespace guru::platform::x11
