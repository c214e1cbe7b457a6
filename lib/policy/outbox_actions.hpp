// The outbox actions that are queued outside decide(): the notices and panel calls of the end
// of a relationship (cancellation, backup, re-engagement, reactivation after a lock) and the
// dispatcher's follow-ups. One builder per kind of action, so that a notice's payload has one
// shape whoever queues it (decide() uses notice_payload too). Pure: the caller writes them.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/entities.hpp"
#include "policy/action_key.hpp"
#include "policy/snapshot.hpp"

namespace cobrador::policy {

// A template's variables (the same type as notify::Variables).
using NoticeVariables = std::map<std::string, std::string, std::less<>>;

// What a notice action carries: the template, whom it goes to and the values it is rendered
// with (dates as YYYY-MM-DD; the dispatcher writes them in the customer's locale).
struct NoticeRequest {
  std::string template_name;
  std::string locale;   // the customer's, as stored ("pt-BR")
  std::string channel;  // email or sms
  std::string to;       // an address or a phone number
  std::string customer_id;
  std::string customer_name;
  NoticeVariables variables;
};

// The payload of a notice action (dispatch/notice.hpp reads it back with parse_notice).
std::string notice_payload(const NoticeRequest& request);

// `template_name` to the customer's e-mail addresses (the first one, or every one when
// `every_contact`), keyed `<scope>:notify:email:<address>`, due now; customer_name is added to
// the variables.
std::vector<Action> customer_notices(const Customer& customer, const std::string& template_name,
                                     NoticeVariables variables, const ActionKey& scope, bool every_contact,
                                     Instant now);

// What a panel call names (SPEC §7): the service, its account and panel, and its customer.
struct PanelTarget {
  std::string_view service_id;
  std::string_view account;
  ServiceKind kind = ServiceKind::other;
  std::string_view panel;
  std::string_view customer_id;
};
PanelTarget panel_target(const Service& service);
PanelTarget panel_target(const Service& service, std::string_view customer_id);

// SPEC §7's payload of a panel action: `type`, `reason`, `service` and `customer`. Every panel
// action is built here (decide(), the end of a relationship, suspensions by hand), so that the
// adapters read one shape.
nlohmann::json panel_payload(std::string_view type, std::string_view reason, const PanelTarget& target);

// A panel action on `service` with the payload of SPEC §7 (`type`, `reason`, `service`,
// `customer`) plus `extra`, due now.
Action panel_action(const Service& service, ActionKind kind, std::string_view type, std::string_view reason,
                    const ActionKey& key, std::string stage, Instant now, const nlohmann::json& extra);
Action panel_action(const Service& service, ActionKind kind, std::string_view type, std::string_view reason,
                    const ActionKey& key, std::string stage, Instant now);

// The notice that the services an episode's end unsuspended are back (`services`, all of them
// done), to the customer's first e-mail address.
Action reactivation_notice(const Customer& customer, std::int64_t episode_id, int episode_number,
                           const std::vector<std::string>& services, Instant now);

// True for a suspension for non-payment that is not a lock: if the episode ended while it was
// in flight, the service must be turned on again.
bool undone_if_late(const Action& suspension);
// The unsuspension that undoes `suspension`, done after its episode (number `episode_number`)
// had ended: the same payload, as service.unsuspend.
Action late_suspension_undo(const Action& suspension, int episode_number, Instant now);

// What the customer owes on `today`, as a stage notice says it (amount_due, due_date,
// days_overdue, invoices), and `services`: for a notice queued outside decide() whose template
// names the debt (trust_release_granted, claim_unconfirmed). Empty values when nothing is
// overdue.
NoticeVariables debt_variables(const CustomerSnapshot& customer, Date today,
                               const std::vector<std::string>& services);

// The customer a notice goes to, from a snapshot (customer_notices takes a Customer).
Customer notice_customer(const CustomerSnapshot& customer);

// "a, b, c"
std::string join_names(const std::vector<std::string>& names);

}  // namespace cobrador::policy
