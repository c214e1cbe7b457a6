// Implements the two views of an import report.
#include "service/bank_report.hpp"

#include <fmt/format.h>

namespace cobrador::service {

using nlohmann::json;

json report_json(const service::BankImportReport& report) {
  json lines = json::array();
  for (const auto& line : report.lines) {
    json one{{"origin", line.origin},
             {"identity", line.identity},
             {"outcome", line.outcome},
             {"amount", format_amount(line.amount)},
             {"currency", line.amount.currency.code()},
             {"direction", line.direction},
             {"booked_on", format_date(line.booked_on)},
             {"references", line.references},
             {"explanation", line.explanation}};
    if (!line.invoice_id.empty()) one["invoice_id"] = line.invoice_id;
    if (!line.payment_id.empty()) one["payment_id"] = line.payment_id;
    if (!line.customer_id.empty()) one["customer_id"] = line.customer_id;
    if (!line.matched_by.empty()) one["matched_by"] = line.matched_by;
    if (!line.return_reason.empty()) one["return_reason"] = line.return_reason;
    lines.push_back(std::move(one));
  }
  return {{"format", report.format},
          {"matched", report.matched},
          {"unmatched", report.unmatched},
          {"returned", report.returned},
          {"already_imported", report.already_imported},
          {"ignored", report.ignored},
          {"not_booked", report.not_booked},
          {"entries", std::move(lines)}};
}

std::string describe(const BankImportReport& report, const std::string& label) {
  std::string text;
  for (const auto& line : report.lines) {
    text += fmt::format("{:<16} {:>14} {} {}", line.outcome, format_money(line.amount),
                        format_date(line.booked_on), line.origin);
    if (!line.invoice_id.empty()) text += fmt::format(" -> invoice {}", line.invoice_id);
    if (!line.payment_id.empty()) text += fmt::format(" (payment {})", line.payment_id);
    text += fmt::format("\n    {}\n", line.explanation);
  }
  text += fmt::format(
      "{}: {}: {} matched, {} unmatched, {} returned, {} already imported, {} ignored, {} not booked\n",
      label, report.format, report.matched, report.unmatched, report.returned, report.already_imported,
      report.ignored, report.not_booked);
  return text;
}

}  // namespace cobrador::service
