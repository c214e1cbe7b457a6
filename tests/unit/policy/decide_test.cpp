// Tests of decide(), the pure dunning decision, walked day by day against a customer kept in
// memory the way the store keeps it (stage runs recorded, notices marked sent when "delivered").
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "policy/decide.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;
using cobrador::policy_tests::service;

namespace {

const char* kLadder = R"(
run_at: "06:00"
min_notice_days: 1
stages:
  - name: reminder
    when: { days_overdue: 3 }
    notify: [email]
    template: payment_reminder
  - name: warning
    when: { days_overdue: 4 }
    notify: [email, sms]
    template: suspension_warning
  - name: suspend
    when: { days_overdue: 5 }
    suspend: billed_services
    notify: [email]
    template: suspended
  - name: lock
    when: { unpaid_invoices: 3 }
    lock: true
    notify: [email]
    template: locked
    purge_after: 30 days
)";

Policy make_policy(const std::string& head = "timezone: UTC\n", const std::string& extra = "") {
  auto policy = parse_policy(head + kLadder + extra, "policy.yaml");
  INFO((policy ? "" : policy.error().message));
  REQUIRE(policy);
  return *policy;
}

CustomerSnapshot make_customer() {
  CustomerSnapshot c;
  c.id = 7;
  c.ext_id = "cus-7";
  c.name = "Ana Silva";
  c.emails = {"ana@example.com", "billing@ana.example"};
  c.phones = {"+5511999990000"};
  c.services = {service(1, "svc-1", ServiceKind::hosting, "whm1", "ana", ServiceState::active)};
  return c;
}

void add_invoice(CustomerSnapshot& c, const char* ext, const char* due, std::int64_t cents = 4990) {
  c.open_invoices.push_back({static_cast<std::int64_t>(c.open_invoices.size() + 1),
                             ext,
                             d(due),
                             Money{cents, *Currency::parse("BRL")},
                             {}});
}

// Plays the store and an always-successful dispatcher: what decide() planned happens.
struct World {
  Policy policy;
  CustomerSnapshot customer;

  // The walk of `day` at the policy's run_at; actions are delivered `delay` later.
  Decision walk(Date day, std::chrono::minutes delay = std::chrono::minutes{5}) {
    const Instant now = policy.instant_at(day, policy.run_at_minute);
    Decision decision = decide(customer, policy, now);
    apply(decision, now + delay);
    return decision;
  }

  void apply(const Decision& decision, Instant delivered_at) {
    if (decision.start_episode) {
      customer.episode = Episode{
          100 + decision.episode_number, decision.episode_number, decision.episode_started_on, {}, {}, ""};
      customer.last_episode_number = decision.episode_number;
    }
    if (decision.end_episode) customer.episode.reset();
    for (const auto& name : decision.stages_run) customer.episode->runs[name] = StageRun{};
    for (const auto& name : decision.stages_superseded) customer.episode->runs[name] = StageRun{{}, true};
    for (const auto& action : decision.actions) {
      if (action.kind == ActionKind::notify) customer.episode->notices[action.stage].sent_at = delivered_at;
      for (auto& service : customer.services) {
        if (service.ext_id != action.target) continue;
        if (action.kind == ActionKind::suspend) {
          service.state = ServiceState::suspended;
          service.suspend_reason = std::string(kNonPayment);
        }
        if (action.kind == ActionKind::unsuspend) service.state = ServiceState::active;
      }
    }
  }

  void pay_all() { customer.open_invoices.clear(); }
};

std::vector<std::string> kinds(const Decision& decision) {
  std::vector<std::string> out;
  for (const auto& action : decision.actions)
    out.push_back(std::string(to_string(action.kind)) + " " + action.target);
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

// The ladder of SPEC §5: reminder on day 3, warning on day 4, suspension on day 5.
TEST_CASE("day 3 reminds, day 4 warns, day 5 suspends", "[decide]") {
  World w{make_policy(), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-02");  // Monday; day 5 is Saturday 7 March, allowed here
  CHECK(w.walk(d("2026-03-03")).actions.empty());
  CHECK(w.walk(d("2026-03-04")).actions.empty());
  const auto day3 = w.walk(d("2026-03-05"));
  CHECK(day3.start_episode);
  CHECK(day3.episode_started_on == d("2026-03-03"));
  CHECK(day3.stages_run == Names{"reminder"});
  CHECK(kinds(day3) == Names{"notify email:ana@example.com"});
  CHECK(day3.actions[0].key == "c7:e1:reminder:notify:email:ana@example.com");
  CHECK(day3.next_evaluation == d("2026-03-06"));
  const auto day4 = w.walk(d("2026-03-06"));
  CHECK(day4.stages_run == Names{"warning"});
  CHECK(kinds(day4) == Names{"notify email:ana@example.com", "notify sms:+5511999990000"});
  const auto day5 = w.walk(d("2026-03-07"));
  CHECK(day5.stages_run == Names{"suspend"});
  CHECK(kinds(day5) == Names{"suspend svc-1", "notify email:ana@example.com"});
  const auto payload = nlohmann::json::parse(day5.actions[0].payload);
  CHECK(payload["type"] == "service.suspend");
  CHECK(payload["reason"] == "non_payment");
  CHECK(payload["mode"] == "full");
  CHECK(payload["service"]["account"] == "ana");
  // Nothing more is due until the lock stage could hold, which needs two more invoices.
  CHECK(day5.next_evaluation == kNever);
  CHECK(w.walk(d("2026-03-08")).actions.empty());
}

// A day-5 suspension on a Friday waits for Monday under no_suspend_on: [fri, sat, sun].
TEST_CASE("a day-5 suspension that falls on a Friday waits for Monday", "[decide]") {
  World w{make_policy("timezone: UTC\nno_suspend_on: [fri, sat, sun]\n"), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-01");  // day 5 = Friday 6 March
  w.walk(d("2026-03-04"));
  w.walk(d("2026-03-05"));
  const auto friday = w.walk(d("2026-03-06"));
  CHECK(friday.actions.empty());
  REQUIRE(friday.explanations.size() == 1);
  CHECK(friday.explanations[0].event == "stage_held");
  CHECK(friday.explanations[0].rule == "no_suspend_on: fri; next look 2026-03-09");
  CHECK(friday.next_evaluation == d("2026-03-09"));
  const auto monday = w.walk(d("2026-03-09"));
  CHECK(monday.stages_run == Names{"suspend"});
  CHECK(kinds(monday).front() == "suspend svc-1");
}

// Holidays listed in the policy hold a suspension like a weekend does.
TEST_CASE("a suspension due on a holiday waits for the next working day", "[decide]") {
  World w{make_policy("timezone: UTC\nno_suspend_on: [sun, holidays]\nholidays: [2026-12-25]\n"),
          make_customer()};
  add_invoice(w.customer, "inv-1", "2026-12-20");
  for (auto day = d("2026-12-23"); day < d("2026-12-25"); day += date::days{1}) w.walk(day);
  const auto christmas = w.walk(d("2026-12-25"));
  CHECK(christmas.actions.empty());
  CHECK(christmas.next_evaluation == d("2026-12-26"));
  CHECK(w.walk(d("2026-12-26")).stages_run == Names{"suspend"});
}

// The daemon was down from day 2 to day 7: the warning goes out first (the reminder is
// superseded), and the suspension only after min_notice_days from the warning's delivery.
TEST_CASE("after an outage the warning goes out first and the suspension waits for fair notice", "[decide]") {
  World w{make_policy(), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-02");
  w.walk(d("2026-03-03"));  // day 1; then nothing runs until day 7
  const auto day7 = w.walk(d("2026-03-09"));
  CHECK(day7.stages_superseded == Names{"reminder"});
  CHECK(day7.stages_run == Names{"warning"});
  CHECK(kinds(day7) == Names{"notify email:ana@example.com", "notify sms:+5511999990000"});
  REQUIRE(day7.explanations.back().event == "stage_held");
  CHECK(day7.explanations.back().rule ==
        "min_notice_days 1: the warning (stage 'warning') has not gone out yet; next look 2026-03-10");
  const auto day8 = w.walk(d("2026-03-10"));
  CHECK(day8.stages_run == Names{"suspend"});
}

// A warning that is still undelivered (dispatcher down) keeps holding the suspension.
TEST_CASE("a suspension waits while the warning has not actually gone out", "[decide]") {
  World w{make_policy(), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-02");
  w.walk(d("2026-03-05"));
  const Instant day4 = w.policy.instant_at(d("2026-03-06"), 360);
  w.apply(decide(w.customer, w.policy, day4), day4);
  // The dispatcher was down: the warning goes out only on day 6 at noon.
  w.customer.episode->notices["warning"] = StageNotices{*parse_instant("2026-03-08T12:00:00Z"), 0, 0};
  const auto day6 = w.walk(d("2026-03-08"));
  CHECK(day6.stages_run.empty());
  CHECK(
      day6.explanations.back().rule ==
      "min_notice_days 1: the warning (stage 'warning') went out 2026-03-08T12:00:00Z; next look 2026-03-09");
  CHECK(w.walk(d("2026-03-09")).stages_run == Names{"suspend"});
}

// Three unpaid invoices reach the lock stage, which takes every service and tells every contact.
TEST_CASE("unpaid_invoices: 3 reaches the lock stage", "[decide]") {
  World w{make_policy(), make_customer()};
  w.customer.services.push_back(service(2, "svc-2", ServiceKind::vps, "da1", "ana2", ServiceState::active));
  add_invoice(w.customer, "inv-1", "2026-01-05");
  w.customer.open_invoices.back().services = {"svc-1"};
  for (auto day = d("2026-01-06"); day <= d("2026-01-10"); day += date::days{1}) w.walk(day);
  CHECK(w.customer.services[0].state == ServiceState::suspended);
  CHECK(w.customer.services[1].state == ServiceState::active);  // billed_services: only svc-1
  add_invoice(w.customer, "inv-2", "2026-02-05");
  add_invoice(w.customer, "inv-3", "2026-03-05");
  CHECK(w.walk(d("2026-03-05")).stages_run.empty());
  const auto lock = w.walk(d("2026-03-06"));
  CHECK(lock.stages_run == Names{"lock"});
  // svc-1, suspended for non-payment already, is locked too (docs/lifecycle.md).
  CHECK(kinds(lock) == Names{"suspend svc-1", "suspend svc-2", "notify email:ana@example.com",
                             "notify email:billing@ana.example"});
  const auto terms = nlohmann::json::parse(lock.actions[0].payload);
  CHECK(terms["lock"] == true);
  CHECK(terms["locked_on"] == "2026-03-06");
  CHECK(terms["purge_date"] == "2026-04-05");
  CHECK(terms["stage"] == "lock");
  // purge_after: 30 days from the lock, for the notice.
  CHECK(nlohmann::json::parse(lock.actions[2].payload)["variables"]["purge_date"] == "2026-04-05");
}

// A payment on day 4 closes the episode: no suspension, no more notices.
TEST_CASE("a payment on day 4 closes the episode and nothing more happens", "[decide]") {
  World w{make_policy(), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-02");
  w.walk(d("2026-03-05"));
  w.walk(d("2026-03-06"));
  w.pay_all();
  const auto paid = decide(w.customer, w.policy, *parse_instant("2026-03-06T15:00:00Z"), Occasion::event);
  CHECK(paid.end_episode);
  CHECK(paid.actions.empty());  // nothing was suspended, nothing to lift
  CHECK(paid.explanations.at(0).rule == "nothing is overdue any more");
  w.apply(paid, {});
  CHECK(paid.next_evaluation == kNever);
  CHECK(w.walk(d("2026-03-07")).actions.empty());
}

// A confirmed payment after the suspension ends the episode and lifts it at once.
TEST_CASE("settling after a suspension queues the unsuspend with the episode's end", "[decide]") {
  World w{make_policy(), make_customer()};
  w.customer.services.push_back(service(2, "svc-2", ServiceKind::phone, "router", "ana-line",
                                        ServiceState::suspended, "abuse report #81"));
  add_invoice(w.customer, "inv-1", "2026-03-02");
  for (auto day = d("2026-03-05"); day <= d("2026-03-07"); day += date::days{1}) w.walk(day);
  w.pay_all();
  const auto paid = decide(w.customer, w.policy, *parse_instant("2026-03-08T02:00:00Z"), Occasion::event);
  CHECK(paid.end_episode);
  // The service suspended by hand keeps its suspension.
  CHECK(kinds(paid) == Names{"unsuspend svc-1"});
  CHECK(paid.actions[0].key == "c7:e1:end:unsuspend:svc-1");
}

// A new invoice that goes overdue after a closed episode starts a new one from the reminder.
TEST_CASE("a new overdue invoice after a closed episode starts again from the reminder", "[decide]") {
  World w{make_policy(), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-02");
  for (auto day = d("2026-03-05"); day <= d("2026-03-07"); day += date::days{1}) w.walk(day);
  w.pay_all();
  w.apply(decide(w.customer, w.policy, *parse_instant("2026-03-08T10:00:00Z"), Occasion::event), {});
  add_invoice(w.customer, "inv-2", "2026-04-02");
  const auto quiet = w.walk(d("2026-04-03"));
  CHECK(quiet.next_evaluation == d("2026-04-05"));
  const auto day3 = w.walk(d("2026-04-05"));
  CHECK(day3.start_episode);
  CHECK(day3.episode_number == 2);
  CHECK(day3.stages_run == Names{"reminder"});
  CHECK(day3.actions.at(0).key == "c7:e2:reminder:notify:email:ana@example.com");
}

// A partial payment changes the balance, not the episode: the ladder goes on where it was.
TEST_CASE("a partial payment neither restarts nor skips a stage", "[decide]") {
  World w{make_policy(), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-02");
  w.walk(d("2026-03-05"));
  w.customer.open_invoices[0].balance.minor = 1000;  // paid 39.90 of 49.90
  const auto event = decide(w.customer, w.policy, *parse_instant("2026-03-05T18:00:00Z"), Occasion::event);
  CHECK_FALSE(event.end_episode);
  CHECK(event.actions.empty());
  CHECK(w.walk(d("2026-03-06")).stages_run == Names{"warning"});
  CHECK(w.walk(d("2026-03-07")).stages_run == Names{"suspend"});
}

// exempt_until in the future keeps the suspension away; notices still go out.
TEST_CASE("exempt_until holds the suspension until the day after", "[decide]") {
  World w{make_policy(), make_customer()};
  w.customer.exempt_until = d("2026-03-10");
  add_invoice(w.customer, "inv-1", "2026-03-02");
  CHECK(w.walk(d("2026-03-05")).stages_run == Names{"reminder"});
  CHECK(w.walk(d("2026-03-06")).stages_run == Names{"warning"});
  const auto held = w.walk(d("2026-03-07"));
  CHECK(held.actions.empty());
  CHECK(held.explanations.back().rule == "exempt_until 2026-03-10; next look 2026-03-11");
  CHECK(held.next_evaluation == d("2026-03-11"));
  CHECK(w.walk(d("2026-03-11")).stages_run == Names{"suspend"});
}

// The no-dunning tag keeps a customer out of dunning entirely; tags_exclude skips a stage.
TEST_CASE("no-dunning and tags_exclude keep stages away", "[decide]") {
  World w{make_policy(), make_customer()};
  w.customer.tags = {"no-dunning"};
  add_invoice(w.customer, "inv-1", "2026-03-02");
  const auto none = w.walk(d("2026-03-09"));
  CHECK(none.actions.empty());
  CHECK(none.next_evaluation == kNever);
  REQUIRE(none.explanations.size() == 1);
  CHECK(none.explanations[0].event == "dunning_exempt");
  CHECK(none.explanations[0].rule == "tag no-dunning: no stage runs while it is on");

  Policy vip = make_policy("timezone: UTC\n");
  vip.stages[2].when.tags_exclude = {"vip"};
  World v{vip, make_customer()};
  v.customer.tags = {"vip"};
  add_invoice(v.customer, "inv-1", "2026-03-02");
  for (auto day = d("2026-03-05"); day <= d("2026-03-12"); day += date::days{1}) {
    for (const auto& action : v.walk(day).actions) CHECK(action.kind == ActionKind::notify);
  }
  CHECK(v.customer.services[0].state == ServiceState::active);
}

// In São Paulo (UTC-3) a walk at 01:00 UTC on the 10th is still the 9th: an invoice due on
// the 6th is on day 3, not day 4.
TEST_CASE("today is the policy zone's date even when UTC has moved on", "[decide]") {
  World w{make_policy("timezone: America/Sao_Paulo\n"), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-06");
  const auto decision = decide(w.customer, w.policy, *parse_instant("2026-03-10T01:00:00Z"));
  CHECK(decision.stages_run == Names{"reminder"});
  const auto utc = decide(w.customer, make_policy("timezone: UTC\n"), *parse_instant("2026-03-10T01:00:00Z"));
  CHECK(utc.stages_run == Names{"warning"});
}

// On the day clocks spring forward (23-hour day) the ladder counts calendar days, and a walk
// at run_at lands on the right local day.
TEST_CASE("a DST change day counts as one calendar day", "[decide]") {
  World w{make_policy("timezone: America/New_York\n"), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-05");  // day 3 = 8 March, the spring-forward day
  w.walk(d("2026-03-07"));
  const auto dst = w.walk(d("2026-03-08"));
  CHECK(format_instant(w.policy.instant_at(d("2026-03-08"), w.policy.run_at_minute)) ==
        "2026-03-08T10:00:00Z");
  CHECK(dst.stages_run == Names{"reminder"});
  CHECK(w.walk(d("2026-03-09")).stages_run == Names{"warning"});
  // 23:30 local on 9 March is 03:30 UTC on the 10th: still day 4, nothing new.
  CHECK(decide(w.customer, w.policy, *parse_instant("2026-03-10T03:30:00Z")).stages_run.empty());
  CHECK(w.walk(d("2026-03-10")).stages_run == Names{"suspend"});
}

// SMS inside quiet hours waits for the window to open; e-mail is not held.
TEST_CASE("an SMS decided in quiet hours is held until the window opens", "[decide]") {
  Policy policy = make_policy("timezone: UTC\nquiet_hours: { sms: \"21:00-08:00\" }\n");
  CustomerSnapshot c = make_customer();
  add_invoice(c, "inv-1", "2026-03-02");
  c.episode = Episode{
      1, 1, d("2026-03-03"), {{"reminder", {}}}, {{"reminder", {*parse_instant("2026-03-05T06:05:00Z")}}},
      ""};
  c.last_episode_number = 1;
  const auto late = decide(c, policy, *parse_instant("2026-03-06T22:00:00Z"));
  REQUIRE(kinds(late) == Names{"notify email:ana@example.com", "notify sms:+5511999990000"});
  CHECK(format_instant(late.actions[0].not_before) == "2026-03-06T22:00:00Z");
  CHECK(format_instant(late.actions[1].not_before) == "2026-03-07T08:00:00Z");
}

// A notice tells what is owed, by when and what comes next.
TEST_CASE("notice variables say what is owed and what happens next", "[decide]") {
  World w{make_policy("timezone: UTC\nno_suspend_on: [sat, sun]\n"), make_customer()};
  add_invoice(w.customer, "inv-1", "2026-03-02", 4990);
  add_invoice(w.customer, "inv-2", "2026-03-04", 1000);
  const auto day4 = w.walk(d("2026-03-06"));
  REQUIRE(day4.stages_run == Names{"warning"});
  const auto vars = nlohmann::json::parse(day4.actions[0].payload)["variables"];
  CHECK(vars["amount_due"] == "59.90 BRL");
  CHECK(vars["due_date"] == "2026-03-02");
  CHECK(vars["days_overdue"] == "4");
  CHECK(vars["invoices"] == "inv-1, inv-2");
  CHECK(vars["next_step"] == "suspend");
  CHECK(vars["next_step_date"] == "2026-03-09");  // day 5 is Saturday: Monday
}
