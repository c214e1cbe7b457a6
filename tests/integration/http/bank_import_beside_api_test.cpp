// A long `cobradorctl bank import` does not starve the daemon (issue 19, point 5). A statement
// is imported in one transaction (a bad file is refused whole, docs/bank-formats.md), so on
// SQLite the daemon's writes wait for its commit: an API write sent meanwhile waits and is
// answered 200 once the import commits, never 500 (lib/http/store_worker: a busy database is
// retried for up to a minute). Real processes, a real database, real HTTP on 127.0.0.1.
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "integration/http/http_test_client.hpp"
#include "support/background_process.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using namespace std::chrono_literals;

namespace bank_import_beside_api_test {

constexpr int kEntries = 80000;  // about 50 MB: seconds of importing

unsigned short port_from(const std::filesystem::path& log) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto text = read_file(log);
    const auto at = text.find("HTTP API listening on port ");
    if (at != std::string::npos) return static_cast<unsigned short>(std::stoi(text.substr(at + 27)));
    std::this_thread::sleep_for(20ms);
  }
  FAIL("no listening line in " << read_file(log));
  return 0;
}

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
  for (int n = 1; n <= kEntries; ++n) {
    out << fmt::format(
        "      <Ntry><Amt Ccy=\"BRL\">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        "<BookgDt><Dt>2026-06-10</Dt></BookgDt><AcctSvcrRef>LONG{:09}</AcctSvcrRef>"
        "<NtryDtls><TxDtls><Refs><EndToEndId>E{:020}</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>\n",
        n, n);
  }
  out << "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n";
}

TEST_CASE("an API write during a long cobradorctl bank import is answered once it commits", "[http]") {
  TempDir dir;
  dir.write("policy.yaml", read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml"));
  const auto token = dir.write("billing.token", "tok-billing-0123456789\n");
  std::filesystem::permissions(token,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::create_directories(dir / "var");
  const auto database = fresh_database(dir / "var");
  const auto config =
      dir.write(
             "cobrador.yaml",
             fmt::format(
                 "database: \"{}\"\npolicy: policy.yaml\ntemplates: {}/etc/templates\nlisten: 127.0.0.1:0\n"
                 "api_clients:\n  billing: {{ token_file: billing.token, scopes: [billing] }}\n",
                 database, COBRADOR_SOURCE_DIR))
          .string();
  const auto statement = dir / "statement.xml";
  write_statement(statement);

  BackgroundProcess daemon({COBRADORD_PATH, "-c", config}, {}, dir / "daemon.log");
  const auto port = port_from(dir / "daemon.log");

  BackgroundProcess import(
      {COBRADORCTL_PATH, "-c", config, "bank", "import", statement.string(), "--source", "itau"}, {},
      dir / "import.log");
  // Well into the file: the import has its transaction open.
  std::this_thread::sleep_for(300ms);
  REQUIRE(import.running());

  const auto reply = http_request(
      "PUT", fmt::format("http://127.0.0.1:{}/v1/customers/c7", port),
      R"({"id": "c7", "name": "Customer Seven"})",
      {{"Authorization", "Bearer tok-billing-0123456789"}, {"Content-Type", "application/json"}});
  INFO(reply.body << read_file(dir / "daemon.log"));
  CHECK(reply.status == 201);  // created

  const auto exit_code = import.wait_for(300s);
  INFO(read_file(dir / "import.log"));
  REQUIRE(exit_code == 0);
  CHECK(count_rows(database, "bank_entries") == std::to_string(kEntries));
  CHECK(query(database, "SELECT name FROM customers WHERE ext_id = 'c7'").at(0).at(0) == "Customer Seven");
}

}  // namespace bank_import_beside_api_test
