// Session loop, network side: viewers joining and leaving, key exchange, incoming records.
#include "core/session_loop.h"

#include <exception>

#include "core/input_dispatch.h"

namespace guru {

SessionLoop::SessionLoop(EnvelopeSender& sender, const crypto::IdentityKey& identity, CapturerFactory capturers,
                         platform::InputInjector* input, platform::Clipboard* clipboard, LogSink log,
                         SessionSettings settings)
    : sender_(sender), identity_(identity), capturers_(std::move(capturers)), input_(input), clipboard_(clipboard),
      log_(std::move(log)), settings_(settings) {
    if (settings_.diagnostics) diagnostics_ = std::make_unique<DiagnosticsRunner>(settings_.diagnostics);
}

SessionLoop::~SessionLoop() { stop(); }

void SessionLoop::log(const std::string& line) const {
    if (log_) log_(line);
}

void SessionLoop::start() {
    if (thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this] {
        // As in ConnectionManager: no exception may leave the thread.
        try {
            streamLoop();
        } catch (const std::exception& e) {
            log(std::string("session: screen thread failed: ") + e.what());
        }
    });
}

void SessionLoop::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (diagnostics_) diagnostics_->wait();  // its answers reach into viewers_
    if (thread_.joinable()) thread_.join();
    dropAllViewers("agent stopping");
}

void SessionLoop::connectionUp(const envelope::Welcome&) {}

void SessionLoop::connectionDown() { dropAllViewers("connection lost"); }

void SessionLoop::envelopeReceived(envelope::Message message) {
    if (auto* j = std::get_if<envelope::ViewerJoined>(&message)) {
        viewerJoined(*j);
    } else if (auto* l = std::get_if<envelope::ViewerLeft>(&message)) {
        viewerLeft(l->viewerId);
    } else if (std::holds_alternative<envelope::SessionEnd>(message)) {
        dropAllViewers("session ended");
    } else if (auto* r = std::get_if<envelope::Relay>(&message)) {
        relayReceived(*r);
    }
}

std::shared_ptr<Viewer> SessionLoop::find(std::uint32_t viewerId) {
    std::lock_guard lock(mutex_);
    auto it = viewers_.find(viewerId);
    return it == viewers_.end() ? nullptr : it->second;
}

void SessionLoop::viewerJoined(const envelope::ViewerJoined& joined) {
    auto handshake = crypto::AgentHandshake::start(identity_, joined.sessionId, joined.viewerId);
    if (!handshake) {
        log(std::string("session: key generation failed: ") + crypto::name(handshake.error()));
        return;
    }
    auto viewer = std::make_shared<Viewer>(joined.viewerId, joined.mode, std::move(*handshake));
    viewer->window = FrameWindow(settings_.framesInFlight, settings_.ackStall);
    const Bytes commit = viewer->handshake.commitRecord();
    bool replaced = false;
    {
        std::lock_guard lock(mutex_);
        viewer->admitted = !holdNew_;
        replaced = viewers_.erase(joined.viewerId) > 0;
        viewers_[joined.viewerId] = viewer;
    }
    wake_.notify_all();
    log("session: viewer " + std::to_string(joined.viewerId) + " joined (" +
        (joined.mode == envelope::ViewerMode::Control ? "control" : "view only") + ")" +
        (replaced ? ", replacing a stale one" : ""));
    sender_.send(envelope::Relay{joined.viewerId, commit});
}

void SessionLoop::viewerLeft(std::uint32_t viewerId) {
    std::shared_ptr<Viewer> gone;
    {
        std::lock_guard lock(mutex_);
        auto it = viewers_.find(viewerId);
        if (it == viewers_.end()) return;
        gone = std::move(it->second);
        viewers_.erase(it);
    }
    wake_.notify_all();
    // Keys or buttons this viewer held down must not stay pressed.
    if (gone->mode == envelope::ViewerMode::Control && gone->ready && input_) input_->releaseAll();
    log("session: viewer " + std::to_string(viewerId) + " left");
}

void SessionLoop::dropAllViewers(const char* why) {
    std::map<std::uint32_t, std::shared_ptr<Viewer>> gone;
    {
        std::lock_guard lock(mutex_);
        gone.swap(viewers_);
    }
    wake_.notify_all();
    if (gone.empty()) return;
    if (input_) input_->releaseAll();
    log("session: " + std::to_string(gone.size()) + " viewer(s) dropped: " + why);
}

void SessionLoop::relayReceived(const envelope::Relay& relay) {
    auto viewer = find(relay.peerId);
    if (!viewer || relay.sealed.empty()) return;  // left already, or never joined
    const ByteView record = relay.sealed;
    switch (static_cast<crypto::RecordKind>(record[0])) {
        case crypto::RecordKind::KeyShare: keyShareReceived(*viewer, record); break;
        case crypto::RecordKind::Sealed: sealedReceived(viewer, record); break;
        default:
            // Picture records, commits and confirms only ever travel to a viewer.
            log("session: viewer " + std::to_string(viewer->id) + ": unexpected record kind " +
                std::to_string(static_cast<int>(record[0])));
            break;
    }
}

void SessionLoop::keyShareReceived(Viewer& viewer, ByteView record) {
    std::string sas;
    {
        std::lock_guard channelLock(viewer.channelMutex);
        if (viewer.confirmed) {
            log("session: viewer " + std::to_string(viewer.id) + ": second KeyShare ignored");
            return;
        }
        auto finished = viewer.handshake.finish(record);
        if (!finished) {
            log("session: viewer " + std::to_string(viewer.id) +
                ": key agreement failed: " + crypto::name(finished.error()));
            return;
        }
        sas = finished->channel.shortAuthString();
        viewer.channel.emplace(std::move(finished->channel));
        viewer.confirmed = true;
        // KeyConfirm goes out before the viewer is ready, so before any sealed record.
        sender_.send(envelope::Relay{viewer.id, std::move(finished->confirmRecord)});
    }
    bool held = false;
    {
        std::lock_guard lock(mutex_);
        viewer.code = sas;
        viewer.ready = viewer.admitted;
        viewer.needsIntro = true;
        held = !viewer.admitted;
    }
    wake_.notify_all();
    log("session: viewer " + std::to_string(viewer.id) + ": keys agreed and signed, code " + sas +
        (held ? " (held until the end user allows it)" : ""));
}

void SessionLoop::holdNewViewers(bool hold) {
    std::lock_guard lock(mutex_);
    holdNew_ = hold;
}

void SessionLoop::admitViewer(std::uint32_t viewerId) {
    {
        std::lock_guard lock(mutex_);
        auto it = viewers_.find(viewerId);
        if (it == viewers_.end() || it->second->admitted) return;
        Viewer& v = *it->second;
        v.admitted = true;
        v.ready = !v.code.empty();  // keys already agreed: start now; else at the KeyShare
        v.needsIntro = true;
    }
    wake_.notify_all();
    log("session: viewer " + std::to_string(viewerId) + " admitted");
}

std::optional<std::string> SessionLoop::shortAuthString(std::uint32_t viewerId) const {
    std::lock_guard lock(mutex_);
    auto it = viewers_.find(viewerId);
    if (it == viewers_.end() || it->second->code.empty()) return std::nullopt;
    return it->second->code;
}

void SessionLoop::sealedReceived(const std::shared_ptr<Viewer>& shared, ByteView record) {
    Viewer& viewer = *shared;
    Result<crypto::OpenedRecord, crypto::CryptoError> opened = Failure{crypto::CryptoError::Internal};
    {
        std::lock_guard channelLock(viewer.channelMutex);
        if (!viewer.channel) return;  // sealed before the key exchange, or after the close: drop
        opened = viewer.channel->open(record);
    }
    if (!opened) {
        log("session: viewer " + std::to_string(viewer.id) + ": record refused: " +
            crypto::name(opened.error()));
        // A lost input record cannot be made up for: what follows would be typed out of
        // context. A forgery (AuthenticationFailed) or a replay moves nothing and is dropped.
        if (opened.error() == crypto::CryptoError::MissingRecord) closeChannel(shared, inner::CloseReason::MissingRecord);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        if (!viewer.ready) return;  // held: nothing it sends counts before the end user allows it
    }
    auto message = inner::decode(opened->message);
    if (!message) {
        log("session: viewer " + std::to_string(viewer.id) + ": bad message: " +
            inner::name(message.error()));
        return;
    }
    if (auto* ack = std::get_if<inner::FrameAck>(&*message)) {
        {
            std::lock_guard lock(mutex_);
            if (auto acked = viewer.window.ack(ack->sequence, FrameWindow::Clock::now())) {
                viewer.link.sample(std::chrono::duration_cast<std::chrono::milliseconds>(acked->roundTrip));
                if (acked->skipped > 0 && !viewer.needsIntro) {
                    // The relay dropped those frames whole: what they carried must be sent again.
                    viewer.needsIntro = true;
                    log("session: viewer " + std::to_string(viewer.id) + ": " + std::to_string(acked->skipped) +
                        " frame(s) dropped on the way, resending the screen");
                }
            }
        }
        wake_.notify_all();
        return;
    }
    if (isInput(*message)) {
        if (viewer.mode != envelope::ViewerMode::Control || !input_) {
            if (warnViewOnlyOnce(viewer))
                log("session: viewer " + std::to_string(viewer.id) + " is view only: input ignored");
            return;
        }
        applyInput(*input_, *message);
        return;
    }
    if (auto* text = std::get_if<inner::ClipboardText>(&*message)) clipboardReceived(viewer, *text);
    if (auto* ask = std::get_if<inner::DiagnosticsRequest>(&*message)) diagnosticsRequested(shared, *ask);
    // Other types are not for the agent.
}

void SessionLoop::diagnosticsRequested(const std::shared_ptr<Viewer>& viewer, const inner::DiagnosticsRequest& request) {
    // Any admitted viewer may ask, view-only ones too: the report is read-only information about
    // the machine, as the picture is, and it goes to the asking viewer alone.
    const std::string who = "session: viewer " + std::to_string(viewer->id);
    if (!diagnostics_) {
        log(who + ": diagnostics requested, but this agent cannot collect them");
        return;
    }
    {
        std::lock_guard lock(mutex_);
        if (viewer->diagnosticsAsked >= kMaxDiagnosticsAsked) {
            log(who + ": diagnostics request " + std::to_string(request.requestId) + " dropped (" +
                std::to_string(kMaxDiagnosticsAsked) + " unanswered already)");
            return;
        }
        ++viewer->diagnosticsAsked;
    }
    log(who + ": diagnostics requested (" + std::to_string(request.requestId) + ")");
    // Outside mutex_: the runner takes its own lock, then mutex_ in the answer.
    const std::weak_ptr<Viewer> asker = viewer;
    const std::uint32_t id = request.requestId;
    diagnostics_->request([this, asker, id](const std::shared_ptr<const std::string>& json) {
        {
            std::lock_guard lock(mutex_);
            auto v = asker.lock();
            auto it = v ? viewers_.find(v->id) : viewers_.end();
            if (it == viewers_.end() || it->second != v) return;  // left, or replaced by a new join
            v->diagnosticsReports.emplace_back(id, json);
        }
        wake_.notify_all();
    });
}

void SessionLoop::closeChannel(const std::shared_ptr<Viewer>& viewer, inner::CloseReason reason) {
    {
        std::lock_guard channelLock(viewer->channelMutex);
        if (!viewer->channel) return;
        auto plain = inner::encode(inner::ChannelClosed{reason});
        if (plain) {
            auto sealed = viewer->channel->seal(*plain);
            if (sealed) sender_.send(envelope::Relay{viewer->id, std::move(*sealed)});
        }
        viewer->channel.reset();  // nothing more is sealed for it or opened from it
    }
    {
        std::lock_guard lock(mutex_);
        auto it = viewers_.find(viewer->id);
        if (it != viewers_.end() && it->second == viewer) viewers_.erase(it);
    }
    wake_.notify_all();
    if (viewer->mode == envelope::ViewerMode::Control && input_) input_->releaseAll();
    log("session: viewer " + std::to_string(viewer->id) + ": channel closed (" +
        (reason == inner::CloseReason::MissingRecord ? "a record from the viewer never arrived" : "unexpected record") +
        ")");
}

bool SessionLoop::warnViewOnlyOnce(Viewer& viewer) {
    std::lock_guard lock(mutex_);
    const bool first = !viewer.warnedViewOnly;
    viewer.warnedViewOnly = true;
    return first;
}

void SessionLoop::clipboardReceived(Viewer& viewer, const inner::ClipboardText& text) {
    // Writing the clipboard is control, not viewing: view-only viewers may not do it.
    if (viewer.mode != envelope::ViewerMode::Control) {
        if (warnViewOnlyOnce(viewer))
            log("session: viewer " + std::to_string(viewer.id) + " is view only: clipboard ignored");
        return;
    }
    if (!clipboard_) return;
    if (text.text.size() > kMaxClipboardBytes) {
        log("session: viewer " + std::to_string(viewer.id) + ": clipboard text too large, dropped");
        return;
    }
    if (auto written = clipboard_->writeText(text.text); !written)
        log("session: viewer " + std::to_string(viewer.id) + ": clipboard write failed (" +
            std::to_string(static_cast<int>(written.error())) + ")");
}

}  // namespace guru
