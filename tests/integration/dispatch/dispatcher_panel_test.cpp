// The dispatcher against a webhook panel on 127.0.0.1 (the Beast fake panel), with the outbox
// on a real SQLite file filled by the real walk: state changes on the panel's yes only,
// retries with backoff and Retry-After, dead letters and alerts, 410 Gone, stale actions.
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>

#include <fmt/format.h>

#include "integration/dispatch/outbox_fixture.hpp"
#include "support/fake_panel.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using std::chrono::seconds;

namespace {

const std::string kNoNotices = one_stage_policy("[]");

FakeResponse answer(int status, std::vector<std::pair<std::string, std::string>> headers = {}) {
  return FakeResponse{status, std::move(headers), "{}", {}};
}

struct PanelCase : OutboxFixture {
  explicit PanelCase(FakePanel::Handler handler, const std::string& policy = kNoNotices)
      : OutboxFixture(policy), panel(std::move(handler)) {
    import(service::ImportKind::customers, kOneCustomer);
    import(service::ImportKind::services, kOneService);
    import(service::ImportKind::invoices, kOneInvoice);
    walk();
  }

  dispatch::DispatchCounts drain(int max_attempts = 8, int concurrency = 4) {
    dispatch::Dispatcher dispatcher(io, store(), webhook_outbound(panel.url() + "/hook", concurrency),
                                    options(max_attempts));
    return dispatcher.drain_until_empty();
  }

  FakePanel panel;
};

}  // namespace

// A 500 leaves the service active and the action pending with its error; the next attempt,
// due after the backoff, gets the panel's yes and only then is the service suspended.
TEST_CASE("a service is suspended only after its panel said yes", "[dispatch]") {
  std::atomic<int> calls{0};
  PanelCase t([&](const FakeRequest&) { return answer(++calls == 1 ? 500 : 200); });

  CHECK(t.drain().retried == 1);
  auto action = t.only(ActionKind::suspend);
  CHECK(action.state == ActionState::pending);
  CHECK(action.attempts == 1);
  CHECK(action.last_error.starts_with("HTTP 500"));
  CHECK(t.service_state("s1") == ServiceState::active);
  // Equal jitter on a 60 s first delay: between 30 and 60 seconds later.
  CHECK(action.next_attempt_at >= t.now + seconds(30));
  CHECK(action.next_attempt_at < t.now + seconds(60));

  CHECK(t.drain().claimed == 0);  // not due yet: the panel is not called again
  CHECK(calls == 1);

  t.now = action.next_attempt_at;
  CHECK(t.drain().done == 1);
  CHECK(t.service_state("s1") == ServiceState::suspended);
  action = t.only(ActionKind::suspend);
  CHECK(action.state == ActionState::done);
  CHECK(action.attempts == 2);
  const auto requests = t.panel.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].header("webhook-id") == action.key);
  CHECK(requests[1].header("webhook-id") == action.key);
  CHECK(nlohmann::json::parse(requests[1].body)["type"] == "service.suspend");
  const auto events = t.audit_events("c1");
  CHECK(std::count(events.begin(), events.end(), "action_retry") == 1);
  CHECK(std::count(events.begin(), events.end(), "action_done") == 1);
}

// A panel that keeps failing: after the last attempt the action is dead, the operator has an
// alert, the service is untouched, and every attempt carried the same idempotency key.
TEST_CASE("an action that keeps failing goes dead with an alert, and retry brings it back", "[dispatch]") {
  PanelCase t([](const FakeRequest&) { return answer(503); });
  for (int attempt = 1; attempt <= 3; ++attempt) {
    t.drain(3);
    t.now = t.only(ActionKind::suspend).next_attempt_at;
  }
  const auto dead = t.only(ActionKind::suspend);
  CHECK(dead.state == ActionState::dead);
  CHECK(dead.attempts == 3);
  CHECK(dead.last_error == "HTTP 503: {} (attempt 3 of 3)");
  CHECK(t.service_state("s1") == ServiceState::active);
  CHECK(t.alerts() == std::vector<std::string>{"action_dead action:" + dead.key});
  const auto task_of_dead =
      "SELECT state, outcome FROM tasks WHERE kind = 'action_dead' AND subject = 'action:" + dead.key + "'";
  CHECK(query(t.database, task_of_dead) == std::vector<std::vector<std::string>>{{"open", ""}});
  for (const auto& request : t.panel.requests()) CHECK(request.header("webhook-id") == dead.key);
  CHECK(t.drain(3).claimed == 0);  // dead stays dead

  const auto retried = store::in_transaction(
      t.store(), [&] { return t.store().retry_action(dead.key, t.now, "operator:ana"); });
  REQUIRE(retried);
  const auto again = t.only(ActionKind::suspend);
  CHECK(again.state == ActionState::pending);
  CHECK(again.attempts == 0);
  CHECK(query(t.database, "SELECT COUNT(*) FROM alerts WHERE acknowledged_at IS NULL") ==
        std::vector<std::vector<std::string>>{{"0"}});
  // Sent again, the action's task is closed as retried, not opened twice.
  CHECK(query(t.database, task_of_dead) == std::vector<std::vector<std::string>>{{"done", "retried"}});
  CHECK(t.drain(3).retried == 1);  // sent again at once
  CHECK(t.panel.requests().size() == 4);
}

// 429 with Retry-After: 120 is tried again exactly 120 s later, not a second sooner.
TEST_CASE("Retry-After on a 429 is honoured", "[dispatch]") {
  std::atomic<int> calls{0};
  PanelCase t([&](const FakeRequest&) {
    return ++calls == 1 ? answer(429, {{"Retry-After", "120"}}) : answer(200);
  });
  const Instant first = t.now;
  t.drain();
  CHECK(t.only(ActionKind::suspend).next_attempt_at == first + seconds(120));
  t.now = first + seconds(119);
  CHECK(t.drain().claimed == 0);
  CHECK(calls == 1);
  t.now = first + seconds(120);
  CHECK(t.drain().done == 1);
  CHECK(calls == 2);
}

// 410 Gone disables the panel: an alert, the action handed back untried, and neither it nor
// the other actions for that panel are sent while it stays disabled.
TEST_CASE("a panel that answers 410 Gone is disabled and its actions wait", "[dispatch]") {
  PanelCase t([](const FakeRequest&) { return answer(410); });
  t.import(service::ImportKind::customers, "id,name,email\nc2,Bruno,bruno@example.com\n");
  t.import(service::ImportKind::services, "id,customer_id,kind,panel,account\ns2,c2,hosting,noc,bruno\n");
  t.import(service::ImportKind::invoices,
           "id,customer_id,services,amount,currency,due_on\ni2,c2,s2,10.00,BRL,2026-03-02\n");
  t.walk();
  REQUIRE(t.actions(ActionKind::suspend).size() == 2);

  const auto counts = t.drain(8, 1);  // one call at a time: the second waits behind the 410
  CHECK(counts.panel_disabled == 1);
  CHECK(t.panel.requests().size() == 1);
  CHECK(t.alerts() == std::vector<std::string>{"panel_disabled panel:noc"});
  for (const auto& action : t.actions(ActionKind::suspend)) {
    CHECK(action.state == ActionState::pending);
    CHECK(action.attempts == 0);
  }
  CHECK(query(t.database, "SELECT panel, reason FROM panel_status") ==
        std::vector<std::vector<std::string>>{{"noc", "HTTP 410: {}"}});

  t.now += std::chrono::hours(1);
  CHECK(t.drain().claimed == 0);
  CHECK(t.panel.requests().size() == 1);
  // One task in the inbox for the disabled panel, however often the dispatcher looks.
  CHECK(
      query(t.database, "SELECT state FROM tasks WHERE kind = 'panel_disabled' AND subject = 'panel:noc'") ==
      std::vector<std::vector<std::string>>{{"open"}});
}

// A dispatcher died holding a suspension; the customer paid before its lease ran out. The
// next dispatcher takes the action over and cancels it instead of suspending a paid service.
TEST_CASE("a claimed suspension whose episode ended meanwhile is cancelled, not sent", "[dispatch]") {
  PanelCase t([](const FakeRequest&) { return answer(200); });
  store::in_transaction(t.store(),
                        [&] { t.store().claim_actions(t.now, "died", t.now + seconds(300), 10, {}); });
  t.import(service::ImportKind::payments,
           "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
           "p1,i1,49.90,BRL,pix,bank,E2E-1,confirmed,2026-03-03\n");
  t.now += seconds(301);
  CHECK(t.drain().cancelled == 1);
  CHECK(t.panel.requests().empty());
  const auto action = t.only(ActionKind::suspend);
  CHECK(action.state == ActionState::cancelled);
  CHECK(action.last_error == "episode 1 ended before it went out: nothing is overdue any more");
  CHECK(t.service_state("s1") == ServiceState::active);
}

// The customer paid while the suspension was on its way to the panel: its yes still suspends
// the service (the panel did it), and the unsuspension follows at once.
TEST_CASE("a suspension acknowledged after the episode ended is undone", "[dispatch]") {
  std::unique_ptr<store::Store> billing;  // a second connection, as the HTTP API would have
  const OutboxFixture* book = nullptr;
  PanelCase t([&](const FakeRequest& request) {
    if (nlohmann::json::parse(request.body)["type"] != "service.suspend") return answer(200);
    const auto report =
        service::import_text(*billing, book->policy(), service::ImportKind::payments,
                             "id,invoice_id,amount,currency,method,source,reference,status,"
                             "received_on\np1,i1,49.90,BRL,pix,bank,E2E-1,confirmed,2026-03-03\n",
                             "payments.csv", book->now, "bank:pix");
    return answer(report ? 200 : 599);
  });
  book = &t;
  billing = store::open_store(t.database);

  CHECK(t.drain().done == 2);
  const auto requests = t.panel.requests();
  REQUIRE(requests.size() == 2);
  CHECK(nlohmann::json::parse(requests[1].body)["type"] == "service.unsuspend");
  CHECK(requests[1].header("webhook-id") == "c1:e1:end:unsuspend:s1");
  CHECK(t.service_state("s1") == ServiceState::active);
  CHECK(t.only(ActionKind::unsuspend).state == ActionState::done);
}

// A slow panel (one call at a time, 100 ms each) fills its own lane only: the SMS of the same
// walk all go out while the suspensions still trickle through.
TEST_CASE("a slow panel does not hold up the notices", "[dispatch]") {
  FakePanel gateway([](const FakeRequest&) { return FakeResponse{200, {}, "{}", {}}; });
  PanelCase t(
      [](const FakeRequest&) {
        return FakeResponse{200, {}, "{}", std::chrono::milliseconds(100)};
      },
      one_stage_policy("[sms]"));
  std::string people = "id,name,email,phone,locale\n";
  std::string services = "id,customer_id,kind,panel,account\n";
  std::string invoices = "id,customer_id,services,amount,currency,due_on\n";
  for (int i = 2; i <= 20; ++i) {
    people += fmt::format("c{0},Customer {0},c{0}@example.com,+5511{0:09},en\n", i);
    services += fmt::format("s{0},c{0},hosting,noc,acct{0}\n", i);
    invoices += fmt::format("i{0},c{0},s{0},10.00,BRL,2026-03-02\n", i);
  }
  t.import(service::ImportKind::customers, people);
  t.import(service::ImportKind::services, services);
  t.import(service::ImportKind::invoices, invoices);
  t.walk();
  auto outbound = t.webhook_outbound(t.panel.url() + "/hook", 1);
  outbound.sms =
      notify::SmsConfig{gateway.url() + "/sms", "POST", "", R"({"to": "{{phone}}", "text": "{{text}}"})"};
  dispatch::Dispatcher dispatcher(t.io, t.store(), outbound, t.options());
  const auto counts = dispatcher.drain_until_empty();
  CHECK(counts.done == 40);

  // The order the outcomes were written in: the last SMS came before most suspensions.
  std::vector<std::string> done;
  for (int c = 1; c <= 20; ++c) {
    for (const auto& e : t.store().audit_of(fmt::format("customer:c{}", c))) {
      if (e.event == "action_done")
        done.push_back(
            fmt::format("{:08} {}", e.id, nlohmann::json::parse(e.details)["action"].get<std::string>()));
    }
  }
  std::sort(done.begin(), done.end());
  int suspensions_before_last_sms = 0;
  int suspensions = 0;
  for (const auto& line : done) {
    if (line.find(":suspend:suspend:") != std::string::npos) ++suspensions;
    if (line.find(":notify:sms:") != std::string::npos) suspensions_before_last_sms = suspensions;
  }
  CHECK(suspensions == 20);
  CHECK(suspensions_before_last_sms <= 3);
}

// The daemon's way: start() on the daemon's io_context delivers what is due and what wake()
// announces; stop() lets the call in flight finish, hands back what waits, and says when done.
// As in the daemon, the dispatcher has a connection of its own (its store thread uses it while
// the test reads through the fixture's).
TEST_CASE("a started dispatcher delivers, wakes up for new work and stops cleanly", "[dispatch]") {
  PanelCase t([](const FakeRequest&) { return FakeResponse{200, {}, "{}", std::chrono::milliseconds(150)}; });
  auto options = t.options();
  options.poll_interval = std::chrono::hours(1);  // only start() and wake() make it look
  const auto own_store = store::open_store(t.database);
  dispatch::Dispatcher dispatcher(t.io, *own_store, t.webhook_outbound(t.panel.url() + "/hook", 1), options);
  const auto run_until = [&](const std::function<bool()>& done) {
    for (int i = 0; i < 500 && !done(); ++i) t.io.run_for(std::chrono::milliseconds(10));
    return done();
  };
  const auto done_count = [&] {
    store::ActionFilter filter;
    filter.state = ActionState::done;
    return t.store().actions(filter).size();
  };

  dispatcher.start();
  REQUIRE(run_until([&] { return done_count() == 1; }));

  std::string people = "id,name,email\n";
  std::string services = "id,customer_id,kind,panel,account\n";
  std::string invoices = "id,customer_id,services,amount,currency,due_on\n";
  for (int i = 2; i <= 4; ++i) {
    people += fmt::format("c{0},Customer {0},c{0}@example.com\n", i);
    services += fmt::format("s{0},c{0},hosting,noc,acct{0}\n", i);
    invoices += fmt::format("i{0},c{0},s{0},10.00,BRL,2026-03-02\n", i);
  }
  t.import(service::ImportKind::customers, people);
  t.import(service::ImportKind::services, services);
  t.import(service::ImportKind::invoices, invoices);
  t.walk();
  dispatcher.wake();
  REQUIRE(run_until([&] { return t.panel.requests().size() == 2; }));  // one call in flight, two waiting

  bool stopped = false;
  dispatcher.stop([&] { stopped = true; });
  REQUIRE(run_until([&] { return stopped; }));
  CHECK(done_count() == 2);  // the call in flight was seen through
  store::ActionFilter pending;
  pending.state = ActionState::pending;
  const auto handed_back = t.store().actions(pending);
  CHECK(handed_back.size() == 2);
  for (const auto& action : handed_back) CHECK(action.attempts == 0);
  t.io.run_for(std::chrono::milliseconds(300));
  CHECK(t.panel.requests().size() == 2);  // nothing more after stop
}

// A transaction that waits for SQLite's write lock, held by another connection, waits on the
// dispatcher's store thread, not on the io_context: a timer on the same io_context fires
// meanwhile. Here that timer is what lets the lock go, so with the wait on the loop the
// suspension would only go out after the busy timeout (10 s), as a failed turn and a warning.
// (PostgreSQL claims with SKIP LOCKED: it does not wait there.)
TEST_CASE("a dispatcher waiting for a database lock leaves its io_context free", "[dispatch][sqlite]") {
  PanelCase t([](const FakeRequest&) { return answer(200); });
  const auto own_store = store::open_store(t.database);
  dispatch::Dispatcher dispatcher(t.io, *own_store, t.webhook_outbound(t.panel.url() + "/hook"), t.options());
  t.store().begin();  // BEGIN IMMEDIATE: the write lock, until the timer rolls it back
  bool timer_fired = false;
  bool delivered_before_timer = false;
  boost::asio::steady_timer release(t.io, std::chrono::milliseconds(300));
  release.async_wait([&](const boost::system::error_code&) {
    timer_fired = true;
    delivered_before_timer = !t.panel.requests().empty();
    t.store().rollback();
  });
  const auto counts = dispatcher.drain_until_empty();
  CHECK(timer_fired);
  CHECK_FALSE(delivered_before_timer);
  CHECK(counts.done == 1);
  CHECK(t.service_state("s1") == ServiceState::suspended);
  CHECK(t.log.empty());
}
