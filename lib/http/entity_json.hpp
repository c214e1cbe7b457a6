// Stored entities as the API answers them: the same field names a request writes, so that
// what a PUT sends and what it gets back read alike. Internal to lib/http.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"
#include "store/records.hpp"

namespace cobrador::http {

nlohmann::json customer_json(const Customer& customer);
nlohmann::json service_json(const Service& service);
nlohmann::json invoice_json(const store::InvoiceBalance& invoice);
nlohmann::json payment_json(const Payment& payment);

}  // namespace cobrador::http
