// The streamed camt reader (bank/camt_stream) against the whole-document parse: the same
// entries however the bytes are cut into pieces, the same errors and their precedence, and the
// pieces the import keeps (identity numbering one entry at a time, report lines packed).
#include <catch2/catch.hpp>

#include "bank/camt_parser.hpp"
#include "bank/camt_stream.hpp"
#include "bank/entry_identity.hpp"
#include "bank_test_support.hpp"
#include "service/bank_lines.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

namespace {

struct Streamed {
  Result<Format> format = make_error("not finished");
  std::vector<BankEntry> entries;
  bool syntax_error = false;
};

// The document fed `piece` bytes at a time, entries numbered as read_camt numbers them.
Streamed stream(const std::string& xml, std::size_t piece) {
  Streamed out;
  CamtReader reader([&out](std::vector<BankEntry>& parts) -> Status {
    for (auto& part : parts) out.entries.push_back(std::move(part));
    return Ok{};
  });
  for (std::size_t at = 0; at < xml.size(); at += piece) reader.feed(std::string_view(xml).substr(at, piece));
  out.format = reader.finish();
  out.syntax_error = reader.syntax_error();
  number_repeated_identities(out.entries);
  return out;
}

}  // namespace

// A tag, a text or an entry cut across two pieces reads the same as the document in one piece.
TEST_CASE("camt read in pieces of any size gives the entries of the whole document", "[bank]") {
  for (const auto& name : {kV2, kV8, kReturns}) {
    const auto xml = fixture(name);
    const auto whole = read_camt(xml);
    REQUIRE(whole);
    for (const std::size_t piece :
         {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{1000}, xml.size()}) {
      const auto streamed = stream(xml, piece);
      REQUIRE(streamed.format);
      CHECK(*streamed.format == whole->format);
      CHECK(streamed.entries == whole->entries);
    }
  }
}

// Entries are handed out while the document is read, so a fault after them must still be
// reported, as a syntax error, and win over what an entry before it says.
TEST_CASE("camt read in pieces reports a cut document after its first entries, as a syntax error", "[bank]") {
  const auto xml = fixture(kReturns);
  const auto cut = xml.substr(0, xml.rfind("<Ntry>"));
  const auto streamed = stream(cut, 100);
  CHECK_FALSE(streamed.entries.empty());  // the entries before the cut were read...
  REQUIRE_FALSE(streamed.format);         // ...and the document is refused
  CHECK(streamed.syntax_error);
  CHECK(streamed.format.error().message.starts_with("line "));
  CHECK_THAT(streamed.format.error().message, Catch::Contains("not well-formed XML"));

  // A bad amount early and a cut at the end: the cut is what the file is refused for.
  const auto bad_then_cut = replace_once(cut, "<Amt Ccy=\"CHF\">15.00</Amt>", "<Amt Ccy=\"CHF\">15,00</Amt>");
  const auto error = read_camt(bad_then_cut);
  REQUIRE_FALSE(error);
  CHECK(error.error().message.starts_with("line "));
}

// The sink's refusal ends the reading with its error (the import's store refusals).
TEST_CASE("camt reader stops at the sink's refusal and returns it", "[bank]") {
  int calls = 0;
  CamtReader reader([&calls](std::vector<BankEntry>&) -> Status {
    ++calls;
    return make_error("refused by the sink");
  });
  reader.feed(fixture(kReturns));
  const auto format = reader.finish();
  REQUIRE_FALSE(format);
  CHECK(format.error().message == "refused by the sink");
  CHECK_FALSE(reader.syntax_error());
  CHECK(calls == 1);
}

// Numbering one entry at a time gives the identities number_repeated_identities gives.
TEST_CASE("identity numbering entry by entry equals numbering the whole file", "[bank]") {
  std::vector<BankEntry> entries(6);
  const std::vector<std::string> identities{"a", "b", "a", "a", "c", "b"};
  for (std::size_t i = 0; i < entries.size(); ++i) entries[i].identity = identities[i];
  auto one_by_one = entries;
  number_repeated_identities(entries);
  IdentityNumbering numbering;
  for (auto& entry : one_by_one) numbering.number(entry);
  CHECK(one_by_one == entries);
  CHECK(entries[3].identity == "a#3");
  CHECK(entries[5].identity == "b#2");
}

// Report lines come back as they were set, whatever order they were set in.
TEST_CASE("packed report lines give back every field, in file order", "[bank]") {
  service::BankLine matched;
  matched.origin = "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/NtryDtls/TxDtls[1]";
  matched.identity = "camt:CH0309000000250090342:81:1";
  matched.amount = Money{4990, *Currency::parse("BRL")};
  matched.direction = "credit";
  matched.booked_on = *parse_date("2026-06-10");
  matched.outcome = "matched";
  matched.invoice_id = "inv-1";
  matched.payment_id = "camt:CH0309000000250090342:81:1";
  matched.customer_id = "cus-1";
  matched.matched_by = "reference";
  matched.references = {"E2E-1", "Fatura", "inv-1", std::string(300, 'x')};  // a long one too
  matched.explanation = "reference inv-1 names open invoice inv-1";
  service::BankLine returned = matched;
  returned.outcome = "returned";
  returned.return_reason = "MD06";
  returned.references.clear();
  returned.amount = Money{1, *Currency::parse("JPY")};

  service::BankLines lines;
  lines.set(1, returned);  // decided after the line before it
  lines.set(0, matched);
  lines.push_back(matched);
  REQUIRE(lines.size() == 3);
  const auto same = [](const service::BankLine& a, const service::BankLine& b) {
    return a.origin == b.origin && a.identity == b.identity && a.amount == b.amount &&
           a.direction == b.direction && a.booked_on == b.booked_on && a.outcome == b.outcome &&
           a.invoice_id == b.invoice_id && a.payment_id == b.payment_id && a.customer_id == b.customer_id &&
           a.matched_by == b.matched_by && a.return_reason == b.return_reason &&
           a.references == b.references && a.explanation == b.explanation;
  };
  CHECK(same(lines[0], matched));
  CHECK(same(lines[1], returned));
  CHECK(same(lines.at(2), matched));
  CHECK_THROWS_AS(lines.at(3), std::out_of_range);
  int seen = 0;
  for (const auto& line : lines) seen += line.outcome == "matched" ? 1 : 0;
  CHECK(seen == 2);
}
