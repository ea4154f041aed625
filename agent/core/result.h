// Result<T, E>: a small expected-like type (std::expected is C++23).
#pragma once

#include <utility>
#include <variant>

namespace guru {

/// Wraps an error value so that Result<T, E> can be built from it unambiguously.
template <typename E>
struct Failure {
    E error;
};

template <typename E>
Failure(E) -> Failure<E>;

/// Either a value of type T or a typed error E; never throws.
template <typename T, typename E>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Failure<E> failure) : state_(std::in_place_index<1>, failure.error) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    E error() const { return std::get<1>(state_); }

private:
    std::variant<T, E> state_;
};

/// The success value of a Result that carries no data.
struct Unit {};

/// Result with no payload: success or a typed error.
template <typename E>
using Outcome = Result<Unit, E>;

}  // namespace guru
