// Turns an import file (CSV with a header, or JSON lines) into rows of named text fields,
// checking the columns against the ones the file kind allows.
#pragma once

#include <string>
#include <vector>

#include "service/entity_fields.hpp"
#include "util/result.hpp"

namespace cobrador::service {

struct ImportRow {
  std::size_t line = 0;  // where the row starts in the file
  Fields fields;         // lists are ';'-joined, as in CSV
};

Result<std::vector<ImportRow>> read_import_rows(const std::string& text, const std::string& label,
                                                const ImportColumns& columns);

}  // namespace cobrador::service
