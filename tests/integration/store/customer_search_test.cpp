// The console's customer search (Book::find_customers) through the indexes of migration 13: a
// part of an id, a name or an e-mail, in any case, the exact id first; a customer renamed is
// found by the new name and no longer by the old, at once and inside a transaction that is
// rolled back; LIKE's and FTS5's own characters are taken
// literally; a text shorter than three characters is still found (read row by row). A real
// database: SQLite, and PostgreSQL in its run.
#include <catch2/catch.hpp>

#include <algorithm>

#include "store/backends/open_store.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace customer_search_test {

Customer customer(std::string ext_id, std::string name, std::string email) {
  Customer c;
  c.ext_id = std::move(ext_id);
  c.name = std::move(name);
  c.emails = {std::move(email)};
  return c;
}

std::vector<std::string> found(store::Store& store, std::string_view text, std::size_t limit = 50) {
  std::vector<std::string> ids;
  for (const auto& c : store.find_customers(text, limit)) ids.push_back(c.ext_id);
  return ids;
}

}  // namespace customer_search_test

using customer_search_test::found;

TEST_CASE("the customer search finds a part of an id, a name or an e-mail", "[store]") {
  TempDir dir;
  auto store = store::open_store(fresh_database(dir.path()));
  store::in_transaction(*store, [&] {
    for (const auto& c :
         {customer_search_test::customer("c-100", "Ana Souza", "ana@provedor.com.br"),
          customer_search_test::customer("c-1001", "João Pereira", "joao@example.org"),
          customer_search_test::customer("c-2000", "Maria \"Mia\" 100% O'Neil", "mia@example.org"),
          customer_search_test::customer("x_9", "Bob", "bob@example.net")}) {
      REQUIRE(store->upsert_customer(c));
    }
    return 0;
  });

  using V = std::vector<std::string>;
  CHECK(found(*store, "c-100") == V{"c-100", "c-1001"});         // the exact id first
  CHECK(found(*store, "souza") == V{"c-100"});                   // case ignored
  CHECK(found(*store, "PROVEDOR.COM") == V{"c-100"});            // a part of an e-mail
  CHECK(found(*store, "pereira") == V{"c-1001"});                // a word after a non-ASCII one
  CHECK(found(*store, "example.org") == V{"c-1001", "c-2000"});  // then by name
  CHECK(found(*store, "\"Mia\"") == V{"c-2000"});                // quotes are literal
  CHECK(found(*store, "100%") == V{"c-2000"});                   // so is LIKE's %
  CHECK(found(*store, "O'Neil") == V{"c-2000"});
  CHECK(found(*store, "x_9") == V{"x_9"});
  CHECK(found(*store, "x_") == V{"x_9"});  // two characters: read row by row
  CHECK(found(*store, "_9") == V{"x_9"});
  CHECK(found(*store, "bo") == V{"x_9"});
  CHECK(found(*store, "zz").empty());
  CHECK(found(*store, "nobody").empty());
  CHECK(found(*store, "a", 2).size() == 2);      // at most the limit
  CHECK(found(*store, "\xff\xfe\xfd").empty());  // not UTF-8: found nowhere, no error
  CHECK(found(*store, std::string("ab\0cd", 5)).empty());

  // A rename is searched by its new name at once, and no longer by the old one.
  store::in_transaction(*store, [&] {
    return *store->upsert_customer(
        customer_search_test::customer("c-100", "Ana Lima", "ana@provedor.com.br"));
  });
  CHECK(found(*store, "souza").empty());
  CHECK(found(*store, "lima") == V{"c-100"});

  // Inside a transaction that has just written a customer, the search sees it; rolled back, the
  // customer is gone from the search too.
  store->begin();
  REQUIRE(store->upsert_customer(customer_search_test::customer("c-3000", "Zé Ninguém", "ze@example.org")));
  CHECK(found(*store, "ninguém") == V{"c-3000"});
  store->rollback();
  CHECK(found(*store, "ninguém").empty());
  CHECK(found(*store, "example.org") == V{"c-1001", "c-2000"});
}
