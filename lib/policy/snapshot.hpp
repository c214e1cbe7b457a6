// What the policy needs to know about one customer to decide: the input of decide().
// The store builds it; tests build it by hand.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/date.hpp"
#include "domain/entities.hpp"
#include "domain/money.hpp"
#include "domain/promise.hpp"

namespace cobrador::policy {

// An open invoice with something left to pay (balance = amount - confirmed payments > 0).
struct OpenInvoice {
  std::int64_t id = 0;
  std::string ext_id;
  Date due_on;
  Money balance;
  std::vector<std::string> services;  // service ext ids; empty = all of the customer's
};

// What happened to a stage in the current episode.
struct StageRun {
  Date on;
  bool superseded = false;  // skipped because a later stage was due the same day
};

// What became of the notices one stage of the episode queued (its notify actions).
struct StageNotices {
  std::optional<Instant> sent_at;  // when the last of them actually went out (done)
  int pending = 0;                 // queued, not sent yet (pending or in flight)
  int undelivered = 0;             // ended failed or dead: never went out

  friend bool operator==(const StageNotices&, const StageNotices&) = default;
};

struct Episode {
  std::int64_t id = 0;  // the store's id; 0 for an episode that decide() is starting
  int number = 0;       // 1 for the customer's first episode, 2 for the next...
  Date started_on;
  std::map<std::string, StageRun> runs;  // by stage name
  // By stage name: a stage that queued no notice (no contact on its channels) has no entry.
  std::map<std::string, StageNotices> notices;
  std::string cause;  // why the customer did not pay, when someone learned it (docs/tasks.md)
};

struct CustomerSnapshot {
  std::int64_t id = 0;
  std::string ext_id;
  std::string name;
  std::string locale = "en";
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  std::set<std::string> tags;
  std::optional<Date> exempt_until;
  std::vector<OpenInvoice> open_invoices;
  std::vector<Service> services;
  std::optional<Episode> episode;  // the open episode, if any
  int last_episode_number = 0;     // of the latest episode, open or closed
  int returned_debits_in_a_row = 0;
  std::optional<Promise> promise;  // the open trust release, if any (policy/promise_rules.hpp)
  // A cause of non-payment learned while no episode was open (a debit returned after the
  // invoice was paid), and when: the episode that starts for it takes it (docs/tasks.md).
  std::string pending_cause;
  std::optional<Instant> pending_cause_at;
};

}  // namespace cobrador::policy
