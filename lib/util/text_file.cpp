// Implements util/text_file.hpp.
#include "util/text_file.hpp"

#include <fstream>
#include <sstream>

namespace cobrador {

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

}  // namespace cobrador
