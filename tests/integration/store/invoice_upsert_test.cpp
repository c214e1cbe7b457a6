// An invoice import of a mixed file: new rows inserted, changed ones updated, unchanged ones
// left, each created or changed row audited, and a row of an unknown customer refused with its
// line and nothing of its chunk written — on both stores.
#include <catch2/catch.hpp>

#include "policy/policy.hpp"
#include "service/import.hpp"
#include "store/backends/open_store.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;

namespace invoice_upsert_test {

constexpr std::string_view kHeader = "id,customer_id,services,amount,currency,issued_on,due_on,status\n";

struct Book {
  testing::TempDir dir;
  std::string database = testing::fresh_database(dir.path());
  std::unique_ptr<store::Store> store = store::open_store(database);
  policy::Policy policy = *policy::load_policy(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml");
  Instant now = policy.instant_at(*parse_date("2026-03-01"), 5 * 60);

  Result<service::ImportReport> import(service::ImportKind kind, const std::string& text) {
    return service::import_text(*store, policy, kind, text, "book.csv", now, "operator:test");
  }

  std::string invoice(std::string_view ext_id) {
    const auto rows = testing::query(
        database,
        "SELECT c.ext_id, i.amount, i.due_on FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE "
        "i.ext_id = $1",
        {std::string(ext_id)});
    return rows.empty() ? "none" : rows[0][0] + " " + rows[0][1] + " " + rows[0][2];
  }
};

TEST_CASE("a mixed invoice file inserts, updates and leaves each row as it must", "[store][batches]") {
  Book book;
  REQUIRE(book.import(service::ImportKind::customers,
                      "id,name,email\nc1,One,one@example.com\nc2,Two,two@example.com\n"));
  const auto first =
      book.import(service::ImportKind::invoices, std::string(kHeader) +
                                                     "i1,c1,,10.00,BRL,2026-02-01,2026-02-10,open\n"
                                                     "i2,c2,,20.00,BRL,2026-02-01,2026-02-10,open\n");
  REQUIRE(first);
  CHECK(first->inserted == 2);
  const auto due_on = std::to_string(to_day_number(*parse_date("2026-02-10")));
  const auto later = std::to_string(to_day_number(*parse_date("2026-02-20")));

  // New, changed, new, unchanged, new: each new row follows a row of another kind.
  const auto mixed =
      book.import(service::ImportKind::invoices, std::string(kHeader) +
                                                     "i3,c1,,30.00,BRL,2026-02-01,2026-02-10,open\n"
                                                     "i1,c2,,11.00,BRL,2026-02-01,2026-02-20,open\n"
                                                     "i4,c2,,40.00,BRL,2026-02-01,2026-02-10,open\n"
                                                     "i2,c2,,20.00,BRL,2026-02-01,2026-02-10,open\n"
                                                     "i5,c1,,50.00,BRL,2026-02-01,2026-02-10,open\n");
  REQUIRE(mixed);
  CHECK(mixed->inserted == 3);
  CHECK(mixed->updated == 1);
  CHECK(mixed->unchanged == 1);
  CHECK(book.invoice("i1") == "c2 1100 " + later);
  CHECK(book.invoice("i2") == "c2 2000 " + due_on);
  CHECK(book.invoice("i3") == "c1 3000 " + due_on);
  CHECK(book.invoice("i4") == "c2 4000 " + due_on);
  CHECK(book.invoice("i5") == "c1 5000 " + due_on);
  // One audit row for each row created or changed, none for the unchanged one.
  CHECK(testing::query(book.database, "SELECT COUNT(*) FROM audit WHERE event LIKE 'invoice_%'")[0][0] ==
        "6");

  // After new rows, a row of a customer nobody knows: refused, naming its line, and its chunk
  // (the whole of this small file) not written.
  const auto refused =
      book.import(service::ImportKind::invoices, std::string(kHeader) +
                                                     "i6,c1,,60.00,BRL,2026-02-01,2026-02-10,open\n"
                                                     "i7,c9,,70.00,BRL,2026-02-01,2026-02-10,open\n");
  REQUIRE(!refused);
  CHECK(refused.error().message.find("book.csv:3: customer_id: no customer 'c9'") != std::string::npos);
  CHECK(book.invoice("i6") == "none");
  CHECK(book.invoice("i7") == "none");
}

}  // namespace invoice_upsert_test
