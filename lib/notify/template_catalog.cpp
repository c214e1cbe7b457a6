// Implements the table of templates and their variables.
#include "notify/template_catalog.hpp"

#include <algorithm>

#include "util/enum_names.hpp"

namespace cobrador::notify {

namespace {

using std::string_view_literals::operator""sv;

// Concatenates lists of names at compile time, so that each entry below reads as
// "common + debt + what is particular to this notice".
template <std::size_t... N>
constexpr auto join(const std::array<std::string_view, N>&... lists) {
  std::array<std::string_view, (N + ...)> out{};
  auto next = out.begin();
  ((next = std::copy(lists.begin(), lists.end(), next)), ...);
  return out;
}

// Every notice can say who it is for, how to reach support (SPEC §7) and the customer's own
// page (docs/customer-page.md; the support_url where the page is not offered).
constexpr std::array common{"customer_name"sv, "support_phone"sv, "support_email"sv, "support_url"sv,
                            "customer_link"sv};
// What the customer owes: the total, the oldest due date, the open invoices, and why the
// customer does not pay when someone learned it (docs/tasks.md; empty otherwise).
constexpr std::array debt{"amount_due"sv, "due_date"sv, "days_overdue"sv, "invoices"sv, "cause"sv};

constexpr auto payment_reminder = join(common, debt, std::array{"services"sv, "next_step_date"sv});
constexpr auto suspension_warning = join(common, debt, std::array{"services"sv, "next_step_date"sv});
constexpr auto suspended = join(common, debt, std::array{"services"sv});
constexpr auto reactivated = join(common, std::array{"services"sv});
// A lock states what bringing the services back takes (reactivation_after_lock).
constexpr auto locked = join(common, debt,
                             std::array{"services"sv, "purge_date"sv, "months_upfront"sv,
                                        "recurring_amount"sv, "reactivation_amount"sv});
constexpr auto trust_release_granted = join(common, debt, std::array{"services"sv, "deadline"sv});
constexpr auto claim_unconfirmed =
    join(common, debt, std::array{"services"sv, "claim_amount"sv, "claim_date"sv});
constexpr auto cancellation_confirmed =
    join(common, std::array{"services"sv, "service_end_date"sv, "purge_date"sv});
constexpr auto backup_ready = join(common, std::array{"services"sv, "backup_location"sv});
// The offer states what the backup costs (backups.last_chance_fee).
constexpr auto last_chance_backup = join(common, std::array{"services"sv, "purge_date"sv, "backup_fee"sv});

struct Entry {
  std::string_view name;
  std::span<const std::string_view> variables;
};

constexpr std::array catalog{
    Entry{"payment_reminder", payment_reminder},
    Entry{"suspension_warning", suspension_warning},
    Entry{"suspended", suspended},
    Entry{"reactivated", reactivated},
    Entry{"locked", locked},
    Entry{"trust_release_granted", trust_release_granted},
    Entry{"claim_unconfirmed", claim_unconfirmed},
    Entry{"cancellation_confirmed", cancellation_confirmed},
    Entry{"backup_ready", backup_ready},
    Entry{"last_chance_backup", last_chance_backup},
};

constexpr auto names = [] {
  std::array<std::string_view, catalog.size()> out{};
  for (std::size_t i = 0; i < catalog.size(); ++i) out[i] = catalog[i].name;
  return out;
}();

}  // namespace

std::string_view part_extension(Part part) {
  static constexpr EnumName<Part> kExtensions[]{
      {Part::subject, "subject"}, {Part::text, "txt"}, {Part::sms, "sms"}};
  return name_of(kExtensions, part, "txt");
}

std::span<const std::string_view> template_names() { return names; }

bool is_template_name(std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::span<const std::string_view> template_variables(std::string_view name) {
  for (const Entry& entry : catalog) {
    if (entry.name == name) return entry.variables;
  }
  return {};
}

}  // namespace cobrador::notify
