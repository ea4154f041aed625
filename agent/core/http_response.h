// An HTTP/1.1 response parser (RFC 9112) for the agent's few plain requests (the portal's
// support-code check and download): status line, headers and a body framed by
// Content-Length or chunked transfer coding, every part bounded. Bytes may arrive in any
// split; nothing is read past what was fed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/byte_reader.h"
#include "core/result.h"

namespace guru::http {

/// Why a response (or a request to send) was refused.
enum class HttpError : std::uint8_t {
    HeaderTooLarge,        // no end of the header block within kMaxHeaderBlock, or too many headers
    MalformedStatus,       // not "HTTP/1.x NNN reason" (1xx is refused too: nothing asks for it)
    MalformedHeader,       // a line without ':' or with a bad name, obs-fold, a bare CR or LF
    BadContentLength,      // not decimal, repeated, or alongside Transfer-Encoding
    UnsupportedEncoding,   // a Transfer-Encoding other than exactly "chunked"
    MalformedChunk,        // a chunk size line or the CRLF after chunk data is wrong
    BodyTooLarge,          // the body is longer than the caller's limit
    NoLength,              // neither Content-Length nor chunked: the end cannot be told
    Truncated,             // the connection closed before the response was complete
    BadRequest,            // the request to send has a bad method, path or header value
    Transport,             // the connection failed (the transport's error says how)
};

/// Short stable name for an error.
const char* name(HttpError e);

/// Largest status line plus headers (and, for chunked bodies, trailer fields) accepted.
inline constexpr std::size_t kMaxHeaderBlock = 16 * 1024;
/// Most header fields accepted in one response.
inline constexpr std::size_t kMaxHeaderCount = 100;
/// Longest chunk-size line (size and extensions) accepted.
inline constexpr std::size_t kMaxChunkLine = 1024;

/// A complete response: the body already de-chunked.
struct Response {
    int status = 0;
    /// Field names lower-cased, values with surrounding whitespace trimmed, in order.
    std::vector<std::pair<std::string, std::string>> headers;
    Bytes body;

    /// The first value of the field `lowerName`, if present.
    std::optional<std::string_view> header(std::string_view lowerName) const;
};

/// Parses one response incrementally. feed() as bytes arrive, finish() when the peer has
/// closed; once complete, take() the response. Any error is final.
class ResponseParser {
public:
    /// Bodies longer than `maxBody` bytes are refused (checked from Content-Length before
    /// anything is allocated, and chunk by chunk).
    explicit ResponseParser(std::size_t maxBody) : maxBody_(maxBody) {}

    /// Consumes `data`; true once the response is complete (bytes after its end are ignored).
    Result<bool, HttpError> feed(ByteView data);
    /// The peer closed the stream: fine if complete, else Truncated.
    Outcome<HttpError> finish() const;
    /// Whether the whole response has been read.
    bool complete() const { return state_ == State::Done; }
    /// The response (only meaningful once complete()).
    Response take() { return std::move(response_); }

private:
    enum class State : std::uint8_t { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer, Done, Failed };

    Outcome<HttpError> parseHead();
    Outcome<HttpError> chunkSizeLine();
    Outcome<HttpError> trailerLine();
    Result<bool, HttpError> fail(HttpError e);

    std::size_t maxBody_;
    State state_ = State::Head;
    std::string line_;            // the head, or the current chunk-size or trailer line
    std::size_t trailerBytes_ = 0;
    std::uint64_t remaining_ = 0; // body or chunk bytes still to come
    HttpError error_ = HttpError::Truncated;  // once Failed
    Response response_;
};

}  // namespace guru::http
