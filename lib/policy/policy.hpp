// The dunning policy (SPEC §5) as validated values. Everything that reads policy.yaml ends
// up here; the decision functions take a const Policy& and nothing else from configuration.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "domain/date.hpp"
#include "domain/entities.hpp"
#include "domain/money.hpp"
#include "policy/quiet_hours.hpp"
#include "policy/task_rules.hpp"
#include "util/result.hpp"

namespace cobrador::policy {

enum class Channel { email, sms };
std::string_view to_string(Channel channel);

// "N days" or "N months".
struct Period {
  int count = 0;
  enum class Unit { days, months } unit = Unit::days;
  Date after(Date day) const;
  friend bool operator==(const Period&, const Period&) = default;
};

// A decimal threshold such as unpaid_total: "150.00", compared in the customer's currency.
struct DecimalAmount {
  std::int64_t units = 0;  // 15000 for "150.00"
  int scale = 0;           // 2 for "150.00"
  std::string text;
  // True when `money` is at least this amount.
  bool reached_by(const Money& money) const;
  // This amount in minor units of `currency`, rounded down ("0.05" is 5 BRL cents, 0 JPY).
  std::int64_t minor_units_in(const Currency& currency) const;
};

// All conditions of a stage's `when` must hold.
struct Conditions {
  std::optional<int> days_overdue;
  std::optional<int> unpaid_invoices;
  std::optional<DecimalAmount> unpaid_total;
  std::optional<int> returned_debits_in_a_row;
  std::vector<std::string> tags_include;  // the customer has every one of them
  std::vector<std::string> tags_exclude;  // the customer has none of them
};

enum class SuspendScope { billed_services, all_services };
enum class SuspendMode { full, outgoing_only };
inline constexpr EnumName<SuspendMode> kSuspendModeNames[]{{SuspendMode::full, "full"},
                                                           {SuspendMode::outgoing_only, "outgoing_only"}};
inline std::string_view to_string(SuspendMode mode) { return name_of(kSuspendModeNames, mode); }

struct Stage {
  std::string name;
  Conditions when;
  std::vector<Channel> notify;
  std::string template_name;
  std::optional<SuspendScope> suspend;
  // `mode`: one value for every kind of service, or a map from kind to mode (a phone line
  // keeps its incoming calls while the internet access is cut). A kind the map does not name
  // is suspended fully; no entry at all means full for every kind.
  std::map<ServiceKind, SuspendMode> modes;
  bool lock = false;
  bool collections = false;
  std::optional<Period> purge_after;

  // A stage that takes a service away (suspend or lock), as opposed to one that only notifies.
  bool has_effect() const { return suspend.has_value() || lock; }
  // How this stage suspends a service of `kind`.
  SuspendMode mode_for(ServiceKind kind) const {
    const auto found = modes.find(kind);
    return found == modes.end() ? SuspendMode::full : found->second;
  }
};

struct TrustRelease {
  bool enabled = false;
  int days = 3;
  int min_customer_months = 6;
  int new_customer_days = 0;
  int max_per_12_months = 2;
  int blocked_after_broken_promise_days = 365;
};

struct Claims {
  int release_days = 0;
  int expire_after_days = 3;
};

// How a customer can pay, as the customer's page shows it (docs/customer-page.md):
// `payments.methods`, each a type (bank_transfer, pix, boleto) and what the customer needs
// to pay that way (the account, the PIX key, where the boleto's line is).
struct PaymentMethod {
  std::string type;
  std::string details;
};

struct Payments {
  std::string lift_suspension_on = "confirmed";
  std::vector<PaymentMethod> methods;
  // How much less than what is due a bank credit may be and still pay an invoice found by
  // its amount (bank fees, rounding); "0.00" = the full amount.
  DecimalAmount match_tolerance{0, 2, "0.00"};
  Claims claims;
};

struct Backups {
  std::vector<std::string> allowed_in{"active"};
  int offer_before_purge_days = 7;
  // What the last-chance backup (offered by the purge notice to a cancelling, cancelled or
  // locked service) costs, charged through the billing system; none: it is free.
  std::optional<DecimalAmount> last_chance_fee;
};

struct Cancellation {
  int notice_day_of_month = 10;
  enum class Until { end_of_month, end_of_prepaid_period } service_until = Until::end_of_month;
  Period purge_after{1, Period::Unit::months};
  bool require_no_open_invoices = true;
  // immediately: a request takes effect when it is recorded; phone: it waits, as
  // awaiting_confirmation, for the call that confirms it (tasks.confirm_cancellation).
  enum class ConfirmBy { immediately, phone } confirm_by = ConfirmBy::immediately;
};

struct ReactivationAfterLock {
  bool pay_all_debts = true;
  int months_upfront = 0;
};

struct Policy {
  std::string timezone_name = "UTC";
  const date::time_zone* timezone = nullptr;
  int run_at_minute = 6 * 60;          // minutes after local midnight
  std::bitset<7> no_suspend_weekdays;  // indexed by date::weekday::c_encoding() (0 = Sunday)
  bool no_suspend_on_holidays = false;
  std::set<Date> holidays;
  std::map<Channel, QuietWindow> quiet_hours;
  int min_notice_days = 1;
  std::vector<Stage> stages;
  TrustRelease trust_release;
  Payments payments;
  Backups backups;
  Cancellation cancellation;
  ReactivationAfterLock reactivation_after_lock;
  TaskRules tasks;

  const date::time_zone& zone() const;
  // The civil date in the policy's time zone at `at`.
  Date local_date(Instant at) const;
  // Minutes after local midnight at `at`.
  int local_minute(Instant at) const;
  // The instant of local time `minute` on `day` in the policy's zone (DST gaps move forward).
  Instant instant_at(Date day, int minute) const;
  // May a suspension or lock happen on `day`?
  bool suspension_allowed_on(Date day) const;
  // `day` itself, or the first day after it on which a suspension may happen (at most 400
  // days on: a calendar that forbids every day is refused when the policy is read).
  Date next_suspension_day(Date day) const;
  const Stage* find_stage(std::string_view name) const;
};

// Parses and validates policy.yaml. `label` is how messages name the file ("policy.yaml" or a
// path). Every problem is reported, one a line, as "label:LINE:COL: message".
Result<Policy> parse_policy(const std::string& text, const std::string& label);
Result<Policy> load_policy(const std::string& path);

}  // namespace cobrador::policy
