// `cobradorctl db copy --to postgresql://…` run as a real process: a SQLite database with rows
// in every table, made by real imports, a real walk and SQL for the rest, arrives whole in a
// fresh PostgreSQL database; a second copy, a password in the URI and a bad row are refused,
// and a refused copy leaves nothing behind.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Site {
  TempDir dir;
  std::string config;
  std::string sqlite;

  Site() {
    dir.write("policy.yaml", read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml"));
    config = dir.write("cobrador.yaml", "database: var/cobrador.db\npolicy: policy.yaml\n").string();
    std::filesystem::create_directories(dir / "var");
    sqlite = (dir / "var/cobrador.db").string();
  }

  ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config});
    return run_process(args, {{"COBRADOR_NOW", "2026-03-05T12:00:00Z"}});
  }

  void import(const std::string& kind, const std::string& csv) {
    const auto result = run({"import", kind, dir.write(kind + ".csv", csv).string()});
    REQUIRE(result.err == "");
    REQUIRE(result.exit_code == 0);
  }

  void sql(const std::string& statement, const std::vector<std::string>& params = {}) {
    query(sqlite, statement, params);
  }

  std::vector<std::string> tables() {
    std::vector<std::string> names;
    for (const auto& row :
         query(sqlite,
               "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
               "AND name NOT LIKE 'sqlite_%' AND name <> 'customers_search_pending' ORDER BY name")) {
      names.push_back(row[0]);
    }
    return names;
  }

  // Every row of a table, columns as SQLite lists them, in a stable order.
  Rows all_rows(const std::string& database, const std::string& table) {
    std::string columns;
    for (const auto& row : query(sqlite, "SELECT name FROM pragma_table_info($1) ORDER BY cid", {table})) {
      columns += (columns.empty() ? "" : ", ") + ("\"" + row[0] + "\"");
    }
    return query(database, "SELECT " + columns + " FROM \"" + table + "\" ORDER BY 1, 2");
  }
};

// Customers, services, invoices and payments through the importer; the walk adds an
// episode, its stage run, an outbox action, audit rows and the walk itself.
void fill_through_the_cli(Site& site) {
  site.import("customers",
              "id,name,email,phone,locale,customer_since,tags\n"
              "c1,Ana,ana@example.com,+5511999990000,pt-BR,2024-01-10,vip\n"
              "c2,\"Zé \"\"Aspas\"\" \\ Silva\",ze@example.com,,pt-BR,2025-06-01,\n");
  site.import("services", "id,customer_id,kind,panel,account\ns1,c1,hosting,,ana\ns2,c2,vps,,ze\n");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i1,c1,s1,49.90,BRL,2026-02-20,2026-03-02,open\n"
              "i2,c2,,10.00,BRL,2026-02-01,2026-02-10,open\n");
  site.import("payments",
              "id,invoice_id,amount,currency,status,received_on,method,source,reference\n"
              "p1,i2,10.00,BRL,confirmed,2026-02-09,pix,bank,REF1\n");
  const auto walked = site.run({"walk", "--date", "2026-03-05"});
  REQUIRE(walked.exit_code == 0);
}

// The tables no command above writes, by SQL; a few ids left gaps on purpose, and one text
// holds every character COPY's text format must escape.
void fill_the_rest(Site& site) {
  const std::string c1 = "(SELECT id FROM customers WHERE ext_id = 'c1')";
  const std::string c2 = "(SELECT id FROM customers WHERE ext_id = 'c2')";
  site.sql("UPDATE customers SET tags = $1 WHERE ext_id = 'c2'",
           {"tab\there;new\nline;back\\slash;cr\r;\\N"});
  site.sql("INSERT INTO webhook_receipts (source, webhook_id, received_at) VALUES ('billing', 'msg_1', 1)");
  site.sql("INSERT INTO panel_status (panel, disabled_at, reason) VALUES ('whm', 1, '410 Gone')");
  site.sql(
      "INSERT INTO alerts (id, at, kind, subject, message) VALUES (40, 1, 'dead_action', 'action:1', 'm')");
  site.sql(
      "INSERT INTO bank_imports (id, source, label, format, actor, imported_at) "
      "VALUES (5, 'bank', 'statement.csv', 'csv', 'operator:ana', 1)");
  site.sql(
      "INSERT INTO bank_entries (identity, import_id, origin, booking_date, amount, currency, direction, "
      "status_code, reversal, outcome, explanation, invoice_id, payment_id) VALUES ('e1', 5, "
      "'statement.csv:2', "
      "20500, 1000, 'BRL', 'credit', 'BOOK', 0, 'matched', 'paid i2', "
      "(SELECT id FROM invoices WHERE ext_id = 'i2'), (SELECT id FROM payments WHERE ext_id = 'p1'))");
  site.sql(
      "INSERT INTO promises (customer_id, episode_id, granted_at, granted_on, deadline, granted_by, reason) "
      "VALUES (" +
      c1 + ", (SELECT MIN(id) FROM episodes), 1, 20517, 20520, 'operator:ana', 'by phone')");
  site.sql(
      "INSERT INTO cancellations (service_id, customer_id, requested_at, requested_on, requested_by, "
      "channel, "
      "reason_code, scope, service_end, purge_on) VALUES ((SELECT id FROM services WHERE ext_id = 's2'), " +
      c2 + ", 1, 20500, 'operator:ana', 'phone', 'price', 'total', 20510, 20540)");
  site.sql(
      "INSERT INTO locks (service_id, customer_id, stage, locked_on, locked_at) "
      "VALUES ((SELECT id FROM services WHERE ext_id = 's1'), " +
      c1 + ", 'lock', 20517, 1)");
  site.sql(
      "INSERT INTO charges (customer_id, service_id, kind, amount, currency, reason, created_at, created_by) "
      "VALUES (" +
      c1 +
      ", (SELECT id FROM services WHERE ext_id = 's1'), 'last_chance_backup', 2500, 'BRL', 'backup', 1, "
      "'customer')");
  site.sql("UPDATE services SET recurring_amount = 4990, recurring_currency = 'BRL' WHERE ext_id = 's1'");
  site.sql(
      "INSERT INTO tasks (id, kind, subject, scope, customer_id, title, due_on, created_at, created_by) "
      "VALUES (7, 'ask_cause', 'customer:c1', 'episode:1', " +
      c1 + ", 'Call c1', 20517, 1, 'system')");
  site.sql(
      "INSERT INTO contacts (customer_id, at, channel, direction, outcome, cause, note, operator, task_id) "
      "VALUES (" +
      c1 + ", 1, 'phone', 'outbound', 'reached', 'hardship', 'lost her job', 'operator:ana', 7)");
  site.sql(
      "INSERT INTO cancellation_requests (service_id, customer_id, requested_at, requested_by, contact, "
      "request) "
      "VALUES ((SELECT id FROM services WHERE ext_id = 's1'), " +
      c1 + ", 1, 'operator:ana', 'Ana', '{}')");
  site.sql(
      "INSERT INTO notice_acknowledgements (action_id, customer_id, at, address, source) "
      "VALUES ((SELECT MIN(id) FROM actions), " +
      c1 + ", 1, '127.0.0.1', 'link:notice:1')");
}

}  // namespace

// The whole database arrives: same rows in every table, ids kept, sequences moved past them;
// copying again into the same database is refused by the name of a table that has rows.
TEST_CASE("db copy moves a SQLite database whole into an empty PostgreSQL database", "[store][postgresql]") {
  Site site;
  fill_through_the_cli(site);
  fill_the_rest(site);
  const auto tables = site.tables();
  REQUIRE(tables.size() >= 17);
  for (const auto& table : tables) {
    INFO(table << " needs a row in this test (a table added by a later migration?)");
    REQUIRE(count_rows(site.sqlite, table) != "0");
  }

  const auto target = fresh_database(site.dir.path(), "copy");
  const auto copied = site.run({"--json", "db", "copy", "--to", target});
  REQUIRE(copied.err == "");
  REQUIRE(copied.exit_code == 0);
  const auto report = nlohmann::json::parse(copied.out);
  CHECK(report["tables"].size() == tables.size());
  CHECK(report["tables"][0]["table"] == "customers");  // parents first
  for (const auto& entry : report["tables"]) {
    const auto table = entry["table"].get<std::string>();
    INFO(table);
    CHECK(std::to_string(entry["rows"].get<std::int64_t>()) == count_rows(site.sqlite, table));
    CHECK(count_rows(target, table) == count_rows(site.sqlite, table));
    CHECK(site.all_rows(target, table) == site.all_rows(site.sqlite, table));
  }
  CHECK(query(target, "SELECT tags FROM customers WHERE ext_id = 'c2'") ==
        Rows{{"tab\there;new\nline;back\\slash;cr\r;\\N"}});

  // A new row continues after the highest id copied, not at 1.
  CHECK(query(target,
              "INSERT INTO alerts (at, kind, subject, message) VALUES (2, 'k', 's', 'm') RETURNING id") ==
        Rows{{"41"}});

  const auto again = site.run({"db", "copy", "--to", target});
  CHECK(again.exit_code == 1);
  CHECK(
      again.err ==
      "cobradorctl: the target database is not empty: table customers has rows; db copy fills only an empty "
      "database\n");
  CHECK(count_rows(target, "customers") == "2");
}

// The text report lists each table with its rows.
TEST_CASE("db copy prints a table of row counts", "[store][postgresql]") {
  Site site;
  site.import("customers", "id,name\nc1,Ana\nc2,Bia\n");
  const auto target = fresh_database(site.dir.path(), "text");
  const auto copied = site.run({"db", "copy", "--to", target});
  REQUIRE(copied.exit_code == 0);
  CHECK(copied.out.starts_with("copied " + site.sqlite + " to " + target +
                               ": 4 rows\n"));  // 2 customers, an audit row each
  CHECK_THAT(copied.out, Catch::Contains("\n  customers                   2\n"));
  CHECK_THAT(copied.out, Catch::Contains("\n  audit                       2\n"));
  CHECK_THAT(copied.out, Catch::Contains("\n  locks                       0\n"));
}

// A row PostgreSQL refuses stops the copy with its table and row, and nothing stays written,
// not even the tables copied before it.
TEST_CASE("db copy that fails midway names the row and writes nothing", "[store][postgresql]") {
  Site site;
  site.import("customers", "id,name\nc1,Ana\n");
  site.import(
      "invoices",
      "id,customer_id,amount,currency,due_on\ni1,c1,1.00,BRL,2026-03-02\ni2,c1,2.00,BRL,2026-03-02\n");
  // SQLite keeps a text in an INTEGER column; PostgreSQL's BIGINT does not.
  site.sql("UPDATE invoices SET due_on = 'soon' WHERE ext_id = 'i2'");
  const auto target = fresh_database(site.dir.path(), "half");
  const auto copied = site.run({"db", "copy", "--to", target});
  CHECK(copied.exit_code == 1);
  CHECK_THAT(copied.err, Catch::StartsWith("cobradorctl: copying table invoices, row 2 (id 2): "));
  CHECK_THAT(copied.err, Catch::Contains("\"soon\""));
  CHECK(count_rows(target, "customers") == "0");
  CHECK(count_rows(target, "audit") == "0");
  // Once the row is fixed, the same target takes the copy.
  site.sql("UPDATE invoices SET due_on = 20514 WHERE ext_id = 'i2'");
  CHECK(site.run({"db", "copy", "--to", target}).exit_code == 0);
  CHECK(count_rows(target, "invoices") == "2");
}

// The password never goes inside the URI, and the target must be PostgreSQL.
TEST_CASE("db copy refuses a password in the URI", "[store][postgresql]") {
  Site site;
  site.import("customers", "id,name\nc1,Ana\n");
  const auto target = fresh_database(site.dir.path(), "refusals");
  const auto with_password =
      "postgresql://postgres:s3cret@/" + target.substr(std::string("postgresql:///").size());
  for (const auto& uri : {with_password, target + "&password=s3cret"}) {
    INFO(uri);
    const auto refused = site.run({"db", "copy", "--to", uri});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err ==
          "cobradorctl: --to: the URI holds a password; put the password in a file and pass --password-file "
          "FILE\n");
  }
  CHECK(site.run({"db", "copy", "--to", "/var/lib/cobrador/other.db"}).err ==
        "cobradorctl: --to: expected a postgresql://… URI\n");
  const auto missing = (site.dir / "no.pass").string();
  CHECK(site.run({"db", "copy", "--to", target, "--password-file", missing}).err ==
        "cobradorctl: --password-file: " + missing + ": secret file cannot be read\n");
  // Refused before connecting: not even the migrations ran.
  CHECK(query(target, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'") == Rows{{"0"}});
  // The way that works: the password in a file (the test cluster trusts local users, so here
  // it is only read, not checked).
  const auto password_file = site.dir.write("pg.pass", "s3cret\n").string();
  const auto copied = site.run({"db", "copy", "--to", target, "--password-file", password_file});
  CHECK(copied.err == "");
  CHECK(copied.exit_code == 0);
  CHECK(count_rows(target, "customers") == "1");
}
