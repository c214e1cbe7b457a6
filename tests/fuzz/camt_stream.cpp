// Fuzzes the streamed camt reader as a bank import drives it (read_camt_stream, on the import's
// reading thread): the document arrives in pieces whose sizes the first bytes choose, from one
// byte to a few hundred, so that every element and character reference gets split somewhere.
// Read in pieces, a document must give exactly what it gives read whole (read_camt).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "bank/camt_parser.hpp"
#include "bank/camt_reading_thread.hpp"
#include "bank/camt_stream.hpp"
#include "bank_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cobrador;
  fuzz::Input input(data, size);
  // Eight piece sizes, used in turn: 1..256 bytes each.
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 8; ++i) sizes.push_back(std::size_t{input.byte()} + 1);
  const auto xml = input.rest();

  std::size_t offset = 0;
  std::size_t turn = 0;
  const auto read_more = [&]() -> std::string_view {
    const auto piece = xml.substr(offset, sizes[turn++ % sizes.size()]);
    offset += piece.size();
    return piece;
  };
  std::vector<bank::BankEntry> streamed;
  const auto take = [&](std::vector<bank::BankEntry>& parts) -> Status {
    for (auto& part : parts) streamed.push_back(std::move(part));
    return Ok{};
  };
  const auto reading = bank::read_camt_stream(read_more, take, std::nullopt);

  auto whole = bank::read_camt(xml);
  fuzz::require(reading.format.ok() == whole.ok(), "pieces and the whole document disagree on acceptance");
  if (!whole) {
    // Refused for the same reason: a syntax error whichever way the document came, else the
    // same message.
    bank::CamtReader at_once([](std::vector<bank::BankEntry>&) -> Status { return Ok{}; });
    at_once.feed(xml);
    (void)at_once.finish();
    fuzz::require(at_once.syntax_error() == reading.syntax_error,
                  "pieces and the whole document disagree on a syntax error");
    fuzz::require(reading.syntax_error || reading.format.error().message == whole.error().message,
                  "pieces and the whole document are refused with different messages");
    return 0;
  }
  fuzz::require(*reading.format == whole->format, "pieces and the whole document disagree on the format");
  fuzz::require(streamed == whole->entries, "pieces and the whole document give different entries");
  fuzz::check_entries(streamed);
  return 0;
}
