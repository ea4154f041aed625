// Incremental envelope decoder; see envelope_stream.h.
#include "core/envelope_stream.h"

namespace guru::envelope {

Outcome<EnvelopeError> StreamDecoder::feed(ByteView data) {
    if (failed_) return Failure{*failed_};
    // Bound growth: never hold more than one header plus one maximal payload at a time.
    std::size_t offset = 0;
    while (offset < data.size()) {
        std::size_t want = pending_ ? kHeaderSize + pending_->payloadLength : kHeaderSize;
        std::size_t take = std::min(want - buffer_.size(), data.size() - offset);
        buffer_.insert(buffer_.end(), data.begin() + static_cast<std::ptrdiff_t>(offset),
                       data.begin() + static_cast<std::ptrdiff_t>(offset + take));
        offset += take;
        auto st = absorb();
        if (!st) return st;
    }
    return Unit{};
}

Outcome<EnvelopeError> StreamDecoder::absorb() {
    if (!pending_ && buffer_.size() == kHeaderSize) {
        auto header = decodeHeader(buffer_);
        if (!header) {
            failed_ = header.error();
            return Failure{*failed_};
        }
        pending_ = *header;
        buffer_.reserve(kHeaderSize + pending_->payloadLength);  // size already checked
    }
    if (pending_ && buffer_.size() == kHeaderSize + pending_->payloadLength) {
        auto msg = decodePayload(*pending_, ByteView(buffer_).subspan(kHeaderSize));
        buffer_.clear();
        buffer_.shrink_to_fit();
        pending_.reset();
        if (!msg) {
            failed_ = msg.error();
            return Failure{*failed_};
        }
        ready_.push_back(std::move(*msg));
    }
    return Unit{};
}

std::optional<Result<Message, EnvelopeError>> StreamDecoder::next() {
    if (readyPos_ < ready_.size()) {
        auto m = std::move(ready_[readyPos_++]);
        if (readyPos_ == ready_.size()) {
            ready_.clear();
            readyPos_ = 0;
        }
        return Result<Message, EnvelopeError>(std::move(m));
    }
    if (failed_) return Result<Message, EnvelopeError>(Failure{*failed_});
    return std::nullopt;
}

}  // namespace guru::envelope
