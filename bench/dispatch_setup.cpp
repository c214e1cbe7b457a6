// Implements the dispatch benchmarks' shared setup.
#include "bench/dispatch_setup.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/store.hpp"

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

}  // namespace cobrador::bench
