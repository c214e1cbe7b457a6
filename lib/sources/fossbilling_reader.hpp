// Reading the book from FOSSBilling through its admin API (docs/connectors.md): client/get_list
// for the customers, order/get_list for the services cobrador can act on, invoice/get_list for
// the approved invoices and the orders each one bills.
#pragma once

#include "sources/source_book.hpp"

namespace cobrador::sources {

// Reads clients, orders and invoices page by page; an error names the call, the page and the
// system's own message.
Result<SourceBook> read_fossbilling(const SourceAccess& source, const Fetch& fetch);

// Whether FOSSBilling still has invoice `id` (its own id): false only when invoice/get says it
// was not found (deleted: by hand, or by "Remove Unpaid Invoices After").
Result<bool> fossbilling_has_invoice(const SourceAccess& source, const Fetch& fetch, const std::string& id);

}  // namespace cobrador::sources
