// Implements the reading that CamtReadingThread runs on its thread: the streamed camt reader
// fed piece by piece, its entries numbered as they come.
#include "bank/camt_reading_thread.hpp"

#include "bank/camt_stream.hpp"
#include "bank/entry_identity.hpp"

namespace cobrador::bank {

CamtReading read_camt_stream(const std::function<std::string_view()>& read_more,
                             const std::function<Status(std::vector<BankEntry>&)>& take,
                             std::optional<TextEncoding> encoding) {
  IdentityNumbering numbering;
  CamtReader reader(
      [&](std::vector<BankEntry>& parts) {
        for (auto& part : parts) numbering.number(part);
        return take(parts);
      },
      encoding);
  for (auto piece = read_more(); !piece.empty(); piece = read_more()) reader.feed(piece);
  CamtReading reading;
  reading.format = reader.finish();
  reading.syntax_error = reader.syntax_error();
  return reading;
}

}  // namespace cobrador::bank
