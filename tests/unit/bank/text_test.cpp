#include <catch2/catch.hpp>

#include "bank/text.hpp"

using namespace cobrador::bank;

// Words keep their inner joiners, lose the ones at their ends, and split on anything else.
TEST_CASE("split_words keeps invoice numbers whole and drops punctuation around them", "[bank]") {
  CHECK(split_words("Fatura INV-10, obrigado!") == std::vector<std::string>{"Fatura", "INV-10", "obrigado"});
  CHECK(split_words("ref:2024/0001;INV_7.") == std::vector<std::string>{"ref", "2024/0001", "INV_7"});
  CHECK(split_words("(#INV-3) -- Mitteilung 134-") == std::vector<std::string>{"INV-3", "Mitteilung", "134"});
  CHECK(split_words("Rückbelastung MD06") == std::vector<std::string>{"Rückbelastung", "MD06"});
  CHECK(split_words("  \t ").empty());
}

// ASCII letters compare without case; everything else byte for byte.
TEST_CASE("equals_ignore_case ignores ASCII case only", "[bank]") {
  CHECK(equals_ignore_case("inv-10", "INV-10"));
  CHECK_FALSE(equals_ignore_case("INV-1", "INV-10"));
  CHECK_FALSE(equals_ignore_case("ü", "Ü"));
}
