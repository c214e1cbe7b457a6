// Reads FEBRABAN CNAB 240 cobrança return files (arquivo retorno): file header, batches of
// segment T + segment U pairs per boleto (optionally followed by segment Y), file trailer.
#pragma once

#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::bank {

// True when the line has the shape of a CNAB 240 file header: a 3-digit bank code, batch
// 0000 and record type 0.
bool looks_like_cnab240_header(std::string_view first_line);

// One BankEntry per título, in file order. The whole file or an error naming the line. The
// file's bytes are UTF-8 or, with `encoding` windows1252, ISO-8859-1/Windows-1252; the
// entries' text is UTF-8 either way.
Result<std::vector<BankEntry>> parse_cnab240(std::string_view content,
                                             TextEncoding encoding = TextEncoding::utf8);

}  // namespace cobrador::bank
