// TileTracker: writes are compared with the held image; only tiles whose bytes changed
// are reported, and the held image always equals what was written.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include "core/tile_tracker.h"

using namespace guru;

namespace {

Image pattern(int w, int h, int seed = 0) {
    Image img(w, h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) img.set(x, y, (x + seed) & 0xFF, y & 0xFF, (x ^ y) & 0xFF);
    return img;
}

bool sameImage(const ImageView& a, const ImageView& b) {
    if (a.width != b.width || a.height != b.height) return false;
    for (int y = 0; y < a.height; ++y)
        if (std::memcmp(a.row(y), b.row(y), static_cast<std::size_t>(a.width) * 4) != 0) return false;
    return true;
}

TileTracker trackerWith(const Image& img, int tile = 64) {
    TileTracker t(tile);
    t.resize(img.width(), img.height());
    t.apply(img.view().bounds(), img.view());
    t.takeChanged();
    return t;
}

}  // namespace

TEST_CASE("after a resize every tile is reported once, clipped at the edges") {
    TileTracker t(64);
    t.resize(200, 100);  // 4 x 2 tiles, the last column 8 px wide
    Image img = pattern(200, 100);
    t.apply({0, 0, 200, 100}, img.view());
    auto tiles = t.takeChanged();
    CHECK(tiles.size() == 8);
    CHECK(std::find(tiles.begin(), tiles.end(), Rect{192, 64, 8, 36}) != tiles.end());
    int area = 0;
    for (const Rect& r : tiles) area += r.width * r.height;
    CHECK(area == 200 * 100);
    CHECK(t.takeChanged().empty());
    CHECK(sameImage(t.image(), img.view()));
    t.resize(200, 100);  // same size: nothing changes
    CHECK(t.takeChanged().empty());
}

TEST_CASE("rewriting identical pixels reports nothing; one changed pixel reports its tile") {
    Image img = pattern(256, 256);
    TileTracker t = trackerWith(img);
    t.apply({0, 0, 256, 256}, img.view());
    CHECK(t.takeChanged().empty());
    img.set(130, 70, 1, 2, 3);
    t.apply({0, 0, 256, 256}, img.view());
    auto tiles = t.takeChanged();
    REQUIRE(tiles.size() == 1);
    CHECK(tiles[0] == Rect{128, 64, 64, 64});
    CHECK(sameImage(t.image(), img.view()));
}

TEST_CASE("a partial write (damage) spanning tiles marks only those that differ") {
    Image img = pattern(256, 256);
    TileTracker t = trackerWith(img);
    // A 100x20 region across tiles (0..2, 1); only its right end changes.
    Image next = pattern(256, 256);
    next.set(120, 70, 9, 9, 9);
    Rect at{30, 60, 100, 20};
    t.apply(at, next.view().sub(at));
    auto tiles = t.takeChanged();
    REQUIRE(tiles.size() == 1);
    CHECK(tiles[0] == Rect{64, 64, 64, 64});
    CHECK(sameImage(t.image(), next.view()));
}

TEST_CASE("writes are clipped to the image, mismatched sizes are ignored") {
    Image img = pattern(64, 64);
    TileTracker t = trackerWith(img, 32);
    Image other = pattern(64, 64, 7);
    t.apply({48, 48, 64, 64}, other.view());  // only the 16x16 inside counts
    auto tiles = t.takeChanged();
    REQUIRE(tiles.size() == 1);
    CHECK(tiles[0] == Rect{32, 32, 32, 32});
    CHECK(t.image().row(63)[63 * 4] == other.view().row(15)[15 * 4]);
    t.apply({-10, -10, 5, 5}, other.view().sub({0, 0, 5, 5}));
    t.apply({0, 0, 10, 10}, other.view());  // view is 64x64, rect 10x10: ignored
    CHECK(t.takeChanged().empty());
}

TEST_CASE("markAll reports everything again, a resize starts over") {
    Image img = pattern(96, 64);
    TileTracker t = trackerWith(img, 32);
    t.markAll();
    CHECK(t.takeChanged().size() == 6);
    t.resize(64, 64);
    CHECK(t.takeChanged().size() == 4);
}
