// The account names every panel adapter accepts (hooks/account_name.hpp).
#include <catch2/catch.hpp>

#include "hooks/account_name.hpp"

using cobrador::hooks::account_name_problem;

// Letters, digits and . _ @ + - pass, as do domain names and e-mail addresses; an empty
// account passes (the adapter that needs one says so).
TEST_CASE("account names in the safe set pass", "[hooks]") {
  for (const auto* account :
       {"ana", "ANA_01", "ana.silva@example.com", "ana+site", "xn--mnchen-3ya.de", "a-b", ""}) {
    INFO(account);
    CHECK_FALSE(account_name_problem(account).has_value());
  }
  CHECK_FALSE(account_name_problem(std::string(255, 'a')).has_value());
}

// Anything else is refused with a reason that never quotes the name.
TEST_CASE("account names outside the safe set are refused with the reason", "[hooks]") {
  CHECK(account_name_problem("-rf") ==
        std::string("the account name starts with '-', which a program would take for an option"));
  CHECK(account_name_problem(std::string(256, 'a')) ==
        std::string("the account name is 256 characters long; at most 255 are allowed"));
  CHECK(account_name_problem("ana root") == std::string("the account name has the character 0x20 at position "
                                                        "4; allowed are letters, digits and . _ @ + -"));
  CHECK(account_name_problem("ana\nroot").value().find("0x0a at position 4") != std::string::npos);
  CHECK(account_name_problem(std::string("ana\0", 4)).value().find("0x00") != std::string::npos);
  CHECK(account_name_problem("jos\xc3\xa9").value().find("0xc3 at position 4") != std::string::npos);
  CHECK(account_name_problem("a/../b").has_value());
  CHECK(account_name_problem("a;b").has_value());
}
