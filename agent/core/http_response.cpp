// The HTTP/1.1 response parser's state machine (http_response.h).
#include "core/http_response.h"

#include <algorithm>

namespace guru::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// The body is reserved up to this much from Content-Length; beyond it the vector grows.
constexpr std::size_t kMaxReserve = 1024 * 1024;

bool isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Field values and reason phrases: HTAB, SP, visible ASCII and obs-text; no other controls.
bool isFieldText(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == '\t' || (u >= 0x20 && u != 0x7F);
    });
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool equalsNoCase(std::string_view a, std::string_view b) { return a.size() == b.size() && lower(a) == lower(b); }

// "HTTP/1.x NNN[ reason]" → NNN (200..599), or nothing.
std::optional<int> parseStatusLine(std::string_view line) {
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') ||
        line[8] != ' ' || !isDigit(line[9]) || !isDigit(line[10]) || !isDigit(line[11])) {
        return std::nullopt;
    }
    if (line.size() > 12 && (line[12] != ' ' || !isFieldText(line.substr(13)))) return std::nullopt;
    const int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status < 200 || status > 599) return std::nullopt;
    return status;
}

// "name: value" → (lower-case name, trimmed value), or nothing.
std::optional<std::pair<std::string, std::string>> parseFieldLine(std::string_view line) {
    const auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
    const std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), isTokenChar)) return std::nullopt;  // also no space before ':'
    const std::string_view value = line.substr(colon + 1);
    if (!isFieldText(value)) return std::nullopt;
    return std::pair{lower(name), std::string(trim(value))};
}

// 1..19 decimal digits (below 2^64) → the value.
std::optional<std::uint64_t> parseDecimal(std::string_view s) {
    if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), isDigit)) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v;
}

int hexDigit(char c) {
    if (isDigit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

const char* name(HttpError e) {
    switch (e) {
        case HttpError::HeaderTooLarge: return "HeaderTooLarge";
        case HttpError::MalformedStatus: return "MalformedStatus";
        case HttpError::MalformedHeader: return "MalformedHeader";
        case HttpError::BadContentLength: return "BadContentLength";
        case HttpError::UnsupportedEncoding: return "UnsupportedEncoding";
        case HttpError::MalformedChunk: return "MalformedChunk";
        case HttpError::BodyTooLarge: return "BodyTooLarge";
        case HttpError::NoLength: return "NoLength";
        case HttpError::Truncated: return "Truncated";
        case HttpError::BadRequest: return "BadRequest";
        case HttpError::Transport: return "Transport";
    }
    return "?";
}

std::optional<std::string_view> Response::header(std::string_view lowerName) const {
    for (const auto& [key, value] : headers) {
        if (key == lowerName) return std::string_view(value);
    }
    return std::nullopt;
}

Result<bool, HttpError> ResponseParser::fail(HttpError e) {
    state_ = State::Failed;
    error_ = e;
    return Failure{e};
}

Outcome<HttpError> ResponseParser::parseHead() {
    // line_ ends with the blank line; every line must end in CRLF, with no CR or LF inside.
    std::string_view head(line_);
    head.remove_suffix(kCrlf.size());
    std::vector<std::string_view> lines;
    while (!head.empty()) {
        const auto end = head.find(kCrlf);
        const std::string_view line = head.substr(0, end);
        if (line.find_first_of("\r\n") != std::string_view::npos) return Failure{HttpError::MalformedHeader};
        lines.push_back(line);
        head.remove_prefix(end + kCrlf.size());
    }
    if (lines.empty()) return Failure{HttpError::MalformedStatus};
    const auto status = parseStatusLine(lines.front());
    if (!status) return Failure{HttpError::MalformedStatus};
    if (lines.size() - 1 > kMaxHeaderCount) return Failure{HttpError::HeaderTooLarge};
    response_.status = *status;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto field = parseFieldLine(lines[i]);  // a leading space (obs-fold) fails the name check
        if (!field) return Failure{HttpError::MalformedHeader};
        response_.headers.push_back(std::move(*field));
    }

    std::size_t lengths = 0, encodings = 0;
    std::optional<std::uint64_t> length;
    bool chunked = false;
    for (const auto& [key, value] : response_.headers) {
        if (key == "content-length") {
            ++lengths;
            length = parseDecimal(value);
            if (!length) return Failure{HttpError::BadContentLength};
        } else if (key == "transfer-encoding") {
            ++encodings;
            chunked = equalsNoCase(value, "chunked");
        }
    }
    if (lengths > 1 || (lengths == 1 && encodings > 0)) return Failure{HttpError::BadContentLength};
    if (encodings > 1 || (encodings == 1 && !chunked)) return Failure{HttpError::UnsupportedEncoding};
    line_.clear();
    if (response_.status == 204 || response_.status == 304) {
        state_ = State::Done;  // never a body
    } else if (chunked) {
        state_ = State::ChunkSize;
    } else if (!length) {
        return Failure{HttpError::NoLength};
    } else if (*length > maxBody_) {
        return Failure{HttpError::BodyTooLarge};
    } else {
        remaining_ = *length;
        response_.body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, kMaxReserve)));
        state_ = remaining_ == 0 ? State::Done : State::Body;
    }
    return Unit{};
}

Outcome<HttpError> ResponseParser::chunkSizeLine() {
    std::string_view line(line_);
    line.remove_suffix(kCrlf.size());
    std::size_t digits = 0;
    std::uint64_t size = 0;
    while (digits < line.size() && hexDigit(line[digits]) >= 0) {
        if (++digits > 15) return Failure{HttpError::MalformedChunk};  // stays below 2^60
        size = size * 16 + static_cast<std::uint64_t>(hexDigit(line[digits - 1]));
    }
    if (digits == 0) return Failure{HttpError::MalformedChunk};
    // Only chunk extensions may follow (ignored), after optional whitespace.
    const std::string_view rest = trim(line.substr(digits));
    if ((!rest.empty() && rest.front() != ';') || !isFieldText(rest)) return Failure{HttpError::MalformedChunk};
    line_.clear();
    if (size == 0) {
        state_ = State::Trailer;
        return Unit{};
    }
    if (size > maxBody_ - response_.body.size()) return Failure{HttpError::BodyTooLarge};
    remaining_ = size;
    state_ = State::ChunkData;
    return Unit{};
}

Outcome<HttpError> ResponseParser::trailerLine() {
    std::string_view line(line_);
    line.remove_suffix(kCrlf.size());
    if (line.find_first_of("\r\n") != std::string_view::npos || (!line.empty() && !parseFieldLine(line))) {
        return Failure{HttpError::MalformedHeader};
    }
    state_ = line.empty() ? State::Done : State::Trailer;  // trailer fields are not used
    line_.clear();
    return Unit{};
}

Result<bool, HttpError> ResponseParser::feed(ByteView data) {
    if (state_ == State::Failed) return Failure{error_};
    std::size_t i = 0;
    auto takeBody = [&] {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - i));
        response_.body.insert(response_.body.end(), data.begin() + static_cast<std::ptrdiff_t>(i),
                              data.begin() + static_cast<std::ptrdiff_t>(i + n));
        i += n;
        remaining_ -= n;
    };
    auto lineDone = [this] { return line_.size() >= 2 && line_.ends_with(kCrlf); };
    while (i < data.size() && state_ != State::Done) {
        Outcome<HttpError> step = Unit{};
        switch (state_) {
            case State::Head:
                line_.push_back(static_cast<char>(data[i++]));
                if (line_.size() > kMaxHeaderBlock) return fail(HttpError::HeaderTooLarge);
                if (line_.ends_with("\n\n")) return fail(HttpError::MalformedHeader);  // bare LF
                if (line_.ends_with("\r\n\r\n")) step = parseHead();
                break;
            case State::Body:
                takeBody();
                if (remaining_ == 0) state_ = State::Done;
                break;
            case State::ChunkSize:
                line_.push_back(static_cast<char>(data[i++]));
                if (line_.size() > kMaxChunkLine) return fail(HttpError::MalformedChunk);
                if (lineDone()) step = chunkSizeLine();
                break;
            case State::ChunkData:
                takeBody();
                if (remaining_ == 0) state_ = State::ChunkDataEnd;
                break;
            case State::ChunkDataEnd:
                line_.push_back(static_cast<char>(data[i++]));
                if (line_.size() == 2) {
                    if (line_ != kCrlf) return fail(HttpError::MalformedChunk);
                    line_.clear();
                    state_ = State::ChunkSize;
                }
                break;
            case State::Trailer:
                line_.push_back(static_cast<char>(data[i++]));
                if (++trailerBytes_ > kMaxHeaderBlock) return fail(HttpError::HeaderTooLarge);
                if (lineDone()) step = trailerLine();
                break;
            case State::Done:
            case State::Failed: break;
        }
        if (!step) return fail(step.error());
    }
    return state_ == State::Done;
}

Outcome<HttpError> ResponseParser::finish() const {
    if (state_ == State::Failed) return Failure{error_};
    if (state_ != State::Done) return Failure{HttpError::Truncated};
    return Unit{};
}

}  // namespace guru::http
