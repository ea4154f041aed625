// Session loop, screen side: capture only while a viewer is ready, diff into tiles, plan
// each viewer's frame (session_plan.cpp), encode each rectangle once, seal it per viewer.
#include <algorithm>
#include <map>
#include <tuple>

#include "core/session_stream.h"

namespace guru {

namespace {
using Clock = std::chrono::steady_clock;
}

bool SessionLoop::anyReadyLocked() const {
    return std::any_of(viewers_.begin(), viewers_.end(), [](const auto& v) { return v.second->ready; });
}

void SessionLoop::pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, d, [this] { return stopping_; });
}

void SessionLoop::streamLoop() {
    Stream s(settings_.encode);
    if (clipboard_) clipboard_->takeLocalChange();  // copies from before the session: not sent
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (!stopping_ && !anyReadyLocked()) {
                if (s.capturer) {
                    lock.unlock();
                    closeCapturer(s);
                    lock.lock();
                }
                // Idle: no capturer, no polling; a key exchange or stop wakes this.
                wake_.wait(lock, [this] { return stopping_ || anyReadyLocked(); });
                // Copies made while nobody watched are not sent to the viewer who joins.
                lock.unlock();
                if (clipboard_) clipboard_->takeLocalChange();
                lock.lock();
            }
            if (stopping_) break;
        }
        sendLocalClipboard();
        sendDiagnosticsReports();
        if (!s.capturer && !openCapturer(s)) {
            pause(std::chrono::seconds(1));
            continue;
        }
        streamOnce(s);
    }
    closeCapturer(s);
}

void SessionLoop::sendLocalClipboard() {
    if (!clipboard_) return;
    auto change = clipboard_->takeLocalChange();
    if (!change || change->size() > kMaxClipboardBytes) return;
    auto plain = inner::encode(inner::ClipboardText{std::move(*change)});
    if (!plain) return;
    std::vector<std::shared_ptr<Viewer>> controllers;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, v] : viewers_) {
            if (v->ready && v->mode == envelope::ViewerMode::Control) controllers.push_back(v);
        }
    }
    // Sealed here, on the screen thread, like every other record: counters stay in order.
    for (const auto& v : controllers) {
        Result<Bytes, crypto::CryptoError> sealed = Failure{crypto::CryptoError::Internal};
        {
            std::lock_guard channelLock(v->channelMutex);
            if (!v->channel) continue;
            sealed = v->channel->seal(*plain);
        }
        if (sealed) sender_.send(envelope::Relay{v->id, std::move(*sealed)});
    }
}

void SessionLoop::sendDiagnosticsReports() {
    std::vector<std::pair<std::shared_ptr<Viewer>, std::vector<std::pair<std::uint32_t, std::shared_ptr<const std::string>>>>> due;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, v] : viewers_) {
            if (v->diagnosticsReports.empty()) continue;
            v->diagnosticsAsked -= std::min(v->diagnosticsAsked, v->diagnosticsReports.size());
            due.emplace_back(v, std::move(v->diagnosticsReports));
            v->diagnosticsReports.clear();
        }
    }
    // Sealed on this thread, like every other record, so the viewer's counters stay in order.
    for (const auto& [v, reports] : due) {
        for (const auto& [requestId, json] : reports) {
            auto plain = inner::encode(inner::DiagnosticsReport{requestId, *json});
            if (!plain) {
                log("session: viewer " + std::to_string(v->id) + ": diagnostics report not sendable (" +
                    inner::name(plain.error()) + ")");
                continue;
            }
            Result<Bytes, crypto::CryptoError> sealed = Failure{crypto::CryptoError::Internal};
            {
                std::lock_guard channelLock(v->channelMutex);
                if (!v->channel) break;
                sealed = v->channel->seal(*plain);
            }
            if (!sealed) continue;
            sender_.send(envelope::Relay{v->id, std::move(*sealed)});
            log("session: viewer " + std::to_string(v->id) + ": diagnostics report " + std::to_string(requestId) +
                " sent (" + std::to_string(json->size()) + " bytes)");
        }
    }
}

bool SessionLoop::openCapturer(Stream& s) {
    auto capturer = capturers_();
    if (!capturer) {
        if (!s.openFailedLogged) {
            log(std::string("session: cannot open the screen: ") + platform::name(capturer.error()));
        }
        s.openFailedLogged = true;
        return false;
    }
    s.openFailedLogged = false;
    s.capturer = std::move(*capturer);
    const Rect bounds = s.capturer->bounds();
    s.tracker.resize(bounds.width, bounds.height);
    const int ts = s.tracker.tileSize();
    s.grid.clear();
    s.columns = (bounds.width + ts - 1) / ts;
    for (int y = 0; y < bounds.height; y += ts) {
        for (int x = 0; x < bounds.width; x += ts) {
            s.grid.push_back(Rect{x, y, ts, ts}.intersect(bounds));
        }
    }
    s.changedAt.assign(s.grid.size(), Clock::time_point{});
    s.changeStreak.assign(s.grid.size(), 0);
    s.layout.monitors = s.capturer->monitors();
    if (s.layout.monitors.size() > inner::kMaxMonitors) s.layout.monitors.resize(inner::kMaxMonitors);
    if (s.layout.monitors.empty()) {
        s.layout.monitors.push_back({0, 0, static_cast<std::uint16_t>(bounds.width),
                                     static_cast<std::uint16_t>(bounds.height), true});
    }
    s.cursor = s.capturer->cursorShapeIfChanged();
    s.position.reset();
    // Told to each viewer after its MonitorLayout: a reopened capturer may be another path.
    s.info = inner::SessionInfo{std::string(s.capturer->name()),
                                input_ ? input_->secureAttention() : inner::SecureAttention::Unavailable,
                                input_ && input_->elevated()};
    {
        // A (re)opened screen may have a new size: every viewer starts over.
        std::lock_guard lock(mutex_);
        for (auto& [id, v] : viewers_) v->needsIntro = true;
    }
    log("session: capture started (" + s.info.captureName + ", " + std::to_string(bounds.width) + "x" +
        std::to_string(bounds.height) + ", " + std::to_string(s.layout.monitors.size()) + " monitor(s))");
    return true;
}

void SessionLoop::closeCapturer(Stream& s) {
    if (!s.capturer) return;
    s.capturer.reset();
    s.tracker.resize(0, 0);  // frees the frame copy
    s.grid.clear();
    s.changedAt.clear();
    s.changeStreak.clear();
    s.videos.clear();  // streams of the old screen (a new size needs new encoders anyway)
    s.video = false;
    s.busyPasses = 0;
    log("session: capture stopped");
}

void SessionLoop::streamOnce(Stream& s) {
    // 1. Flow control: capture only if some viewer can take a frame.
    bool anyOpen = false, anyPending = false;
    {
        std::lock_guard lock(mutex_);
        const auto now = Clock::now();
        for (auto& [id, v] : viewers_) {
            if (!v->ready) continue;
            if (v->window.stalled(now)) {
                v->window.reopen(now);
                v->needsIntro = true;  // lost frames: resend everything
                log("session: viewer " + std::to_string(id) + ": no FrameAck, resending the screen");
            }
            if (v->needsIntro || !v->window.full()) anyOpen = true;
            if (std::find(v->pendingTiles.begin(), v->pendingTiles.end(), true) != v->pendingTiles.end()) {
                anyPending = true;
            }
        }
    }
    if (!anyOpen) {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, settings_.captureWait);  // an ack, a leave or stop wakes it
        return;
    }

    // 2. Capture into the tracker (waits for damage unless work is already waiting).
    const auto status = s.capturer->capture(
        anyPending ? std::chrono::milliseconds(0) : settings_.captureWait,
        [&s](const Rect& at, const ImageView& pixels) { s.tracker.apply(at, pixels); });
    if (status == platform::CaptureStatus::Reinit) {
        log("session: screen changed, reopening the capturer");
        closeCapturer(s);
        return;
    }
    if (status == platform::CaptureStatus::Error) {
        log("session: capture failed");
        closeCapturer(s);
        pause(std::chrono::seconds(1));
        return;
    }
    const std::vector<Rect> changed = s.tracker.takeChanged();
    const auto shape = s.capturer->cursorShapeIfChanged();
    if (shape) s.cursor = shape;
    const auto position = s.capturer->cursorPosition();
    const bool moved = position && position != s.position;
    if (moved) s.position = position;

    // 3. Plan: take pending tiles under the lock, merge them outside it, commit under it.
    std::vector<FramePlan> plans = takePending(s, changed, shape.has_value(), moved);
    if (plans.empty()) return;
    mergePending(s, plans);
    commitPlans(s, plans);

    // 4. Encode and send.
    encodeAndSend(s, plans);
}

void SessionLoop::encodeAndSend(Stream& s, const std::vector<FramePlan>& plans) {
    // Each rectangle is encoded once per quality tier, whatever the number of viewers.
    using Key = std::tuple<int, int, int, int, TileContent, QualityTier>;
    auto keyOf = [](const MergedRect& m, QualityTier tier) {
        // Lossless bytes do not depend on the tier: one encoding serves every viewer.
        return Key{m.rect.x, m.rect.y, m.rect.width, m.rect.height, m.content,
                   m.content == TileContent::FewColours ? QualityTier::Full : tier};
    };
    std::map<Key, std::optional<Bytes>> encoded;
    for (const FramePlan& p : plans) {
        for (const MergedRect& m : p.rects) {
            const Key key = keyOf(m, p.tier);
            if (encoded.contains(key)) continue;
            auto& slot = encoded[key];
            auto tile = s.encoder.encodeRect(s.tracker.image(), m.rect, m.content, std::get<5>(key));
            if (!tile) continue;  // an encoder failure skips the rectangle, not the session
            if (auto bytes = inner::encode(*tile)) slot = std::move(*bytes);
        }
    }

    // Seal per viewer (only this thread seals, so counters go out in order) and send.
    for (const FramePlan& p : plans) {
        // Layout and SessionInfo are ordered (never dropped, never skipped); the rest of a
        // frame is picture records, which the relay may drop for a slow viewer.
        using Stream = crypto::RecordStream;
        std::vector<std::pair<Bytes, Stream>> plain;
        auto add = [&plain](const inner::Message& m, Stream stream) {
            if (auto b = inner::encode(m)) plain.emplace_back(std::move(*b), stream);
        };
        if (p.intro) {
            add(s.layout, Stream::Ordered);
            add(s.info, Stream::Ordered);  // dropped (as any unencodable record) if the name breaks the rules
        }
        if (p.cursor && s.cursor) add(*s.cursor, Stream::Picture);
        if (p.position && s.position) add(*s.position, Stream::Picture);
        // The picture frame's records (its updates and FrameEnd) are also marked for the relay, so
        // it drops a slow viewer's frames whole (docs/protocol.md §2.5); the relay drops nothing
        // else, not even the cursor records that ride the picture counter.
        using envelope::RelayMark;
        struct Outgoing {
            const Bytes* plaintext;
            Stream stream;
            RelayMark mark;
        };
        std::vector<Outgoing> records;
        for (const auto& [b, stream] : plain) records.push_back({&b, stream, RelayMark::None});
        for (const MergedRect& m : p.rects) {
            const auto& slot = encoded[keyOf(m, p.tier)];
            if (slot) records.push_back({&*slot, Stream::Picture, RelayMark::Picture});
        }
        Bytes video;
        if (p.video && encodeVideo(s, p, video)) records.push_back({&video, Stream::Picture, RelayMark::Picture});
        Bytes frameEnd;
        if (!p.rects.empty() || p.video) {
            if (auto b = inner::encode(inner::FrameEnd{p.sequence})) frameEnd = std::move(*b);
            records.push_back({&frameEnd, Stream::Picture, RelayMark::FrameEnd});
        }
        std::vector<envelope::Relay> sealed;
        sealed.reserve(records.size());
        {
            std::lock_guard channelLock(p.viewer->channelMutex);
            if (!p.viewer->channel) continue;
            for (const Outgoing& r : records) {
                auto record = p.viewer->channel->seal(*r.plaintext, r.stream);
                if (!record) break;
                sealed.push_back(envelope::Relay{p.viewer->id, std::move(*record), r.mark});
            }
        }
        for (envelope::Relay& relay : sealed) {
            if (!sender_.send(std::move(relay))) break;
        }
    }
}

bool SessionLoop::encodeVideo(Stream& s, const FramePlan& p, Bytes& record) {
    const ImageView image = s.tracker.image();
    const auto now = Clock::now();
    auto& stream = s.videos[p.viewer->id];
    bool keyframe = p.keyframe;
    if (!stream.encoder) {
        auto opened = settings_.video(image.width, image.height);
        if (!opened) {
            log("session: cannot open the video encoder: tiles only from now on");
            s.videoBroken = true;
            s.video = false;
            s.videos.clear();
            std::lock_guard lock(mutex_);
            for (auto& [id, v] : viewers_) v->needsIntro = true;  // they get the screen as tiles
            return false;
        }
        stream.encoder = std::move(*opened);
        stream.start = now;
        keyframe = true;
    }
    stream.encoder->setTier(p.tier);
    auto frame = stream.encoder->encode(image, keyframe,
                                        std::chrono::duration_cast<std::chrono::milliseconds>(now - stream.start));
    if (!frame) {
        log("session: video frame failed, restarting the stream");
        s.videos.erase(p.viewer->id);  // the next frame is a keyframe of a new stream
        std::lock_guard lock(mutex_);
        p.viewer->needsIntro = true;
        return false;
    }
    Bytes data;
    data.reserve(frame->data.size() + 1);
    data.push_back(std::byte{frame->keyframe ? inner::kVideoKeyframe : std::uint8_t{0}});
    data.insert(data.end(), frame->data.begin(), frame->data.end());
    auto bytes = inner::encode(inner::TileUpdate{0, 0, static_cast<std::uint16_t>(image.width),
                                                 static_cast<std::uint16_t>(image.height),
                                                 inner::TileEncoding::Vp8, std::move(data)});
    if (!bytes) return false;
    record = std::move(*bytes);
    return true;
}

}  // namespace guru
