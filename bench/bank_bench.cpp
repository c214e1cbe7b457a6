// The bank-import benchmark (issue 5): a camt.053 with 100,000 entries against 200,000 open
// invoices. Two verbs, so that each measured import runs in a process of its own and its peak
// RSS is the import's alone:
//   bank_bench prepare DIR      write DIR/bank-book.db and DIR/statement-100k.xml
//   bank_bench import DB FILE   import FILE into DB (a copy) and print one JSON line
//   bank_bench parse FILE       only read FILE's entries (the streamed camt reader), to tell
//                               the parser's share of an import from the store's
//   bank_bench floor BOOK DONE  write into BOOK (a fresh copy) the rows an import wrote into
//                               DONE, with bare prepared statements in the order the import
//                               writes them, and time that: what SQLite alone takes for the
//                               import's writes on this machine (no parsing, no matching)
// bench/bank_bench.sh copies the prepared book, imports several times and reports medians.
//
// The book: 200,000 customers, each with one service and one open invoice of 49.90 BRL due
// 2026-06-01. The statement (camt.053.001.02, booked 2026-06-10, one Stmt): 100,000 booked
// credits in random order, of which 94,000 name an invoice in their Ustrd ("Fatura inv-N"),
// 3,000 name one in RmtInf/Strd/CdtrRefInf/Ref, and 3,000 carry only an EndToEndId and an
// amount no invoice fits (12.34), so they are left unmatched and alerted.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <optional>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bank/camt_stream.hpp"
#include "bench/replay.hpp"
#include "policy/policy.hpp"
#include "service/bank_import.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "util/allocator.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;
using cobrador::bench::bind_row;
using cobrador::bench::read_rows;
using cobrador::bench::Rows;

namespace {

constexpr int kInvoices = 200'000;
constexpr int kEntries = 100'000;
constexpr int kByStructuredReference = 3'000;
constexpr int kUnmatched = 3'000;

void write_book(const std::string& path) {
  store::sqlite::SqliteStore store(path);
  auto& db = store.database();
  db.exec("BEGIN");
  auto& customer = db.prepare(
      "INSERT INTO customers (ext_id, name, emails, phones, locale, customer_since, tags) "
      "VALUES (?, ?, ?, '', 'pt-BR', ?, '')");
  auto& service = db.prepare(
      "INSERT INTO services (ext_id, customer_id, kind, panel, account) VALUES (?, ?, 'hosting', 'whm1', ?)");
  auto& invoice = db.prepare(
      "INSERT INTO invoices (ext_id, customer_id, services, amount, currency, issued_on, due_on, status) "
      "VALUES (?, ?, ?, 4990, 'BRL', ?, ?, 'open')");
  const auto due = to_day_number(*parse_date("2026-06-01"));
  for (int i = 1; i <= kInvoices; ++i) {
    customer.bind(1, fmt::format("cus-{}", i)).bind(2, fmt::format("Customer {}", i));
    customer.bind(3, fmt::format("billing{}@example.com", i)).bind(4, due - 900).run();
    const auto customer_id = db.last_insert_rowid();
    const auto svc = fmt::format("svc-{}", i);
    service.bind(1, svc).bind(2, customer_id).bind(3, fmt::format("acct{}", i)).run();
    invoice.bind(1, fmt::format("inv-{}", i))
        .bind(2, customer_id)
        .bind(3, svc)
        .bind(4, due - 10)
        .bind(5, due)
        .run();
  }
  db.exec("COMMIT");
}

// One Ntry as a bank writes it (indented, one transaction per entry).
std::string entry_xml(int n, int invoice, int kind) {
  const bool unmatched = kind == 2;
  std::string remittance;
  if (kind == 0) {
    remittance = fmt::format("<RmtInf><Ustrd>Fatura inv-{} junho</Ustrd></RmtInf>", invoice);
  } else if (kind == 1) {
    remittance = fmt::format(
        "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>inv-{}</Ref></"
        "CdtrRefInf>"
        "</Strd></RmtInf>",
        invoice);
  }
  return fmt::format(
      "      <Ntry>\n"
      "        <Amt Ccy=\"BRL\">{}</Amt>\n"
      "        <CdtDbtInd>CRDT</CdtDbtInd>\n"
      "        <Sts>BOOK</Sts>\n"
      "        <BookgDt><Dt>2026-06-10</Dt></BookgDt>\n"
      "        <ValDt><Dt>2026-06-10</Dt></ValDt>\n"
      "        <AcctSvcrRef>2026061000{:07}</AcctSvcrRef>\n"
      "        "
      "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
      "        "
      "<NtryDtls><TxDtls><Refs><EndToEndId>E0000000020260610{:011}</EndToEndId></Refs>{}</TxDtls></"
      "NtryDtls>\n"
      "      </Ntry>\n",
      unmatched ? "12.34" : "49.90", n, n, remittance);
}

void write_statement(const std::string& path) {
  std::mt19937_64 random(5);
  std::vector<int> invoices(kInvoices);
  std::iota(invoices.begin(), invoices.end(), 1);
  std::shuffle(invoices.begin(), invoices.end(), random);
  std::vector<int> kinds(kEntries, 0);
  std::fill(kinds.begin(), kinds.begin() + kByStructuredReference, 1);
  std::fill(kinds.begin() + kByStructuredReference, kinds.begin() + kByStructuredReference + kUnmatched, 2);
  std::shuffle(kinds.begin(), kinds.end(), random);
  std::ofstream out(path, std::ios::binary);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
         "  <BkToCstmrStmt>\n"
         "    <GrpHdr><MsgId>BENCH-20260610</MsgId><CreDtTm>2026-06-10T23:00:00</CreDtTm></GrpHdr>\n"
         "    <Stmt>\n"
         "      <Id>BENCH-STMT-1</Id>\n"
         "      <CreDtTm>2026-06-10T23:00:00</CreDtTm>\n"
         "      <Acct><Id><IBAN>BR1800360305000010009795493C1</IBAN></Id><Ccy>BRL</Ccy></Acct>\n";
  for (int n = 0; n < kEntries; ++n) out << entry_xml(n + 1, invoices[static_cast<std::size_t>(n)], kinds[n]);
  out << "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n";
}

int prepare(const std::string& dir) {
  std::filesystem::create_directories(dir);
  const auto book = dir + "/bank-book.db";
  std::filesystem::remove(book);
  write_book(book);
  write_statement(dir + "/statement-100k.xml");
  std::cerr << fmt::format("prepared {} and {}/statement-100k.xml\n", book, dir);
  return 0;
}

int import(const std::string& db, const std::string& file, const std::string& source_dir) {
  auto policy = policy::load_policy(source_dir + "/etc/policy.yaml");
  if (!policy) throw std::runtime_error(policy.error().message);
  auto store = store::open_store(db);
  // Timed from opening the file to the store closed: what `cobradorctl bank import` does (the
  // file is read as a stream, never whole).
  const auto started = std::chrono::steady_clock::now();
  std::ifstream in(file, std::ios::binary);
  const auto now = policy->instant_at(*parse_date("2026-06-11"), 9 * 60);
  const auto report = store::in_transaction(
      *store,
      [&] {
        auto result = service::import_bank_statement(
            *store, *policy, in, {"statement-100k.xml", "bench", "operator:bench", "bank_bench"}, now);
        if (!result) throw std::runtime_error(result.error().message);
        return std::move(*result);
      },
      store::References::own);
  // Closing the store checkpoints what the commit left in the write-ahead log (the last
  // connection's close does): cobradorctl pays for it before it exits, so it is timed too.
  store.reset();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << nlohmann::json{{"seconds", took.count()},
                              {"entries", report.lines.size()},
                              {"matched", report.matched},
                              {"unmatched", report.unmatched},
                              {"max_rss_kb", usage.ru_maxrss}}
                   .dump()
            << '\n';
  return 0;
}

int parse(const std::string& file) {
  const auto started = std::chrono::steady_clock::now();
  std::ifstream in(file, std::ios::binary);
  std::size_t entries = 0;
  bank::CamtReader reader([&entries](std::vector<bank::BankEntry>& parts) -> Status {
    entries += parts.size();
    return Ok{};
  });
  std::string piece(1 << 20, '\0');
  while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) || in.gcount() > 0) {
    reader.feed(std::string_view(piece.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (auto format = reader.finish(); !format) throw std::runtime_error(format.error().message);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << nlohmann::json{{"seconds", took.count()},
                              {"entries", entries},
                              {"max_rss_kb", usage.ru_maxrss}}
                   .dump()
            << '\n';
  return 0;
}

// The rows of one table of DONE, in id order, as text or integers (SQLite keeps each value's
// own type; NULL stays NULL).
int floor(const std::string& book, const std::string& done) {
  Rows payments, audit, entries, customers, import_row;
  {
    store::Database source(done);
    auto* raw = source.handle();
    const std::string payment_columns =
        "ext_id, invoice_id, amount, currency, method, source, reference, evidence, status, received_on, "
        "recorded_at";
    payments = read_rows(raw, "SELECT id, " + payment_columns + " FROM payments ORDER BY id");
    audit = read_rows(raw,
                      "SELECT at, actor, subject, event, details FROM audit WHERE event = 'payment_created' "
                      "ORDER BY id");
    entries = read_rows(
        raw,
        "SELECT identity, import_id, origin, booking_date, amount, currency, direction, status_code, "
        "reversal, return_reason, refs, outcome, explanation, invoice_id, payment_id, id "
        "FROM bank_entries ORDER BY id");
    customers =
        read_rows(raw,
                  "SELECT DISTINCT i.customer_id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                  "ORDER BY i.customer_id");
    import_row =
        read_rows(raw, "SELECT source, label, format, actor, imported_at FROM bank_imports ORDER BY id");
  }
  auto store = store::open_store(book);
  auto& db = static_cast<store::sqlite::SqliteStore&>(*store).database();
  const auto started = std::chrono::steady_clock::now();
  store->begin_with_own_references();  // as the import's transaction
  auto& add_import = db.prepare(
      "INSERT INTO bank_imports (source, label, format, actor, imported_at) VALUES (?, ?, ?, ?, ?)");
  bind_row(add_import, import_row, 0);
  add_import.run();
  auto& add_payment = db.prepare(
      "INSERT INTO payments (id, ext_id, invoice_id, amount, currency, method, source, reference, evidence, "
      "status, "
      "received_on, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ext_id) DO "
      "NOTHING");
  auto& add_audit =
      db.prepare("INSERT INTO audit (at, actor, subject, event, details) VALUES (?, ?, ?, ?, ?)");
  auto& add_entry = db.prepare(
      "INSERT INTO bank_entries (identity, import_id, origin, booking_date, amount, currency, direction, "
      "status_code, "
      "reversal, return_reason, refs, outcome, explanation, invoice_id, payment_id, id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING");
  // As the import writes them: for each entry in file order, its payment and the payment's
  // audit row, then the entry; the customers in one pass at the end.
  std::size_t payment = 0;
  for (std::size_t e = 0; e < entries.size(); ++e) {
    const auto payment_id = entries.integers[e * 16 + 14];
    if (payment_id && payment < payments.size() && payments.integers[payment * 12] == *payment_id) {
      bind_row(add_payment, payments, payment);
      add_payment.run();
      bind_row(add_audit, audit, payment);
      add_audit.run();
      ++payment;
    }
    bind_row(add_entry, entries, e);
    add_entry.run();
  }
  std::vector<std::int64_t> paid;
  for (std::size_t c = 0; c < customers.size(); ++c) paid.push_back(*customers.integers[c]);
  store->credit_customers(paid);
  store->commit();
  store.reset();  // its checkpoint, as the import's
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  std::cout << nlohmann::json{{"seconds", took.count()},
                              {"payments", payment},
                              {"audit_rows", payment},
                              {"entries", entries.size()},
                              {"customers", customers.size()}}
                   .dump()
            << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tune_allocator();
  const std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "prepare" && argc == 3) return prepare(argv[2]);
  if (verb == "import" && argc == 4) return import(argv[2], argv[3], COBRADOR_SOURCE_DIR);
  if (verb == "parse" && argc == 3) return parse(argv[2]);
  if (verb == "floor" && argc == 4) return floor(argv[2], argv[3]);
  std::cerr << "usage: bank_bench prepare DIR | bank_bench import DB FILE | bank_bench parse FILE | "
               "bank_bench floor BOOK DONE\n";
  return 2;
}
