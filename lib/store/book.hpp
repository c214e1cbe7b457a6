// The billing book as every concern reads it: customers, services, invoices and payments
// looked up by id or external id. Every face but the connection's own reads it (the walk,
// the outbox, promises, the bank and the lifecycle all work on the book's customers and
// services); only billing_store.hpp writes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "store/records.hpp"
#include "store/transactions.hpp"

namespace cobrador::store {

class Book : public virtual Transactions {
 public:
  virtual std::optional<Customer> customer(std::string_view ext_id) = 0;
  virtual std::optional<Customer> customer(std::int64_t id) = 0;
  virtual std::optional<Service> service(std::string_view ext_id) = 0;
  virtual std::optional<InvoiceBalance> invoice(std::string_view ext_id) = 0;
  virtual std::optional<Payment> payment(std::string_view ext_id) = 0;
  virtual std::vector<Service> services_of(std::int64_t customer_id) = 0;
  // Services in a state, across customers (list suspended).
  virtual std::vector<Service> services_in(ServiceState state) = 0;
  virtual std::vector<InvoiceBalance> invoices_of(std::int64_t customer_id) = 0;
  virtual std::int64_t count_customers() = 0;
  // Customers whose external id is `text`, or whose id, name or e-mails contain it (case
  // ignored): the exact id first, then by name; at most `limit` (the console's search). When more
  // than 1,000 contain it, the page is drawn from the first 1,000 found (say more to narrow).
  virtual std::vector<Customer> find_customers(std::string_view text, std::size_t limit) = 0;
};

}  // namespace cobrador::store
