// Bounds-checked big-endian readers and writers over byte spans.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace guru {

using Bytes = std::vector<std::byte>;
using ByteView = std::span<const std::byte>;

/// Reads big-endian integers from a span; every read checks the remaining length first.
class ByteReader {
public:
    explicit ByteReader(ByteView data) : data_(data) {}

    std::size_t remaining() const { return data_.size() - pos_; }
    bool atEnd() const { return pos_ == data_.size(); }

    std::optional<std::uint8_t> u8() {
        if (remaining() < 1) return std::nullopt;
        return static_cast<std::uint8_t>(data_[pos_++]);
    }
    std::optional<std::uint16_t> u16() { return readBE<std::uint16_t>(); }
    std::optional<std::uint32_t> u32() { return readBE<std::uint32_t>(); }
    std::optional<std::uint64_t> u64() { return readBE<std::uint64_t>(); }
    std::optional<std::int16_t> i16() {
        auto v = u16();
        if (!v) return std::nullopt;
        return static_cast<std::int16_t>(*v);
    }
    std::optional<std::int32_t> i32() {
        auto v = u32();
        if (!v) return std::nullopt;
        return static_cast<std::int32_t>(*v);
    }

    /// Returns the next `count` bytes as a view, or nothing if fewer remain.
    std::optional<ByteView> bytes(std::size_t count) {
        if (remaining() < count) return std::nullopt;
        auto view = data_.subspan(pos_, count);
        pos_ += count;
        return view;
    }
    /// Returns everything not yet read.
    ByteView rest() {
        auto view = data_.subspan(pos_);
        pos_ = data_.size();
        return view;
    }

private:
    template <typename T>
    std::optional<T> readBE() {
        if (remaining() < sizeof(T)) return std::nullopt;
        T value = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) {
            value = static_cast<T>((value << 8) | static_cast<std::uint8_t>(data_[pos_ + i]));
        }
        pos_ += sizeof(T);
        return value;
    }

    ByteView data_;
    std::size_t pos_ = 0;
};

/// Appends big-endian integers and byte runs to a growing buffer.
class ByteWriter {
public:
    ByteWriter() = default;
    explicit ByteWriter(std::size_t reserve) { out_.reserve(reserve); }

    void u8(std::uint8_t v) { out_.push_back(static_cast<std::byte>(v)); }
    void u16(std::uint16_t v) { writeBE(v); }
    void u32(std::uint32_t v) { writeBE(v); }
    void u64(std::uint64_t v) { writeBE(v); }
    void i16(std::int16_t v) { writeBE(static_cast<std::uint16_t>(v)); }
    void i32(std::int32_t v) { writeBE(static_cast<std::uint32_t>(v)); }
    void bytes(ByteView data) { out_.insert(out_.end(), data.begin(), data.end()); }
    void text(std::string_view s) {
        auto* p = reinterpret_cast<const std::byte*>(s.data());
        out_.insert(out_.end(), p, p + s.size());
    }

    std::size_t size() const { return out_.size(); }
    Bytes take() { return std::move(out_); }

private:
    template <typename T>
    void writeBE(T v) {
        for (std::size_t i = sizeof(T); i-- > 0;) {
            out_.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFF));
        }
    }

    Bytes out_;
};

/// Views a string's bytes without copying.
inline ByteView asBytes(std::string_view s) {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

/// Copies bytes into a std::string (for UTF-8 text fields).
inline std::string toString(ByteView b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace guru
