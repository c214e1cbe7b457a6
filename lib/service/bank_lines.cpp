// Implements the packed report lines: each string as a length and its bytes, the numbers as
// they are, one line after the other in blocks of 1 MiB (a longer line gets a block of its own).
#include "service/bank_lines.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>

namespace cobrador::service {

namespace {

constexpr std::size_t kBlock = std::size_t{1} << 20;
constexpr char kSameAsIdentity = 1;

void put_size(std::string& out, std::size_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

void put_text(std::string& out, const std::string& text) {
  put_size(out, text.size());
  out.append(text);
}

// A Currency is a few bytes of plain data, kept as they are (a default one included).
static_assert(std::is_trivially_copyable_v<Currency>);
void put_currency(std::string& out, const Currency& currency) {
  char bytes[sizeof currency];
  std::memcpy(bytes, &currency, sizeof currency);
  out.append(bytes, sizeof currency);
}

void put_int(std::string& out, std::int64_t value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

class Unpacker {
 public:
  explicit Unpacker(const char* at) : at_(at) {}
  std::size_t size() {
    std::size_t n = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(*at_++);
      n |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if (byte < 0x80) return n;
    }
  }
  std::string text() {
    const auto n = size();
    std::string value(at_, n);
    at_ += n;
    return value;
  }
  Currency currency() {
    Currency value;
    std::memcpy(&value, at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  char byte() { return *at_++; }
  std::int64_t integer() {
    std::int64_t value = 0;
    std::memcpy(&value, at_, sizeof value);
    at_ += sizeof value;
    return value;
  }

 private:
  const char* at_;
};

void pack(const BankLine& line, std::string& out) {
  out.clear();
  put_text(out, line.origin);
  put_text(out, line.identity);
  put_int(out, line.amount.minor);
  put_currency(out, line.amount.currency);
  put_text(out, line.direction);
  put_int(out, to_day_number(line.booked_on));
  put_text(out, line.outcome);
  put_text(out, line.invoice_id);
  // A new payment's id is the entry's identity (tens of bytes): said by an empty marker.
  if (!line.payment_id.empty() && line.payment_id == line.identity) {
    out.push_back(kSameAsIdentity);
  } else {
    out.push_back(0);
    put_text(out, line.payment_id);
  }
  put_text(out, line.customer_id);
  put_text(out, line.matched_by);
  put_text(out, line.return_reason);
  put_size(out, line.references.size());
  for (const auto& reference : line.references) put_text(out, reference);
  put_text(out, line.explanation);
}

}  // namespace

void BankLines::set(std::size_t i, const BankLine& line) {
  pack(line, scratch_);
  const auto& bytes = scratch_;
  if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < bytes.size()) {
    blocks_.emplace_back().reserve(std::max(kBlock, bytes.size()));
  }
  auto& block = blocks_.back();
  const auto position = (static_cast<std::uint64_t>(blocks_.size() - 1) << 32) | block.size();
  block.append(bytes);
  if (i >= where_.size()) where_.resize(i + 1, kUnset);
  where_[i] = position;
}

BankLine BankLines::operator[](std::size_t i) const {
  BankLine line;
  if (i >= where_.size() || where_[i] == kUnset) return line;
  Unpacker in(blocks_[where_[i] >> 32].data() + (where_[i] & 0xffffffffU));
  line.origin = in.text();
  line.identity = in.text();
  const auto minor = in.integer();
  line.amount = Money{minor, in.currency()};
  line.direction = in.text();
  line.booked_on = from_day_number(in.integer());
  line.outcome = in.text();
  line.invoice_id = in.text();
  line.payment_id = in.byte() == kSameAsIdentity ? line.identity : in.text();
  line.customer_id = in.text();
  line.matched_by = in.text();
  line.return_reason = in.text();
  line.references.resize(in.size());
  for (auto& reference : line.references) reference = in.text();
  line.explanation = in.text();
  return line;
}

BankLine BankLines::at(std::size_t i) const {
  if (i >= size()) throw std::out_of_range(fmt::format("bank report line {} of {}", i, size()));
  return (*this)[i];
}

}  // namespace cobrador::service
