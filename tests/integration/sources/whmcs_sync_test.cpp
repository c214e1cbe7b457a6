// `cobradorctl sync` against a WHMCS stand-in that answers as WHMCS's API documentation shows
// (issue 24): the first pass reads the book page by page and writes it through the import, a
// second pass changes nothing, an invoice paid in WHMCS ends the episode and the suspension is
// lifted through ModuleUnsuspend, a failing page leaves the book as it was, and wrong
// credentials are named plainly. The real cobradorctl runs with a pinned clock; the outbox is
// drained by the real dispatcher, whose WHMCS panel calls the same stand-in.
#include <catch2/catch.hpp>

#include <filesystem>

#include <fmt/format.h>

#include "integration/daemon/daemon_process.hpp"
#include "integration/sources/whmcs_standin.hpp"
#include "support/has_text.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador::testing;
using nlohmann::json;

namespace whmcs_sync_test {

constexpr const char* kPolicy =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: suspend\n    when: { days_overdue: 5 }\n    suspend: billed_services\n"
    "    notify: []\n    template: suspended\n";

// An installation whose book comes from WHMCS (source w1, two rows a page) and whose
// suspensions go through WHMCS's module calls (panel billing).
struct Site {
  explicit Site(const WhmcsStandIn& whmcs, const std::string& secret = WhmcsStandIn::kSecret) {
    dir.write("policy.yaml", kPolicy);
    dir.write("whmcs.identifier", std::string(WhmcsStandIn::kIdentifier) + "\n");
    dir.write("whmcs.secret", secret + "\n");
    std::filesystem::create_directories(dir / "var");
    database = fresh_database(dir / "var");
    config =
        dir.write("cobrador.yaml",
                  fmt::format("database: \"{0}\"\npolicy: policy.yaml\ntemplates: {1}/etc/templates\nlisten: "
                              "127.0.0.1:0\n"
                              "panels:\n"
                              "  billing: {{ type: whmcs, url: \"{2}\", identifier_file: whmcs.identifier, "
                              "secret_file: whmcs.secret }}\n"
                              "sources:\n"
                              "  w1:\n    type: whmcs\n    url: \"{2}/\"\n"
                              "    identifier_file: whmcs.identifier\n    secret_file: whmcs.secret\n"
                              "    page_size: 2\n    default_panel: billing\n"
                              "    products:\n      \"3\": {{ kind: vps }}\n",
                              database, COBRADOR_SOURCE_DIR, whmcs.url()))
            .string();
  }

  ProcessResult ctl(std::vector<std::string> args, const std::string& day) const {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config});
    return run_process(args, {{"COBRADOR_NOW", day + "T12:00:00Z"}});
  }

  json ok_json(std::vector<std::string> args, const std::string& day) const {
    args.insert(args.begin(), "--json");
    const auto result = ctl(args, day);
    INFO(fmt::format("cobradorctl {}\nstdout: {}\nstderr: {}", fmt::join(args, " "), result.out, result.err));
    REQUIRE(result.exit_code == 0);
    return json::parse(result.out);
  }

  std::string one(const std::string& sql) const { return query(database, sql).at(0).at(0); }

  TempDir dir;
  std::string database;
  std::string config;
};

// Every row of the book, as a comparable text.
std::vector<std::vector<std::string>> book_of(const Site& site) {
  auto rows =
      query(site.database,
            "SELECT 'c', ext_id, name, emails, phones, locale, '' FROM customers UNION ALL "
            "SELECT 's', s.ext_id, c.ext_id, s.kind, s.panel, s.account, s.state FROM services s JOIN "
            "customers c ON c.id = s.customer_id UNION ALL "
            "SELECT 'i', i.ext_id, c.ext_id, i.services, CAST(i.amount AS TEXT), i.currency, i.status "
            "FROM invoices i JOIN customers c ON c.id = i.customer_id");
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace whmcs_sync_test

using namespace whmcs_sync_test;

TEST_CASE(
    "whmcs sync: a first pass reads 3 clients, 5 services and 7 invoices page by page, a second changes "
    "nothing",
    "[sources][whmcs]") {
  WhmcsStandIn whmcs;
  const Site site(whmcs);
  const auto first = site.ok_json({"sync"}, "2026-12-01");
  REQUIRE(first.size() == 1);
  CHECK(first[0]["source"] == "w1");
  CHECK(first[0]["customers"] == 3);
  CHECK(first[0]["services"] == 5);
  CHECK(first[0]["invoices"] == 7);
  CHECK(first[0]["rows_read"] == 15);
  CHECK(first[0]["rows_changed"] == 15);
  CHECK(first[0]["error"].is_null());

  // Every call is WHMCS's form POST with the credential; the lists are read two rows a page.
  for (const auto& request : whmcs.requests()) {
    CHECK(request.method == "POST");
    CHECK(request.path == "/includes/api.php");
    CHECK(request.header("content-type") == "application/x-www-form-urlencoded");
    const auto form = cobrador::hooks::decode_form(request.body);
    CHECK(cobrador::hooks::form_value(form, "responsetype") == "json");
    if (cobrador::hooks::form_value(form, "limitnum") != "")
      CHECK(cobrador::hooks::form_value(form, "limitnum") == "2");
  }
  const auto actions = whmcs.actions();
  const auto count = [&](const std::string& action) {
    return std::count(actions.begin(), actions.end(), action);
  };
  CHECK(count("GetClients") == 2);          // 3 clients, 2 a page
  CHECK(count("GetClientsDetails") == 3);   // phone and language of each
  CHECK(count("GetClientsProducts") == 3);  // 6 services
  CHECK(count("GetInvoices") == 4);         // 8 invoices
  CHECK(count("GetInvoice") == 3);          // the services of each unpaid one
  CHECK(first[0]["calls"] == actions.size());

  const auto book = book_of(site);
  const std::vector<std::vector<std::string>> expected{
      {"c", "w1:1", "Ana Souza", "ana@example.com", "+5511987650001", "pt-BR", ""},
      {"c", "w1:2", "Hosting Ltda", "bruno@example.com", "+5521987650002", "en", ""},
      {"c", "w1:3", "Carla Ruiz", "carla@example.com", "", "es", ""},
      {"i", "w1:1001", "w1:1", "w1:101", "4990", "BRL", "open"},
      {"i", "w1:1002", "w1:1", "", "4990", "BRL", "paid"},
      {"i", "w1:1003", "w1:2", "w1:201", "12000", "BRL", "open"},
      {"i", "w1:1004", "w1:2", "", "12000", "BRL", "void"},
      {"i", "w1:1005", "w1:3", "w1:301;w1:302", "4500", "USD", "open"},
      {"i", "w1:1006", "w1:3", "", "1500", "USD", "void"},
      {"i", "w1:1007", "w1:3", "", "4500", "USD", "paid"},
      {"s", "w1:101", "w1:1", "other", "billing", "101", "active"},
      {"s", "w1:102", "w1:1", "other", "billing", "102", "active"},
      {"s", "w1:201", "w1:2", "other", "billing", "201", "active"},
      {"s", "w1:301", "w1:3", "other", "billing", "301", "active"},
      {"s", "w1:302", "w1:3", "vps", "billing", "302", "active"},
  };
  CHECK(book == expected);

  // The same book read again: nothing written but the pass itself.
  const auto audit_rows = site.one("SELECT COUNT(*) FROM audit");
  const auto second = site.ok_json({"sync", "w1"}, "2026-12-01");
  CHECK(second[0]["rows_read"] == 15);
  CHECK(second[0]["rows_changed"] == 0);
  CHECK(book_of(site) == expected);
  CHECK(std::stoi(site.one("SELECT COUNT(*) FROM audit")) == std::stoi(audit_rows) + 1);

  const auto status = site.ok_json({"sync", "--status"}, "2026-12-01");
  REQUIRE(status.size() == 1);
  CHECK(status[0]["source"] == "w1");
  CHECK(status[0]["type"] == "whmcs");
  CHECK(status[0]["rows_changed"] == 0);
  CHECK(status[0]["error"].is_null());
}

TEST_CASE("whmcs sync: an invoice paid in WHMCS ends the episode and ModuleUnsuspend lifts the suspension",
          "[sources][whmcs]") {
  WhmcsStandIn whmcs;
  const Site site(whmcs);
  site.ok_json({"sync"}, "2026-12-01");
  // Invoice 1001 (Ana, due 20 November) is 11 days overdue: the walk suspends her hosting
  // through WHMCS; invoice 1003's service (Bruno's) is suspended too.
  site.ok_json({"walk"}, "2026-12-01");
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-01");
  auto actions = whmcs.actions();
  CHECK(std::count(actions.begin(), actions.end(), "ModuleSuspend serviceid=101") == 1);
  CHECK(site.one("SELECT state FROM services WHERE ext_id = 'w1:101'") == "suspended");

  // Ana pays in WHMCS; the next pass reads the invoice as paid: the episode ends and her
  // service is unsuspended through WHMCS, once.
  whmcs.set_invoice_status(1001, "Paid", "2026-12-02 08:00:00");
  const auto pass = site.ok_json({"sync"}, "2026-12-02");
  CHECK(pass[0]["rows_changed"] == 1);
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-02");
  actions = whmcs.actions();
  CHECK(std::count(actions.begin(), actions.end(), "ModuleUnsuspend serviceid=101") == 1);
  CHECK(site.one("SELECT state FROM services WHERE ext_id = 'w1:101'") == "active");
  CHECK(site.one("SELECT COUNT(*) FROM episodes e JOIN customers c ON c.id = e.customer_id WHERE c.ext_id = "
                 "'w1:1' AND e.ended_at IS NULL") == "0");
  // Bruno has not paid: his service stays suspended.
  CHECK(site.one("SELECT state FROM services WHERE ext_id = 'w1:201'") == "suspended");
}

TEST_CASE("whmcs sync: a failing page leaves the book as it was and names the call", "[sources][whmcs]") {
  WhmcsStandIn whmcs;
  whmcs.fail_invoices_at(2, "Database query failed");
  const Site site(whmcs);
  const auto result = site.ctl({"sync"}, "2026-12-01");
  CHECK(result.exit_code == 1);
  CHECK(has(result.err, "whmcs source 'w1': GetInvoices (limitstart 2): Database query failed (HTTP 200)"));
  CHECK(site.one("SELECT COUNT(*) FROM customers") == "0");
  CHECK(site.one("SELECT COUNT(*) FROM invoices") == "0");
  const auto status = site.ok_json({"sync", "--status"}, "2026-12-01");
  CHECK(has(status[0]["error"].get<std::string>(), "GetInvoices (limitstart 2): Database query failed"));
}

TEST_CASE("whmcs sync: wrong credentials are named plainly and the secret never shown", "[sources][whmcs]") {
  WhmcsStandIn whmcs;
  const Site site(whmcs, "not-the-secret");
  const auto result = site.ctl({"sync", "w1"}, "2026-12-01");
  CHECK(result.exit_code == 1);
  CHECK(has(result.err, "whmcs source 'w1': GetClients (limitstart 0): Authentication Failed (HTTP 403)"));
  CHECK_FALSE(has(result.err, "not-the-secret"));
  CHECK(whmcs.actions() == std::vector<std::string>{"GetClients"});

  const auto unknown = site.ctl({"sync", "w2"}, "2026-12-01");
  CHECK(unknown.exit_code == 1);
  CHECK(has(unknown.err, "there is no source 'w2'"));
}

// The daemon reads the book before it walks: started on 1 December with an empty database, it
// syncs, then walks the book it read (Ana and Bruno are suspended through WHMCS's module calls
// by the dispatcher), and /metrics shows the pass.
TEST_CASE("cobradord syncs its sources before the walk and shows the pass in /metrics",
          "[sources][whmcs][daemon]") {
  WhmcsStandIn whmcs;
  const Site site(whmcs);
  NotifySocket notify((site.dir / "notify.sock").string());
  Daemon daemon(site.config, (site.dir / "notify.sock").string(), (site.dir / "daemon.log").string(),
                "2026-12-01T12:00:00Z");
  REQUIRE(notify.wait_for("last walk 2026-12-01", 30s));
  INFO(daemon.log());
  CHECK(site.one("SELECT COUNT(*) FROM customers") == "3");
  CHECK(site.one("SELECT COUNT(*) FROM actions WHERE kind = 'suspend'") == "2");
  const auto log = daemon.log();
  CHECK(has(log, "sync w1: 15 rows read in 15 calls, 15 changed"));
  const auto at = log.find("HTTP API listening on port ");
  REQUIRE(at != std::string::npos);
  const auto metrics = http_get(std::stoi(log.substr(at + 27)), "/metrics");
  CHECK(metrics.first == 200);
  CHECK(has(metrics.second, "cobrador_sync_last_pass_rows_read{source=\"w1\"} 15\n"));
  CHECK(has(metrics.second, "cobrador_sync_last_pass_failed{source=\"w1\"} 0\n"));
  daemon.signal(SIGTERM);
  CHECK(daemon.wait_exit(10s) == 0);
}

// A source that cannot be read holds the walk: it never decides on a book it could not read.
TEST_CASE("cobradord does not walk on a book it could not read", "[sources][whmcs][daemon]") {
  WhmcsStandIn whmcs;
  const Site site(whmcs, "not-the-secret");
  NotifySocket notify((site.dir / "notify.sock").string());
  Daemon daemon(site.config, (site.dir / "notify.sock").string(), (site.dir / "daemon.log").string(),
                "2026-12-01T12:00:00Z");
  REQUIRE(notify.wait_for("walk failed", 30s));
  INFO(daemon.log());
  CHECK(has(notify.seen().back(),
            "the walk waits for the book: whmcs source 'w1': GetClients (limitstart 0): "
            "Authentication Failed (HTTP 403)"));
  CHECK(site.one("SELECT COUNT(*) FROM walks") == "0");
  daemon.signal(SIGTERM);
  CHECK(daemon.wait_exit(10s) == 0);
}

namespace whmcs_sync_test {

// A bank's camt.053 with one booked credit of 49.90 BRL whose remittance names invoice w1:1001.
std::string camt053_paying_1001() {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>WB-1</MsgId><CreDtTm>2026-12-02T18:00:00+00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-WB-1</Id>
      <CreDtTm>2026-12-02T18:00:00+00:00</CreDtTm>
      <Acct><Id><IBAN>BR1800360305000010009795493C1</IBAN></Id><Ccy>BRL</Ccy></Acct>
      <Ntry>
        <Amt Ccy="BRL">49.90</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-12-02</Dt></BookgDt>
        <AcctSvcrRef>BANKREF-7731</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>E2E-ANA-1001</EndToEndId></Refs>
          <RmtInf><Ustrd>Fatura 1001</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
)";
}

}  // namespace whmcs_sync_test

// Point 4: money the bank confirmed for a WHMCS invoice is recorded in WHMCS by AddInvoicePayment
// with the bank entry as the transaction id, once: not again on the next pass, nor when the same
// statement is imported again. The next pass reads the invoice as paid.
TEST_CASE("whmcs sync: a camt credit is written back as AddInvoicePayment once", "[sources][whmcs]") {
  WhmcsStandIn whmcs;
  Site site(whmcs);
  // The bank's money goes back through the billing panel (payments_to).
  site.dir.write("cobrador.yaml", read_file(site.config) + "    payments_to: billing\n");
  site.ok_json({"sync"}, "2026-12-02");
  const auto statement = site.dir.write("statement.xml", camt053_paying_1001()).string();
  const auto imported = site.ok_json({"bank", "import", statement, "--source", "bank-br"}, "2026-12-02");
  REQUIRE(imported["matched"] == 1);
  // The customer wrote WHMCS's number, as on the invoice WHMCS sent: it names w1:1001.
  CHECK(site.one("SELECT explanation FROM bank_entries WHERE outcome = 'matched'") ==
        "reference 1001 names open invoice w1:1001");

  const auto pass = site.ok_json({"sync"}, "2026-12-02");
  CHECK(pass[0]["written_back"] == 1);
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-02");
  std::vector<FakeRequest> payments;
  for (const auto& request : whmcs.requests()) {
    const auto action = cobrador::hooks::form_value(cobrador::hooks::decode_form(request.body), "action");
    if (action == "AddInvoicePayment") payments.push_back(request);
  }
  INFO("the write-back: " << site.one(
           "SELECT state || ' ' || COALESCE(last_error, '') || ' ' || key FROM actions "
           "WHERE kind = 'event'"));
  REQUIRE(payments.size() == 1);
  const auto form = cobrador::hooks::decode_form(payments[0].body);
  CHECK(cobrador::hooks::form_value(form, "invoiceid") == "1001");
  CHECK(cobrador::hooks::form_value(form, "amount") == "49.90");
  CHECK(cobrador::hooks::form_value(form, "date") == "2026-12-02 00:00:00");
  CHECK(cobrador::hooks::form_value(form, "gateway") == "banktransfer");
  const auto transaction = cobrador::hooks::form_value(form, "transid");
  CHECK_FALSE(transaction.empty());
  CHECK(site.one("SELECT identity FROM bank_entries WHERE outcome = 'matched'") == transaction);

  // The same statement again, and more passes and dispatches: nothing more reaches WHMCS.
  site.ok_json({"bank", "import", statement, "--source", "bank-br"}, "2026-12-03");
  CHECK(site.ok_json({"sync"}, "2026-12-03")[0]["written_back"] == 0);
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-03");
  const auto actions = whmcs.actions();
  CHECK(std::count(actions.begin(), actions.end(), "AddInvoicePayment") == 1);
  // WHMCS now has the invoice paid: the next pass reads it so.
  CHECK(site.one("SELECT status FROM invoices WHERE ext_id = 'w1:1001'") == "paid");
}

// Point 4, a returned debit: the payment written back comes back from the bank (MS03). The next
// pass reports it once, as WHMCS allows: AddTransaction with the money out and the reason, then
// UpdateInvoice to Unpaid. Until WHMCS has heard, its "Paid" does not close the invoice the bank
// reopened; afterwards it reads Unpaid, and nothing is reported again.
TEST_CASE("whmcs sync: a returned debit is reported as a refund transaction and the invoice reopened",
          "[sources][whmcs]") {
  WhmcsStandIn whmcs;
  Site site(whmcs);
  site.dir.write("cobrador.yaml", read_file(site.config) + "    payments_to: billing\n");
  site.ok_json({"sync"}, "2026-12-02");
  const auto statement = site.dir.write("statement.xml", whmcs_sync_test::camt053_paying_1001()).string();
  REQUIRE(site.ok_json({"bank", "import", statement, "--source", "bank-br"}, "2026-12-02")["matched"] == 1);
  site.ok_json({"sync"}, "2026-12-02");
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-02");
  site.ok_json({"sync"}, "2026-12-03");
  REQUIRE(site.one("SELECT status FROM invoices WHERE ext_id = 'w1:1001'") == "paid");

  // The debit comes back: insufficient funds.
  const auto returned =
      site.dir.write("return.csv",
                     "date,amount,currency,direction,reference,description,id,return_reason\n"
                     "2026-12-05,49.90,BRL,debit,E2E-ANA-1001,Devolucao,RET-77,MS03\n");
  REQUIRE(site.ok_json({"bank", "import", returned.string(), "--source", "bank-br"},
                       "2026-12-05")["returned"] == 1);
  CHECK(site.one("SELECT status FROM invoices WHERE ext_id = 'w1:1001'") == "open");

  // The pass reads WHMCS's "Paid" but keeps the bank's word, and queues the report.
  const auto pass = site.ok_json({"sync"}, "2026-12-05");
  CHECK(pass[0]["returns_reported"] == 1);
  CHECK(pass[0]["written_back"] == 0);
  CHECK(site.one("SELECT status FROM invoices WHERE ext_id = 'w1:1001'") == "open");
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-05");

  const auto transactions = whmcs.transactions();
  REQUIRE(transactions.size() == 2);
  const auto& out = transactions[1];
  CHECK(out["invoiceid"] == 1001);
  CHECK(out["amountout"] == "49.90");
  CHECK(out["gateway"] == "banktransfer");
  CHECK(out["transid"] == site.one("SELECT identity FROM bank_entries WHERE outcome = 'returned'"));
  CHECK(out["transid"] != transactions[0]["transid"]);
  const auto description = out["description"].get<std::string>();
  CHECK(description.find("MS03") != std::string::npos);
  CHECK(description.find(transactions[0]["transid"].get<std::string>()) != std::string::npos);
  CHECK(whmcs.invoice_status(1001) == "Unpaid");

  // WHMCS has heard: the next pass reads the invoice owed, and nothing more goes out.
  const auto after = site.ok_json({"sync"}, "2026-12-06");
  CHECK(after[0]["returns_reported"] == 0);
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-06");
  site.ok_json({"sync"}, "2026-12-07");
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-07");
  const auto actions = whmcs.actions();
  CHECK(std::count(actions.begin(), actions.end(), "AddTransaction") == 1);
  CHECK(std::count(actions.begin(), actions.end(), "UpdateInvoice") == 1);
  CHECK(std::count(actions.begin(), actions.end(), "AddInvoicePayment") == 1);
  CHECK(site.one("SELECT status FROM invoices WHERE ext_id = 'w1:1001'") == "open");
}

// A partial payment WHMCS took itself (staff's Add Payment, or its own gateway) on an open
// invoice is read from GetInvoice's transactions as a confirmed payment of the book, so that
// cobrador chases what is still owed; a second pass reads it again and changes nothing. The
// transaction cobrador wrote back itself is not read as a second payment.
TEST_CASE("whmcs sync: a partial payment taken in WHMCS lowers what cobrador chases", "[sources][whmcs]") {
  WhmcsStandIn whmcs;
  Site site(whmcs);
  site.dir.write("cobrador.yaml", read_file(site.config) + "    payments_to: billing\n");
  whmcs.add_transaction(1003, "MAIL-IN-88", "50.00", "2026-11-28 14:00:00");
  const auto first = site.ok_json({"sync"}, "2026-12-01");
  CHECK(first[0]["rows_read"] == 16);
  CHECK(
      site.one(
          "SELECT ext_id || ' ' || amount || ' ' || currency || ' ' || status || ' ' || reference || ' ' || "
          "method || ' ' || source FROM payments") == "w1:t1 5000 BRL confirmed MAIL-IN-88 mailin w1");
  const auto balance = [&site](const std::string& invoice) {
    return site.one(
        "SELECT i.amount - COALESCE((SELECT SUM(amount) FROM payments p WHERE p.invoice_id = i.id AND "
        "p.status = 'confirmed'), 0) FROM invoices i WHERE ext_id = '" +
        invoice + "'");
  };
  CHECK(balance("w1:1003") == "7000");
  CHECK(site.ok_json({"sync"}, "2026-12-01")[0]["rows_changed"] == 0);

  // The bank pays invoice 1001; written back, WHMCS lists that transaction on the invoice, and
  // a pass reads it while 1001 is open (here: WHMCS still says Unpaid): not a second payment.
  const auto statement = site.dir.write("statement.xml", whmcs_sync_test::camt053_paying_1001()).string();
  REQUIRE(site.ok_json({"bank", "import", statement, "--source", "bank-br"}, "2026-12-02")["matched"] == 1);
  site.ok_json({"sync"}, "2026-12-02");
  site.ok_json({"dispatch", "--until-empty"}, "2026-12-02");
  whmcs.set_invoice_status(1001, "Unpaid", "0000-00-00 00:00:00");
  site.ok_json({"sync"}, "2026-12-03");
  CHECK(site.one("SELECT COUNT(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.ext_id = "
                 "'w1:1001'") == "1");
}

// An invoice deleted in WHMCS leaves the lists: the pass asks GetInvoice for each open invoice of
// the source it did not read, and voids the one WHMCS answers "Invoice ID Not Found" for (the
// episode ends), audited as the source's. One only missing from a list (a page that shifted)
// is still in WHMCS and stays open.
TEST_CASE("whmcs sync: an invoice deleted in WHMCS is voided, one missing from a page is not",
          "[sources][whmcs]") {
  WhmcsStandIn whmcs;
  const Site site(whmcs);
  site.ok_json({"sync"}, "2026-12-01");
  REQUIRE(site.one("SELECT status FROM invoices WHERE ext_id = 'w1:1003'") == "open");

  whmcs.hide_from_list(1003);
  const auto shifted = site.ok_json({"sync"}, "2026-12-02");
  CHECK(shifted[0]["invoices_gone"] == 0);
  CHECK(site.one("SELECT status FROM invoices WHERE ext_id = 'w1:1003'") == "open");

  whmcs.hide_from_list(0);
  whmcs.delete_invoice(1003);
  const auto pass = site.ok_json({"sync"}, "2026-12-03");
  CHECK(pass[0]["invoices_gone"] == 1);
  CHECK(pass[0]["rows_changed"] == 1);
  // Written down with the pass: --status says it too.
  CHECK(site.ok_json({"sync", "--status"}, "2026-12-03")[0]["invoices_gone"] == 1);
  CHECK(site.one("SELECT status FROM invoices WHERE ext_id = 'w1:1003'") == "void");
  CHECK(site.one("SELECT actor || ' ' || event FROM audit WHERE subject = 'customer:w1:2' AND details LIKE "
                 "'%w1:1003%' ORDER BY id DESC LIMIT 1") == "source:w1 invoice_updated");
  const auto actions = whmcs.actions();
  CHECK(std::count(actions.begin(), actions.end(), "GetInvoice") >= 1);
  // Voided, it is asked for no more.
  const auto before = whmcs.requests().size();
  CHECK(site.ok_json({"sync"}, "2026-12-04")[0]["invoices_gone"] == 0);
  std::size_t asked = 0;
  const auto requests = whmcs.requests();
  for (std::size_t i = before; i < requests.size(); ++i) {
    const auto form = cobrador::hooks::decode_form(requests[i].body);
    if (cobrador::hooks::form_value(form, "action") == "GetInvoice" &&
        cobrador::hooks::form_value(form, "invoiceid") == "1003")
      ++asked;
  }
  CHECK(asked == 0);
}
