// Self-deletion's decision: delete now, else schedule for later, and log which.
#include "core/self_deletion.h"

namespace guru {
namespace {

std::string when(platform::DeferredDeletion how) {
    return how == platform::DeferredDeletion::LoginAutostart ? "the next login" : "the next reboot";
}

}  // namespace

const char* name(SelfDeletion outcome) {
    switch (outcome) {
        case SelfDeletion::Deleted: return "Deleted";
        case SelfDeletion::DeletedAfterExit: return "DeletedAfterExit";
        case SelfDeletion::Scheduled: return "Scheduled";
        case SelfDeletion::Kept: return "Kept";
    }
    return "?";
}

SelfDeletion deleteOwnFile(platform::FileRemover& remover, const std::string& path, const LogSink& log) {
    const platform::DeleteAnswer now = remover.deleteNow(path);
    switch (now.outcome) {
        case platform::DeleteNow::Deleted:
            log("support: deleted " + path);
            return SelfDeletion::Deleted;
        case platform::DeleteNow::Missing:
            log("support: deleted " + path + " (it was gone already)");
            return SelfDeletion::Deleted;
        case platform::DeleteNow::AfterExit:
            log("support: deleted " + path + " once the agent has exited (" + now.detail + ")");
            return SelfDeletion::DeletedAfterExit;
        case platform::DeleteNow::Refused:
            break;
    }
    auto later = remover.scheduleLater(path);
    if (!later) {
        log("support: could not delete " + path + " (" + now.detail + "), nor schedule its deletion (" +
            platform::name(later.error().kind) + ": " + later.error().detail + ")");
        return SelfDeletion::Kept;
    }
    log("support: could not delete " + path + " (" + now.detail + "): deletion scheduled for " +
        when(later->how) + " (" + platform::name(later->how) + ": " + later->where + ")");
    return SelfDeletion::Scheduled;
}

}  // namespace guru
