// `cobradorctl import customers|services|invoices|payments FILE` (SPEC §8): CSV with a header
// row or JSON lines, imported whole or not at all. A bad row is reported as
// "FILE:ROW: field: problem"; re-importing the same file changes nothing.
#pragma once

#include <string>

#include "domain/date.hpp"
#include "policy/policy.hpp"
#include "service/entity_fields.hpp"
#include "store/store.hpp"
#include "util/result.hpp"
#include "util/progress.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::service {

std::optional<ImportKind> parse_import_kind(std::string_view word);

struct ImportReport {
  int rows = 0;
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
};

// Imports `text`, UTF-8 (the content of `label`, a file name used in messages). `progress`
// hears the rows written of the file's rows after each chunk.
Result<ImportReport> import_text(store::Store& store, const policy::Policy& policy, ImportKind kind,
                                 const std::string& text, const std::string& label, Instant now,
                                 const std::string& actor, const Progress& progress = {});
Result<ImportReport> import_file(store::Store& store, const policy::Policy& policy, ImportKind kind,
                                 const std::string& path, Instant now, const std::string& actor,
                                 TextEncoding encoding = TextEncoding::utf8, const Progress& progress = {});

}  // namespace cobrador::service
