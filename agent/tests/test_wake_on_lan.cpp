// The magic packet byte for byte, and the texts the agent logs about a wake.
#include <doctest/doctest.h>

#include "core/wake_on_lan.h"
#include "tests/vector_file.h"

using namespace guru;

TEST_CASE("magic packet: 6 x 0xFF, then the MAC 16 times (102 bytes)") {
    const std::array<std::byte, 6> mac = {std::byte{0x00}, std::byte{0x11}, std::byte{0x22},
                                          std::byte{0x33}, std::byte{0x44}, std::byte{0xab}};
    const auto packet = wol::magicPacket(mac);
    REQUIRE(packet.size() == 102);
    std::string expected = "ffffffffffff";
    for (int i = 0; i < 16; ++i) expected += "0011223344ab";
    CHECK(test::toHex(packet) == expected);
}

TEST_CASE("texts: MAC lower case with colons, the broadcast address dotted") {
    CHECK(wol::macText({std::byte{0xAA}, std::byte{0xbb}, std::byte{0x0c}, std::byte{0}, std::byte{1}, std::byte{0xff}}) ==
          "aa:bb:0c:00:01:ff");
    CHECK(wol::ipv4Text({std::byte{192}, std::byte{168}, std::byte{1}, std::byte{255}}) == "192.168.1.255");
    CHECK(wol::kPort == 9);
}
