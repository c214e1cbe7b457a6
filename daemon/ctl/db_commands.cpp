// `cobradorctl db copy --to URI [--password-file FILE]`: moves the configured SQLite database
// into an empty PostgreSQL database, whole or not at all (store/copy_database).
#include <filesystem>

#include <fmt/format.h>

#include "config/database_uri.hpp"
#include "ctl/context.hpp"
#include "ctl/progress_line.hpp"
#include "store/backends/copy_database.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

// The target must be a PostgreSQL URI that keeps its password out of sight.
void check_target(const std::string& uri) {
  if (!config::is_postgresql_uri(uri)) {
    throw CommandError("--to: expected a postgresql://… URI");
  }
  if (config::uri_has_password(uri)) {
    throw CommandError(
        "--to: the URI holds a password; put the password in a file and pass --password-file FILE");
  }
}

std::string report_text(const store::CopyReport& report, const std::string& from, const std::string& to) {
  std::string text = fmt::format("copied {} to {}: {} rows\n", from, to, report.total_rows());
  for (const auto& table : report.tables) text += fmt::format("  {:<18} {:>10}\n", table.name, table.rows);
  return text;
}

json report_json(const store::CopyReport& report, const std::string& from, const std::string& to) {
  json tables = json::array();
  for (const auto& table : report.tables) tables.push_back({{"table", table.name}, {"rows", table.rows}});
  return {{"from", from}, {"to", to}, {"tables", tables}, {"rows", report.total_rows()}};
}

}  // namespace

void add_db_commands(CLI::App& app, Context& ctx) {
  auto* db = app.add_subcommand("db", "the database itself");
  db->require_subcommand(1);
  auto* copy = db->add_subcommand("copy", "copy the SQLite database whole into an empty PostgreSQL database");
  static std::string to;
  static std::string password_file;
  copy->add_option("--to", to, "the target, postgresql://user@host/db (no password in it)")->required();
  copy->add_option("--password-file", password_file, "a file holding the target's password");
  copy->callback([&ctx] {
    check_target(to);
    const auto& from = ctx.config().database;
    if (config::is_postgresql_uri(from)) {
      throw CommandError("the configured database is already PostgreSQL; db copy copies a SQLite file");
    }
    std::string password;
    if (!password_file.empty()) {
      auto secret = config::read_secret(ctx.config(), std::filesystem::absolute(password_file).string());
      if (!secret) throw CommandError(fmt::format("--password-file: {}", secret.error().message));
      password = std::move(*secret);
    }
    const store::postgres::ConnectionOptions target{to, password, "cobradorctl db copy"};
    ProgressLine line(ctx, "db copy", "rows");
    auto report = store::copy_sqlite_to_postgresql(from, target, line.progress());
    line.finish();
    if (!report) throw CommandError(report.error().message);
    ctx.print(report_json(*report, from, to), report_text(*report, from, to));
  });
}

}  // namespace cobrador::ctl
