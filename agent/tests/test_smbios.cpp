// The SMBIOS parser on RawSMBIOSData dumps (tests/fixtures/smbios, made by make_fixtures.py):
// what each machine yields, placeholders dropped, and every cut-short table refused or read
// without reading past its end (ASan watches).
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "core/smbios.h"
#include "tests/vector_file.h"

using namespace guru;
using namespace guru::smbios;

namespace {

Bytes fixture(const std::string& name) {
    std::ifstream in(std::string(GURU_FIXTURES_DIR) + "/smbios/" + name, std::ios::binary);
    REQUIRE(in.good());
    std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Bytes out(chars.size());
    std::transform(chars.begin(), chars.end(), out.begin(), [](char c) { return static_cast<std::byte>(c); });
    return out;
}

}  // namespace

TEST_CASE("a Dell: manufacturer, model, serial, and the chassis serial as the service tag") {
    auto id = parseRawSmbiosData(fixture("dell_optiplex.bin"));
    REQUIRE(id.ok());
    CHECK(id->manufacturer == "Dell Inc.");
    CHECK(id->product == "OptiPlex 7090");
    CHECK(id->serial == "8XKJF93");
    CHECK(id->chassisSerial == "8XKJF93");
    CHECK(id->chassisAssetTag == "");
    const auto h = hardwareOf(*id);
    CHECK(h == inventory::Hardware{"Dell Inc.", "OptiPlex 7090", "8XKJF93", "8XKJF93"});
}

TEST_CASE("QEMU: no serials (string number 0) are empty, not made up") {
    auto id = parseRawSmbiosData(fixture("qemu.bin"));
    REQUIRE(id.ok());
    CHECK(hardwareOf(*id) == inventory::Hardware{"QEMU", "Standard PC (Q35 + ICH9, 2009)", "", ""});
}

TEST_CASE("a white box: firmware placeholders are dropped; the asset tag stands in for the service tag") {
    auto id = parseRawSmbiosData(fixture("whitebox.bin"));
    REQUIRE(id.ok());
    CHECK(id->manufacturer == "To Be Filled By O.E.M.");
    CHECK(id->chassisSerial == "Chassis Serial Number");
    CHECK(hardwareOf(*id) == inventory::Hardware{"", "", "", "ASSET-42"});
    CHECK(meaningful("  Not Specified ") == "");
    CHECK(meaningful("DEFAULT STRING") == "");
    CHECK(meaningful(" PF2ABCDE \n") == "PF2ABCDE");
}

TEST_CASE("SMBIOS 2.0: a short System structure and no end-of-table structure") {
    auto id = parseRawSmbiosData(fixture("smbios20.bin"));
    REQUIRE(id.ok());
    CHECK(id->manufacturer == "Compaq");
    CHECK(id->product == "Deskpro EN");
    CHECK(id->serial == "6J12KDN3B123");
    CHECK(id->chassisSerial == "");
}

TEST_CASE("every cut-short dump is refused or read within its bytes") {
    const Bytes whole = fixture("dell_optiplex.bin");
    CHECK(parseRawSmbiosData(ByteView(whole).first(7)).error() == SmbiosError::TooShort);
    for (std::size_t n = 8; n < whole.size(); ++n) {
        CAPTURE(n);
        // Only the bytes kept, in a buffer of their own, so ASan sees any read past them.
        Bytes cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
        auto id = parseRawSmbiosData(cut);
        REQUIRE_FALSE(id.ok());  // the header still claims the whole table
        CHECK(id.error() == SmbiosError::LengthMismatch);
        // The table alone, cut: a structure that runs past the end is Truncated, and what
        // was read before it is never half a string.
        auto table = parseTable(ByteView(cut).subspan(8));
        if (table.ok()) CHECK((table->manufacturer.empty() || table->manufacturer == "Dell Inc."));
    }
}

TEST_CASE("structures with a bad length or unterminated strings are Truncated") {
    // Type 1 claiming 0x40 bytes in a 10-byte table.
    CHECK(parseTable(test::fromHex("0140010001020304" "0000")).error() == SmbiosError::Truncated);
    // Length below the header's 4 bytes.
    CHECK(parseTable(test::fromHex("0102010000000000")).error() == SmbiosError::Truncated);
    // Strings that never end with the double NUL.
    CHECK(parseTable(test::fromHex("01080100010000004142")).error() == SmbiosError::Truncated);
    // A string number past the set reads as empty.
    auto id = parseTable(test::fromHex("0108010005000000" "414200" "00" "7f040000" "0000"));
    REQUIRE(id.ok());
    CHECK(id->manufacturer == "");
}
