// Small pieces every adapter needs: building outcomes, keeping exceptions inside the adapter,
// and answering asynchronously even when the answer is known at once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <exception>
#include <functional>
#include <string>
#include <utility>

#include "hooks/panel.hpp"

namespace cobrador::hooks {

using Done = std::function<void(Outcome)>;

inline Outcome make_outcome(Outcome::Kind kind, std::string detail, std::string location = {}) {
  Outcome outcome;
  outcome.kind = kind;
  outcome.detail = std::move(detail);
  outcome.location = std::move(location);
  return outcome;
}

// The `failed` Outcome for the exception being handled. Call it only inside a catch block.
inline Outcome outcome_from_exception() noexcept {
  try {
    throw;
  } catch (const std::exception& e) {
    return make_outcome(Outcome::Kind::failed, std::string("internal error in the adapter: ") + e.what());
  } catch (...) {
    return make_outcome(Outcome::Kind::failed, "internal error in the adapter");
  }
}

// Runs `work` and returns its Outcome; an exception becomes a `failed` Outcome instead of
// escaping into the dispatcher. Keep the caller's `done` outside `work`, so that an
// exception thrown by the caller itself is not mistaken for the panel's.
template <class Work>
Outcome guarded(Work&& work) noexcept {
  try {
    return std::forward<Work>(work)();
  } catch (...) {
    return outcome_from_exception();
  }
}

// Delivers an outcome known before any I/O on the io_context, keeping the promise that
// `done` never runs inside execute().
inline void post_outcome(boost::asio::io_context& io, Done done, Outcome outcome) {
  boost::asio::post(
      io, [done = std::move(done), outcome = std::move(outcome)]() mutable { done(std::move(outcome)); });
}

// Runs `start`, which begins a call and hands `done` to it; an exception thrown before the
// call got under way becomes a posted `failed` outcome instead of reaching the dispatcher.
template <class Start>
void start_guarded(boost::asio::io_context& io, const Done& done, Start&& start) {
  try {
    std::forward<Start>(start)();
  } catch (...) {
    post_outcome(io, done, outcome_from_exception());
  }
}

// "https://host:2087/" and "https://host:2087" both become "https://host:2087".
inline std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace cobrador::hooks
