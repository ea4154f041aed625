// libFuzzer target: the SMBIOS parser (core/smbios.h) on any RawSMBIOSData blob and any bare
// table must never crash or read past its input; the hardware it yields is always bounded by it.
#include <cstdint>
#include <cstdlib>

#include "core/smbios.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace guru::smbios;
    const guru::ByteView input(reinterpret_cast<const std::byte*>(data), size);
    for (auto parsed : {parseRawSmbiosData(input), parseTable(input)}) {
        if (!parsed) continue;
        const auto h = hardwareOf(*parsed);
        // Every string is a piece of the input: none can be longer than it.
        for (const std::string* s : {&h.manufacturer, &h.model, &h.serial, &h.serviceTag})
            if (s->size() > size) std::abort();
    }
    return 0;
}
