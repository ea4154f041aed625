// Incremental envelope decoder for byte streams (tests, and any future non-WebSocket transport).
#pragma once

#include <optional>

#include "core/envelope.h"

namespace guru::envelope {

/// Accumulates bytes and yields whole messages. The header is validated (including the
/// size limit) before any payload buffer is reserved; after an error the stream is dead.
class StreamDecoder {
public:
    /// Appends received bytes; returns an error as soon as one is detectable.
    Outcome<EnvelopeError> feed(ByteView data);

    /// Pops the next complete message, if any.
    std::optional<Result<Message, EnvelopeError>> next();

    /// Bytes held that do not yet form a whole frame.
    std::size_t buffered() const { return buffer_.size(); }

private:
    Outcome<EnvelopeError> absorb();

    Bytes buffer_;
    std::optional<Header> pending_;
    std::optional<EnvelopeError> failed_;
    std::vector<Message> ready_;
    std::size_t readyPos_ = 0;
};

}  // namespace guru::envelope
