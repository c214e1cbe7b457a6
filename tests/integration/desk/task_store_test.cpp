// The store's half of "never twice" (docs/tasks.md): two connections that open the same task at
// once, each in its own transaction, as two daemons would, write one row; once closed, the same
// kind, subject and scope never opens again, while an alert of the same kind and subject opens a
// new task once the last one is closed. A real database: SQLite, and PostgreSQL in its run.
#include <catch2/catch.hpp>

#include <barrier>
#include <thread>

#include "store/backends/open_store.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

policy::TaskRequest call_of(const std::string& scope) {
  return {"ask_cause", "customer:c1", scope, "c1", from_day_number(20'000), "Call c1", "{}"};
}

}  // namespace

TEST_CASE("two connections opening one task at once write it once", "[desk]") {
  TempDir dir;
  const auto database = fresh_database(dir.path());
  const Instant now = from_unix(1'780'000'000);
  {
    auto store = store::open_store(database);
    store::in_transaction(*store, [&] {
      Customer c;
      c.ext_id = "c1";
      c.name = "Ana";
      return *store->upsert_customer(c);
    });
  }
  for (int round = 0; round < 5; ++round) {
    const auto scope = "episode:" + std::to_string(round);
    std::barrier ready(2);
    std::vector<std::optional<std::int64_t>> opened(2);
    std::vector<std::thread> daemons;
    for (int i = 0; i < 2; ++i) {
      daemons.emplace_back([&, i] {
        auto store = store::open_store(database);
        ready.arrive_and_wait();
        opened[i] =
            store::in_transaction(*store, [&] { return store->open_task(call_of(scope), now, "system"); });
        // Closed at once, so that the next round's task may open (one open per kind and subject).
        if (opened[i])
          store::in_transaction(*store, [&] {
            return store->close_task(*opened[i], "done", "reached", "", now, "operator:test");
          });
      });
    }
    for (auto& d : daemons) d.join();
    CHECK((opened[0].has_value() != opened[1].has_value()));
  }
  auto store = store::open_store(database);
  store::TaskFilter all;
  CHECK(store->tasks(all).size() == 5);
  // Closed: the same scope never opens again.
  CHECK(
      !store::in_transaction(*store, [&] { return store->open_task(call_of("episode:0"), now, "system"); }));

  // Alerts: one open task per kind and subject; a new one after it is closed.
  store::in_transaction(*store, [&] {
    store->add_alert(now, "unmatched_payment", "bank_entry:e1", "credit e1 pays nothing");
    store->add_alert(now, "unmatched_payment", "bank_entry:e1", "credit e1 pays nothing (again)");
    return 0;
  });
  store::TaskFilter unmatched;
  unmatched.kind = "unmatched_payment";
  auto rows = store->tasks(unmatched);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].customer.empty());
  store::in_transaction(
      *store, [&] { return store->close_task(rows[0].id, "dismissed", "not_needed", "", now, "x"); });
  store::in_transaction(*store, [&] {
    store->add_alert(now, "unmatched_payment", "bank_entry:e1", "credit e1 pays nothing (a third time)");
    return 0;
  });
  CHECK(store->tasks(unmatched).size() == 2);
}
