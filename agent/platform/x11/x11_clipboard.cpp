// X11 CLIPBOARD: a helper thread owns the selection and answers SelectionRequest;
// reads convert the selection on a separate connection with a bounded wait.
#include "platform/x11/x11_clipboard.h"

#include <X11/Xatom.h>
#include <X11/extensions/Xfixes.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>

namespace guru::platform::x11 {

namespace {

constexpr auto kReadTimeout = std::chrono::milliseconds(1000);
constexpr auto kWriteTimeout = std::chrono::milliseconds(1000);

Window hiddenWindow(Display* d) {
    return XCreateSimpleWindow(d, DefaultRootWindow(d), -10, -10, 1, 1, 0, 0, 0);
}

}  // namespace

Result<std::unique_ptr<X11Clipboard>, BackendError> X11Clipboard::open(const std::string& display) {
    DisplayPtr reader = openDisplay(display);
    DisplayPtr owner = openDisplay(display);
    if (!reader || !owner) return Failure{BackendError::NoDisplay};
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return Failure{BackendError::NoDisplay};
    return std::unique_ptr<X11Clipboard>(
        new X11Clipboard(std::move(reader), std::move(owner), fds[0], fds[1]));
}

X11Clipboard::X11Clipboard(DisplayPtr reader, DisplayPtr owner, int wakeRead, int wakeWrite)
    : reader_(std::move(reader)), owner_(std::move(owner)), wakeRead_(wakeRead), wakeWrite_(wakeWrite) {
    readerWindow_ = hiddenWindow(reader_.get());
    XSelectInput(reader_.get(), readerWindow_, PropertyChangeMask);
    ownerWindow_ = hiddenWindow(owner_.get());
    clipboard_ = XInternAtom(owner_.get(), "CLIPBOARD", False);
    utf8_ = XInternAtom(owner_.get(), "UTF8_STRING", False);
    targets_ = XInternAtom(owner_.get(), "TARGETS", False);
    property_ = XInternAtom(owner_.get(), "GURU_CLIPBOARD", False);
    int fixesError = 0;
    if (XFixesQueryExtension(owner_.get(), &fixesEvent_, &fixesError)) {
        XFixesSelectSelectionInput(owner_.get(), ownerWindow_, clipboard_,
                                   XFixesSetSelectionOwnerNotifyMask);
    } else {
        fixesEvent_ = -1;
    }
    XFlush(owner_.get());
    XSync(reader_.get(), False);
    thread_ = std::thread([this] { ownerLoop(); });
}

X11Clipboard::~X11Clipboard() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    [[maybe_unused]] auto n = write(wakeWrite_, "x", 1);
    if (thread_.joinable()) thread_.join();
    close(wakeRead_);
    close(wakeWrite_);
}

Outcome<ClipboardError> X11Clipboard::writeText(const std::string& text) {
    if (text.size() > kMaxClipboardText) return Failure{ClipboardError::SystemError};
    std::unique_lock lock(mutex_);
    pending_ = text;
    writeRequested_ = true;
    writeDone_ = false;
    [[maybe_unused]] auto n = write(wakeWrite_, "x", 1);
    if (!changed_.wait_for(lock, kWriteTimeout, [&] { return writeDone_ || stopping_; }) || !writeOk_)
        return Failure{ClipboardError::SystemError};
    return Unit{};
}

bool X11Clipboard::takeOwnership() {
    Display* d = owner_.get();
    XSetSelectionOwner(d, clipboard_, ownerWindow_, CurrentTime);
    return XGetSelectionOwner(d, clipboard_) == ownerWindow_;
}

void X11Clipboard::ownerLoop() {
    Display* d = owner_.get();
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (stopping_) return;
            if (writeRequested_) {
                writeRequested_ = false;
                text_ = std::move(pending_);
                owned_ = takeOwnership();
                writeOk_ = owned_;
                writeDone_ = true;
                changed_.notify_all();
            }
        }
        while (XPending(d) > 0) {
            XEvent event;
            XNextEvent(d, &event);
            if (event.type == SelectionRequest) {
                serve(event.xselectionrequest);
            } else if (event.type == SelectionClear) {
                std::lock_guard lock(mutex_);
                owned_ = false;
                text_.clear();
            } else if (fixesEvent_ >= 0 && event.type == fixesEvent_ + XFixesSelectionNotify) {
                const auto& notify = reinterpret_cast<const XFixesSelectionNotifyEvent&>(event);
                // Our own writes are not local changes; an owner of None is no text.
                if (notify.owner == ownerWindow_ || notify.owner == None) continue;
                // Stale (the selection moved on since, maybe to us): the newer notify counts.
                if (XGetSelectionOwner(d, clipboard_) != notify.owner) continue;
                {
                    std::lock_guard lock(mutex_);  // even if SelectionClear is still queued
                    owned_ = false;
                    text_.clear();
                }
                auto text = readText();
                std::lock_guard lock(mutex_);
                if (text) localChange_ = std::move(*text);
            }
        }
        pollfd fds[2] = {{ConnectionNumber(d), POLLIN, 0}, {wakeRead_, POLLIN, 0}};
        poll(fds, 2, 100);
        char drain[64];
        while (read(wakeRead_, drain, sizeof drain) > 0) {}
    }
}

void X11Clipboard::serve(const XSelectionRequestEvent& request) {
    Display* d = owner_.get();
    XSelectionEvent reply{};
    reply.type = SelectionNotify;
    reply.display = d;
    reply.requestor = request.requestor;
    reply.selection = request.selection;
    reply.target = request.target;
    reply.time = request.time;
    reply.property = None;
    // Obsolete clients pass no property: the target names it then (ICCCM 2.2).
    const Atom property = request.property == None ? request.target : request.property;
    std::string text;
    bool owned = false;
    {
        std::lock_guard lock(mutex_);
        text = text_;
        owned = owned_;
    }
    if (owned && request.selection == clipboard_) {
        if (request.target == targets_) {
            const Atom supported[] = {targets_, utf8_, XA_STRING};
            XChangeProperty(d, request.requestor, property, XA_ATOM, 32, PropModeReplace,
                            reinterpret_cast<const unsigned char*>(supported), 3);
            reply.property = property;
        } else if (request.target == utf8_ || request.target == XA_STRING) {
            XChangeProperty(d, request.requestor, property, request.target, 8, PropModeReplace,
                            reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
            reply.property = property;
        }
    }
    XSendEvent(d, request.requestor, False, NoEventMask, reinterpret_cast<XEvent*>(&reply));
    XFlush(d);
}

std::optional<std::string> X11Clipboard::takeLocalChange() {
    std::lock_guard lock(mutex_);
    std::optional<std::string> change;
    change.swap(localChange_);
    return change;
}

Result<std::string, ClipboardError> X11Clipboard::readText() {
    std::lock_guard readLock(readMutex_);
    // Ask the server who owns it: a SelectionClear may still wait in the helper's queue.
    if (XGetSelectionOwner(reader_.get(), clipboard_) == ownerWindow_) {
        std::lock_guard lock(mutex_);
        if (owned_) return text_;  // our own write: no round trip to ourselves
    }
    auto text = convert(utf8_);
    if (!text && text.error() == ClipboardError::Unsupported) text = convert(XA_STRING);
    return text;
}

Result<std::string, ClipboardError> X11Clipboard::convert(Atom target) {
    Display* d = reader_.get();
    if (XGetSelectionOwner(d, clipboard_) == None) return Failure{ClipboardError::Empty};
    XConvertSelection(d, clipboard_, target, property_, readerWindow_, CurrentTime);
    XFlush(d);
    const auto deadline = std::chrono::steady_clock::now() + kReadTimeout;
    XEvent event;
    for (;;) {
        if (XCheckTypedWindowEvent(d, readerWindow_, SelectionNotify, &event)) break;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return Failure{ClipboardError::SystemError};
        pollfd fd{ConnectionNumber(d), POLLIN, 0};
        poll(&fd, 1, static_cast<int>(std::min<long long>(left.count(), 50)));
    }
    if (event.xselection.property == None) return Failure{ClipboardError::Unsupported};
    Atom type = None;
    int format = 0;
    unsigned long items = 0, after = 0;
    unsigned char* data = nullptr;
    const int status = XGetWindowProperty(d, readerWindow_, property_, 0, kMaxClipboardText / 4 + 1,
                                          True, AnyPropertyType, &type, &format, &items, &after, &data);
    std::unique_ptr<unsigned char, int (*)(void*)> owned(data, XFree);
    if (status != Success || format != 8 || after > 0 || items > kMaxClipboardText)
        return Failure{ClipboardError::SystemError};  // INCR transfers and oversize text included
    return std::string(reinterpret_cast<const char*>(data), items);
}

}  // namespace guru::platform::x11
