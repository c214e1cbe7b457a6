// Forty consecutive days of walks on a real SQLite file fed by real CSV imports, checking the
// outbox and the audit trail day by day, and that walking a day twice writes nothing new.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/policy.hpp"
#include "service/import.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "walk/walk.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;

namespace {

const char* kCustomers = R"(id,name,email,phone,locale,customer_since,tags,exempt_until
c1,Ana Silva,ana@example.com,+5511900000001,pt-BR,2024-01-10,,
c2,Bruno Lima,bruno@example.com,+5511900000002,pt-BR,2024-01-10,,
c3,Carla Dias,carla@example.com,+5511900000003,pt-BR,2024-01-10,vip,2026-03-20
c4,Duda Alves,duda@example.com,+5511900000004,pt-BR,2024-01-10,no-dunning,
c5,Edu Rocha,edu@example.com,+5511900000005,en,2024-01-10,,
c6,Fabi Melo,fabi@example.com;fin@fabi.example,,es,2024-01-10,,
c7,Gil Souza,gil@example.com,+5511900000007,pt-BR,2024-01-10,,
)";

const char* kServices = R"(id,customer_id,kind,panel,account
s1,c1,hosting,whm1,ana
s2,c2,hosting,whm1,bruno
s3,c3,vps,da1,carla
s4,c4,hosting,whm1,duda
s5,c5,internet,router,edu
s6,c6,hosting,plesk1,fabi
s7,c7,hosting,whm1,gil
)";

const char* kInvoices = R"(id,customer_id,services,amount,currency,issued_on,due_on,status
i1,c1,s1,49.90,BRL,2026-02-20,2026-03-02,open
i2,c2,s2,49.90,BRL,2026-02-20,2026-03-02,open
i3,c3,s3,120.00,BRL,2026-02-20,2026-03-02,open
i4,c4,s4,49.90,BRL,2026-02-20,2026-03-02,open
i5,c5,s5,99.00,BRL,2026-03-10,2026-03-20,open
i6a,c6,s6,30.00,BRL,2026-01-20,2026-02-01,open
i6b,c6,s6,30.00,BRL,2026-02-20,2026-03-01,open
i6c,c6,s6,30.00,BRL,2026-03-01,2026-03-10,open
i7,c7,s7,49.90,BRL,2026-02-20,2026-03-02,open
)";

// Payments the billing system sends during the run: (day, file content).
const std::map<std::string, std::string> kPayments{
    {"2026-03-06",
     "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
     "p2,i2,49.90,BRL,pix,bank,E2E-2,confirmed,2026-03-06\n"},
    {"2026-03-12",
     "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
     "p7,i7,49.90,BRL,boleto,bank,NN-7,confirmed,2026-03-12\n"},
};

// What each day's walk (and that day's payment import) puts in the outbox.
const std::map<std::string, std::set<std::string>> kExpectedActions{
    {"2026-03-01", {"c6 warning notify email:fabi@example.com"}},
    {"2026-03-02", {"c6 suspend suspend s6", "c6 suspend notify email:fabi@example.com"}},
    {"2026-03-05",
     {"c1 reminder notify email:ana@example.com", "c2 reminder notify email:bruno@example.com",
      "c3 reminder notify email:carla@example.com", "c7 reminder notify email:gil@example.com"}},
    {"2026-03-06",
     {"c1 warning notify email:ana@example.com", "c1 warning notify sms:+5511900000001",
      "c2 warning notify email:bruno@example.com", "c2 warning notify sms:+5511900000002",
      "c3 warning notify email:carla@example.com", "c3 warning notify sms:+5511900000003",
      "c7 warning notify email:gil@example.com", "c7 warning notify sms:+5511900000007"}},
    {"2026-03-09",
     {"c1 suspend suspend s1", "c1 suspend notify email:ana@example.com",
      "c1 suspend notify sms:+5511900000001", "c7 suspend suspend s7",
      "c7 suspend notify email:gil@example.com", "c7 suspend notify sms:+5511900000007"}},
    // The lock ends s6, suspended since 2 March, too (docs/lifecycle.md).
    {"2026-03-11",
     {"c6 lock notify email:fabi@example.com", "c6 lock notify email:fin@fabi.example",
      "c6 lock suspend s6"}},
    {"2026-03-12", {"c7 end unsuspend s7"}},
    {"2026-03-23",
     {"c3 suspend suspend s3", "c3 suspend notify email:carla@example.com",
      "c3 suspend notify sms:+5511900000003", "c5 reminder notify email:edu@example.com"}},
    {"2026-03-24", {"c5 warning notify email:edu@example.com", "c5 warning notify sms:+5511900000005"}},
    {"2026-03-25",
     {"c5 suspend suspend s5", "c5 suspend notify email:edu@example.com",
      "c5 suspend notify sms:+5511900000005"}},
    // Seven days before s6's purge (11 March + 30 days), every contact gets the last chance.
    {"2026-04-03",
     {"c6 last_chance_backup notify email:fabi@example.com",
      "c6 last_chance_backup notify email:fin@fabi.example"}},
};

// The audit events (other than imports and deliveries) expected on some days.
const std::map<std::string, std::multiset<std::string>> kExpectedDecisions{
    {"2026-03-01",
     {"c6 episode_started", "c6 stage_superseded reminder", "c6 stage_run warning",
      "c6 notice_skipped warning", "c6 stage_held suspend"}},
    {"2026-03-06",
     {"c1 stage_run warning", "c2 stage_run warning", "c3 stage_run warning", "c7 stage_run warning",
      "c2 episode_ended"}},
    {"2026-03-07", {"c1 stage_held suspend", "c3 stage_held suspend", "c7 stage_held suspend"}},
    {"2026-03-12", {"c7 episode_ended"}},
    {"2026-03-21", {"c3 stage_held suspend"}},
};

struct Counts {
  std::size_t actions = 0;
  std::size_t audit = 0;
  bool operator==(const Counts&) const = default;
};

class Book {
 public:
  explicit Book(const testing::TempDir& dir)
      : store_(store::open_store(testing::fresh_database(dir.path()))),
        policy_(*policy::load_policy(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml")),
        dir_(dir) {}

  void import(service::ImportKind kind, const std::string& name, const std::string& content, Instant now) {
    const auto report = service::import_file(*store_, policy_, kind, dir_.write(name, content).string(), now,
                                             "operator:test");
    INFO((report ? "" : report.error().message));
    REQUIRE(report);
  }

  void walk(Date day) { walk::walk(*store_, policy_, at(day, 6 * 60)); }

  // The dispatcher, succeeding: everything due by the end of the day goes out a minute after.
  void deliver(Date day) {
    store::ActionFilter pending;
    pending.state = ActionState::pending;
    store_->begin();
    for (const auto& action : store_->actions(pending)) {
      if (action.next_attempt_at >= at(day + date::days{1}, 0)) continue;
      store_->complete_action(action.id, action.next_attempt_at + std::chrono::minutes{1}, "250 OK");
    }
    store_->commit();
  }

  std::set<std::string> actions_created_on(Date day) {
    std::set<std::string> out;
    for (const auto& a : store_->actions({})) {
      if (policy_.local_date(a.created_at) != day) continue;
      const auto customer = store_->customer(a.customer_id);
      out.insert(fmt::format("{} {} {} {}", customer->ext_id, a.stage, to_string(a.kind), a.target));
    }
    return out;
  }

  std::multiset<std::string> decisions_on(Date day) {
    std::multiset<std::string> out;
    for (int c = 1; c <= 7; ++c) {
      for (const auto& e : store_->audit_of(fmt::format("customer:c{}", c))) {
        const bool data =
            e.event.ends_with("_created") || e.event.ends_with("_updated") || e.event == "action_done";
        if (policy_.local_date(e.at) != day || data) continue;
        const auto details = nlohmann::json::parse(e.details);
        const std::string stage = details.value("stage", "");
        out.insert(fmt::format("c{} {}{}", c, e.event, stage.empty() ? "" : " " + stage));
      }
    }
    return out;
  }

  Counts counts() {
    std::size_t audit = 0;
    for (int c = 1; c <= 7; ++c) audit += store_->audit_of(fmt::format("customer:c{}", c)).size();
    return {store_->actions({}).size(), audit};
  }

  Instant at(Date day, int minute) const { return policy_.instant_at(day, minute); }
  store::Store& store() { return *store_; }

 private:
  std::unique_ptr<store::Store> store_;
  policy::Policy policy_;
  const testing::TempDir& dir_;
};

}  // namespace

// The shipped policy (São Paulo, no suspensions Fri-Sun and holidays) over 40 days of a small book.
TEST_CASE("forty days of walks put the right actions and reasons in the store, once", "[walk][integration]") {
  testing::TempDir dir;
  Book book(dir);
  const Date first = *parse_date("2026-03-01");
  const Instant before = book.at(first - date::days{1}, 12 * 60);
  book.import(service::ImportKind::customers, "customers.csv", kCustomers, before);
  book.import(service::ImportKind::services, "services.csv", kServices, before);
  book.import(service::ImportKind::invoices, "invoices.csv", kInvoices, before);

  for (int i = 0; i < 40; ++i) {
    const Date day = first + date::days{i};
    const std::string name = format_date(day);
    INFO("day " << name);
    book.walk(day);
    // Walking the same day again writes nothing new.
    const Counts after_first = book.counts();
    book.walk(day);
    CHECK(book.counts() == after_first);
    book.deliver(day);
    if (const auto payment = kPayments.find(name); payment != kPayments.end()) {
      book.import(service::ImportKind::payments, "payments-" + name + ".csv", payment->second,
                  book.at(day, 12 * 60));
      book.deliver(day);
    }
    const auto expected = kExpectedActions.find(name);
    CHECK(book.actions_created_on(day) ==
          (expected == kExpectedActions.end() ? std::set<std::string>{} : expected->second));
    if (const auto decisions = kExpectedDecisions.find(name); decisions != kExpectedDecisions.end()) {
      CHECK(book.decisions_on(day) == decisions->second);
    }
  }

  // The end state: who is suspended and why, who was never touched.
  std::map<std::string, std::string> states;
  for (int c = 1; c <= 7; ++c) {
    const auto customer = book.store().customer(fmt::format("c{}", c));
    for (const auto& s : book.store().services_of(customer->id))
      states[s.ext_id] = std::string(to_string(s.state));
  }
  CHECK(states == std::map<std::string, std::string>{{"s1", "suspended"},
                                                     {"s2", "active"},
                                                     {"s3", "suspended"},
                                                     {"s4", "active"},
                                                     {"s5", "suspended"},
                                                     {"s6", "locked"},
                                                     {"s7", "active"}});
  // The audit says which rule held c3's suspension and which invoice started c1's episode.
  const auto c3 = book.store().audit_of("customer:c3");
  const auto held = std::find_if(c3.begin(), c3.end(), [](const auto& e) { return e.event == "stage_held"; });
  REQUIRE(held != c3.end());
  CHECK(nlohmann::json::parse(held->details)["rule"] == "exempt_until 2026-03-20; next look 2026-03-21");
  const auto c1 = book.store().audit_of("customer:c1");
  const auto started =
      std::find_if(c1.begin(), c1.end(), [](const auto& e) { return e.event == "episode_started"; });
  REQUIRE(started != c1.end());
  CHECK(nlohmann::json::parse(started->details)["rule"] == "invoice i1 overdue since 2026-03-03");
}
