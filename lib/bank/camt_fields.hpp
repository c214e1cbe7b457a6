// Reads the typed fields of a camt entry (amounts, indicators, status, dates). Each reader
// names the element's path in its error (worked out from `place`, the entry being read), so a
// person can find the bad value in the file.
#pragma once

#include <string>

#include <pugixml.hpp>

#include "bank/bank_entry.hpp"
#include "bank/camt_xml.hpp"
#include "util/result.hpp"

namespace cobrador::bank::camt {

// <Amt Ccy="EUR">8.85</Amt> parsed exactly; a zero or negative amount is refused (the sign
// of a camt amount lives in CdtDbtInd).
Result<Money> read_amount(const Place& place, const pugi::xml_node& amt);

// CRDT or DBIT.
Result<Direction> read_direction(const Place& place, const pugi::xml_node& indicator);

// xs:boolean: true, false, 1 or 0.
Result<bool> read_indicator(const Place& place, const pugi::xml_node& indicator);

// <Sts>BOOK</Sts> (up to camt.0xx.001.06) or <Sts><Cd>BOOK</Cd></Sts> (001.07 onwards,
// also <Prtry>); read both forms whatever the version says.
Result<std::string> read_status(const Place& place);

// BookgDt/Dt, else the date part of BookgDt/DtTm (the bank's own local date, as written,
// not converted to UTC: that is the day the bank says it booked), else ValDt the same way.
Result<Date> read_booking_date(const Place& place);

}  // namespace cobrador::bank::camt
