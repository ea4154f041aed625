// Forwarding, and the magic packet on WakeOnLan (one datagram; UDP says nothing back).
#include "core/unattended_listener.h"

#include "core/wake_on_lan.h"

namespace guru {

UnattendedListener::UnattendedListener(ConnectionListener& session, InventoryReporter& inventory,
                                       BroadcastSender broadcast, LogSink log)
    : session_(session), inventory_(inventory), broadcast_(std::move(broadcast)), log_(std::move(log)) {}

void UnattendedListener::connectionUp(const envelope::Welcome& welcome) {
    session_.connectionUp(welcome);
    inventory_.connectionUp(std::chrono::seconds(welcome.heartbeatSeconds));
}

void UnattendedListener::envelopeReceived(envelope::Message message) {
    if (auto* w = std::get_if<envelope::WakeOnLan>(&message)) {
        wake(*w);
        return;
    }
    session_.envelopeReceived(std::move(message));
}

void UnattendedListener::connectionDown() {
    inventory_.connectionDown();
    session_.connectionDown();
}

void UnattendedListener::connectionRefused(envelope::RejectCode code) { session_.connectionRefused(code); }

void UnattendedListener::wake(const envelope::WakeOnLan& request) {
    const std::string what = "wake-on-lan: magic packet for " + wol::macText(request.mac) + " to " +
                             wol::ipv4Text(request.broadcast) + ":" + std::to_string(wol::kPort);
    if (!broadcast_) {
        if (log_) log_(what + " not sent: this agent cannot broadcast");
        return;
    }
    const auto packet = wol::magicPacket(request.mac);
    auto sent = broadcast_(ByteView(packet.data(), packet.size()), request.broadcast, wol::kPort);
    if (log_) log_(sent ? what + " sent" : what + " failed: " + sent.error().reason);
}

}  // namespace guru
