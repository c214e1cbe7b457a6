// Implements counting and the text exposition of the metrics.
#include "http/metrics.hpp"

#include <fmt/format.h>

namespace cobrador::http {

namespace {

// Label values are escaped as the exposition format asks: backslash, quote, newline.
std::string label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void render_walk(std::string& out, const StoreFigures& figures) {
  header(out, "cobrador_walk_duration_seconds", "gauge", "How long the last daily walk took.");
  header(out, "cobrador_walk_last_finished_timestamp_seconds", "gauge", "When the last daily walk finished.");
  header(out, "cobrador_walk_customers_evaluated", "gauge", "Customers the last daily walk evaluated.");
  if (!figures.last_walk) return;
  const auto& walk = *figures.last_walk;
  out += fmt::format("cobrador_walk_duration_seconds {}\n", (walk.finished_at - walk.started_at).count());
  out += fmt::format("cobrador_walk_last_finished_timestamp_seconds {}\n", to_unix(walk.finished_at));
  out += fmt::format("cobrador_walk_customers_evaluated {}\n", walk.evaluated);
}

// The last sync pass of each billing system (docs/connectors.md).
void render_sync(std::string& out, const StoreFigures& figures) {
  const auto each = [&](std::string_view name, std::string_view help, auto value) {
    header(out, name, "gauge", help);
    for (const auto& pass : figures.sync_passes)
      out += fmt::format("{}{{source=\"{}\"}} {}\n", name, label(pass.source), value(pass));
  };
  each("cobrador_sync_last_pass_timestamp_seconds", "When the last sync pass of each source started.",
       [](const service::SyncPass& pass) { return to_unix(pass.at); });
  each("cobrador_sync_last_pass_duration_seconds", "How long the last sync pass of each source took.",
       [](const service::SyncPass& pass) { return static_cast<double>(pass.took.count()) / 1000.0; });
  each("cobrador_sync_last_pass_rows_read", "Customers, services and invoices the last pass read.",
       [](const service::SyncPass& pass) { return pass.rows_read; });
  each("cobrador_sync_last_pass_rows_changed", "Rows the last pass inserted or changed.",
       [](const service::SyncPass& pass) { return pass.rows_changed; });
  each("cobrador_sync_last_pass_failed", "1 when the last pass of the source failed, else 0.",
       [](const service::SyncPass& pass) { return pass.ok() ? 0 : 1; });
}

void render_store(std::string& out, const StoreFigures& figures) {
  render_walk(out, figures);
  header(out, "cobrador_walk_leader", "gauge",
         "1 on the daemon that leads the daily walk among those sharing the database, else 0.");
  out += fmt::format("cobrador_walk_leader{{daemon=\"{}\",backend=\"{}\",leader=\"{}\"}} {}\n",
                     label(figures.daemon), label(figures.backend), label(figures.walk_leader.value_or("")),
                     figures.walk_leader == figures.daemon ? 1 : 0);
  header(out, "cobrador_customers_in_stage", "gauge",
         "Customers whose open dunning episode last reached each stage of the policy.");
  for (const auto& [stage, n] : figures.customers_by_stage) {
    out += fmt::format("cobrador_customers_in_stage{{stage=\"{}\"}} {}\n", label(stage), n);
  }
  header(out, "cobrador_outbox_actions", "gauge", "Actions in the outbox, by state.");
  for (const auto& [state, n] : figures.outbox.by_state) {
    out += fmt::format("cobrador_outbox_actions{{state=\"{}\"}} {}\n", label(state), n);
  }
  header(out, "cobrador_dispatch_attempts_total", "counter", "Delivery attempts over all outbox actions.");
  out += fmt::format("cobrador_dispatch_attempts_total {}\n", figures.outbox.attempts);
  // Each done action's last attempt succeeded; every other attempt failed.
  header(out, "cobrador_dispatch_failures_total", "counter", "Delivery attempts that failed.");
  out += fmt::format("cobrador_dispatch_failures_total {}\n",
                     std::max<std::int64_t>(0, figures.outbox.attempts - figures.outbox.done));
  header(out, "cobrador_tasks_open", "gauge", "Open tasks in the operator's inbox, by kind.");
  for (const auto& t : figures.open_tasks) {
    out += fmt::format("cobrador_tasks_open{{kind=\"{}\"}} {}\n", label(t.kind), t.count);
  }
  header(out, "cobrador_tasks_oldest_open_age_seconds", "gauge",
         "How long the oldest open task of each kind has waited.");
  for (const auto& t : figures.open_tasks) {
    out += fmt::format("cobrador_tasks_oldest_open_age_seconds{{kind=\"{}\"}} {}\n", label(t.kind),
                       std::max<std::int64_t>(0, to_unix(figures.now) - to_unix(t.oldest_created_at)));
  }
  render_sync(out, figures);
}

}  // namespace

std::string_view method_label(std::string_view method) {
  // Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
  static constexpr std::array<std::string_view, 9> kKnown{"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                          "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (const auto known : kKnown) {
    if (method == known) return known;
  }
  return "other";
}

void Metrics::observe(std::string_view method, std::string_view route, int status,
                      std::chrono::nanoseconds took) {
  const double seconds = std::chrono::duration<double>(took).count();
  const std::string label_of_method(method_label(method));
  std::lock_guard lock(mutex_);
  ++requests_[{label_of_method, std::string(route), status}];
  auto& latency = latency_[{label_of_method, std::string(route)}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++latency.buckets[i];
      break;
    }
  }
  ++latency.count;
  latency.sum += seconds;
}

std::string Metrics::render(const StoreFigures& figures) const {
  std::string out;
  header(out, "cobrador_http_requests_total", "counter",
         "HTTP requests answered, by method, route and status.");
  std::lock_guard lock(mutex_);
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("cobrador_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       label(method), label(route), status, n);
  }
  header(out, "cobrador_http_request_duration_seconds", "histogram",
         "Time from a request read whole to its answer ready, by method and route.");
  for (const auto& [key, latency] : latency_) {
    const auto labels = fmt::format("method=\"{}\",route=\"{}\"", label(key.first), label(key.second));
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += latency.buckets[i];
      out += fmt::format("cobrador_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[i], cumulative);
    }
    out += fmt::format("cobrador_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                       latency.count);
    out += fmt::format("cobrador_http_request_duration_seconds_sum{{{}}} {}\n", labels, latency.sum);
    out += fmt::format("cobrador_http_request_duration_seconds_count{{{}}} {}\n", labels, latency.count);
  }
  render_store(out, figures);
  return out;
}

}  // namespace cobrador::http
