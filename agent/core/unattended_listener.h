// What an enrolled (unattended) agent does with its connection beyond the session: the
// inventory reports and Wake-on-LAN for its neighbours. It sits between the connection
// manager and the session loop, and passes everything else on unchanged.
#pragma once

#include <array>
#include <functional>

#include "core/connection_manager.h"
#include "core/inventory_reporter.h"
#include "core/log.h"
#include "platform/wake_on_lan.h"

namespace guru {

/// Sends one UDP datagram to an IPv4 broadcast address (platform::sendUdpBroadcast).
using BroadcastSender = std::function<Result<Unit, platform::SendError>(
    ByteView datagram, const std::array<std::byte, 4>& address, std::uint16_t port)>;

/// The unattended agent's listener: session events to `session`, Welcome and drops to
/// `inventory` too, WakeOnLan answered here.
class UnattendedListener final : public ConnectionListener {
public:
    UnattendedListener(ConnectionListener& session, InventoryReporter& inventory, BroadcastSender broadcast, LogSink log);

    void connectionUp(const envelope::Welcome& welcome) override;
    void envelopeReceived(envelope::Message message) override;
    void connectionDown() override;
    void connectionRefused(envelope::RejectCode code) override;

private:
    void wake(const envelope::WakeOnLan& request);

    ConnectionListener& session_;
    InventoryReporter& inventory_;
    BroadcastSender broadcast_;
    LogSink log_;
};

}  // namespace guru
