// Small text helpers for the statement parsers: trimming, ASCII case-insensitive comparison,
// and splitting free remittance text into words.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cobrador::bank {

// Without leading and trailing blanks (space, tab, CR, LF).
std::string_view trim(std::string_view text);

// Equal ignoring ASCII case. References are compared this way: banks and customers change
// the case of "inv-10" freely, while bytes outside ASCII are compared as they are.
bool equals_ignore_case(std::string_view a, std::string_view b);

// The text with ASCII letters in lower case, as a key for equals_ignore_case lookups.
std::string fold_case(std::string_view text);

// A 64-bit FNV-1a hash of fold_case(text), computed without building it: texts equal ignoring
// ASCII case hash alike (an index of invoice ids looked up by every reference of a statement).
std::uint64_t fold_case_hash(std::string_view text);

// The words of free text such as camt RmtInf/Ustrd. A word is a run of letters, digits and
// the joiners - _ . / (so INV-10, 2024/0001 and RF18.5390 stay whole); anything else
// separates words, and joiners at either end of a word are dropped ("INV-10." -> "INV-10").
// Bytes above 0x7F count as letters so that UTF-8 words are not cut.
std::vector<std::string> split_words(std::string_view text);

}  // namespace cobrador::bank
