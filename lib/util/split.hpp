// Cuts text at each separator into views of the pieces, empty ones included (a separator at
// the end leaves an empty last piece): the one loop behind CNAB 240's records (lines) and the
// store's lists ("a;b;c"), which then drop what they do not keep.
#pragma once

#include <string_view>
#include <vector>

namespace cobrador {

inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  for (;;) {
    const auto at = text.find(separator);
    pieces.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return pieces;
    text.remove_prefix(at + 1);
  }
}

}  // namespace cobrador
