// The outbox actions of the end of a relationship, queued outside any dunning episode: the
// notices (cancellation confirmed, backup ready, last-chance backup offer) and the panel
// calls (deactivation, re-engagement, backup, purge, reactivation after a lock).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"
#include "notify/template.hpp"
#include "store/store.hpp"

namespace cobrador::service {

// Queues `template_name` to the customer's e-mail addresses (the first one, or every one when
// `every_contact`), keyed `<key_prefix>:notify:email:<address>`. Returns how many were new.
int queue_customer_notice(store::Store& store, const Customer& customer, const std::string& template_name,
                          notify::Variables variables, const std::string& key_prefix, bool every_contact,
                          Instant now, const std::string& why);

// A panel action on `service` with the payload of SPEC §7 (`type`, `reason`, `service`,
// `customer`) plus `extra`, due now.
Action panel_action(const Service& service, ActionKind kind, std::string_view type, std::string_view reason,
                    std::string key, std::string stage, Instant now, const nlohmann::json& extra = nullptr);

// "a, b, c"
std::string join_names(const std::vector<std::string>& names);

}  // namespace cobrador::service
