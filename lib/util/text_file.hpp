// Reading a whole file as text: the configuration, the policy, templates, import files and
// secrets are all read this way.
#pragma once

#include <optional>
#include <string>

#include "util/result.hpp"

namespace cobrador {

// The file's bytes as they are, or nullopt when it cannot be opened or read to the end.
std::optional<std::string> read_text_file(const std::string& path);

// The file parsed by `parse`, labelled with its path so that a problem says PATH:LINE:COL; or
// "PATH: cannot be read".
template <class T>
Result<T> parse_text_file(const std::string& path,
                          Result<T> (*parse)(const std::string& text, const std::string& label)) {
  const auto text = read_text_file(path);
  if (!text) return make_error(path + ": cannot be read");
  return parse(*text, path);
}

}  // namespace cobrador
