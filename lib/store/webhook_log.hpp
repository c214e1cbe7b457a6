// The webhook deliveries already received (lib/http's payment and panel webhooks), so that a
// replayed delivery is applied once.
#pragma once

#include <string_view>

#include "util/instant.hpp"
#include "store/transactions.hpp"

namespace cobrador::store {

class WebhookLog : public virtual Transactions {
 public:
  // Remembers a webhook delivery; false when this source's webhook_id was seen before
  // (a primary key, so it holds across processes sharing the database).
  virtual bool remember_webhook(std::string_view source, std::string_view webhook_id, Instant at) = 0;
  // Forgets deliveries received before `before`; older ones fail the replay window anyway.
  virtual void forget_webhooks_before(Instant before) = 0;
};

}  // namespace cobrador::store
