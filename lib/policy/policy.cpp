// Implements the calendar questions a Policy answers: local dates, windows, allowed days.
#include "policy/policy.hpp"

namespace cobrador::policy {

std::string_view to_string(Channel channel) { return channel == Channel::email ? "email" : "sms"; }

Date Period::after(Date day) const {
  return unit == Unit::days ? day + date::days{count} : add_months(day, count);
}

std::int64_t DecimalAmount::minor_units_in(const Currency& currency) const {
  std::int64_t minor = units;
  for (int i = currency.decimals(); i < scale; ++i) minor /= 10;
  for (int i = scale; i < currency.decimals(); ++i) minor *= 10;  // units < 10^15: no overflow
  return minor;
}

bool DecimalAmount::reached_by(const Money& money) const {
  // Bring both to the finer of the two scales; a side that overflows is the larger one.
  const int decimals = money.currency.decimals();
  std::int64_t left = money.minor;
  std::int64_t right = units;
  for (int i = decimals; i < scale; ++i) {
    if (__builtin_mul_overflow(left, 10, &left)) return left > 0;
  }
  for (int i = scale; i < decimals; ++i) {
    if (__builtin_mul_overflow(right, 10, &right)) return false;
  }
  return left >= right;
}

const date::time_zone* zone_of(const Policy& policy) {
  return policy.timezone ? policy.timezone : date::locate_zone("UTC");
}

const date::time_zone& Policy::zone() const { return *zone_of(*this); }

Date Policy::local_date(Instant at) const {
  const auto local = zone_of(*this)->to_local(at);
  return Date{date::floor<date::days>(local).time_since_epoch()};
}

int Policy::local_minute(Instant at) const {
  const auto local = zone_of(*this)->to_local(at);
  const auto since_midnight = local - date::floor<date::days>(local);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
}

Instant Policy::instant_at(Date day, int minute) const {
  const date::local_seconds local{day.time_since_epoch() + std::chrono::minutes{minute}};
  // In a DST gap the local time does not exist: take the first instant after the gap.
  // In an overlap it exists twice: take the earlier one, so a walk is never skipped.
  const auto info = zone_of(*this)->get_info(local);
  if (info.result == date::local_info::nonexistent) return date::sys_seconds{info.second.begin};
  return Instant{local.time_since_epoch() - info.first.offset};
}

bool Policy::suspension_allowed_on(Date day) const {
  if (no_suspend_weekdays.test(date::weekday{day}.c_encoding())) return false;
  return !(no_suspend_on_holidays && holidays.count(day));
}

Date Policy::next_suspension_day(Date day) const {
  for (int i = 0; i < 400 && !suspension_allowed_on(day); ++i) day += date::days{1};
  return day;
}

const Stage* Policy::find_stage(std::string_view name) const {
  for (const auto& stage : stages) {
    if (stage.name == name) return &stage;
  }
  return nullptr;
}

}  // namespace cobrador::policy
