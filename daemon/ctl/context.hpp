// What every cobradorctl command shares: the -c and --json options, and the config, policy
// and store, opened only when a command needs them.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "policy/policy.hpp"
#include "store/checkpointer.hpp"
#include "store/store.hpp"
#include "util/progress.hpp"

namespace cobrador::ctl {

// A failure to report to the operator: printed as "cobradorctl: message", exit code 1.
struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Context {
 public:
  std::string config_option;
  bool json = false;

  const config::Config& config();
  const policy::Policy& policy();
  store::Store& store();
  // For long writes (an import, a walk): from now on the store's write-ahead log is copied into
  // the database by a thread and connection of their own, as the daemon's API does, instead of
  // by the commits of the command's thread. Returns `shown` for the work's Progress, which it
  // calls between two transactions, wrapped so that it first lets the checkpoint thread copy
  // and starts the log over once it is long; on PostgreSQL, which checkpoints by itself, `shown`.
  Progress checkpoint_aside(Progress shown);
  // The operator running the command, for the audit trail: operator:<login name>.
  std::string actor() const;

  // Prints a result: `json` as JSON with --json, else `text` for people.
  void print(const nlohmann::json& json, const std::string& text) const;

 private:
  std::unique_ptr<config::Config> config_;
  std::unique_ptr<policy::Policy> policy_;
  std::unique_ptr<store::Store> store_;
  store::Upkeep* upkeep_ = nullptr;  // store_'s, on SQLite
  // After store_: it ends first, and the store's connection, closing last, ends the log.
  std::unique_ptr<store::CheckpointsAside> aside_;
};

// Parses YYYY-MM-DD from an option, or throws CommandError naming the option.
Date date_option(const std::string& text, const std::string& option);

// Accepts what util/text_encoding's encoding_named knows (--encoding on import and bank import).
CLI::Validator encoding_validator();

void add_import_command(CLI::App& app, Context& ctx);
void add_walk_commands(CLI::App& app, Context& ctx);
void add_show_commands(CLI::App& app, Context& ctx);
void add_dispatch_commands(CLI::App& app, Context& ctx);
void add_suspension_commands(CLI::App& app, Context& ctx);  // suspend|unsuspend by hand
void add_trust_commands(CLI::App& app, Context& ctx);       // trust-release, payment confirm|reject
// `list promises` and `list claims` (the list command lives in show_commands.cpp).
void list_promises(Context& ctx);
void list_claims(Context& ctx);
void add_lifecycle_commands(CLI::App& app, Context& ctx);  // cancel, reactivate, export, report
void list_cancellations(Context& ctx);                     // `list cancellations`
void add_db_commands(CLI::App& app, Context& ctx);         // db copy --to postgresql://…
void add_desk_commands(CLI::App& app, Context& ctx);       // tasks, task done|dismiss, contact
void add_sync_command(CLI::App& app, Context& ctx);        // sync [SOURCE] [--dry-run] [--status]

}  // namespace cobrador::ctl
