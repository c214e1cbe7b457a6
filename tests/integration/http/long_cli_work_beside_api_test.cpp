// Long `cobradorctl` work does not starve the daemon (issue 19, point 5). Real processes on a
// real database, real HTTP on 127.0.0.1. SQLite lets one writer in at a time (PostgreSQL has no
// database-wide write lock, so these run on SQLite only):
//  - `import` writes in chunks, so an API write sent while it runs gets in between two chunks
//    and is answered while the import is still going, not after it;
//  - `bank import` applies a statement in one transaction (a bad file is refused whole,
//    docs/bank-formats.md), so an API write sent meanwhile waits for its commit and is then
//    answered as usual, never 500 (lib/http/store_worker retries a busy database for a minute).
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "integration/http/http_test_client.hpp"
#include "integration/site/cli_site.hpp"
#include "support/background_process.hpp"
#include "support/sanitized.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using namespace std::chrono_literals;

namespace long_cli_work_beside_api_test {

constexpr int kCustomers = 1000;
// Seconds of importing in either build: 60,000 rows took over 290 s under ASan (clang, -O0,
// a loaded 2-core machine) and timed out; a tenth of them is still several chunks.
constexpr int kInvoices = kSanitized ? 6000 : 60000;
// About 50 MB of camt.053 (5 MB under ASan, where it takes as long): the API write must not
// wait past the daemon's minute of patience.
constexpr int kStatementEntries = kSanitized ? 8000 : 80000;

constexpr const char* kToken = "tok-billing-0123456789";

// A site whose daemon takes API writes from the `billing` client.
struct ApiSite : CliSite {
  ApiSite()
      : CliSite(fmt::format("templates: {}/etc/templates\nlisten: 127.0.0.1:0\napi_clients:\n"
                            "  billing: {{ token_file: billing.token, scopes: [billing] }}\n",
                            COBRADOR_SOURCE_DIR)) {
    const auto token = dir.write("billing.token", std::string(kToken) + "\n");
    std::filesystem::permissions(token,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }

  // The client waits longer than the daemon's minute of patience with a busy database: a
  // write that waited too long must show as the daemon's 503, not as the client giving up.
  Reply put_customer(unsigned short port, const std::string& id, const std::string& name) const {
    return http_request(
        "PUT", fmt::format("http://127.0.0.1:{}/v1/customers/{}", port, id),
        fmt::format(R"({{"id": "{}", "name": "{}"}})", id, name),
        {{"Authorization", std::string("Bearer ") + kToken}, {"Content-Type", "application/json"}}, 90s);
  }
};

// Credits that match no invoice: each is recorded and kept for the operator.
void write_statement(const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
         "  <BkToCstmrStmt>\n"
         "    <GrpHdr><MsgId>LONG-20260610</MsgId><CreDtTm>2026-06-10T23:00:00</CreDtTm></GrpHdr>\n"
         "    <Stmt>\n"
         "      <Id>LONG-STMT-1</Id>\n"
         "      <CreDtTm>2026-06-10T23:00:00</CreDtTm>\n"
         "      <Acct><Id><IBAN>BR1800360305000010009795493C1</IBAN></Id><Ccy>BRL</Ccy></Acct>\n";
  for (int n = 1; n <= kStatementEntries; ++n) {
    out << fmt::format(
        "      <Ntry><Amt Ccy=\"BRL\">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        "<BookgDt><Dt>2026-06-10</Dt></BookgDt><AcctSvcrRef>LONG{:09}</AcctSvcrRef>"
        "<NtryDtls><TxDtls><Refs><EndToEndId>E{:020}</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>\n",
        n, n);
  }
  out << "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n";
}

TEST_CASE("an API write during a long cobradorctl import is applied while the import runs",
          "[http][sqlite]") {
  ApiSite site;
  std::string customers = "id,name\n";
  for (int i = 1; i <= kCustomers; ++i) customers += fmt::format("c{0},Customer {0}\n", i);
  REQUIRE(site.run({"import", "customers", site.file("customers.csv", customers)}).exit_code == 0);
  std::string invoices = "id,customer_id,amount,currency,due_on\n";
  for (int i = 1; i <= kInvoices; ++i)
    invoices += fmt::format("i{},c{},49.90,BRL,2099-01-{:02}\n", i, i % kCustomers + 1, i % 28 + 1);
  const auto file = site.file("invoices.csv", invoices);

  BackgroundProcess daemon({COBRADORD_PATH, "-c", site.config}, {}, site.dir / "daemon.log");
  const auto port = listening_port(site.dir / "daemon.log");

  BackgroundProcess import({COBRADORCTL_PATH, "-c", site.config, "import", "invoices", file}, {},
                           site.dir / "import.log");
  // The first chunk is in: the import is writing.
  while (count_rows(site.database, "invoices") == "0" && import.running()) std::this_thread::sleep_for(5ms);
  REQUIRE(import.running());

  const auto reply = site.put_customer(port, "c7", "Customer Seven");
  INFO(reply.body << read_file(site.dir / "daemon.log"));
  CHECK(reply.status == 200);
  // Answered between two chunks, not after the whole file.
  CHECK(import.running());

  const auto exit_code = import.wait_for(300s);
  INFO(read_file(site.dir / "import.log"));
  REQUIRE(exit_code == 0);
  CHECK(count_rows(site.database, "invoices") == std::to_string(kInvoices));
  CHECK(query(site.database, "SELECT name FROM customers WHERE ext_id = 'c7'").at(0).at(0) ==
        "Customer Seven");
}

TEST_CASE("an API write during a long cobradorctl bank import is answered once it commits",
          "[http][sqlite]") {
  ApiSite site;
  const auto statement = site.dir / "statement.xml";
  write_statement(statement);

  BackgroundProcess daemon({COBRADORD_PATH, "-c", site.config}, {}, site.dir / "daemon.log");
  const auto port = listening_port(site.dir / "daemon.log");

  BackgroundProcess import(
      {COBRADORCTL_PATH, "-c", site.config, "bank", "import", statement.string(), "--source", "itau"}, {},
      site.dir / "import.log");
  // Well into the file: the import has its transaction open.
  std::this_thread::sleep_for(300ms);
  REQUIRE(import.running());

  const auto reply = site.put_customer(port, "c7", "Customer Seven");
  INFO(reply.body << read_file(site.dir / "daemon.log"));
  CHECK(reply.status == 201);  // created

  const auto exit_code = import.wait_for(300s);
  INFO(read_file(site.dir / "import.log"));
  REQUIRE(exit_code == 0);
  CHECK(count_rows(site.database, "bank_entries") == std::to_string(kStatementEntries));
  CHECK(query(site.database, "SELECT name FROM customers WHERE ext_id = 'c7'").at(0).at(0) ==
        "Customer Seven");
}

}  // namespace long_cli_work_beside_api_test
