// Implements domain/source_ids.hpp.
#include "domain/source_ids.hpp"

namespace cobrador {

std::string source_id(std::string_view source, std::string_view id) {
  std::string text;
  text.reserve(source.size() + 1 + id.size());
  text.append(source).append(":").append(id);
  return text;
}

std::optional<std::string_view> own_id(std::string_view id, std::string_view source) {
  if (id.size() <= source.size() || id[source.size()] != ':' || id.substr(0, source.size()) != source)
    return std::nullopt;
  return id.substr(source.size() + 1);
}

std::string own_id_in_any(std::string_view id, std::span<const std::string> sources) {
  for (const auto& source : sources) {
    if (const auto own = own_id(id, source)) return std::string(*own);
  }
  return {};
}

}  // namespace cobrador
