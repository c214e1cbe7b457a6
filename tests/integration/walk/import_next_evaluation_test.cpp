// The next evaluation day an import sets (issue 20): after `cobradorctl import` each changed
// customer is decided once and keeps the day the policy gives (never, a stage's first day, or
// the next walk), so that a walk evaluates only the customers who can have something due. The
// property: on generated books, walking only the due customers writes exactly what walking
// every customer writes, day after day, with payments imported on the way; and walking in small
// batches writes what walking in one batch writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include <fmt/format.h>

#include "policy/policy.hpp"
#include "service/import.hpp"
#include "store/backends/open_store.hpp"
#include "store/store.hpp"
#include "support/sanitized.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "walk/walk.hpp"

using namespace cobrador;

namespace import_next_evaluation_test {

const Date kFirstDay = *parse_date("2026-03-01");
constexpr int kDays = 30;
constexpr int kCustomers = 30;

// The files of one generated book: customers with tags and exemptions now and then, one or
// two services, up to four invoices due from 40 days before the first day to 20 after it, some
// paid or void, and payments that arrive on later days (some whole, some partial).
struct GeneratedBook {
  std::string customers = "id,name,email,phone,locale,tags,exempt_until\n";
  std::string services = "id,customer_id,kind,panel,account\n";
  std::string invoices = "id,customer_id,services,amount,currency,issued_on,due_on,status\n";
  std::map<int, std::string> payments_on_day;  // day index → rows

  explicit GeneratedBook(unsigned seed, int customer_count = kCustomers) {
    std::mt19937 random(seed);
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    const char* tags[] = {"", "", "", "vip", "no-dunning"};
    const char* statuses[] = {"open", "open", "open", "paid", "void"};
    for (int c = 1; c <= customer_count; ++c) {
      const std::string exempt = pick(8) == 0 ? format_date(kFirstDay + date::days{pick(20)}) : std::string();
      customers += fmt::format("c{0},Customer {0},c{0}@example.com,+5511900000{0:03},pt-BR,{1},{2}\n", c,
                               tags[pick(5)], exempt);
      const int owned = 1 + pick(2);
      for (int s = 1; s <= owned; ++s)
        services += fmt::format("s{0}-{1},c{0},hosting,whm1,acct{0}{1}\n", c, s);
      const int count = pick(5);
      for (int i = 1; i <= count; ++i) {
        const Date due = kFirstDay + date::days{pick(60) - 40};
        const int cents = 1000 + pick(9000);
        invoices +=
            fmt::format("i{0}-{1},c{0},s{0}-1,{2}.{3:02},BRL,{4},{5},{6}\n", c, i, cents / 100, cents % 100,
                        format_date(due - date::days{10}), format_date(due), statuses[pick(5)]);
        if (pick(3) == 0) {
          const int day = pick(kDays);
          const int paid = pick(2) == 0 ? cents : cents / 2;
          payments_on_day[day] +=
              fmt::format("p{0}-{1},i{0}-{1},{2}.{3:02},BRL,pix,bank,E2E,confirmed,{4}\n", c, i, paid / 100,
                          paid % 100, format_date(kFirstDay + date::days{day}));
        }
      }
    }
  }
};

// One database fed the book; `walk_everyone` makes every customer due before each walk, which
// goes in batches of `batch_size` customers (a batch reads its snapshots together and, on
// PostgreSQL, writes each table's rows in one statement).
class Book {
 public:
  Book(const testing::TempDir& dir, const std::string& name, bool walk_everyone, int batch_size)
      : database_(testing::fresh_database(dir.path(), name)),
        store_(store::open_store(database_)),
        policy_(*policy::load_policy(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml")),
        walk_everyone_(walk_everyone),
        batch_size_(batch_size) {}

  void import(service::ImportKind kind, const std::string& text, Date day) {
    const auto report =
        service::import_text(*store_, policy_, kind, text, "book.csv", at(day, 5 * 60), "operator:test");
    INFO((report ? "" : report.error().message));
    REQUIRE(report);
  }

  void walk(Date day) {
    if (walk_everyone_) testing::query(database_, "UPDATE customers SET next_eval = 0");
    walk::WalkOptions options;
    options.batch_size = batch_size_;
    walk::walk(*store_, policy_, at(day, 6 * 60), options);
    // The dispatcher, succeeding: what the walk queued goes out a minute after it.
    store::ActionFilter pending;
    pending.state = ActionState::pending;
    store_->begin();
    for (const auto& action : store_->actions(pending)) {
      if (action.next_attempt_at < at(day + date::days{1}, 0))
        store_->complete_action(action.id, action.next_attempt_at + std::chrono::minutes{1}, "250 OK");
    }
    store_->commit();
  }

  // What the walks and imports wrote that a customer or an operator sees: the outbox, the
  // audit trail, episodes and stage runs (ids left out: the two books number alike anyway).
  std::multiset<std::string> written() const {
    std::multiset<std::string> out;
    const auto add = [&](std::string_view table, std::string_view sql) {
      for (const auto& row : testing::query(database_, sql)) {
        std::string line(table);
        for (const auto& value : row) line += " | " + value;
        out.insert(line);
      }
    };
    add("action", "SELECT key, kind, target, state, payload, created_at FROM actions");
    // Two events say why nothing happens, each time the customer is decided: a customer tagged
    // no-dunning is exempt (said when a stage would run, then never looked at again), a
    // suspension is held (looked at again on the day it may go ahead). A walk of every customer
    // every day also decides them on days the policy knew nothing could happen, and says why
    // with that day's reason (overdue but exempt, a Saturday). What happened is in the other rows.
    add("audit",
        "SELECT at, actor, subject, event, details FROM audit WHERE event NOT IN ('dunning_exempt', "
        "'stage_held')");
    add("episode", "SELECT customer_id, number, started_on, ended_at, end_reason FROM episodes");
    add("stage_run", "SELECT episode_id, stage, ran_on, superseded FROM stage_runs");
    add("alert", "SELECT kind, subject, message FROM alerts");
    return out;
  }

  const std::string& database() const { return database_; }

  // How many customers the next walk on `day` looks at.
  std::string due_on(Date day) const {
    return testing::query(database_, "SELECT COUNT(*) FROM customers WHERE next_eval <= $1",
                          {std::to_string(to_day_number(day))})
        .at(0)
        .at(0);
  }

 private:
  Instant at(Date day, int minute) const { return policy_.instant_at(day, minute); }

  std::string database_;
  std::unique_ptr<store::Store> store_;
  policy::Policy policy_;
  bool walk_everyone_;
  int batch_size_;
};

// The lines of `a` that `b` lacks, one a line.
std::string difference(const std::multiset<std::string>& a, const std::multiset<std::string>& b) {
  std::vector<std::string> lines;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(lines));
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

TEST_CASE("walking only the customers an import made due writes what walking everyone writes", "[walk]") {
  // A book walked 30 days twice is about half a second of a release build on SQLite; under
  // ASan and on PostgreSQL several times that, so fewer books there.
  const unsigned seeds =
      testing::testing_postgresql() ? (testing::kSanitized ? 1 : 3) : (testing::kSanitized ? 3 : 12);
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    const GeneratedBook generated(seed);
    testing::TempDir dir;
    // Batches of 7 against one batch of all: a row written for the wrong customer of a batch
    // (an episode's id, a new action's key) differs between the two.
    Book due(dir, "due", false, 7);
    Book everyone(dir, "everyone", true, 1000);
    for (auto* book : {&due, &everyone}) {
      book->import(service::ImportKind::customers, generated.customers, kFirstDay);
      book->import(service::ImportKind::services, generated.services, kFirstDay);
      book->import(service::ImportKind::invoices, generated.invoices, kFirstDay);
    }
    std::size_t looked_at = 0;
    for (int d = 0; d < kDays; ++d) {
      const Date day = kFirstDay + date::days{d};
      looked_at += std::stoul(due.due_on(day));
      for (auto* book : {&due, &everyone}) {
        if (const auto payments = generated.payments_on_day.find(d);
            payments != generated.payments_on_day.end())
          book->import(
              service::ImportKind::payments,
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n" + payments->second,
              day);
        book->walk(day);
      }
      const auto only_due = difference(due.written(), everyone.written());
      const auto only_everyone = difference(everyone.written(), due.written());
      INFO("seed " << seed << ", " << format_date(day) << "\nwritten only when walking the due customers:\n"
                   << only_due << "\nwritten only when walking every customer:\n"
                   << only_everyone);
      REQUIRE(only_due.empty());
      REQUIRE(only_everyone.empty());
    }
    // The property means something only if the import left most customers out of most walks.
    INFO("seed " << seed);
    CHECK(looked_at < static_cast<std::size_t>(kCustomers * kDays) / 2);
  }
}

// On SQLite a walk's batch is decided on a thread of its own, a piece at a time, while the
// pieces before are written (walk.cpp, decide_then_write); a batch smaller than two pieces is
// decided whole first. Both ways must write the same rows, every day.
TEST_CASE("a batch decided while it is written writes what a batch decided first writes", "[walk]") {
  const GeneratedBook generated(7, 400);
  testing::TempDir dir;
  Book small(dir, "small", true, 7);
  Book whole(dir, "whole", true, 1000);
  for (auto* book : {&small, &whole}) {
    book->import(service::ImportKind::customers, generated.customers, kFirstDay);
    book->import(service::ImportKind::services, generated.services, kFirstDay);
    book->import(service::ImportKind::invoices, generated.invoices, kFirstDay);
  }
  std::size_t actions = 0;
  for (int d = 0; d < 8; ++d) {
    const Date day = kFirstDay + date::days{d};
    for (auto* book : {&small, &whole}) book->walk(day);
    const auto only_small = difference(small.written(), whole.written());
    const auto only_whole = difference(whole.written(), small.written());
    INFO(format_date(day) << "\nwritten only in batches of 7:\n"
                          << only_small << "\nwritten only in one batch:\n"
                          << only_whole);
    REQUIRE(only_small.empty());
    REQUIRE(only_whole.empty());
    actions = std::stoul(testing::query(whole.database(), "SELECT COUNT(*) FROM actions").at(0).at(0));
  }
  // Hundreds of customers decided, so that the batch of all went in many pieces.
  CHECK(actions > 200);
}

}  // namespace import_next_evaluation_test
