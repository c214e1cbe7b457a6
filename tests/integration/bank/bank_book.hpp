// A billing book on a real database (either store: support/test_database.hpp) for the bank-import tests: the
// shipped policy (with optional extra lines), customers, services and invoices imported through the service
// layer, a walk that really suspends (the dispatcher played by completing actions), and
// cobradorctl run as a real process on the same database.
#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "domain/date.hpp"
#include "policy/policy.hpp"
#include "service/import.hpp"
#include "store/store.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "walk/walk.hpp"
#include "store/backends/open_store.hpp"

namespace cobrador::testing {

inline std::string bank_fixture(const std::string& relative) {
  return read_file(std::string(COBRADOR_FIXTURES_DIR) + "/" + relative);
}

class BankBook {
 public:
  // `policy_edit` is applied to etc/policy.yaml with replace (from -> to), e.g. to add
  // payments.match_tolerance.
  explicit BankBook(const std::string& from = "", const std::string& to = "") {
    auto text = read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml");
    if (!from.empty()) {
      const auto at = text.find(from);
      REQUIRE(at != std::string::npos);
      text.replace(at, from.size(), to);
    }
    dir_.write("policy.yaml", text);
    database_ = fresh_database(dir_.path());
    config_ = dir_.write("cobrador.yaml", "database: \"" + database_ + "\"\npolicy: policy.yaml\n").string();
    auto loaded = policy::load_policy((dir_ / "policy.yaml").string());
    INFO((loaded ? "" : loaded.error().message));
    REQUIRE(loaded);
    policy_ = std::make_unique<policy::Policy>(std::move(*loaded));
    store_ = store::open_store(database_);
  }

  void import(service::ImportKind kind, const std::string& csv) {
    const auto name = "seed" + std::to_string(++seeds_) + ".csv";
    const auto report = service::import_file(*store_, *policy_, kind, dir_.write(name, csv).string(),
                                             at_day("2026-03-01"), "operator:test");
    INFO((report ? "" : report.error().message));
    REQUIRE(report);
  }

  // The daily walk from `first` to `last`, everything it queues delivered at once.
  void walk_days(const char* first, const char* last) {
    for (auto day = *parse_date(first); day <= *parse_date(last); day += date::days{1}) {
      walk::walk(*store_, *policy_, policy_->instant_at(day, policy_->run_at_minute));
      deliver();
    }
  }

  void deliver() {
    store::ActionFilter pending;
    pending.state = ActionState::pending;
    store_->begin();
    for (const auto& action : store_->actions(pending)) {
      store_->complete_action(action.id, action.next_attempt_at + std::chrono::minutes{1}, "250 OK");
    }
    store_->commit();
  }

  // cobradorctl -c <config> args..., its clock at `now`.
  ProcessResult ctl(std::vector<std::string> args, const std::string& now = "2026-03-10T12:00:00Z") {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config_});
    return run_process(args, {{"COBRADOR_NOW", now}});
  }

  std::string file(const std::string& name, const std::string& content) {
    return dir_.write(name, content).string();
  }

  // The first value of the first row `sql` gives, read through a connection of its own.
  std::int64_t count(const std::string& sql) { return std::stoll(text(sql)); }
  std::string text(const std::string& sql) {
    const auto rows = query(database_, sql);
    REQUIRE(!rows.empty());
    return rows[0][0];
  }
  // Every row `sql` gives, each value as text.
  std::vector<std::vector<std::string>> rows(const std::string& sql) { return query(database_, sql); }

  Instant at_day(const char* day) { return policy_->instant_at(*parse_date(day), 12 * 60); }
  store::Store& store() { return *store_; }
  const policy::Policy& policy() const { return *policy_; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  TempDir dir_;
  std::string database_;
  std::string config_;
  std::unique_ptr<policy::Policy> policy_;
  std::unique_ptr<store::Store> store_;
  int seeds_ = 0;
};

}  // namespace cobrador::testing
