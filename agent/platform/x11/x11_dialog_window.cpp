// Xlib dialog drawing and event handling (core fonts, no toolkit).
#include "platform/x11/x11_dialog_window.h"

#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>

#include <algorithm>

#include "platform/x11/x11_display.h"

namespace guru::platform::x11 {
namespace {

constexpr unsigned kBackground = 0xF4F5F7;
constexpr unsigned kText = 0x1F2328;
constexpr unsigned kBorder = 0x9CA3AF;
constexpr int kMargin = 20;
constexpr int kLineHeight = 18;

// Core fonts tried in order; "fixed" exists on every X server.
constexpr const char* kBodyFonts[] = {
    "-*-helvetica-medium-r-normal--12-*-*-*-*-*-iso10646-1",
    "-*-helvetica-medium-r-normal--12-*-*-*-*-*-iso8859-1",
    "-misc-fixed-medium-r-normal--13-*-*-*-*-*-iso10646-1", "fixed"};
constexpr const char* kHeadingFonts[] = {
    "-*-helvetica-bold-r-normal--14-*-*-*-*-*-iso10646-1",
    "-*-helvetica-bold-r-normal--14-*-*-*-*-*-iso8859-1",
    "-misc-fixed-bold-r-normal--13-*-*-*-*-*-iso10646-1", "fixed"};

template <std::size_t N>
XFontStruct* loadFirst(Display* d, const char* const (&names)[N]) {
    for (const char* n : names) {
        if (XFontStruct* f = XLoadQueryFont(d, n)) return f;
    }
    return nullptr;
}

// UTF-8 → UCS-2 for XDrawString16; outside the BMP or malformed → '?'. A font without a
// glyph draws its default character.
std::vector<XChar2b> toChar2b(const std::string& s) {
    std::vector<XChar2b> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        unsigned cp = '?';
        std::size_t len = 1;
        if (c < 0x80) {
            cp = c;
        } else if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
            len = 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
            cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                 (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
            len = 3;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
        }
        i += len;
        out.push_back(XChar2b{static_cast<unsigned char>(cp >> 8), static_cast<unsigned char>(cp & 0xFF)});
    }
    return out;
}

}  // namespace

std::unique_ptr<DialogWindow> DialogWindow::open(Display* display, DialogSpec spec) {
    auto w = std::make_unique<DialogWindow>(Key{}, display, std::move(spec));
    if (!w->create()) return nullptr;
    return w;
}

DialogWindow::~DialogWindow() {
    if (bodyFont_) XFreeFont(display_, bodyFont_);
    if (headingFont_) XFreeFont(display_, headingFont_);
    if (gc_) XFreeGC(display_, gc_);
    if (window_) XDestroyWindow(display_, window_);
    XFlush(display_);
}

unsigned long DialogWindow::colour(unsigned rgb) {
    XColor c{};
    c.red = static_cast<unsigned short>(((rgb >> 16) & 0xFF) * 257);
    c.green = static_cast<unsigned short>(((rgb >> 8) & 0xFF) * 257);
    c.blue = static_cast<unsigned short>((rgb & 0xFF) * 257);
    c.flags = DoRed | DoGreen | DoBlue;
    const int screen = DefaultScreen(display_);
    if (!XAllocColor(display_, DefaultColormap(display_, screen), &c)) {
        return (rgb & 0x808080) ? WhitePixel(display_, screen) : BlackPixel(display_, screen);
    }
    return c.pixel;
}

bool DialogWindow::create() {
    ErrorTrap trap(display_);
    const int screen = DefaultScreen(display_);
    const int sw = DisplayWidth(display_, screen), sh = DisplayHeight(display_, screen);
    const int x = spec_.topRight ? std::max(0, sw - spec_.width - 24) : std::max(0, (sw - spec_.width) / 2);
    const int y = spec_.topRight ? 24 : std::max(0, (sh - spec_.height) / 3);
    XSetWindowAttributes attrs{};
    attrs.background_pixel = colour(kBackground);
    attrs.event_mask = ExposureMask | ButtonPressMask | ButtonReleaseMask | KeyPressMask |
                       StructureNotifyMask;
    window_ = XCreateWindow(display_, RootWindow(display_, screen), x, y,
                            static_cast<unsigned>(spec_.width), static_cast<unsigned>(spec_.height),
                            0, CopyFromParent, InputOutput, CopyFromParent,
                            CWBackPixel | CWEventMask, &attrs);
    if (!window_) return false;

    storeTitle();
    char resName[] = "guruconnect-agent";
    char resClass[] = "GuruConnect";
    XClassHint classHint{resName, resClass};
    XSetClassHint(display_, window_, &classHint);
    XSizeHints size{};
    size.flags = PPosition | PSize | PMinSize | PMaxSize;
    size.x = x;
    size.y = y;
    size.width = size.min_width = size.max_width = spec_.width;
    size.height = size.min_height = size.max_height = spec_.height;
    XSetWMNormalHints(display_, window_, &size);
    deleteWindow_ = XInternAtom(display_, "WM_DELETE_WINDOW", False);
    XSetWMProtocols(display_, window_, &deleteWindow_, 1);
    const Atom dialogType = XInternAtom(display_, "_NET_WM_WINDOW_TYPE_DIALOG", False);
    XChangeProperty(display_, window_, XInternAtom(display_, "_NET_WM_WINDOW_TYPE", False), XA_ATOM,
                    32, PropModeReplace, reinterpret_cast<const unsigned char*>(&dialogType), 1);
    if (spec_.keepAbove) {
        // Set before mapping: a compliant window manager reads the initial state then.
        const Atom above = XInternAtom(display_, "_NET_WM_STATE_ABOVE", False);
        XChangeProperty(display_, window_, XInternAtom(display_, "_NET_WM_STATE", False), XA_ATOM, 32,
                        PropModeReplace, reinterpret_cast<const unsigned char*>(&above), 1);
    }
    gc_ = XCreateGC(display_, window_, 0, nullptr);
    bodyFont_ = loadFirst(display_, kBodyFonts);
    headingFont_ = loadFirst(display_, kHeadingFonts);
    XMapRaised(display_, window_);
    XFlush(display_);
    return gc_ && !trap.failed();
}

int DialogWindow::textWidth(XFontStruct* font, const std::string& utf8) const {
    const auto chars = toChar2b(utf8);
    if (!font) return static_cast<int>(chars.size()) * 6;
    return XTextWidth16(font, chars.data(), static_cast<int>(chars.size()));
}

void DialogWindow::drawText(XFontStruct* font, int x, int y, const std::string& utf8,
                            unsigned long pixel) {
    const auto chars = toChar2b(utf8);
    XSetForeground(display_, gc_, pixel);
    if (font) XSetFont(display_, gc_, font->fid);
    XDrawString16(display_, window_, gc_, x, y, chars.data(), static_cast<int>(chars.size()));
}

std::vector<std::string> DialogWindow::wrap(const std::string& paragraph, int width) const {
    std::vector<std::string> lines;
    std::string line;
    std::size_t start = 0;
    while (start <= paragraph.size()) {
        std::size_t end = paragraph.find(' ', start);
        if (end == std::string::npos) end = paragraph.size();
        const std::string word = paragraph.substr(start, end - start);
        const std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && textWidth(bodyFont_, candidate) > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = candidate;
        }
        start = end + 1;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

void DialogWindow::draw() {
    XClearWindow(display_, window_);
    const unsigned long text = colour(kText);
    int y = kMargin + 14;
    drawText(headingFont_, kMargin, y, spec_.heading, text);
    y += 10;
    const int lowest = spec_.buttons.empty() ? spec_.height - 8 : spec_.buttons.front().rect.y - 8;
    for (const std::string& paragraph : spec_.paragraphs) {
        for (const std::string& line : wrap(paragraph, spec_.width - 2 * kMargin)) {
            if (y + kLineHeight > lowest) break;
            y += kLineHeight;
            drawText(bodyFont_, kMargin, y, line, text);
        }
        y += 4;
    }
    for (std::size_t i = 0; i < spec_.buttons.size(); ++i) {
        const DialogButton& b = spec_.buttons[i];
        const bool down = pressed_ == static_cast<int>(i);
        unsigned fill = 0xE5E7EB, label = kText;
        if (b.style == ButtonStyle::Accent) fill = 0x2563EB, label = 0xFFFFFF;
        if (b.style == ButtonStyle::Danger) fill = 0xDC2626, label = 0xFFFFFF;
        if (down) fill = (fill >> 1) & 0x7F7F7F;
        XSetForeground(display_, gc_, colour(fill));
        XFillRectangle(display_, window_, gc_, b.rect.x, b.rect.y, static_cast<unsigned>(b.rect.width),
                       static_cast<unsigned>(b.rect.height));
        XSetForeground(display_, gc_, colour(kBorder));
        XDrawRectangle(display_, window_, gc_, b.rect.x, b.rect.y,
                       static_cast<unsigned>(b.rect.width - 1), static_cast<unsigned>(b.rect.height - 1));
        const int w = textWidth(bodyFont_, b.label);
        const int ascent = bodyFont_ ? bodyFont_->ascent : 10;
        const int descent = bodyFont_ ? bodyFont_->descent : 2;
        drawText(bodyFont_, b.rect.x + (b.rect.width - w) / 2,
                 b.rect.y + (b.rect.height + ascent - descent) / 2, b.label, colour(label));
    }
    XFlush(display_);
}

void DialogWindow::storeTitle() {
    XStoreName(display_, window_, spec_.title.c_str());
    const Atom utf8 = XInternAtom(display_, "UTF8_STRING", False);
    XChangeProperty(display_, window_, XInternAtom(display_, "_NET_WM_NAME", False), utf8, 8,
                    PropModeReplace, reinterpret_cast<const unsigned char*>(spec_.title.data()),
                    static_cast<int>(spec_.title.size()));
}

void DialogWindow::setTitle(std::string title) {
    if (title == spec_.title) return;
    spec_.title = std::move(title);
    storeTitle();
    XFlush(display_);
}

void DialogWindow::setParagraphs(std::vector<std::string> paragraphs) {
    spec_.paragraphs = std::move(paragraphs);
    draw();
}

int DialogWindow::hit(int x, int y) const {
    for (std::size_t i = 0; i < spec_.buttons.size(); ++i) {
        if (spec_.buttons[i].rect.contains(x, y)) return static_cast<int>(i);
    }
    return -1;
}

std::vector<DialogEvent> DialogWindow::pump() {
    std::vector<DialogEvent> out;
    while (XPending(display_) > 0) {
        XEvent ev;
        XNextEvent(display_, &ev);
        if (ev.xany.window != window_) continue;  // a window closed earlier
        switch (ev.type) {
            case Expose:
                if (ev.xexpose.count == 0) draw();
                break;
            case ButtonPress:
                if (ev.xbutton.button == Button1) {
                    pressed_ = hit(ev.xbutton.x, ev.xbutton.y);
                    if (pressed_ >= 0) draw();
                }
                break;
            case ButtonRelease:
                if (ev.xbutton.button == Button1 && pressed_ >= 0) {
                    const int was = pressed_;
                    pressed_ = -1;
                    draw();
                    if (hit(ev.xbutton.x, ev.xbutton.y) == was) {
                        out.push_back({DialogEvent::Kind::Button, was});
                    }
                }
                break;
            case KeyPress:
                if (XLookupKeysym(&ev.xkey, 0) == XK_Escape) out.push_back({DialogEvent::Kind::Escape});
                break;
            case ClientMessage:
                if (static_cast<Atom>(ev.xclient.data.l[0]) == deleteWindow_) {
                    out.push_back({DialogEvent::Kind::CloseRequested});
                }
                break;
            default:
                break;
        }
    }
    return out;
}

}  // namespace guru::platform::x11
