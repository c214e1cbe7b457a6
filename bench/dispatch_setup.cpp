// Implements the dispatch benchmarks' shared setup.
#include "bench/dispatch_setup.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "store/backends/open_store.hpp"

namespace cobrador::bench {

namespace fs = std::filesystem;

std::string suspend_payload(int i) {
  return nlohmann::json{{"type", "service.suspend"},
                        {"reason", "non_payment"},
                        {"mode", "full"},
                        {"service",
                         {{"id", fmt::format("s{}", i)},
                          {"account", fmt::format("acct{}", i)},
                          {"kind", "hosting"},
                          {"panel", "bench"}}},
                        {"customer", {{"id", fmt::format("c{}", i)}}}}
      .dump();
}

void prepare(const std::string& database, int actions, Instant now) {
  const auto store = store::open_store(database);
  store::in_transaction(*store, [&] {
    for (int i = 1; i <= actions; ++i) {
      Customer customer;
      customer.ext_id = fmt::format("c{}", i);
      customer.name = fmt::format("Customer {}", i);
      const auto customer_id = store->upsert_customer(customer)->id;
      Service service;
      service.ext_id = fmt::format("s{}", i);
      service.customer_ext_id = customer.ext_id;
      service.kind = ServiceKind::hosting;
      service.panel = "bench";
      service.account = fmt::format("acct{}", i);
      (void)store->upsert_service(service).value();
      Action action;
      action.key = fmt::format("c{}:e1:suspend:suspend:s{}", customer_id, i);
      action.kind = ActionKind::suspend;
      action.customer_id = customer_id;
      action.stage = "suspend";
      action.target = service.ext_id;
      action.payload = suspend_payload(i);
      action.next_attempt_at = now;
      store->add_action(action, now, "benchmark");
    }
  });
}

dispatch::Outbound loopback_panel(const std::string& url, int concurrency) {
  dispatch::Outbound outbound;
  dispatch::PanelSetup panel;
  panel.config.type = "webhook";
  panel.config.url = url + "/hook";
  panel.config.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  panel.concurrency = concurrency;
  outbound.panels["bench"] = panel;
  outbound.templates = fs::path(COBRADOR_SOURCE_DIR) / "etc" / "templates";
  return outbound;
}

Drained drain(store::Store& store, const std::string& url, int concurrency, const std::string& owner,
              Instant now) {
  boost::asio::io_context io;
  dispatch::DispatcherOptions options;
  options.owner = owner;
  options.now = [now] { return now; };
  options.log = [](const std::string& line) { std::cerr << "warning: " << line << '\n'; };
  dispatch::Dispatcher dispatcher(io, store, loopback_panel(url, concurrency), options);
  const auto started = std::chrono::steady_clock::now();
  const auto counts = dispatcher.drain_until_empty();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  return {counts, took.count()};
}

}  // namespace cobrador::bench
