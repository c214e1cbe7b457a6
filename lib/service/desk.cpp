// Implements service/desk.hpp.
#include "service/desk.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxNote = 4000;
constexpr std::string_view kTaskStates[]{"open", "done", "dismissed"};

template <class Words>
bool among(const Words& words, std::string_view word) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

template <class Words>
std::string listed(const Words& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.emplace_back(w);
  return fmt::format("{}", fmt::join(out, ", "));
}

std::optional<Refusal> check_note(const std::string& note) {
  if (note.size() > kMaxNote) {
    return Refusal{400, "invalid_field", fmt::format("note: longer than {} bytes", kMaxNote), "note",
                   nullptr};
  }
  return std::nullopt;
}

// "cancellation_request:7" → 7.
std::int64_t request_of(const store::TaskRecord& task) {
  constexpr std::string_view prefix = "cancellation_request:";
  if (task.subject.rfind(prefix, 0) != 0) return 0;
  try {
    return std::stoll(task.subject.substr(prefix.size()));
  } catch (const std::exception&) {
    return 0;
  }
}

std::string task_subject(const store::TaskRecord& task) {
  return task.customer.empty() ? task.subject : "customer:" + task.customer;
}

}  // namespace

Decided<std::vector<store::TaskRecord>> list_tasks(store::DeskStore& store, const store::TaskFilter& filter) {
  if (filter.state && !among(kTaskStates, *filter.state)) {
    return Refusal{400, "invalid_field",
                   fmt::format("state: '{}' is not one of {}", *filter.state, listed(kTaskStates)), "state",
                   nullptr};
  }
  if (filter.kind && !policy::find_task_kind(*filter.kind)) {
    std::vector<std::string_view> kinds;
    for (const auto& k : policy::task_kinds()) kinds.push_back(k.name);
    return Refusal{400, "invalid_field",
                   fmt::format("kind: '{}' is not one of {}", *filter.kind, listed(kinds)), "kind", nullptr};
  }
  return store.tasks(filter);
}

Decided<TaskClosed> close_task(store::DeskStore& store, const policy::Policy& policy,
                               const TaskClosing& closing, Instant now, const std::string& actor) {
  const auto task = store.task(closing.task_id);
  if (!task) return Refusal{404, "unknown_task", fmt::format("no task {}", closing.task_id), "", nullptr};
  if (task->state != "open") {
    return Refusal{409, "task_closed",
                   fmt::format("task {} is {} already (outcome {}, by {})", task->id, task->state,
                               task->outcome, task->closed_by),
                   "", nullptr};
  }
  if (task->kind == "confirm_cancellation" && closing.closing == policy::Closing::dismissed) {
    return Refusal{
        409, "record_the_call",
        "a cancellation awaiting its call is not dismissed: record the call (confirmed, withdrawn or "
        "not_reached)",
        "outcome", nullptr};
  }
  if (auto problem = policy::check_outcome(task->kind, closing.closing, closing.outcome))
    return Refusal{400, "invalid_field", "outcome: " + *problem, "outcome", nullptr};
  if (auto refusal = check_note(closing.note)) return *refusal;
  TaskClosed closed;
  if (task->kind == "confirm_cancellation" && closing.closing == policy::Closing::done) {
    ConfirmationCall call{request_of(*task), closing.outcome, closing.reason_code, closing.note,
                          closing.retention_offers};
    auto result = record_confirmation_call(store, policy, call, now, actor);
    if (auto* refusal = std::get_if<Refusal>(&result)) return *refusal;
    closed.confirmation = std::get<ConfirmationResult>(std::move(result));
  } else {
    const auto state = closing.closing == policy::Closing::done ? "done" : "dismissed";
    if (!store.close_task(task->id, state, closing.outcome, closing.note, now, actor)) {
      return Refusal{409, "task_closed", fmt::format("task {} was closed meanwhile", task->id), "", nullptr};
    }
    store.audit({0, now, actor, task_subject(*task), "task_closed",
                 dump_json(json{{"task", task->id},
                                {"kind", task->kind},
                                {"subject", task->subject},
                                {"state", state},
                                {"outcome", closing.outcome},
                                {"note", closing.note}})});
  }
  closed.task = *store.task(task->id);
  return closed;
}

Decided<store::TaskRecord> assign_task(store::DeskStore& store, std::int64_t task_id,
                                       const std::string& assignee, Instant now, const std::string& actor) {
  const auto task = store.task(task_id);
  if (!task) return Refusal{404, "unknown_task", fmt::format("no task {}", task_id), "", nullptr};
  if (assignee.size() > 200)
    return Refusal{400, "invalid_field", "assignee: longer than 200 bytes", "assignee", nullptr};
  if (!store.assign_task(task_id, assignee)) {
    return Refusal{409, "task_closed",
                   fmt::format("task {} is {}: only an open task is assigned", task_id, task->state), "",
                   nullptr};
  }
  store.audit({0, now, actor, task_subject(*task), "task_assigned",
               dump_json(json{{"task", task_id}, {"kind", task->kind}, {"assignee", assignee}})});
  return *store.task(task_id);
}

Decided<store::ContactRecord> record_contact(store::DeskStore& store, const ContactInput& input, Instant now,
                                             const std::string& actor) {
  const auto customer = store.customer(input.customer);
  if (!customer)
    return Refusal{404, "unknown_customer", fmt::format("no customer '{}'", input.customer), "", nullptr};
  if (!among(policy::kContactChannels, input.channel)) {
    return Refusal{
        400, "invalid_field",
        fmt::format("channel: '{}' is not one of {}", input.channel, listed(policy::kContactChannels)),
        "channel", nullptr};
  }
  if (!among(policy::kContactDirections, input.direction)) {
    return Refusal{
        400, "invalid_field",
        fmt::format("direction: '{}' is not one of {}", input.direction, listed(policy::kContactDirections)),
        "direction", nullptr};
  }
  if (!policy::is_contact_outcome(input.outcome)) {
    return Refusal{
        400, "invalid_field",
        fmt::format("outcome: '{}' is not one of {}", input.outcome, listed(policy::contact_outcomes())),
        "outcome", nullptr};
  }
  if (!input.cause.empty() && !policy::is_cause(input.cause)) {
    return Refusal{400, "invalid_field",
                   fmt::format("cause: '{}' is not one of {}", input.cause, listed(policy::causes())),
                   "cause", nullptr};
  }
  if (auto refusal = check_note(input.note)) return *refusal;
  if (input.task_id) {
    const auto task = store.task(input.task_id);
    if (!task || task->customer != customer->ext_id) {
      return Refusal{400, "invalid_field",
                     fmt::format("task: {} is not a task about customer {}", input.task_id, customer->ext_id),
                     "task", nullptr};
    }
  }
  store::ContactRecord contact{0,
                               customer->id,
                               customer->ext_id,
                               now,
                               input.channel,
                               input.direction,
                               input.outcome,
                               input.cause,
                               input.note,
                               actor,
                               input.task_id};
  contact.id = store.add_contact(contact);
  const auto subject = "customer:" + customer->ext_id;
  store.audit({0, now, actor, subject, "contact_recorded", dump_json(to_json(contact))});
  if (!input.cause.empty()) {
    const auto source = fmt::format("contact:{}", contact.id);
    store.note_cause(customer->id, input.cause, source, now, true);
    store.audit({0, now, actor, subject, "cause_noted",
                 dump_json(json{{"cause", input.cause},
                                {"source", source},
                                {"rule", "an operator recorded it from a contact"}})});
  }
  return contact;
}

json to_json(const store::TaskRecord& t) {
  auto details = json::parse(t.details, nullptr, false);
  return {{"id", t.id},
          {"kind", t.kind},
          {"subject", t.subject},
          {"customer", t.customer.empty() ? json(nullptr) : json(t.customer)},
          {"title", t.title},
          {"details", details.is_discarded() ? json::object() : details},
          {"due_on", format_date(t.due_on)},
          {"state", t.state},
          {"assignee", t.assignee.empty() ? json(nullptr) : json(t.assignee)},
          {"attempts", t.attempts},
          {"created_at", format_instant(t.created_at)},
          {"created_by", t.created_by},
          {"closed_at", t.closed_at ? json(format_instant(*t.closed_at)) : json(nullptr)},
          {"closed_by", t.closed_by.empty() ? json(nullptr) : json(t.closed_by)},
          {"outcome", t.outcome.empty() ? json(nullptr) : json(t.outcome)},
          {"note", t.note}};
}

json to_json(const store::ContactRecord& k) {
  return {{"id", k.id},
          {"customer", k.customer},
          {"at", format_instant(k.at)},
          {"channel", k.channel},
          {"direction", k.direction},
          {"outcome", k.outcome},
          {"cause", k.cause.empty() ? json(nullptr) : json(k.cause)},
          {"note", k.note},
          {"operator", k.operator_name},
          {"task", k.task_id ? json(k.task_id) : json(nullptr)}};
}

}  // namespace cobrador::service
