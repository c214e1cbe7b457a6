// The "what happens next" date of a notice, checked again when the notice actually goes out.
// The walk writes `next_step_date` for the day it decides; a notice sent later (SMS quiet
// hours, a mail server down, an operator's retry) must not name a day already past, nor one
// sooner than the policy would let the next stage run after this very notice.
#pragma once

#include "domain/date.hpp"
#include "policy/outbox_actions.hpp"
#include "policy/policy.hpp"

namespace cobrador::policy {

// The next step's date for a notice going out on `sent_on` (the policy's local day): `planned`
// unless that is too early. An effect stage (suspend, lock) runs no sooner than
// min_notice_days after the notice went out, and then on the first day suspensions are
// allowed; any other stage runs at a walk after the notice, no sooner than the next day.
// `next` is the stage the notice names, nullptr when the policy no longer has it (then it
// is taken as an effect stage: the later date is the safe promise).
Date next_step_date_at_send(const Policy& policy, const Stage* next, Date planned, Date sent_on);

// Rewrites `next_step_date` (YYYY-MM-DD, as the walk writes it) in a notice's variables for a
// notice going out at `sent_at`; true when it changed. A notice without a next step (empty
// date) is left as it is.
bool refresh_next_step_date(const Policy& policy, NoticeVariables& variables, Instant sent_at);

}  // namespace cobrador::policy
