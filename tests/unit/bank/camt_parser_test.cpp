#include <catch2/catch.hpp>

#include <cctype>

#include "bank/camt_parser.hpp"
#include "bank_test_support.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

namespace {

std::vector<BankEntry> parse_camt_fixture(const std::string& name) {
  auto entries = parse_camt(fixture(name));
  if (!entries) FAIL(entries.error().message);
  return *entries;
}

std::string camt_error_of(const std::string& xml) {
  auto entries = parse_camt(xml);
  REQUIRE_FALSE(entries);
  return entries.error().message;
}

// The same document with every element written with a "c:" prefix bound to the namespace.
std::string with_prefix(const std::string& xml) {
  std::string out;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    out += xml[i];
    if (xml[i] != '<' || i + 1 >= xml.size()) continue;
    if (xml[i + 1] == '/') {
      out += "/c:";
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(xml[i + 1]))) {
      out += "c:";
    }
  }
  return replace_once(out, "xmlns=\"", "xmlns:c=\"");
}

}  // namespace

// camt.053.001.02: one booked EUR credit whose only reference is the structured creditor reference.
TEST_CASE("camt.053 v2 fixture gives one booked credit with its creditor reference", "[bank]") {
  const auto entries = parse_camt_fixture(kV2);
  REQUIRE(entries.size() == 1);
  const auto& e = entries[0];
  CHECK(e.format == Format::camt053);
  CHECK(e.booking_date == day("2014-12-31"));
  CHECK(e.amount == money(885, "EUR"));
  CHECK(e.direction == Direction::credit);
  CHECK(e.booked);
  CHECK(e.status_code == "BOOK");
  CHECK_FALSE(e.reversal);
  CHECK(e.return_reason.empty());
  // Refs holds only a proprietary LegalSequenceNumber, which is not a payment reference.
  CHECK(e.references == std::vector<Reference>{{ReferenceKind::creditor_reference, "4654654654654654"}});
  // No AcctSvcrRef in this file: the identity is the account plus a hash of the entry.
  CHECK(e.identity.starts_with("camt:NL26VAYB8060476890:"));
  CHECK(e.identity.size() == std::string("camt:NL26VAYB8060476890:").size() + 16);
  CHECK(e.origin == "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]");
}

// camt.053.001.08: Sts/Cd, BookgDt/DtTm, AcctSvcrRef identity; the stray SEK 0 TxDtls amount is ignored.
TEST_CASE("camt.053 v8 fixture reads Sts/Cd and BookgDt/DtTm and keeps the booked entry amount", "[bank]") {
  const auto entries = parse_camt_fixture(kV8);
  REQUIRE(entries.size() == 1);
  const auto& e = entries[0];
  CHECK(e.format == Format::camt053);
  // 2014-12-31T13:15:00+01:00: the bank's own calendar day.
  CHECK(e.booking_date == day("2014-12-31"));
  // The entry says 8.85 EUR; its single TxDtls says <Amt Ccy="SEK">0</Amt>. The money booked
  // on the EUR account is the entry's.
  CHECK(e.amount == money(885, "EUR"));
  CHECK(e.direction == Direction::credit);
  CHECK(e.booked);
  CHECK(e.status_code == "BOOK");
  CHECK_FALSE(e.reversal);
  CHECK(e.return_reason.empty());
  CHECK(e.references == std::vector<Reference>{{ReferenceKind::end_to_end_id, "MUELL/FINP/RA12345"},
                                               {ReferenceKind::creditor_reference, "4654654654654654"}});
  // The account is given as Othr/Id rather than IBAN.
  CHECK(e.identity == "camt:NL26VAYB8060476890:AAAASESS-FP-CN_98765/01:1");
  CHECK(e.origin == "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]");
}

// camt.054.001.04: a batch of two credits split per TxDtls, a single credit, and two MD06 returns.
TEST_CASE("camt.054 v4 fixture splits the batch and reports both returned debits", "[bank]") {
  const auto entries = parse_camt_fixture(kReturns);
  REQUIRE(entries.size() == 5);
  const std::string account = "camt:CH0309000000250090342:";
  const std::string ntfctn = "Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/";
  for (const auto& e : entries) {
    CHECK(e.format == Format::camt054);
    CHECK(e.booking_date == day("2016-04-10"));
    CHECK(e.booked);
    CHECK(e.status_code == "BOOK");
  }

  SECTION("the batched entry of 24.00 CHF becomes its two transactions") {
    CHECK(entries[0].amount == money(1500, "CHF"));
    CHECK(entries[0].direction == Direction::credit);
    CHECK_FALSE(entries[0].reversal);
    CHECK(entries[0].return_reason.empty());
    CHECK(entries[0].references ==
          std::vector<Reference>{{ReferenceKind::end_to_end_id, "EndToEnd-CRDBRActSame-1B9C-CHDDBB2"},
                                 {ReferenceKind::remittance_token, "Mitteilung"},
                                 {ReferenceKind::remittance_token, "132"}});
    CHECK(entries[0].identity == account + "20160410375244000000000000000081:1");
    CHECK(entries[0].origin == ntfctn + "Ntry[1]/NtryDtls/TxDtls[1]");

    CHECK(entries[1].amount == money(900, "CHF"));
    CHECK(entries[1].direction == Direction::credit);
    CHECK(reference_values(entries[1]) ==
          std::vector<std::string>{"EndToEnd-CRDBRActSame-1B9C-CHDDBB3", "Mitteilung", "131"});
    CHECK(entries[1].identity == account + "20160410375244000000000000000081:2");
    CHECK(entries[1].origin == ntfctn + "Ntry[1]/NtryDtls/TxDtls[2]");
  }

  SECTION("the single credit has no remittance text, only its EndToEndId") {
    CHECK(entries[2].amount == money(5656, "CHF"));
    CHECK(entries[2].direction == Direction::credit);
    CHECK_FALSE(entries[2].reversal);
    CHECK(reference_values(entries[2]) == std::vector<std::string>{"PMT-651727380907030005"});
    CHECK(entries[2].identity == account + "20160410375244000000000000000071:1");
    CHECK(entries[2].origin == ntfctn + "Ntry[2]/NtryDtls/TxDtls[1]");
  }

  SECTION("the two returns are reversed debits with reason MD06") {
    CHECK(entries[3].amount == money(600, "CHF"));
    CHECK(entries[3].direction == Direction::debit);
    CHECK(entries[3].reversal);
    CHECK(entries[3].return_reason == "MD06");
    CHECK(reference_values(entries[3]) ==
          std::vector<std::string>{"EndToEnd-2B6C-CHDDBB5", "Mitteilung", "128"});
    CHECK(entries[3].identity == account + "20160410375244000000000000000082:1");

    CHECK(entries[4].amount == money(1553, "CHF"));
    CHECK(entries[4].direction == Direction::debit);
    CHECK(entries[4].reversal);
    CHECK(entries[4].return_reason == "MD06");
    // "Mitteilung 134-": the trailing joiner is not part of the word.
    CHECK(reference_values(entries[4]) == std::vector<std::string>{"E2E-1-1-16030913", "Mitteilung", "134"});
    CHECK(entries[4].identity == account + "20160410375244000000000000000072:1");
    CHECK(entries[4].origin == ntfctn + "Ntry[4]/NtryDtls/TxDtls[1]");
  }
}

// Parsing twice gives the same identities: they are for de-duplication across imports.
TEST_CASE("camt identities are the same on every parse of the same file", "[bank]") {
  CHECK(parse_camt_fixture(kV2)[0].identity == parse_camt_fixture(kV2)[0].identity);
}

// Elements are matched by local name, so a prefixed document reads like the default-namespace one.
TEST_CASE("camt with a namespace prefix on every element parses the same", "[bank]") {
  for (const auto& name : {kV2, kV8, kReturns}) {
    auto prefixed = parse_camt(with_prefix(fixture(name)));
    REQUIRE(prefixed);
    CHECK(*prefixed == parse_camt_fixture(name));
  }
}

// A file cut short is not XML; the error gives the line and column, and nothing is returned.
TEST_CASE("camt cut in the middle is refused with the line and column", "[bank]") {
  const auto xml = fixture(kReturns);
  const auto message = camt_error_of(xml.substr(0, xml.size() / 2));
  CHECK(message.starts_with("line "));
  CHECK_THAT(message, Catch::Contains("not well-formed XML"));
  CHECK(camt_error_of("<Document>\n  <a>\n</Document>\n") ==
        "line 3, column 3: not well-formed XML: mismatched tag");
}

// Each bad field is refused with the path of its element.
TEST_CASE("camt refuses a bad field naming its element path", "[bank]") {
  const auto v2 = fixture(kV2);
  const std::string ntry = "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/";
  CHECK(camt_error_of(replace_once(v2, "<CdtDbtInd>CRDT</CdtDbtInd>\n                <RvslInd>",
                                   "<CdtDbtInd>CRDX</CdtDbtInd>\n                <RvslInd>")) ==
        ntry + "CdtDbtInd: 'CRDX' is neither CRDT nor DBIT");
  CHECK(camt_error_of(replace_once(v2, "<Amt Ccy=\"EUR\">8.85</Amt>", "<Amt Ccy=\"EUR\">8,85</Amt>")) ==
        ntry + "Amt: '8,85' is not an amount in EUR: only digits and one '.' are allowed");
  CHECK(camt_error_of(replace_once(v2, "<Amt Ccy=\"EUR\">8.85</Amt>", "<Amt>8.85</Amt>")) ==
        ntry + "Amt: the Ccy attribute (currency) is missing");
  CHECK(camt_error_of(replace_once(v2, "<Amt Ccy=\"EUR\">8.85</Amt>", "<Amt Ccy=\"EUR\">0.00</Amt>")) ==
        ntry + "Amt: the amount is zero; an entry moves money or is not an entry");
  CHECK(camt_error_of(replace_once(v2, "<Amt Ccy=\"EUR\">8.85</Amt>", "<Amt Ccy=\"EUR\">8.855</Amt>")) ==
        ntry + "Amt: '8.855' is not an amount in EUR: EUR has 2 decimal places");
  CHECK(camt_error_of(replace_once(v2, "<RvslInd>false</RvslInd>", "<RvslInd>no</RvslInd>")) ==
        ntry + "RvslInd: 'no' is not a boolean (true or false)");
  CHECK(camt_error_of(replace_once(v2, "<Sts>BOOK</Sts>", "")) == ntry + "Sts: the status is missing");
  CHECK(camt_error_of(replace_once(v2, "<Dt>2014-12-31</Dt>\n                </BookgDt>",
                                   "<Dt>2014-12-32</Dt>\n                </BookgDt>")) ==
        ntry + "BookgDt/Dt: '2014-12-32' is not a date in the form YYYY-MM-DD");
  CHECK(camt_error_of(replace_once(fixture(kV8), "<DtTm>2014-12-31T13:15:00+01:00</DtTm>",
                                   "<DtTm>2014-12-31</DtTm>")) ==
        ntry + "BookgDt/DtTm: '2014-12-31' is not a date and time in the form YYYY-MM-DDThh:mm:ss");
}

// Only the listed namespaces are read; camt.052 or an unknown version is named in the error.
TEST_CASE("camt refuses a namespace it does not support", "[bank]") {
  CHECK(
      camt_error_of(replace_once(fixture(kV2), "camt.053.001.02", "camt.053.001.03")) ==
      "Document: namespace 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.03' is not a supported camt message "
      "(camt.053 or camt.054, versions 001.02, 001.04, 001.08 to 001.12)");
  CHECK(camt_error_of("<Statement xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"/>") ==
        "Statement: the root element of a camt file is Document");
  CHECK(camt_error_of(
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><Other/></Document>") ==
        "Document/BkToCstmrStmt: the message body is missing");
}

// A batch whose transactions do not add up to the entry is refused instead of guessed at.
TEST_CASE("camt refuses a batch whose transactions do not add up to the entry amount", "[bank]") {
  CHECK(camt_error_of(replace_once(fixture(kReturns), "<Amt Ccy=\"CHF\">24.00</Amt>",
                                   "<Amt Ccy=\"CHF\">25.00</Amt>")) ==
        "Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt: the entry amount 25.00 CHF is not the sum of "
        "its 2 "
        "transactions (24.00 CHF)");
  CHECK(camt_error_of(
            replace_once(fixture(kReturns), "<Amt Ccy=\"CHF\">9.00</Amt>", "<Amt Ccy=\"EUR\">9.00</Amt>")) ==
        "Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[2]: a transaction of a batched "
        "entry needs "
        "its amount in CHF (Amt or AmtDtls/TxAmt/Amt)");
}

// A single transaction may not contradict its entry in the entry's own currency.
TEST_CASE("camt refuses a single transaction amount that contradicts its entry", "[bank]") {
  CHECK(
      camt_error_of(replace_once(fixture(kV8), "<Amt Ccy=\"SEK\">0</Amt>", "<Amt Ccy=\"EUR\">5.00</Amt>")) ==
      "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/Amt: the transaction amount 5.00 EUR "
      "disagrees "
      "with the entry amount 8.85 EUR");
  // The same amount in the same currency is fine.
  CHECK(parse_camt(replace_once(fixture(kV8), "<Amt Ccy=\"SEK\">0</Amt>", "<Amt Ccy=\"EUR\">8.85</Amt>")));
}

// A pending entry is kept with its status but not booked.
TEST_CASE("camt pending entry is kept but not booked", "[bank]") {
  auto entries = parse_camt(replace_once(fixture(kV8), "<Cd>BOOK</Cd>\n                </Sts>",
                                         "<Cd>PDNG</Cd>\n                </Sts>"));
  REQUIRE(entries);
  CHECK_FALSE(entries->at(0).booked);
  CHECK(entries->at(0).status_code == "PDNG");
}

// An entry without TxDtls is one BankEntry with the entry amount and no references.
TEST_CASE("camt entry without transaction details is one entry with no references", "[bank]") {
  auto v2 = fixture(kV2);
  const auto from = v2.find("<NtryDtls>");
  const auto to = v2.find("</NtryDtls>") + std::string("</NtryDtls>").size();
  auto entries = parse_camt(v2.erase(from, to - from));
  REQUIRE(entries);
  REQUIRE(entries->size() == 1);
  CHECK(entries->at(0).amount == money(885, "EUR"));
  CHECK(entries->at(0).references.empty());
  CHECK(entries->at(0).origin == "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]");
}

// The ISO placeholder NOTPROVIDED is not a reference: it would tie unrelated payments.
TEST_CASE("camt ignores the NOTPROVIDED end-to-end placeholder", "[bank]") {
  auto entries = parse_camt(replace_once(fixture(kV8), "MUELL/FINP/RA12345", "NOTPROVIDED"));
  REQUIRE(entries);
  CHECK(reference_values(entries->at(0)) == std::vector<std::string>{"4654654654654654"});
}
