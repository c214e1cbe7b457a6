// Implements reading policy.yaml into a validated Policy. Every key is read through a
// MapReader, so an unknown or misspelt key is an error at its line and column.
#include <algorithm>
#include <ctime>
#include <iomanip>
#include <sstream>

#include <fmt/format.h>

#include "config/yaml_reader.hpp"
#include "policy/policy.hpp"
#include "util/text_file.hpp"

namespace cobrador::policy {

namespace {

using config::MapReader;
using config::Problems;

const std::vector<std::string> kWeekdays{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
const std::vector<std::string> kServiceStates{"active", "suspended", "locked", "cancelling", "cancelled"};

std::optional<int> parse_clock(const std::string& text) {
  std::istringstream in(text);
  std::tm parts{};
  in >> std::get_time(&parts, "%H:%M");
  if (in.fail() || in.peek() != std::char_traits<char>::eof() || text.size() != 5) return std::nullopt;
  return parts.tm_hour * 60 + parts.tm_min;
}

std::optional<Period> parse_period(const std::string& text) {
  std::istringstream in(text);
  long long count = 0;
  std::string unit, rest;
  if (!(in >> count >> unit) || (in >> rest) || count < 0 || count > 100000) return std::nullopt;
  if (unit == "day" || unit == "days") return Period{static_cast<int>(count), Period::Unit::days};
  if (unit == "month" || unit == "months") return Period{static_cast<int>(count), Period::Unit::months};
  return std::nullopt;
}

std::optional<DecimalAmount> parse_decimal(const std::string& text) {
  DecimalAmount amount{0, 0, text};
  bool seen_dot = false;
  bool seen_digit = false;
  for (char c : text) {
    if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else if (c >= '0' && c <= '9') {
      if (amount.units > 100'000'000'000'000LL) return std::nullopt;
      amount.units = amount.units * 10 + (c - '0');
      amount.scale += seen_dot ? 1 : 0;
      seen_digit = true;
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit || text.back() == '.' || amount.scale > 4) return std::nullopt;
  return amount;
}

std::optional<Period> read_period(MapReader& map, const std::string& key) {
  const auto text = map.get_string(key);
  if (!text) return std::nullopt;
  auto period = parse_period(*text);
  if (!period) map.error(key, fmt::format("'{}' is not a period like \"30 days\" or \"1 month\"", *text));
  return period;
}

std::optional<int> read_int(MapReader& map, const std::string& key, int min, int max) {
  const auto value = map.get_int(key, min, max);
  return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

template <class T>
void assign(T& target, const std::optional<T>& value) {
  if (value) target = *value;
}

Conditions read_conditions(const YAML::Node& node, const std::string& where, Problems& problems) {
  MapReader map(node, where, problems);
  Conditions when;
  when.days_overdue = read_int(map, "days_overdue", 1, 3650);
  when.unpaid_invoices = read_int(map, "unpaid_invoices", 1, 1000);
  when.returned_debits_in_a_row = read_int(map, "returned_debits_in_a_row", 1, 1000);
  if (const auto text = map.get_string("unpaid_total")) {
    when.unpaid_total = parse_decimal(*text);
    if (!when.unpaid_total)
      map.error("unpaid_total", fmt::format("'{}' is not an amount like \"150.00\"", *text));
  }
  assign(when.tags_include, map.get_string_list("tags_include"));
  assign(when.tags_exclude, map.get_string_list("tags_exclude"));
  map.finish();
  const bool any = when.days_overdue || when.unpaid_invoices || when.returned_debits_in_a_row ||
                   when.unpaid_total || !when.tags_include.empty();
  if (!any && problems.empty()) {
    problems.add(node.Mark(), fmt::format("{}: needs at least one of days_overdue, unpaid_invoices, "
                                          "unpaid_total, returned_debits_in_a_row, tags_include",
                                          where));
  }
  return when;
}

// One kind's entry of a `mode` map: `phone: outgoing_only`.
void read_kind_mode(const YAML::Node& key, const YAML::Node& value, const std::string& where, Stage& stage,
                    Problems& problems) {
  const auto kind_text = key.as<std::string>("");
  const auto kind = parse_service_kind(kind_text);
  if (!kind) {
    problems.add(key.Mark(), fmt::format("{}: '{}' is not a kind of service ({})", where, kind_text,
                                         names_listed(kServiceKindNames)));
    return;
  }
  if (stage.modes.count(*kind)) {
    problems.add(key.Mark(), fmt::format("{}: '{}' is named twice", where, kind_text));
    return;
  }
  const std::string text = value.IsScalar() ? value.Scalar() : "";
  const auto mode = value_named(kSuspendModeNames, text);
  if (!mode) {
    const auto what = value.IsScalar() ? fmt::format("'{}' is not", text) : std::string("must be");
    problems.add(value.Mark(), fmt::format("{}.{}: {} one of: {}", where, kind_text, what,
                                           names_listed(kSuspendModeNames)));
    return;
  }
  stage.modes[*kind] = *mode;
}

// `mode: outgoing_only` suspends every kind of service so; `mode: {phone: outgoing_only,
// internet: full}` names the mode of each kind, and a kind it leaves out is suspended fully.
void read_suspend_modes(MapReader& map, Stage& stage) {
  const YAML::Node node = map.node("mode");
  if (!node) return;
  if (node.IsMap()) {
    for (const auto& entry : node)
      read_kind_mode(entry.first, entry.second, map.path("mode"), stage, map.problems());
  } else if (!node.IsScalar()) {
    map.error("mode", fmt::format("must be one of: {}, or a map from kind of service to mode such as "
                                  "{{phone: outgoing_only}}",
                                  names_listed(kSuspendModeNames)));
  } else if (const auto mode = value_named(kSuspendModeNames, node.Scalar())) {
    for (const auto& kind : kServiceKindNames) stage.modes[kind.value] = *mode;
  } else {
    map.error("mode", fmt::format("'{}' is not one of: {}, or a map from kind of service to mode",
                                  node.Scalar(), names_listed(kSuspendModeNames)));
  }
  if (!stage.suspend) map.error("mode", "applies only to a stage with suspend");
}

Stage read_stage(const YAML::Node& node, std::size_t index, Problems& problems) {
  const std::string where = fmt::format("stages[{}]", index);
  MapReader map(node, where, problems);
  Stage stage;
  assign(stage.name, map.get_string("name", true));
  if (map.has("when")) {
    stage.when = read_conditions(map.node("when"), where + ".when", problems);
  } else {
    map.get_string("when", true);
  }
  if (const auto channels = map.get_string_list("notify")) {
    for (const auto& channel : *channels) {
      if (channel == "email") {
        stage.notify.push_back(Channel::email);
      } else if (channel == "sms") {
        stage.notify.push_back(Channel::sms);
      } else {
        map.error("notify", fmt::format("'{}' is not a channel (email, sms)", channel));
      }
    }
  }
  assign(stage.template_name, map.get_string("template", !stage.notify.empty()));
  if (const auto scope = map.get_choice("suspend", {"billed_services", "all_services"})) {
    stage.suspend = *scope == "billed_services" ? SuspendScope::billed_services : SuspendScope::all_services;
  }
  read_suspend_modes(map, stage);
  assign(stage.lock, map.get_bool("lock"));
  assign(stage.collections, map.get_bool("collections"));
  stage.purge_after = read_period(map, "purge_after");
  if (stage.purge_after && !stage.lock) map.error("purge_after", "applies only to a stage with lock: true");
  if (stage.collections && !stage.lock) map.error("collections", "applies only to a stage with lock: true");
  if (!map.has("notify") && !stage.has_effect() && map.has("name")) {
    problems.add(node.Mark(),
                 fmt::format("{} ({}): does nothing; give it notify, suspend or lock", where, stage.name));
  }
  map.finish();
  return stage;
}

void read_stages(MapReader& top, Policy& policy) {
  const YAML::Node stages = top.node("stages");
  if (!stages || !stages.IsSequence() || stages.size() == 0) {
    top.problems().add(stages ? stages.Mark() : top.self().Mark(),
                       "stages: a list of at least one stage is required");
    return;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    policy.stages.push_back(read_stage(stages[i], i, top.problems()));
    const auto& name = policy.stages.back().name;
    if (!name.empty() && !names.insert(name).second) {
      top.problems().add(stages[i].Mark(), fmt::format("stages[{}]: the name '{}' is used twice", i, name));
    }
  }
}

void read_calendar(MapReader& top, Policy& policy) {
  if (const auto zone = top.get_string("timezone", true)) {
    try {
      policy.timezone = date::locate_zone(*zone);
      policy.timezone_name = *zone;
    } catch (const std::exception&) {
      top.error("timezone", fmt::format("'{}' is not an IANA time zone such as America/Sao_Paulo", *zone));
    }
  }
  if (const auto run_at = top.get_string("run_at")) {
    const auto minute = parse_clock(*run_at);
    if (minute)
      policy.run_at_minute = *minute;
    else
      top.error("run_at", fmt::format("'{}' is not a time like \"06:00\"", *run_at));
  }
  if (const auto days = top.get_string_list("no_suspend_on")) {
    for (const auto& day : *days) {
      const auto found = std::find(kWeekdays.begin(), kWeekdays.end(), day);
      if (day == "holidays")
        policy.no_suspend_on_holidays = true;
      else if (found != kWeekdays.end())
        policy.no_suspend_weekdays.set(found - kWeekdays.begin());
      else
        top.error("no_suspend_on", fmt::format("'{}' is not a weekday (mon..sun) or 'holidays'", day));
    }
    if (policy.no_suspend_weekdays.all())
      top.error("no_suspend_on", "every weekday is listed: no suspension could ever happen");
  }
  if (const auto days = top.get_string_list("holidays")) {
    for (const auto& day : *days) {
      const auto parsed = parse_date(day);
      if (parsed)
        policy.holidays.insert(*parsed);
      else
        top.error("holidays", parsed.error().message);
    }
  }
  MapReader quiet(top.node("quiet_hours"), "quiet_hours", top.problems());
  for (const auto& [name, channel] : {std::pair{"sms", Channel::sms}, std::pair{"email", Channel::email}}) {
    const auto window = quiet.get_string(name);
    if (!window) continue;
    const auto parsed = parse_quiet_window(*window);
    if (parsed)
      policy.quiet_hours[channel] = *parsed;
    else
      quiet.error(name, parsed.error().message);
  }
  quiet.finish();
  assign(policy.min_notice_days, read_int(top, "min_notice_days", 0, 365));
}

void read_mercy(MapReader& top, Policy& policy) {
  MapReader trust(top.node("trust_release"), "trust_release", top.problems());
  auto& t = policy.trust_release;
  assign(t.enabled, trust.get_bool("enabled"));
  assign(t.days, read_int(trust, "days", 0, 365));
  assign(t.min_customer_months, read_int(trust, "min_customer_months", 0, 1200));
  assign(t.new_customer_days, read_int(trust, "new_customer_days", 0, 365));
  assign(t.max_per_12_months, read_int(trust, "max_per_12_months", 0, 365));
  assign(t.blocked_after_broken_promise_days, read_int(trust, "blocked_after_broken_promise_days", 0, 3650));
  trust.finish();

  MapReader payments(top.node("payments"), "payments", top.problems());
  // Only money the bank confirmed lifts a suspension; there is deliberately no other choice.
  assign(policy.payments.lift_suspension_on, payments.get_choice("lift_suspension_on", {"confirmed"}));
  if (const auto text = payments.get_string("match_tolerance")) {
    const auto tolerance = parse_decimal(*text);
    if (tolerance) {
      policy.payments.match_tolerance = *tolerance;
    } else {
      payments.error("match_tolerance", fmt::format("'{}' is not an amount like \"0.50\"", *text));
    }
  }
  MapReader claims(payments.node("claims"), "payments.claims", top.problems());
  assign(policy.payments.claims.release_days, read_int(claims, "release_days", 0, 365));
  assign(policy.payments.claims.expire_after_days, read_int(claims, "expire_after_days", 1, 365));
  claims.finish();
  const YAML::Node methods = payments.node("methods");
  if (methods && !methods.IsSequence()) {
    top.problems().add(methods.Mark(), "payments.methods: a list of { type, details } is required");
  } else if (methods) {
    for (std::size_t i = 0; i < methods.size(); ++i) {
      MapReader method(methods[i], fmt::format("payments.methods[{}]", i), top.problems());
      policy.payments.methods.push_back(
          PaymentMethod{method.get_choice("type", {"bank_transfer", "pix", "boleto"}, true).value_or(""),
                        method.get_string("details", true).value_or("")});
      method.finish();
    }
  }
  payments.finish();
}

void read_endings(MapReader& top, Policy& policy) {
  MapReader backups(top.node("backups"), "backups", top.problems());
  if (const auto states = backups.get_string_list("allowed_in")) {
    policy.backups.allowed_in.clear();
    for (const auto& state : *states) {
      if (std::find(kServiceStates.begin(), kServiceStates.end(), state) == kServiceStates.end()) {
        backups.error("allowed_in", fmt::format("'{}' is not a service state ({})", state,
                                                fmt::join(kServiceStates, ", ")));
      }
      policy.backups.allowed_in.push_back(state);
    }
  }
  assign(policy.backups.offer_before_purge_days, read_int(backups, "offer_before_purge_days", 0, 365));
  if (const auto text = backups.get_string("last_chance_fee")) {
    if (const auto fee = parse_decimal(*text)) {
      policy.backups.last_chance_fee = *fee;
    } else {
      backups.error("last_chance_fee", fmt::format("'{}' is not an amount like \"25.00\"", *text));
    }
  }
  backups.finish();

  MapReader cancel(top.node("cancellation"), "cancellation", top.problems());
  auto& c = policy.cancellation;
  assign(c.notice_day_of_month, read_int(cancel, "notice_day_of_month", 1, 31));
  if (const auto until = cancel.get_choice("service_until", {"end_of_month", "end_of_prepaid_period"})) {
    c.service_until = *until == "end_of_month" ? Cancellation::Until::end_of_month
                                               : Cancellation::Until::end_of_prepaid_period;
  }
  assign(c.purge_after, read_period(cancel, "purge_after"));
  assign(c.require_no_open_invoices, cancel.get_bool("require_no_open_invoices"));
  if (const auto by = cancel.get_choice("confirm_by", {"immediately", "phone"})) {
    c.confirm_by = *by == "phone" ? Cancellation::ConfirmBy::phone : Cancellation::ConfirmBy::immediately;
  }
  cancel.finish();

  MapReader lock(top.node("reactivation_after_lock"), "reactivation_after_lock", top.problems());
  assign(policy.reactivation_after_lock.pay_all_debts, lock.get_bool("pay_all_debts"));
  assign(policy.reactivation_after_lock.months_upfront, read_int(lock, "months_upfront", 0, 120));
  lock.finish();
}

// `tasks:` — each kind that opens on a rule of its own is on when its entry is present (and
// `enabled` is not false); docs/tasks.md.
void read_tasks(MapReader& top, Policy& policy) {
  MapReader tasks(top.node("tasks"), "tasks", top.problems());
  auto& t = policy.tasks;
  const auto entry = [&](const std::string& key, auto read) {
    if (!tasks.has(key)) return;
    MapReader map(tasks.node(key), tasks.path(key), top.problems());
    read(map);
    map.finish();
  };
  entry("confirm_cancellation", [&](MapReader& m) {
    auto& r = t.confirm_cancellation;
    assign(r.due_days, read_int(m, "due_days", 0, 365));
    assign(r.retry_days, read_int(m, "retry_days", 0, 365));
    assign(r.max_attempts, read_int(m, "max_attempts", 1, 100));
  });
  entry("ask_cause", [&](MapReader& m) {
    auto& r = t.ask_cause;
    r.enabled = m.get_bool("enabled").value_or(true);
    assign(r.at_stage, m.get_string("at_stage", r.enabled));
    assign(r.due_days, read_int(m, "due_days", 0, 365));
    if (r.enabled && !r.at_stage.empty() && !policy.find_stage(r.at_stage)) {
      m.error("at_stage", fmt::format("'{}' is not a stage of this policy", r.at_stage));
    }
  });
  entry("purge_follow_up", [&](MapReader& m) {
    auto& r = t.purge_follow_up;
    r.enabled = m.get_bool("enabled").value_or(true);
    assign(r.due_days, read_int(m, "due_days", 0, 365));
  });
  entry("open_invoices_at_cancellation", [&](MapReader& m) {
    auto& r = t.open_invoices_at_cancellation;
    r.enabled = m.get_bool("enabled").value_or(true);
    assign(r.charge_after_days, read_int(m, "charge_after_days", 0, 3650));
    assign(r.due_days, read_int(m, "due_days", 0, 365));
  });
  entry("cancellation_unanswered", [&](MapReader& m) {
    auto& r = t.cancellation_unanswered;
    r.enabled = m.get_bool("enabled").value_or(true);
    assign(r.due_days, read_int(m, "due_days", 0, 365));
  });
  entry("invite_to_cancel", [&](MapReader& m) {
    auto& r = t.invite_to_cancel;
    r.enabled = m.get_bool("enabled").value_or(true);
    assign(r.episodes, read_int(m, "episodes", 2, 100));
    assign(r.within_months, read_int(m, "within_months", 1, 120));
    assign(r.due_days, read_int(m, "due_days", 0, 365));
  });
  tasks.finish();
}

}  // namespace

Result<Policy> parse_policy(const std::string& text, const std::string& label) {
  return config::read_document<Policy>(text, label, Policy{},
                                       {read_calendar, read_stages, read_mercy, read_endings, read_tasks},
                                       "the policy must be a mapping with at least timezone and stages");
}

Result<Policy> load_policy(const std::string& path) { return parse_text_file(path, parse_policy); }

}  // namespace cobrador::policy
