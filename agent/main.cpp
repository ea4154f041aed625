// guruconnect-agent: connects to the server and serves remote-control sessions
// (`--server URL --agent-id UUID --credential TOKEN`), plus small diagnostic commands
// (self-test, one-frame capture, info, idle loop, per-frame timings). A binary with a
// support trailer (docs/support.md §4) runs the one-time support mode instead.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "core/connection_manager.h"
#include "core/e2e_channel.h"
#include "core/encode_manager.h"
#include "core/envelope.h"
#include "core/session_loop.h"
#include "core/support_config.h"
#include "core/tile_tracker.h"
#include "platform/platform.h"
#include "platform/process.h"
#include "platform/transport.h"
#include "support_mode.h"

#ifndef GURU_AGENT_VERSION
#define GURU_AGENT_VERSION "0.0.0-dev"
#endif

namespace {

using namespace guru;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string command;
    std::string output;
    std::string format = "jpeg";
    platform::BackendOptions backend;
    int seconds = 10;
    int frames = 20;
    std::string server;      // --server, else $GURU_SERVER
    std::string agentId;     // --agent-id, else $GURU_AGENT_ID
    std::string credential;  // --credential, else $GURU_CREDENTIAL
    std::string caFile;      // --ca-file, else $GURU_CA_FILE
    bool pinCa = false;      // --pin-ca: trust only --ca-file
    bool caFileFlag = false; // --ca-file given (support mode ignores the environment)
    std::string supportTrailer;  // --support-trailer FILE: support mode from FILE's trailer
    int consentTimeout = 300;    // --consent-timeout SECONDS (support mode)
};

void logLine(const std::string& line) {
    // One fprintf per line, so lines from different threads do not interleave.
    std::fprintf(stderr, "guruconnect-agent: %s\n", line.c_str());
}

int usage() {
    std::fputs(
        "usage: guruconnect-agent --server ws[s]://HOST[:PORT]/api/agent/ws --agent-id UUID\n"
        "                         --credential TOKEN [--ca-file PEM [--pin-ca]] [--display :N]\n"
        "         (or $GURU_SERVER, $GURU_AGENT_ID, $GURU_CREDENTIAL, $GURU_CA_FILE)\n"
        "       guruconnect-agent COMMAND [--display :N]\n"
        "  --self-test                      crypto, envelope and encoder round trips\n"
        "  --capture FILE [--format jpeg|png|webp]  capture the desktop once\n"
        "  --info                           system description and monitors\n"
        "  --idle [--seconds N]             idle agent: no viewer, nothing captured\n"
        "  --capture-loop [--seconds N]     a session's loop without the network\n"
        "  --bench [--frames N]             capture/JPEG/PNG/WebP ms per full frame\n"
        "       guruconnect-agent [--support-trailer FILE] [--consent-timeout S] [--display :N]\n"
        "  support mode: runs by itself when this file ends with a support trailer;\n"
        "  --support-trailer reads the trailer from FILE instead (and deletes FILE at the end)\n",
        stderr);
    return 2;
}

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string number;
        if (a == "--self-test" || a == "--info" || a == "--idle" || a == "--capture-loop" ||
                   a == "--bench") {
            o.command = a.substr(2);
        } else if (a == "--capture") {
            o.command = "capture";
            if (!value(o.output)) return false;
        } else if (a == "--format") {
            if (!value(o.format)) return false;
        } else if (a == "--server") {
            if (!value(o.server)) return false;
        } else if (a == "--agent-id") {
            if (!value(o.agentId)) return false;
        } else if (a == "--credential") {
            if (!value(o.credential)) return false;
        } else if (a == "--ca-file") {
            if (!value(o.caFile)) return false;
            o.caFileFlag = true;
        } else if (a == "--support-trailer") {
            if (!value(o.supportTrailer)) return false;
        } else if (a == "--consent-timeout") {
            if (!value(number)) return false;
            o.consentTimeout = std::max(1, std::atoi(number.c_str()));
        } else if (a == "--pin-ca") {
            o.pinCa = true;
        } else if (a == "--display") {
            if (!value(o.backend.display)) return false;
        } else if (a == "--seconds" || a == "--frames") {
            if (!value(number)) return false;
            (a == "--seconds" ? o.seconds : o.frames) = std::max(1, std::atoi(number.c_str()));
        } else {
            return false;
        }
    }
    auto env = [](std::string& field, const char* name) {
        if (const char* v = std::getenv(name); field.empty() && v) field = v;
    };
    env(o.server, "GURU_SERVER");
    env(o.agentId, "GURU_AGENT_ID");
    env(o.credential, "GURU_CREDENTIAL");
    env(o.caFile, "GURU_CA_FILE");
    if (o.command.empty() && !o.server.empty()) o.command = "run";
    return true;
}

// Support mode when --support-trailer names a file, or when this executable carries a
// trailer and no diagnostic command was asked for. Returns the exit code if it ran.
std::optional<int> maybeSupportMode(const Options& o) {
    if (!o.command.empty() && o.command != "run" && o.supportTrailer.empty()) return std::nullopt;
    std::string file = o.supportTrailer;
    if (file.empty()) {
        auto self = platform::ownExecutablePath();
        if (!self) return std::nullopt;
        file = *self;
    }
    auto config = support::readTrailer(file);
    if (!config) {
        const auto error = config.error().error;
        if (o.supportTrailer.empty() &&
            (error == support::TrailerError::NotPresent || error == support::TrailerError::Unreadable)) {
            return std::nullopt;  // an ordinary agent binary (or one we cannot read back)
        }
        logLine(std::string("support: bad trailer in ") + file + ": " +
                support::name(config.error().error) +
                (config.error().field.empty() ? "" : " (" + std::string(config.error().field) + ")"));
        return 2;
    }
    SupportModeOptions options;
    options.config = std::move(*config);
    options.ownFile = file;
    options.backend = o.backend;
    if (o.caFileFlag) options.caFile = o.caFile;
    options.pinCa = o.pinCa && o.caFileFlag;
    options.agentVersion = GURU_AGENT_VERSION;
    options.consentTimeout = std::chrono::seconds(o.consentTimeout);
    return runSupportMode(options, logLine);
}

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", or the 32 hex digits alone (as the server's
// `guruconnect enrol-agent` prints the id) → 16 bytes in network order.
std::optional<envelope::Id128> parseUuid(std::string_view text) {
    const bool dashed = text.size() == 36;
    if (!dashed && text.size() != 32) return std::nullopt;
    envelope::Id128 id{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (text[i] != '-') return std::nullopt;
            continue;
        }
        const char c = text[i];
        int v = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) return std::nullopt;
        id[n / 2] = static_cast<std::byte>((static_cast<int>(id[n / 2]) << 4) | v);
        ++n;
    }
    return id;
}

// The agent proper: one connection manager and one session loop until SIGINT/SIGTERM.
int run(const Options& o) {
    auto url = parseWsUrl(o.server);
    if (!url) return std::fprintf(stderr, "invalid --server URL: %s\n", name(url.error())), 2;
    auto agentId = parseUuid(o.agentId);
    if (!agentId) return std::fputs("--agent-id must be a UUID (with or without dashes)\n", stderr), 2;
    if (o.credential.empty() || o.credential.size() > envelope::kMaxTokenSize) {
        return std::fputs("--credential must be 1..1024 bytes\n", stderr), 2;
    }
    if (o.pinCa && o.caFile.empty()) return std::fputs("--pin-ca needs --ca-file\n", stderr), 2;
    platform::blockTerminationSignals();  // before any thread starts

    auto backend = platform::openBackend(o.backend);
    if (!backend) {
        logLine(std::string("no input backend (") + platform::name(backend.error()) +
                "): viewers can watch but not control");
    }
    ConnectionSettings settings;
    settings.server = *url;
    settings.transport.caFile = o.caFile;
    settings.transport.caFileOnly = o.pinCa;
    const ByteView credential = asBytes(o.credential);
    settings.identity = {*agentId, Bytes(credential.begin(), credential.end()), GURU_AGENT_VERSION};
    ConnectionManager connection(settings, platform::connectTransport, logLine);
    const platform::BackendOptions display = o.backend;
    SessionLoop session(connection, [display] { return platform::openCapturer(display); },
                        backend ? backend->input.get() : nullptr,
                        backend ? backend->clipboard.get() : nullptr, logLine);
    session.start();
    connection.start(session);
    const char* why = platform::waitForTermination();
    logLine(std::string("stopping (") + why + ")");
    connection.stop();  // first: no more events reach the session
    session.stop();
    logLine("stopped");
    return 0;
}

int selfTest() {
    auto agent = crypto::EcdhKeyPair::generate();
    auto viewer = crypto::EcdhKeyPair::generate();
    if (!agent || !viewer) return std::puts("self-test: key generation failed"), 1;
    auto a = crypto::E2eChannel::establish(crypto::Role::Agent, *agent, viewer->publicKey());
    auto v = crypto::E2eChannel::establish(crypto::Role::Viewer, *viewer, agent->publicKey());
    if (!a || !v || a->fingerprint() != v->fingerprint()) return std::puts("self-test: e2e"), 1;
    auto sealed = a->seal(asBytes("hello"));
    auto opened = sealed ? v->open(*sealed) : Result<Bytes, crypto::CryptoError>(
                                                  Failure{crypto::CryptoError::Internal});
    if (!opened || toString(*opened) != "hello") return std::puts("self-test: seal/open"), 1;
    auto frame = envelope::encodeFrame(envelope::Ping{42});
    auto back = frame ? envelope::decodeFrame(*frame) : Result<envelope::Message,
                        envelope::EnvelopeError>(Failure{envelope::EnvelopeError::Incomplete});
    if (!back || std::get<envelope::Ping>(*back).nonce != 42) return std::puts("self-test: env"), 1;
    Image img(64, 64);
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) img.set(x, y, x * 4, y * 4, 128);
    EncodeManager encoders;
    auto tile = encoders.encodeTile(img.view(), {0, 0, 64, 64});
    if (!tile) return std::puts("self-test: encoder"), 1;
    std::printf("self-test: ok (fingerprint %s)\n", a->fingerprint().c_str());
    return 0;
}

// Captures into the tracker, which holds the session's only full copy of the desktop.
platform::CaptureStatus captureInto(platform::ScreenCapturer& capturer, TileTracker& tracker,
                                    std::chrono::milliseconds timeout) {
    const Rect bounds = capturer.bounds();
    tracker.resize(bounds.width, bounds.height);
    return capturer.capture(timeout, [&tracker](const Rect& at, const ImageView& pixels) {
        tracker.apply(at, pixels);
    });
}

int captureOnce(const Options& o) {
    auto capturer = platform::openCapturer(o.backend);
    if (!capturer) return std::printf("capture: %s\n", platform::name(capturer.error())), 1;
    TileTracker desktop;
    if (captureInto(**capturer, desktop, std::chrono::seconds(2)) != platform::CaptureStatus::Ok) {
        return std::puts("capture: failed"), 1;
    }
    const ImageView image = desktop.image();
    Result<Bytes, EncodeError> data = Failure{EncodeError::InvalidImage};
    if (o.format == "png") data = PngEncoder().encode(image);
    else if (o.format == "webp") data = WebpLosslessEncoder().encode(image);
    else data = JpegEncoder().encode(image, 85);
    if (!data) return std::puts("capture: encoding failed"), 1;
    // C stdio rather than <fstream>: iostreams would add ~0.4 MB of static libstdc++.
    std::unique_ptr<std::FILE, decltype(&std::fclose)> out(std::fopen(o.output.c_str(), "wb"),
                                                           &std::fclose);
    if (!out || std::fwrite(data->data(), 1, data->size(), out.get()) != data->size()) {
        return std::puts("capture: cannot write output"), 1;
    }
    std::printf("captured %dx%d -> %s (%zu bytes)\n", image.width, image.height,
                o.output.c_str(), data->size());
    return 0;
}

int info(const Options& o) {
    auto backend = platform::openBackend(o.backend);
    if (!backend) return std::printf("info: %s\n", platform::name(backend.error())), 1;
    auto d = backend->system->describe();
    std::printf("host=%s os=%s %s arch=%s user=%s\n", d.hostname.c_str(), d.osName.c_str(),
                d.osVersion.c_str(), d.architecture.c_str(), d.userName.c_str());
    auto capturer = platform::openCapturer(o.backend);
    if (!capturer) return std::printf("info: %s\n", platform::name(capturer.error())), 1;
    for (const auto& m : (*capturer)->monitors()) {
        std::printf("monitor %dx%d+%d+%d%s\n", m.width, m.height, m.x, m.y,
                    m.primary ? " primary" : "");
    }
    return 0;
}

// An agent with no viewer holds no capturer: it only waits (the network client will
// send heartbeats here). Used to measure idle RSS and CPU.
int idle(const Options& o) {
    auto system = platform::openBackend(o.backend);
    if (!system) return std::printf("idle: %s\n", platform::name(system.error())), 1;
    const auto end = Clock::now() + std::chrono::seconds(o.seconds);
    while (Clock::now() < end) std::this_thread::sleep_for(std::chrono::seconds(1));
    std::printf("idle: %d s\n", o.seconds);
    return 0;
}

// The loop a session runs, minus the network: wait for damage, diff, encode.
int captureLoop(const Options& o) {
    auto capturer = platform::openCapturer(o.backend);
    if (!capturer) return std::printf("capture-loop: %s\n", platform::name(capturer.error())), 1;
    TileTracker tracker;
    EncodeManager encoders;
    const auto end = Clock::now() + std::chrono::seconds(o.seconds);
    std::size_t tiles = 0;
    while (Clock::now() < end) {
        auto status = captureInto(**capturer, tracker, std::chrono::milliseconds(500));
        if (status == platform::CaptureStatus::Timeout) continue;
        if (status != platform::CaptureStatus::Ok) return std::puts("capture-loop: failed"), 1;
        for (const Rect& r : tracker.takeChanged()) {
            if (encoders.encodeTile(tracker.image(), r)) ++tiles;
        }
    }
    std::printf("capture-loop: %zu tiles encoded in %d s\n", tiles, o.seconds);
    return 0;
}

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int bench(const Options& o) {
    auto capturer = platform::openCapturer(o.backend);
    if (!capturer) return std::printf("bench: %s\n", platform::name(capturer.error())), 1;
    double capture = 0, jpeg = 0, png = 0, webp = 0;
    std::size_t jpegBytes = 0, pngBytes = 0, webpBytes = 0;
    JpegEncoder jpegEncoder;
    TileTracker desktop;
    for (int i = 0; i < o.frames; ++i) {
        (*capturer)->invalidate();
        auto t = Clock::now();
        if (captureInto(**capturer, desktop, std::chrono::seconds(1)) !=
            platform::CaptureStatus::Ok) {
            return std::puts("bench: capture failed"), 1;
        }
        capture += msSince(t);
        const ImageView image = desktop.image();
        t = Clock::now();
        auto j = jpegEncoder.encode(image, 80);
        jpeg += msSince(t);
        t = Clock::now();
        auto p = PngEncoder().encode(image);
        png += msSince(t);
        t = Clock::now();
        auto w = WebpLosslessEncoder().encode(image);
        webp += msSince(t);
        if (!j || !p || !w) return std::puts("bench: encoding failed"), 1;
        jpegBytes = j->size();
        pngBytes = p->size();
        webpBytes = w->size();
    }
    // The pipeline as a session runs it: 64x64 tiles, lossless only for few-colour tiles.
    double tilesPng = 0, tilesWebp = 0;
    std::size_t bytesPng = 0, bytesWebp = 0, tileCount = 0;
    for (auto format : {LosslessFormat::Png, LosslessFormat::WebpLossless}) {
        EncodeManager manager({80, 256, format});
        desktop.markAll();
        auto t = Clock::now();
        std::size_t bytes = 0;
        auto tiles = desktop.takeChanged();
        for (const Rect& r : tiles) {
            auto tile = manager.encodeTile(desktop.image(), r);
            if (!tile) return std::puts("bench: tile encoding failed"), 1;
            bytes += tile->data.size();
        }
        (format == LosslessFormat::Png ? tilesPng : tilesWebp) = msSince(t);
        (format == LosslessFormat::Png ? bytesPng : bytesWebp) = bytes;
        tileCount = tiles.size();
    }
    const double n = o.frames;
    std::printf("capture_ms=%.2f jpeg_ms=%.2f png_ms=%.2f webp_lossless_ms=%.2f "
                "jpeg_bytes=%zu png_bytes=%zu webp_bytes=%zu frames=%d\n",
                capture / n, jpeg / n, png / n, webp / n, jpegBytes, pngBytes, webpBytes,
                o.frames);
    std::printf("tiled_frame tiles=%zu png_mode_ms=%.2f png_mode_bytes=%zu "
                "webp_mode_ms=%.2f webp_mode_bytes=%zu\n",
                tileCount, tilesPng, bytesPng, tilesWebp, bytesWebp);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) return usage();
    if (auto code = maybeSupportMode(o)) return *code;
    if (o.command.empty()) return usage();
    if (o.command == "run") return run(o);
    if (o.command == "self-test") return selfTest();
    if (o.command == "capture") return captureOnce(o);
    if (o.command == "info") return info(o);
    if (o.command == "idle") return idle(o);
    if (o.command == "capture-loop") return captureLoop(o);
    if (o.command == "bench") return bench(o);
    return usage();
}
