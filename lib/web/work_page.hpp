// The console's Work page: what waits for a person, each with the form that settles it through
// the same service function as the CLI and the API: the open tasks (closed with an outcome of
// their kind), the dead actions (sent again), and the bank credits no invoice claimed ("this
// pays invoice X"). A read session sees the lists without the forms.
#pragma once

#include "store/store.hpp"
#include "web/console_sessions.hpp"
#include "web/html.hpp"

namespace cobrador::web {

Html work_body(store::Store& store, const ConsoleSession& session);

}  // namespace cobrador::web
