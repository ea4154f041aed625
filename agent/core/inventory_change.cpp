// When a re-collected inventory is worth sending (core/inventory.h, changedMeaningfully).
#include <algorithm>

#include "core/inventory.h"

namespace guru::inventory {
namespace {

std::uint64_t distance(std::uint64_t a, std::uint64_t b) { return a > b ? a - b : b - a; }

// Within `percent` % of `whole`: noise.
bool withinShare(std::uint64_t a, std::uint64_t b, std::uint64_t whole, std::uint64_t percent) {
    return distance(a, b) < whole / 100 * percent;
}

// `now`'s idle time, unchanged in meaning from `sent`'s: both active, or idle and still idle.
bool sameIdleState(std::optional<std::uint64_t> sent, std::optional<std::uint64_t> now) {
    if (!sent || !now) return sent == now;
    const bool activeBefore = *sent < kIdleAfterSeconds, activeNow = *now < kIdleAfterSeconds;
    if (activeBefore && activeNow) return true;
    return !activeBefore && !activeNow && *now >= *sent;  // shorter: the user came back in between
}

}  // namespace

bool changedMeaningfully(const Inventory& sent, const Inventory& now) {
    // Overwrite the noise in a copy with what was sent, then compare the rest exactly.
    Inventory settled = now;
    if (sent.memory && settled.memory && sent.memory->totalBytes == settled.memory->totalBytes &&
        sent.memory->availableBytes && settled.memory->availableBytes &&
        withinShare(*sent.memory->availableBytes, *settled.memory->availableBytes, sent.memory->totalBytes, 10)) {
        settled.memory->availableBytes = sent.memory->availableBytes;
    }
    for (auto& disk : settled.disks) {
        auto before = std::find_if(sent.disks.begin(), sent.disks.end(), [&](const Disk& d) { return d.mount == disk.mount; });
        if (before != sent.disks.end() && before->totalBytes == disk.totalBytes &&
            withinShare(before->freeBytes, disk.freeBytes, disk.totalBytes, 5)) {
            disk.freeBytes = before->freeBytes;
        }
    }
    if (sent.user && settled.user && sent.user->name == settled.user->name &&
        sameIdleState(sent.user->idleSeconds, settled.user->idleSeconds)) {
        settled.user->idleSeconds = sent.user->idleSeconds;
    }
    if (sent.bootTime && settled.bootTime &&
        distance(static_cast<std::uint64_t>(*sent.bootTime), static_cast<std::uint64_t>(*settled.bootTime)) < 120) {
        settled.bootTime = sent.bootTime;
    }
    return !(settled == sent);
}

}  // namespace guru::inventory
