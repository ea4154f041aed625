// The X11 CLIPBOARD on a real Xvfb: two independent clipboards (two X clients each) hand
// text to each other, so ownership, SelectionRequest answers and reads are all exercised.
#include <doctest/doctest.h>  // before X11 headers, whose macros clash with it

#include <chrono>
#include <thread>

#include "platform/x11/x11_clipboard.h"
#include "tests/x11/x11_test_window.h"

using namespace guru;
using namespace guru::platform;

namespace {

std::unique_ptr<x11::X11Clipboard> openClipboard() {
    auto c = x11::X11Clipboard::open(guru::test::xvfbDisplay());
    REQUIRE(c.ok());
    return std::move(*c);
}

}  // namespace

TEST_CASE("text written by one client is read by another, non-ASCII included") {
    auto a = openClipboard();
    auto b = openClipboard();
    const std::string text = "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac";
    REQUIRE(a->writeText(text).ok());
    auto own = a->readText();
    REQUIRE(own.ok());
    CHECK(*own == text);
    auto other = b->readText();
    REQUIRE(other.ok());
    CHECK(*other == text);

    // b takes the selection over; a must now read b's text from b.
    REQUIRE(b->writeText("second").ok());
    auto back = a->readText();
    REQUIRE(back.ok());
    CHECK(*back == "second");
}

TEST_CASE("oversized text is refused, not truncated") {
    auto a = openClipboard();
    CHECK_FALSE(a->writeText(std::string(x11::kMaxClipboardText + 1, 'x')).ok());
}

TEST_CASE("large text within the bound crosses intact") {
    auto a = openClipboard();
    auto b = openClipboard();
    std::string text(200 * 1024, 'a');
    for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
    REQUIRE(a->writeText(text).ok());
    auto got = b->readText();
    REQUIRE(got.ok());
    CHECK(*got == text);
}

TEST_CASE("another program's copy is a local change; our own write is not") {
    auto agent = openClipboard();
    auto other = openClipboard();
    CHECK_FALSE(agent->takeLocalChange().has_value());
    REQUIRE(agent->writeText("ours").ok());
    REQUIRE(other->writeText("theirs \xe2\x82\xac").ok());
    std::optional<std::string> change;
    for (int i = 0; i < 250 && !change; ++i) {
        change = agent->takeLocalChange();
        if (!change) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(change.has_value());
    CHECK(*change == "theirs \xe2\x82\xac");
    CHECK_FALSE(agent->takeLocalChange().has_value());  // taken once

    // Taking the selection back ourselves raises no change on our side.
    REQUIRE(agent->writeText("ours again").ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(agent->takeLocalChange().has_value());
}
