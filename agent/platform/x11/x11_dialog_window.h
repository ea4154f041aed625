// A small fixed-size Xlib dialog drawn with core fonts: a heading, wrapped text lines and
// push buttons. The attended-support windows (x11_user_prompt) are built from it.
#pragma once

#include <X11/Xlib.h>

#include <memory>
#include <string>
#include <vector>

#include "platform/x11/x11_prompt_layout.h"

namespace guru::platform::x11 {

/// How a button looks.
enum class ButtonStyle : unsigned char { Plain, Accent, Danger };

/// One push button.
struct DialogButton {
    std::string label;
    layout::ButtonRect rect;
    ButtonStyle style = ButtonStyle::Plain;
};

/// What a dialog shows.
struct DialogSpec {
    std::string title;  // WM_NAME and _NET_WM_NAME
    int width = 0, height = 0;
    std::string heading;
    std::vector<std::string> paragraphs;  // UTF-8, word-wrapped to the window width
    std::vector<DialogButton> buttons;
    bool keepAbove = false;  // _NET_WM_STATE_ABOVE
    bool topRight = false;   // place near the top-right corner instead of the centre
};

/// What the person did.
struct DialogEvent {
    enum class Kind : unsigned char { Button, Escape, CloseRequested } kind;
    int button = -1;  // index into DialogSpec::buttons for Kind::Button
};

/// One mapped dialog window on a borrowed connection; destroyed with the object.
class DialogWindow {
    struct Key {
        explicit Key() = default;
    };

public:
    /// Use open(); the key keeps construction inside it.
    DialogWindow(Key, Display* display, DialogSpec spec) : display_(display), spec_(std::move(spec)) {}
    /// Creates and maps the window; null if the X server refused.
    static std::unique_ptr<DialogWindow> open(Display* display, DialogSpec spec);
    ~DialogWindow();
    DialogWindow(const DialogWindow&) = delete;
    DialogWindow& operator=(const DialogWindow&) = delete;

    /// Replaces the text below the heading and redraws.
    void setParagraphs(std::vector<std::string> paragraphs);
    /// Replaces WM_NAME and _NET_WM_NAME.
    void setTitle(std::string title);
    /// Handles every queued event on the connection; what the person did, in order.
    std::vector<DialogEvent> pump();
    Window window() const { return window_; }

private:
    bool create();
    void storeTitle();
    void draw();
    void drawText(XFontStruct* font, int x, int y, const std::string& utf8, unsigned long colour);
    int textWidth(XFontStruct* font, const std::string& utf8) const;
    std::vector<std::string> wrap(const std::string& paragraph, int width) const;
    unsigned long colour(unsigned rgb);
    int hit(int x, int y) const;

    Display* display_;
    DialogSpec spec_;
    Window window_ = 0;
    GC gc_ = nullptr;
    XFontStruct* bodyFont_ = nullptr;
    XFontStruct* headingFont_ = nullptr;
    Atom deleteWindow_ = 0;
    int pressed_ = -1;  // button under a press not yet released
};

}  // namespace guru::platform::x11
