// An expected-style result for input that can be wrong (GCC 12 has no std::expected).
// Parsers and validators return Result<T>; the Error carries a message a person can act
// on, already prefixed with where the problem is (file:line:col, FILE:ROW: field).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace cobrador {

struct Error {
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return checked(); }
  const T& value() const& { return const_cast<Result*>(this)->checked(); }
  T&& value() && { return std::move(checked()); }
  T& operator*() & { return checked(); }
  const T& operator*() const& { return const_cast<Result*>(this)->checked(); }
  T* operator->() { return &checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  T& checked() {
    // Reading the value of a failed result is a programming error, not bad input.
    if (!ok()) throw std::logic_error("value() of a failed Result: " + std::get<1>(v_).message);
    return std::get<0>(v_);
  }
  std::variant<T, Error> v_;
};

// For operations that either succeed with nothing to say or fail with an Error.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string message) { return Error{std::move(message)}; }

}  // namespace cobrador
