// "Run as administrator" in support mode (support_elevation.h).
#include "support_elevation.h"

#include <gcrypt.h>

#include "core/elevation_handover.h"
#include "core/gcrypt_handles.h"
#include "core/secure_wipe.h"

namespace guru {

namespace {

constexpr std::chrono::seconds kOfferReadTimeout{10};

}  // namespace

std::string elevationNotice(platform::RelaunchEnd end, const std::string& detail) {
    switch (end) {
        case platform::RelaunchEnd::Declined:
            return "Administrator rights were declined: the session goes on without them.";
        case platform::RelaunchEnd::Answered:
        case platform::RelaunchEnd::Failed: break;
    }
    return "Could not restart with administrator rights (" + detail + "): the session goes on without them.";
}

ElevationOffer::ElevationOffer(bool offered, std::vector<std::string> arguments, const envelope::Id128& sessionId,
                               const crypto::IdentityKey& identity, SupportSession& support,
                               ConnectionManager& connection, LogSink log)
    : offered_(offered),
      arguments_(std::move(arguments)),
      sessionId_(sessionId),
      identity_(identity),
      support_(support),
      connection_(connection),
      log_(std::move(log)) {}

ElevationOffer::~ElevationOffer() {
    relaunch_.reset();  // gives up and joins the relaunch's thread
    if (held_->load()) connection_.holdReconnects(false);
}

void ElevationOffer::start() {
    if (!offered()) return;
    crypto::ensureInitialised();
    std::array<std::byte, handover::kPipeRandomBytes> random{};
    gcry_randomize(random.data(), random.size(), GCRY_STRONG_RANDOM);
    const ConsentRecord consent = support_.consentRecord();
    handover::Offer offer{sessionId_, identity_.seed(), consent.consentGiven, consent.allowed, consent.refused};
    platform::RelaunchRequest request;
    request.pipeName = handover::pipeName(random);
    request.arguments = arguments_;
    request.offer = handover::encodeOffer(offer);
    secureWipe(offer.identitySeed);
    request.beforeOffer = [held = held_, &connection = connection_] {
        held->store(true);
        connection.holdReconnects(true);  // the child is about to take this connection's place
    };
    if (log_) {
        log_("support: relaunching elevated (" + std::to_string(consent.allowed.size()) + " allowed, " +
             std::to_string(consent.refused.size()) + " refused viewer(s) carried over)");
    }
    auto started = platform::startElevatedRelaunch(std::move(request));
    if (!started) {
        settle(elevationNotice(platform::RelaunchEnd::Failed, platform::name(started.error())));
        return;
    }
    relaunch_ = std::move(*started);
    notice_ = "Waiting for Windows to confirm administrator rights…";
    ++revision_;
}

bool ElevationOffer::poll() {
    if (!relaunch_) return false;
    auto outcome = relaunch_->poll();
    if (!outcome) return false;
    relaunch_.reset();
    if (outcome->end == platform::RelaunchEnd::Answered) {
        auto answer = handover::decodeAnswer(outcome->answer);
        if (answer && *answer == handover::Status::Connected) {
            if (log_) log_("support: the elevated agent has the session; this process exits and keeps its file");
            return true;
        }
        settle(elevationNotice(platform::RelaunchEnd::Failed,
                               answer ? "the elevated agent could not connect" : handover::name(answer.error())));
        return false;
    }
    settle(elevationNotice(outcome->end, outcome->detail));
    return false;
}

void ElevationOffer::settle(std::string notice) {
    if (log_) log_("support: not elevated: " + notice);
    if (held_->exchange(false)) connection_.holdReconnects(false);
    notice_ = std::move(notice);
    ++revision_;
}

void Takeover::answer(bool connected, const LogSink& log) {
    if (answered || !channel) return;
    answered = true;
    const auto bytes = handover::encodeAnswer(connected ? handover::Status::Connected : handover::Status::Failed);
    const bool sent = channel->write(bytes);
    if (log) log(std::string("support: handover answered (") + (connected ? "connected" : "failed") +
                 (sent ? ")" : "), but the unelevated agent is gone"));
    channel.reset();
}

std::optional<Takeover> receiveTakeover(std::string_view pipeArgument, const envelope::Id128& sessionId,
                                        const LogSink& log) {
    auto name = handover::parsePipeName(pipeArgument);
    if (!name) {
        log("support: --elevated-handover: not a handover pipe name");
        return std::nullopt;
    }
    auto channel = platform::openHandoverChannel(*name);
    if (!channel) {
        log(std::string("support: cannot open the handover pipe (") + platform::name(channel.error()) + ")");
        return std::nullopt;
    }
    auto bytes = (*channel)->read(handover::kOfferMaxSize, kOfferReadTimeout);
    if (!bytes) {
        log("support: no handover offer arrived");
        return std::nullopt;
    }
    auto offer = handover::acceptOffer(*bytes, sessionId);
    secureWipe(*bytes);
    if (!offer) {
        log(std::string("support: handover offer refused (") + handover::name(offer.error()) + ")");
        Takeover refused;
        refused.channel = std::move(*channel);
        refused.answer(false, log);
        return std::nullopt;
    }
    Takeover takeover;
    takeover.channel = std::move(*channel);
    takeover.seed = offer->identitySeed;
    takeover.consent = {offer->consentGiven, offer->allowedViewers, offer->refusedViewers};
    secureWipe(offer->identitySeed);
    log("support: taking the session over from the unelevated agent (consent " +
        std::string(takeover.consent.consentGiven ? "given" : "not given") + ", " +
        std::to_string(takeover.consent.allowed.size()) + " viewer(s) allowed)");
    return takeover;
}

}  // namespace guru
