// Implements the list encoding of columns ("a;b;c") that the records' lists are kept in.
#include "store/records.hpp"

#include "util/split.hpp"

namespace cobrador::store {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  if (text.empty()) return items;  // most rows' lists: no pieces to cut
  for (auto item : split(text, ';')) {
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ';';
    out += item;
  }
  return out;
}

std::optional<Currency> latest_invoice_currency(const std::vector<InvoiceBalance>& invoices) {
  const InvoiceBalance* latest = nullptr;
  for (const auto& i : invoices) {
    if (!latest || i.invoice.issued_on >= latest->invoice.issued_on) latest = &i;
  }
  if (!latest) return std::nullopt;
  return latest->invoice.amount.currency;
}

}  // namespace cobrador::store
