// The camt reading thread (bank/camt_reading_thread): the entries of the whole document, in
// order and numbered, whatever the size of the pieces it is given; a fault after some entries
// still reported as the document's error; and a consumer that stops early ends the thread
// without reading the rest.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>

#include <fmt/format.h>

#include "bank/camt_parser.hpp"
#include "bank/camt_reading_thread.hpp"
#include "bank_test_support.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

namespace {

// Gives `xml` out `piece` bytes at a time, counting what it gave.
struct Pieces {
  const std::string& xml;
  std::size_t piece;
  std::atomic<std::size_t> given{0};
  std::string_view operator()() {
    const auto at = given.load();
    const auto part = std::string_view(xml).substr(std::min(at, xml.size()), piece);
    given += part.size();
    return part;
  }
};

std::vector<BankEntry> read_all(CamtReadingThread<BankEntry>& reader) {
  std::vector<BankEntry> entries;
  for (auto batch = reader.next(); !batch.empty(); batch = reader.next()) {
    for (auto& entry : batch) entries.push_back(std::move(entry));
  }
  return entries;
}

// A camt.053 of `count` credits; entry 1 and 2 say the same thing, so identities repeat.
std::string statement(int count, bool cut_short) {
  std::string xml =
      "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"
      "<BkToCstmrStmt><GrpHdr><MsgId>T</MsgId></GrpHdr><Stmt><Id>S</Id>"
      "<Acct><Id><IBAN>BR1800360305000010009795493C1</IBAN></Id></Acct>";
  for (int n = 1; n <= count; ++n) {
    xml += fmt::format(
        "<Ntry><Amt Ccy=\"BRL\">49.90</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        "<BookgDt><Dt>2026-06-10</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Ustrd>inv-{}</Ustrd></RmtInf>"
        "</TxDtls></NtryDtls></Ntry>",
        n <= 2 ? 1 : n);
  }
  if (cut_short) return xml + "<Ntry><Amt Ccy=\"BRL\">1";
  return xml + "</Stmt></BkToCstmrStmt></Document>";
}

}  // namespace

TEST_CASE("the camt reading thread hands out the entries of the whole document", "[bank]") {
  for (const auto& name :
       {std::string("camt/genkgo-camt053.v8.xml"), std::string("camt/viafintech-camt054.v4.returns.xml")}) {
    const auto xml = fixture(name);
    const auto whole = read_camt(xml);
    REQUIRE(whole);
    for (const std::size_t piece : {std::size_t{13}, xml.size()}) {
      Pieces pieces{xml, piece};
      CamtReadingThread<BankEntry> reader(std::ref(pieces),
                                          [](BankEntry&& entry) { return std::move(entry); });
      reader.start_preparing();
      const auto entries = read_all(reader);
      const auto format = reader.finish();
      REQUIRE(format);
      CHECK(*format == whole->format);
      CHECK(entries == whole->entries);
    }
  }
  // Several batches, repeated identities numbered as read_camt numbers them.
  const auto xml = statement(5000, false);
  const auto whole = read_camt(xml);
  REQUIRE(whole);
  REQUIRE(whole->entries.size() == 5000);
  REQUIRE(whole->entries[1].identity.ends_with("#2"));
  Pieces pieces{xml, 4096};
  CamtReadingThread<BankEntry> reader(std::ref(pieces), [](BankEntry&& entry) { return std::move(entry); });
  reader.start_preparing();
  CHECK(read_all(reader) == whole->entries);
  CHECK(reader.finish());
}

TEST_CASE("the camt reading thread reports a fault found after entries it handed out", "[bank]") {
  const auto xml = statement(3000, true);
  Pieces pieces{xml, 4096};
  CamtReadingThread<BankEntry> reader(std::ref(pieces), [](BankEntry&& entry) { return std::move(entry); });
  reader.start_preparing();
  CHECK(read_all(reader).size() >= 1024);  // entries before the fault came out first
  const auto format = reader.finish();
  REQUIRE_FALSE(format);
  CHECK(reader.syntax_error());
  CHECK_THAT(format.error().message, Catch::Contains("well-formed"));
}

TEST_CASE("a consumer that stops early ends the camt reading thread without the rest", "[bank]") {
  const auto xml = statement(40000, false);
  Pieces pieces{xml, 4096};
  {
    CamtReadingThread<BankEntry> reader(std::ref(pieces), [](BankEntry&& entry) { return std::move(entry); });
    reader.start_preparing();
    CHECK(reader.next().size() == 1024);
  }  // stopped here: the thread is joined, at most a few batches ahead
  CHECK(pieces.given.load() < xml.size() / 2);
  // Stopped before it was allowed to prepare anything (the book could not be read): the
  // thread, waiting for that, ends too.
  Pieces unread{xml, 4096};
  {
    CamtReadingThread<BankEntry> reader(std::ref(unread), [](BankEntry&& entry) { return std::move(entry); });
  }
  CHECK(unread.given.load() < xml.size() / 2);
}

// The caller reads what `prepare` needs while the document is read; `prepare` runs only after
// start_preparing, so it sees what the caller set before (here a tag every item must carry).
TEST_CASE("the camt reading thread prepares entries only once the caller says so", "[bank]") {
  const auto xml = statement(20000, false);  // more than it reads ahead unprepared
  Pieces pieces{xml, 4096};
  std::string tag = "too early";
  CamtReadingThread<std::pair<std::string, BankEntry>> reader(std::ref(pieces), [&tag](BankEntry&& entry) {
    return std::pair{tag, std::move(entry)};
  });
  tag = "ready";  // what the caller read meanwhile
  reader.start_preparing();
  std::size_t items = 0;
  std::size_t tagged = 0;
  for (auto batch = reader.next(); !batch.empty(); batch = reader.next()) {
    for (const auto& [seen, entry] : batch) {
      ++items;
      tagged += seen == "ready" ? 1 : 0;
    }
  }
  CHECK(reader.finish());
  CHECK(items == 20000);
  CHECK(tagged == items);
}
