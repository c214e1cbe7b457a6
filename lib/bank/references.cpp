// Implements reference collection for all statement parsers.
#include "bank/references.hpp"

#include <algorithm>

#include "bank/text.hpp"

namespace cobrador::bank {

void add_reference(std::vector<Reference>& references, ReferenceKind kind, std::string_view value) {
  const auto clean = trim(value);
  if (clean.empty()) return;
  const bool seen = std::any_of(references.begin(), references.end(),
                                [&](const Reference& r) { return equals_ignore_case(r.value, clean); });
  if (!seen) references.push_back(Reference{kind, std::string(clean)});
}

void add_remittance_words(std::vector<Reference>& references, std::string_view text) {
  for (const auto& word : split_words(text)) add_reference(references, ReferenceKind::remittance_token, word);
}

}  // namespace cobrador::bank
