// A customer name stored before names were checked (issue 19, point 3: an older cobrador took a
// CR/LF and Latin-1 bytes from an import) no longer stops every notice to that customer: the
// real `cobradorctl walk` and `dispatch` send the reminder through a real SMTP server, the name
// on one line in the To: header. SQLite only: PostgreSQL never stored such bytes.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/backends/open_store.hpp"
#include "support/process.hpp"
#include "support/smtp_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace stored_name_notice_test {

TEST_CASE("a stored name with CR/LF and Latin-1 bytes still gets its notice", "[dispatch]") {
  if (testing_postgresql()) return;
  TempDir dir;
  SmtpSink sink(dir / "mail");
  dir.write("policy.yaml",
            "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
            "stages:\n  - name: remind\n    when: { days_overdue: 1 }\n    notify: [email]\n"
            "    template: payment_reminder\n");
  std::filesystem::create_directories(dir / "var");
  const auto database = fresh_database(dir / "var");
  const auto config =
      dir.write("cobrador.yaml",
                fmt::format("database: \"{}\"\npolicy: policy.yaml\ntemplates: {}/etc/templates\n"
                            "support: {{ phone: \"+55 11 4000-0000\", email: billing@example.com, "
                            "url: https://example.com/billing }}\n"
                            "channels:\n  email: {{ smtp_url: \"{}\", starttls: none, from: \"Billing "
                            "<billing@example.com>\" }}\n",
                            database, COBRADOR_SOURCE_DIR, sink.url()))
          .string();
  const auto ctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config});
    return run_process(args, {{"COBRADOR_NOW", "2026-03-03T12:00:00Z"}});
  };
  REQUIRE(ctl({"import", "customers", dir.write("c.csv", "id,name,email\nc1,Ana,ana@example.com\n").string()})
              .exit_code == 0);
  REQUIRE(ctl({"import", "invoices",
               dir.write("i.csv", "id,customer_id,amount,currency,due_on\ni1,c1,49.90,BRL,2026-03-01\n")
                   .string()})
              .exit_code == 0);
  {
    auto store = store::open_store(database);
    auto customer = *store->customer("c1");
    customer.name = "Ana\r\nBcc: all@example.com \xC1vila";
    REQUIRE(store->upsert_customer(customer));
  }

  const auto walked = ctl({"walk"});
  INFO(walked.err);
  REQUIRE(walked.exit_code == 0);
  const auto dispatched = ctl({"dispatch"});
  INFO(dispatched.err);
  REQUIRE(dispatched.exit_code == 0);

  const auto mails = sink.messages();
  INFO(sink.log());
  REQUIRE(mails.size() == 1);
  CHECK(mails[0]["rcpt_tos"] == nlohmann::json::array({"ana@example.com"}));
  INFO(mails[0]["to"].get<std::string>());
  // Python's parser shows the two spaces of CR LF as one.
  CHECK(mails[0]["to"].get<std::string>().find("Bcc: all@example.com \xEF\xBF\xBD"
                                               "vila\" <ana@example.com>") != std::string::npos);
  CHECK(mails[0]["defects"].empty());
}

}  // namespace stored_name_notice_test
