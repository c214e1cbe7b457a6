// Implements the CNAB 240 structure check as one walk over the records:
//   0 file header, then per batch: 1 header, 3 details (T, U, optional Y...), 5 trailer,
//   then 9 file trailer, whose record and batch counts must match what was read.
// A T must be followed at once by its U; anything out of place is an error for its line.
#include "bank/cnab240_parser.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "bank/cnab240_records.hpp"
#include "bank/cnab240_text.hpp"
#include "bank/cnab240_title.hpp"
#include "bank/entry_identity.hpp"

namespace cobrador::bank {

namespace {

using cnab240::error_at;
using cnab240::Record;

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class Walk {
 public:
  explicit Walk(const Record& header)
      : bank_(header.field(cnab240::kBank)), beneficiary_(header.field(cnab240::kHeaderBeneficiary)) {}

  Status step(const Record& record);
  Status finish(const Record& last) const;
  std::vector<BankEntry> take_entries() { return std::move(entries_); }

 private:
  Status open_batch(const Record& record);
  Status detail(const Record& record);
  Status close_batch(const Record& record);
  Status close_file(const Record& record);
  Status no_title_waiting() const;

  std::string bank_;
  std::string beneficiary_;
  std::optional<Record> batch_;  // the header of the open batch
  std::optional<Record> title_;  // a segment T waiting for its U
  bool title_in_batch_ = false;  // a U was read in this batch, so a Y has a title to follow
  int batches_ = 0;
  std::size_t records_ = 1;  // the file header
  std::optional<std::size_t> trailer_line_;
  std::vector<BankEntry> entries_;
};

Status Walk::step(const Record& record) {
  ++records_;
  if (trailer_line_)
    return error_at(record, fmt::format("data after the file trailer at line {}", *trailer_line_));
  if (record.field(cnab240::kBank) != bank_) {
    return error_at(record, fmt::format("bank code '{}' (columns 1-3) differs from the file header's '{}'",
                                        record.field(cnab240::kBank), bank_));
  }
  switch (record.at(cnab240::kRecordType)) {
    case '1':
      return open_batch(record);
    case '3':
      return detail(record);
    case '5':
      return close_batch(record);
    case '9':
      return close_file(record);
    case '0':
      return error_at(record, "a second file header (record type 0)");
    default:
      return error_at(record, fmt::format("'{}' at column 8 is not a CNAB 240 record type (0, 1, 3, 5 or 9)",
                                          record.at(cnab240::kRecordType)));
  }
}

Status Walk::no_title_waiting() const {
  if (!title_) return Ok{};
  return error_at(*title_, "segment T is not followed by its segment U");
}

Status Walk::open_batch(const Record& record) {
  if (batch_)
    return error_at(record,
                    fmt::format("batch header while the batch of line {} is still open", batch_->line));
  const auto service = record.field(cnab240::kBatchService);
  if (service != "01") {
    return error_at(record, fmt::format("service '{}' (columns 10-11) is not 01 (cobrança)", service));
  }
  batch_ = record;
  title_in_batch_ = false;
  ++batches_;
  return Ok{};
}

Status Walk::detail(const Record& record) {
  if (!batch_) return error_at(record, "detail record outside a batch");
  if (record.field(cnab240::kBatch) != batch_->field(cnab240::kBatch)) {
    return error_at(record,
                    fmt::format("batch '{}' (columns 4-7) differs from its batch header's '{}' at line {}",
                                record.field(cnab240::kBatch), batch_->field(cnab240::kBatch), batch_->line));
  }
  const char segment = record.at(cnab240::kSegment);
  if (segment == 'U') {
    if (!title_) return error_at(record, "segment U without a segment T before it");
    auto entry = cnab240::read_title(*title_, record, bank_, beneficiary_);
    if (!entry) return entry.error();
    entries_.push_back(std::move(*entry));
    title_.reset();
    title_in_batch_ = true;
    return Ok{};
  }
  if (auto waiting = no_title_waiting(); !waiting) return waiting;
  if (segment == 'T') {
    title_ = record;
  } else if (segment == 'Y') {
    if (!title_in_batch_) return error_at(record, "segment Y without a título (T and U) before it");
    cnab240::add_pix_data(record, entries_.back());
  } else if (segment < 'A' || segment > 'Z') {
    return error_at(record, fmt::format("'{}' at column 14 is not a segment code", segment));
  }
  // Other segments (W, ...) carry nothing a payment needs and are skipped.
  return Ok{};
}

Status Walk::close_batch(const Record& record) {
  if (auto waiting = no_title_waiting(); !waiting) return waiting;
  if (!batch_) return error_at(record, "batch trailer without a batch header");
  batch_.reset();
  return Ok{};
}

Status Walk::close_file(const Record& record) {
  if (auto waiting = no_title_waiting(); !waiting) return waiting;
  if (batch_)
    return error_at(record,
                    fmt::format("file trailer while the batch of line {} has no trailer", batch_->line));
  auto batches = cnab240::read_number(record, cnab240::kTrailerBatches, "quantidade de lotes");
  if (!batches) return batches.error();
  auto records = cnab240::read_number(record, cnab240::kTrailerRecords, "quantidade de registros");
  if (!records) return records.error();
  if (*batches != batches_ || static_cast<std::size_t>(*records) != records_) {
    return error_at(
        record, fmt::format("the trailer counts {} batches and {} records, the file has {} and {}", *batches,
                            *records, batches_, records_));
  }
  trailer_line_ = record.line;
  return Ok{};
}

Status Walk::finish(const Record& last) const {
  if (trailer_line_) return Ok{};
  if (auto waiting = no_title_waiting(); !waiting) return waiting;
  return error_at(last, "the file ends without its trailer (record type 9); it looks truncated");
}

Status check_header(const Record& header) {
  if (!looks_like_cnab240_header(header.text)) {
    return error_at(header, "not a CNAB 240 file header (bank code, batch 0000, record type 0)");
  }
  const char direction = header.at(cnab240::kHeaderDirection);
  if (direction == '1') return error_at(header, "this is a remessa (shipment to the bank), not a retorno");
  if (direction != '2')
    return error_at(header, fmt::format("'{}' at column 143 is not 2 (retorno)", direction));
  return Ok{};
}

}  // namespace

bool looks_like_cnab240_header(std::string_view first_line) {
  return first_line.size() >= 8 && all_digits(first_line.substr(0, 3)) && first_line.substr(3, 5) == "00000";
}

Result<std::vector<BankEntry>> parse_cnab240(std::string_view content, TextEncoding encoding) {
  const auto bytes = cnab240::one_byte_per_column(content, encoding);
  if (!bytes) return bytes.error();
  auto records = cnab240::split_records(*bytes);
  if (!records) return records.error();
  if (records->empty()) return make_error("line 1: the file is empty");
  if (auto checked = check_header(records->front()); !checked) return checked.error();
  Walk walk(records->front());
  for (std::size_t i = 1; i < records->size(); ++i) {
    if (auto stepped = walk.step((*records)[i]); !stepped) return stepped.error();
  }
  if (auto finished = walk.finish(records->back()); !finished) return finished.error();
  auto entries = walk.take_entries();
  cnab240::text_to_utf8(entries);
  number_repeated_identities(entries);
  return entries;
}

}  // namespace cobrador::bank
