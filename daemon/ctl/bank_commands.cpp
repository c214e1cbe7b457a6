// `cobradorctl bank import FILE [--source NAME]` and the `list unmatched` listing: both thin
// shells over service/bank_import and the store, as the HTTP API is.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "ctl/bank_commands.hpp"
#include "ctl/progress_line.hpp"
#include "service/bank_import.hpp"
#include "service/bank_placement.hpp"
#include "service/bank_report.hpp"
#include "util/clock.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

std::string file_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

void add_bank_commands(CLI::App& app, Context& ctx) {
  auto* bank = app.add_subcommand("bank", "bank statements");
  bank->require_subcommand(1);
  auto* import = bank->add_subcommand("import", "import a camt.053/054, CNAB 240 or CSV statement");
  static std::string file;
  static std::string source = "file";
  static std::string encoding;
  import->add_option("file", file, "the statement")->required();
  import->add_option("--source", source, "the bank source, kept with each payment (default: file)");
  import
      ->add_option("--encoding", encoding,
                   "the file's text encoding: utf-8 or latin1 (ISO-8859-1, Windows-1252); default: a camt "
                   "file's XML declaration, else utf-8")
      ->check(encoding_validator());
  import->callback([&ctx] {
    // Read as a stream: a statement of 100,000 entries is never in memory whole.
    std::ifstream content(file, std::ios::binary);
  if (!content) throw CommandError(fmt::format("{}: cannot open the file", file));
  service::BankImportRequest request{file_name(file), source, ctx.actor(), "cobradorctl bank import"};
  for (const auto& [name, unused] : ctx.config().sources) request.sources.push_back(name);
  if (!encoding.empty()) request.encoding = encoding_named(encoding);
  ProgressLine line(ctx, "bank import", "bytes");
  if (auto draw = line.progress()) {
    std::error_code unknown;
    const auto size = std::filesystem::file_size(file, unknown);
    request.progress = [draw, size = unknown ? 0 : size](std::uint64_t read, std::uint64_t) {
      draw(read, size);
    };
  }
  auto& store = ctx.store();
  // Every row an import points at is one it read or wrote (store::References::own).
  const auto report = store::in_transaction(
      store,
      [&] {
        auto result = service::import_bank_statement(store, ctx.policy(), content, request, clock::now());
        if (!result) throw CommandError(result.error().message);  // rolls the transaction back
        return std::move(*result);
      },
      store::References::own);
  line.finish();
  auto out = service::report_json(report);
  out["file"] = file;
  out["source"] = source;
  ctx.print(out, service::describe(report, file));
});

static std::string entry;
static std::string invoice;
auto* place = bank->add_subcommand(
    "place", "an unmatched bank credit pays this invoice (the operator's word, through reconciliation)");
place->add_option("entry", entry, "the bank entry's identity (`list unmatched`)")->required();
place->add_option("invoice", invoice, "the open invoice it pays (its external id)")->required();
place->callback([&ctx] {
  auto& store = ctx.store();
  const auto placed = store::in_transaction(store, [&] {
    auto decided = service::place_bank_credit(store, ctx.policy(), entry, invoice, clock::now(), ctx.actor());
    if (const auto* refusal = std::get_if<service::Refusal>(&decided))
      throw CommandError(fmt::format("{} ({})", refusal->message, refusal->code));  // rolls back
    return std::get<service::PlacedCredit>(std::move(decided));
  });
  ctx.print({{"entry", entry},
             {"invoice", placed.invoice},
             {"customer", placed.customer},
             {"payment", placed.payment.ext_id},
             {"confirmed_claim", placed.confirmed_claim}},
            fmt::format("bank entry {} pays invoice {} (customer {}): payment {}{}\n", entry, placed.invoice,
                        placed.customer, placed.payment.ext_id,
                        placed.confirmed_claim ? ", the customer's claim confirmed" : ""));
});
}  // namespace cobrador::ctl

void list_unmatched(store::BankBook& store, json& rows, std::string& text) {
  for (const auto& e : store.unmatched_bank_entries()) {
    rows.push_back({{"id", e.id},
                    {"identity", e.identity},
                    {"source", e.source},
                    {"file", e.label},
                    {"origin", e.origin},
                    {"booked_on", format_date(e.booking_date)},
                    {"amount", format_amount(e.amount)},
                    {"currency", e.amount.currency.code()},
                    {"direction", e.direction},
                    {"references", e.references},
                    {"return_reason", e.return_reason},
                    {"explanation", e.explanation}});
    text += fmt::format("{:<6} {} {:>14} {:<6} {} {}: {}\n    references: {}\n    {}\n", e.id,
                        format_date(e.booking_date), format_money(e.amount), e.direction, e.source, e.label,
                        e.origin, store::join_list(e.references), e.explanation);
  }
}

}  // namespace cobrador::ctl
