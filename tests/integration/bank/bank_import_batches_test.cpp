// A statement longer than one batch of the import's pipeline (service/bank_import.cpp writes
// 1,024 new entries at a time): the rules of bank::reconcile still hold across batches — an
// invoice named by reference later in the file is not taken earlier by an amount guess, an
// invoice matched in an earlier batch is "already matched" — the report follows the file, the
// stream and the in-memory import agree, and a second import records nothing new.
#include <sstream>

#include <fmt/format.h>

#include "bank/camt_parser.hpp"
#include "bank_book.hpp"
#include "service/bank_import.hpp"
#include "service/billing.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

constexpr int kEntries = 9'000;  // more than one batch

// inv-1 ... inv-9000 of 49.90 CHF, each of its own customer, and inv-small of 10.00.
void seed_many(BankBook& book, int count = kEntries) {
  std::string customers = "id,name,email\n";
  std::string invoices = "id,customer_id,services,amount,currency,due_on\n";
  for (int i = 1; i <= count; ++i) {
    customers += fmt::format("c{},Customer {},c{}@example.com\n", i, i, i);
    invoices += fmt::format("inv-{},c{},,49.90,CHF,2026-03-04\n", i, i);
  }
  invoices += "inv-small,c1,,10.00,CHF,2026-03-04\n";
  book.import(service::ImportKind::customers, customers);
  book.import(service::ImportKind::invoices, invoices);
}

std::string ntry(int n, const std::string& amount, const std::string& remittance) {
  return fmt::format(
      "<Ntry><Amt Ccy=\"CHF\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
      "<BookgDt><Dt>2026-03-09</Dt></BookgDt><AcctSvcrRef>REF{}</AcctSvcrRef>"
      "<NtryDtls><TxDtls><Refs><EndToEndId>E2E-{}</EndToEndId></Refs>{}</TxDtls></NtryDtls></Ntry>\n",
      amount, n, n, remittance.empty() ? "" : fmt::format("<RmtInf><Ustrd>{}</Ustrd></RmtInf>", remittance));
}

// Entry n pays inv-n by reference, except: entry 20 names inv-5 again (same batch), entry 8500
// names inv-10 again (an earlier batch), entry 40 carries 10.00 and no reference (only
// inv-small fits that amount), and entry 8800 names inv-small by reference, for 10.00.
std::string statement() {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
      "<GrpHdr><MsgId>M</MsgId><CreDtTm>2026-03-09T23:00:00</CreDtTm></GrpHdr><Stmt><Id>S</Id>"
      "<Acct><Id><IBAN>CH0309000000250090342</IBAN></Id></Acct>\n";
  for (int n = 1; n <= kEntries; ++n) {
    if (n == 20)
      xml += ntry(n, "49.90", "Fatura inv-5");
    else if (n == 8500)
      xml += ntry(n, "49.90", "Fatura inv-10");
    else if (n == 40)
      xml += ntry(n, "10.00", "");
    else if (n == 8800)
      xml += ntry(n, "10.00", "Fatura inv-small");
    else
      xml += ntry(n, "49.90", fmt::format("Fatura inv-{}", n));
  }
  return xml + "</Stmt></BkToCstmrStmt></Document>\n";
}

std::string origin(int n) {
  return fmt::format("Document/BkToCstmrStmt/Stmt[1]/Ntry[{}]/NtryDtls/TxDtls[1]", n);
}

}  // namespace

TEST_CASE("bank import: a statement of several batches keeps reconcile's rules and the file's order",
          "[bank][batches]") {
  BankBook book;
  seed_many(book);
  const auto xml = statement();
  const service::BankImportRequest request{"long.xml", "bank-ch", "operator:test", "test"};
  const auto now = book.at_day("2026-03-10");

  auto& store = book.store();
  store.begin();
  std::istringstream in(xml);
  auto report = service::import_bank_statement(store, book.policy(), in, request, now);
  INFO((report ? "" : report.error().message));
  REQUIRE(report);
  store.commit();

  CHECK(report->format == "camt.053");
  REQUIRE(report->lines.size() == static_cast<std::size_t>(kEntries));
  CHECK(report->matched == kEntries - 3);
  CHECK(report->unmatched == 3);
  for (const int n : {1, 19, 8192, 8193, kEntries})
    CHECK(report->lines[static_cast<std::size_t>(n - 1)].origin == origin(n));

  const auto line = [&](int n) { return report->lines[static_cast<std::size_t>(n - 1)]; };
  CHECK(line(20).outcome == "unmatched");
  CHECK(line(20).explanation ==
        "reference inv-5 names open invoice inv-5, already matched in this run by " + origin(5));
  CHECK(line(8500).outcome == "unmatched");
  CHECK(line(8500).explanation ==
        "reference inv-10 names open invoice inv-10, already matched in this run by " + origin(10));
  // The amount guess of entry 40 comes after every reference: inv-small is entry 8800's.
  CHECK(line(8800).outcome == "matched");
  CHECK(line(8800).invoice_id == "inv-small");
  CHECK(line(40).outcome == "unmatched");
  CHECK(
      line(40).explanation ==
      "no reference names an open invoice, and no open invoice in CHF is due 10.00 or less (tolerance 0.00)");
  CHECK(line(8192).outcome == "matched");
  CHECK(line(8192).customer_id == "c8192");
  CHECK(line(8192).payment_id == line(8192).identity);

  CHECK(book.count("SELECT COUNT(*) FROM payments WHERE status = 'confirmed'") == kEntries - 3);
  CHECK(book.count("SELECT COUNT(*) FROM bank_entries") == kEntries);
  CHECK(book.count("SELECT COUNT(*) FROM bank_entries WHERE outcome = 'unmatched'") == 3);
  CHECK(book.count("SELECT COUNT(*) FROM audit WHERE event = 'payment_created'") == kEntries - 3);
  CHECK(book.count("SELECT COUNT(*) FROM alerts WHERE kind = 'unmatched_payment'") == 3);
  // Every customer paid is marked for the next walk: all but c20, c40, c8500 and c8800 (entry
  // 8800 paid c1's inv-small instead); nobody else was (the seeding's settle set them a day).
  CHECK(book.count("SELECT COUNT(*) FROM customers WHERE next_eval = 0") == kEntries - 4);
  // `list unmatched` lists in file order, the amount pass's entry 40 included.
  const auto unmatched = book.store().unmatched_bank_entries();
  REQUIRE(unmatched.size() == 3);
  CHECK(unmatched[0].origin == origin(20));
  CHECK(unmatched[1].origin == origin(40));
  CHECK(unmatched[2].origin == origin(8500));

  // The same file again, from memory this time: nothing new, every line already imported.
  store.begin();
  auto again = service::import_bank_statement(store, book.policy(), std::string_view(xml), request, now);
  REQUIRE(again);
  store.commit();
  CHECK(again->already_imported == kEntries);
  CHECK(again->import_id == 0);
  CHECK(again->lines[7].outcome == "already_imported");
  CHECK(book.count("SELECT COUNT(*) FROM payments") == kEntries - 3);
}

// A file cut after its first batch was written is refused as a whole: the caller rolls back.
TEST_CASE("bank import: a stream cut after its first batch is refused, naming the line", "[bank][batches]") {
  BankBook book;
  seed_many(book);
  const auto xml = statement();
  const auto cut = xml.substr(0, xml.find("<Ntry>", xml.size() - 2000));
  const service::BankImportRequest request{"cut.xml", "bank-ch", "operator:test", "test"};
  auto& store = book.store();
  store.begin();
  std::istringstream in(cut);
  auto report = service::import_bank_statement(store, book.policy(), in, request, book.at_day("2026-03-10"));
  store.rollback();
  REQUIRE_FALSE(report);
  CHECK(report.error().message.starts_with("cut.xml: line "));
  CHECK_THAT(report.error().message, Catch::Contains("not well-formed XML"));
  CHECK(book.count("SELECT COUNT(*) FROM payments") == 0);
  CHECK(book.count("SELECT COUNT(*) FROM bank_entries") == 0);
}

// A credit for an invoice without a claim is written in two statements instead of through
// put_payment (service/bank_payment.cpp): the payment and its audit row are the ones
// put_payment writes, byte for byte.
TEST_CASE("bank import: a new payment and its audit row are what put_payment writes", "[bank][batches]") {
  BankBook imported;
  BankBook put;
  seed_many(imported, 3);
  seed_many(put, 3);
  const auto xml = statement().substr(0, statement().find("<Ntry>")) + ntry(2, "49.90", "Fatura inv-2") +
                   "</Stmt></BkToCstmrStmt></Document>\n";
  const service::BankImportRequest request{"one.xml", "bank-ch", "operator:test", "test"};
  const auto now = imported.at_day("2026-03-10");
  imported.store().begin();
  auto report = service::import_bank_statement(imported.store(), imported.policy(), std::string_view(xml),
                                               request, now);
  REQUIRE(report);
  imported.store().commit();
  REQUIRE(report->matched == 1);
  const auto line = report->lines[0];

  const auto balance = put.store().invoice("inv-2");
  REQUIRE(balance);
  const auto& invoice = balance->invoice;
  const Payment payment{0,
                        line.identity,
                        invoice.id,
                        "inv-2",
                        Money{4990, *Currency::parse("CHF")},
                        "transfer",
                        "bank-ch",
                        "E2E-2",
                        "",
                        PaymentStatus::confirmed,
                        *parse_date("2026-03-09"),
                        ""};
  put.store().begin();
  REQUIRE(service::put_payment(put.store(), payment, now,
                               {"bank:bank-ch", "one.xml: " + line.origin + ": " + line.explanation}));
  put.store().recount_returned_debits(invoice.customer_id);
  put.store().commit();

  const std::string audit =
      "SELECT at || '|' || actor || '|' || subject || '|' || event || '|' || details FROM audit "
      "WHERE event = 'payment_created'";
  CHECK(imported.text(audit) == put.text(audit));
  const std::string row =
      "SELECT ext_id || '|' || invoice_id || '|' || amount || currency || '|' || method || '|' || "
      "source || '|' || reference || '|' || evidence || '|' || status || '|' || received_on || "
      "'|' || recorded_at || '|' || return_reason FROM payments";
  CHECK(imported.text(row) == put.text(row));
  const std::string customer =
      "SELECT next_eval || '|' || returned_debits_in_a_row FROM customers WHERE ext_id = 'c2'";
  CHECK(imported.text(customer) == put.text(customer));
}

// A camt file read as a stream has its likely payments built ahead, on the reading thread
// (Importer::read_ahead); entries given as a list (a PIX notification) have not. Both must
// write the same rows: here the same 9,000 entries, with an invoice named twice in one batch
// and across batches, a claim waiting on inv-7, and an amount guess, go both ways.
TEST_CASE("bank import: entries read ahead on the reading thread write what entries given as a list write",
          "[bank][batches]") {
  const auto xml = statement();
  const service::BankImportRequest request{"long.xml", "bank-ch", "operator:test", "test"};
  const auto import = [&](BankBook& book, bool streamed) {
    seed_many(book);
    const auto now = book.at_day("2026-03-10");
    auto& store = book.store();
    store.begin();
    const auto inv7 = store.invoice("inv-7");
    REQUIRE(inv7);
    REQUIRE(service::put_payment(
        store,
        {0, "claim-7", inv7->invoice.id, "inv-7", Money{4990, *Currency::parse("CHF")}, "pix", "customer", "",
         "receipt.png", PaymentStatus::claimed, *parse_date("2026-03-08"), ""},
        now, {"customer", "test"}));
    auto parsed = bank::read_camt(xml);
    REQUIRE(parsed);
    auto report =
        streamed ? service::import_bank_statement(store, book.policy(), std::string_view(xml), request, now)
                 : service::import_bank_entries(store, book.policy(), std::move(parsed->entries), "camt.053",
                                                request, now);
    INFO((report ? "" : report.error().message));
    REQUIRE(report);
    store.commit();
    return std::move(*report);
  };
  BankBook streamed_book;
  BankBook listed_book;
  const auto streamed = import(streamed_book, true);
  const auto listed = import(listed_book, false);

  REQUIRE(streamed.lines.size() == listed.lines.size());
  CHECK(streamed.matched == kEntries - 3);
  CHECK(streamed.lines[6].outcome == "confirmed_claim");
  for (std::size_t i = 0; i < streamed.lines.size(); ++i) {
    INFO("line " << i + 1);
    const auto a = streamed.lines[i];
    const auto b = listed.lines[i];
    CHECK(a.outcome == b.outcome);
    CHECK(a.explanation == b.explanation);
    CHECK(a.payment_id == b.payment_id);
    CHECK(a.customer_id == b.customer_id);
    CHECK(a.invoice_id == b.invoice_id);
    if (a.outcome != b.outcome) break;
  }
  for (const std::string table :
       {"SELECT ext_id, invoice_id, amount, method, source, reference, evidence, status, received_on FROM "
        "payments "
        "ORDER BY ext_id",
        "SELECT actor, subject, event, details FROM audit WHERE actor = 'bank:bank-ch' ORDER BY id",
        "SELECT id, identity, origin, refs, outcome, explanation, invoice_id FROM bank_entries ORDER BY id",
        "SELECT ext_id, next_eval, returned_debits_in_a_row FROM customers ORDER BY id"}) {
    INFO(table);
    const auto streamed_rows = streamed_book.rows(table);
    CHECK(streamed_rows.size() >= 3);
    CHECK(streamed_rows == listed_book.rows(table));
  }
}
