// Phone numbers as the billing systems keep them, made international ("+5511987650001") for
// the import: both readers take the digits of a country code and a number typed by a person.
#pragma once

#include <string>

namespace cobrador::sources {

// The digits of `text`, in order.
std::string digits_of(const std::string& text);

// "+" and the digits of `country_code` and `number`; "" when the number has no digits.
std::string international_phone(const std::string& country_code, const std::string& number);

}  // namespace cobrador::sources
