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

TEST_CASE("fold_case_hash hashes texts equal ignoring ASCII case alike, and only those", "[bank]") {
  CHECK(fold_case_hash("INV-10") == fold_case_hash("inv-10"));
  CHECK(fold_case_hash("Inv-10") == fold_case_hash(fold_case("iNV-10")));
  CHECK(fold_case_hash("inv-10") != fold_case_hash("inv-11"));
  CHECK(fold_case_hash("inv-10") != fold_case_hash("inv-10 "));
  CHECK(fold_case_hash("\xC3\x89") != fold_case_hash("\xC3\xA9"));  // É and é: not ASCII, kept apart
  // FNV-1a 64 of "" and of "a", by its definition.
  CHECK(fold_case_hash("") == 14695981039346656037ULL);
  CHECK(fold_case_hash("A") == 0xaf63dc4c8601ec8cULL);
}
