// GET /v1/customers/{id} and GET /v1/forecast?days=N (scope read, or operator). Both play the
// policy forward with walk::simulate inside a transaction that is rolled back, so they run
// alone on the store thread, never inside a batch of writes.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/json_error.hpp"
#include "http/routes.hpp"
#include "service/customer_view.hpp"
#include "walk/simulate.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;

const std::vector<std::string_view> kReaders{"read", "operator"};
constexpr int kMaxForecastDays = 366;

// days=N, a whole number from 1 to 366.
std::variant<int, Response> forecast_days(const Request& request) {
  bool found = false;
  const auto text = request.query_value("days", &found);
  if (!found) return error_response(400, "missing_field", "days: is missing (?days=N)", "days");
  int days = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (ec != std::errc() || end != text.data() + text.size() || days < 1 || days > kMaxForecastDays) {
    return error_response(400, "invalid_field",
                          fmt::format("days: must be a whole number from 1 to {}", kMaxForecastDays), "days");
  }
  return days;
}

Response forecast(store::Store& store, const policy::Policy& policy, Instant now, int days) {
  const Date today = policy.local_date(now);
  json actions = json::array();
  for (const auto& e : walk::simulate(store, policy, today, days)) {
    if (e.event != "action") continue;
    actions.push_back({{"date", format_date(e.day)},
                       {"customer", e.customer},
                       {"event", e.event},
                       {"stage", e.stage},
                       {"detail", e.detail}});
  }
  return json_response(200,
                       dump_json(json{{"from", format_date(today)}, {"days", days}, {"actions", actions}}));
}

}  // namespace

void get_customer(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, kReaders);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  const Instant now = context.clock();
  context.store->submit(
      StoreWorker::Mode::alone,
      [&context, id = params.at("id"), now](store::Store& store) {
        const auto view = service::customer_view(store, *context.policy.get(), id, now);
        if (!view) return error_response(404, "unknown_customer", fmt::format("no customer '{}'", id));
        return json_response(200, dump_json(service::to_json(*view)));
      },
      std::move(respond));
}

void get_forecast(ApiContext& context, Request&& request, Params&&, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, kReaders);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  auto days = forecast_days(request);
  if (auto* refusal = std::get_if<Response>(&days)) return respond(std::move(*refusal));
  const Instant now = context.clock();
  context.store->submit(
      StoreWorker::Mode::alone,
      [&context, now, days = std::get<int>(days)](store::Store& store) {
        return forecast(store, *context.policy.get(), now, days);
      },
      std::move(respond));
}

}  // namespace cobrador::http
