// Reading the book from WHMCS through its documented API (docs/connectors.md): GetClients and
// GetClientsDetails for the customers, GetClientsProducts for the services, GetInvoices for
// every invoice and GetInvoice for the open ones (which services each bills).
#pragma once

#include "sources/source_book.hpp"

namespace cobrador::sources {

// Reads every page; an error names the call, the page and WHMCS's own message.
Result<SourceBook> read_whmcs(const SourceAccess& source, const Fetch& fetch);

// Whether WHMCS still has invoice `id` (its own id): false only when GetInvoice answers
// "Invoice ID Not Found" (the invoice was deleted).
Result<bool> whmcs_has_invoice(const SourceAccess& source, const Fetch& fetch, const std::string& id);

}  // namespace cobrador::sources
