// The ids of what a billing system gave (docs/connectors.md, "Ids"): each is the source's name,
// a colon and the billing system's own id, so that two systems' client 17 never meet.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cobrador {

// "w1:17": the id here of what billing system `source` calls `id`.
std::string source_id(std::string_view source, std::string_view id);

// The billing system's own id in `id` when `source` gave it ("1001" of "w1:1001"); nothing for
// an id of another source or of the book itself.
std::optional<std::string_view> own_id(std::string_view id, std::string_view source);

// The same for whichever of `sources` gave `id`; empty when none did.
std::string own_id_in_any(std::string_view id, std::span<const std::string> sources);

}  // namespace cobrador
