// Runs one panel call to its end on a test's io_context and returns the outcome.
#pragma once

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

#include "hooks/panel.hpp"

namespace cobrador::testing {

// Starts one adapter call with `start(done)` and runs the io_context until `done` has its outcome.
template <class Start>
hooks::Outcome run_to_outcome(boost::asio::io_context& io, Start&& start) {
  std::optional<hooks::Outcome> outcome;
  start([&](hooks::Outcome o) {
    outcome = std::move(o);
    io.stop();
  });
  io.restart();
  // Far longer than any test's own timeouts; reaching it means the adapter never answered.
  io.run_for(std::chrono::seconds(10));
  REQUIRE(outcome.has_value());
  return *outcome;
}

inline hooks::Outcome run_call(hooks::Panel& panel, const hooks::PanelCall& call,
                               boost::asio::io_context& io) {
  return run_to_outcome(io, [&](auto done) { panel.execute(call, std::move(done)); });
}

// The same for a payment written back to a billing system.
inline hooks::Outcome run_payment(hooks::Panel& panel, const hooks::PaymentRecord& payment,
                                  boost::asio::io_context& io) {
  return run_to_outcome(io, [&](auto done) { panel.record_payment(payment, std::move(done)); });
}

// A call with every field filled, as the dispatcher would send it.
inline hooks::PanelCall sample_call(hooks::PanelCall::Kind kind) {
  hooks::PanelCall call;
  call.idempotency_key = "cust-42:ep-3:suspend:suspend:svc-7";
  call.kind = kind;
  call.reason = kind == hooks::PanelCall::Kind::suspend ? "non_payment" : "";
  call.mode = kind == hooks::PanelCall::Kind::suspend ? "full" : "";
  call.service_id = "svc-7";
  call.account = "ana";
  call.service_kind = "hosting";
  call.customer_id = "cust-42";
  return call;
}

// A fixed clock for the adapters: 2021-02-25 15:02:10 UTC.
inline std::chrono::system_clock::time_point fixed_now() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1614265330));
}

}  // namespace cobrador::testing
