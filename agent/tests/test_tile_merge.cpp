// mergeTiles: chosen tiles become few rectangles of one class each, covering exactly the
// chosen tiles, within the size limits, in row-major order of their first tile.
#include <doctest/doctest.h>

#include <set>

#include "core/tile_merge.h"

using namespace guru;

namespace {

struct Grid {
    std::vector<Rect> tiles;
    int columns = 0;
    int tileSize = 64;
};

Grid grid(int width, int height, int ts = 64) {
    Grid g;
    g.tileSize = ts;
    g.columns = (width + ts - 1) / ts;
    const Rect bounds{0, 0, width, height};
    for (int y = 0; y < height; y += ts)
        for (int x = 0; x < width; x += ts) g.tiles.push_back(Rect{x, y, ts, ts}.intersect(bounds));
    return g;
}

/// Every chosen tile covered exactly once, nothing else covered.
void checkCovers(const Grid& g, const std::vector<bool>& chosen, const std::vector<MergedRect>& rects) {
    std::multiset<std::size_t> covered;
    for (const MergedRect& m : rects)
        for (std::size_t i : tilesOf(m.rect, g.tileSize, g.columns)) covered.insert(i);
    for (std::size_t i = 0; i < chosen.size(); ++i) CHECK(covered.count(i) == (chosen[i] ? 1u : 0u));
}

}  // namespace

TEST_CASE("a full 1080p screen of one class is a handful of bands, not 510 tiles") {
    const Grid g = grid(1920, 1080);
    REQUIRE(g.tiles.size() == 510);
    const std::vector<bool> chosen(g.tiles.size(), true);
    const std::vector<TileContent> content(g.tiles.size(), TileContent::Photographic);
    const auto rects = mergeTiles(g.tiles, g.columns, chosen, content);
    CHECK(rects.size() == 9);  // 1920×128 bands (the pixel cap), the last one 1920×56
    CHECK(rects.front().rect == Rect{0, 0, 1920, 128});
    CHECK(rects.back().rect == Rect{0, 1024, 1920, 56});
    for (const MergedRect& m : rects) CHECK(static_cast<long>(m.rect.width) * m.rect.height <= MergeLimits{}.maxPixels);
    checkCovers(g, chosen, rects);
}

TEST_CASE("classes never mix in one rectangle") {
    const Grid g = grid(256, 128);  // 4×2 tiles
    const std::vector<bool> chosen(8, true);
    using enum TileContent;
    const std::vector<TileContent> content{FewColours, FewColours, Photographic, Photographic,
                                           FewColours, FewColours, Photographic, FewColours};
    const auto rects = mergeTiles(g.tiles, g.columns, chosen, content);
    REQUIRE(rects.size() == 4);
    CHECK(rects[0].rect == Rect{0, 0, 128, 128});   // the left 2×2 block, grown down
    CHECK(rects[0].content == FewColours);
    CHECK(rects[1].rect == Rect{128, 0, 128, 64});  // top-right photo run: the row below differs
    CHECK(rects[1].content == Photographic);
    CHECK(rects[2].rect == Rect{128, 64, 64, 64});
    CHECK(rects[2].content == Photographic);
    CHECK(rects[3].rect == Rect{192, 64, 64, 64});
    CHECK(rects[3].content == FewColours);
    CHECK(rects[2].firstTile == 6);
    checkCovers(g, chosen, rects);
}

TEST_CASE("unchosen tiles split runs and partial edge tiles keep their clipped size") {
    const Grid g = grid(200, 100);  // 4×2 tiles, the right column 8 px wide, the bottom row 36 px
    std::vector<bool> chosen(8, true);
    chosen[1] = false;
    const std::vector<TileContent> content(8, TileContent::FewColours);
    const auto rects = mergeTiles(g.tiles, g.columns, chosen, content);
    REQUIRE(rects.size() == 3);
    CHECK(rects[0].rect == Rect{0, 0, 64, 64});
    CHECK(rects[1].rect == Rect{128, 0, 72, 64});  // tiles 2 and 3: 64 + 8 px
    CHECK(rects[2].rect == Rect{0, 64, 200, 36});  // the whole bottom row: its span differs from above
    checkCovers(g, chosen, rects);
}

TEST_CASE("the height and pixel caps hold, nothing chosen gives nothing, bad input gives nothing") {
    const Grid g = grid(128, 1024);
    const std::vector<bool> chosen(g.tiles.size(), true);
    const std::vector<TileContent> content(g.tiles.size(), TileContent::FewColours);
    const auto rects = mergeTiles(g.tiles, g.columns, chosen, content, MergeLimits{.maxHeight = 256, .maxPixels = 1L << 20});
    REQUIRE(rects.size() == 4);
    for (const MergedRect& m : rects) CHECK(m.rect.height == 256);
    checkCovers(g, chosen, rects);

    CHECK(mergeTiles(g.tiles, g.columns, std::vector<bool>(g.tiles.size(), false), content).empty());
    CHECK(mergeTiles(g.tiles, g.columns, std::vector<bool>(3, true), content).empty());  // size mismatch
    CHECK(mergeTiles(g.tiles, 0, chosen, content).empty());
    CHECK(tilesOf(Rect{}, 64, 2).empty());
}
