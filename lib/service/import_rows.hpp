// Turns an import file (CSV with a header, or JSON lines) into rows of named text fields,
// checking the columns against the ones the file kind allows. The file is read in pieces:
// memory follows the piece, not the file (issue 20).
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "service/entity_fields.hpp"
#include "util/result.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::service {

struct ImportRow {
  std::size_t line = 0;  // where the row starts in the file
  Fields fields;         // lists are ';'-joined, as in CSV
};

// Reads the rows of one import file from `in`, a piece at a time. Bytes in Windows-1252 are
// transcoded as they are read; anything else that is not UTF-8 is refused with its place.
class ImportRowReader {
 public:
  ImportRowReader(std::istream& in, std::string label, ImportColumns columns,
                  TextEncoding encoding = TextEncoding::utf8);
  ~ImportRowReader();
  ImportRowReader(const ImportRowReader&) = delete;
  ImportRowReader& operator=(const ImportRowReader&) = delete;

  // The next rows, about `most` of them (fewer at the end, none after it), or the first problem
  // of the file as "FILE:LINE: ..." (the reader is done then).
  Result<std::vector<ImportRow>> next(std::size_t most);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// All rows of `text` at once (tests, fuzzing, small inputs).
Result<std::vector<ImportRow>> read_import_rows(const std::string& text, const std::string& label,
                                                const ImportColumns& columns);

}  // namespace cobrador::service
