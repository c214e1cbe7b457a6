// The lines of a bank import's report, one per entry of the file, in file order. A statement
// of 100,000 entries has as many lines; as BankLine values (a dozen strings each) they were a
// third of an import's peak memory, so they are kept packed, in blocks that never move, and
// unpacked on access: a BankLine by value (docs/benchmarks.md, bank import).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "domain/date.hpp"
#include "domain/money.hpp"

namespace cobrador::service {

// What became of one entry of the file.
struct BankLine {
  std::string origin;  // line 3, or the element path
  std::string identity;
  Money amount;
  std::string direction;  // credit or debit
  Date booked_on;
  // matched, confirmed_claim, unmatched, returned, already_imported, ignored (booked but not
  // a payment: a plain debit), not_booked (pending: recorded when the bank books it).
  std::string outcome;
  std::string invoice_id;  // external ids, when there is one
  std::string payment_id;
  std::string customer_id;
  std::string matched_by;     // reference or amount
  std::string return_reason;  // MD06...
  std::vector<std::string> references;
  std::string explanation;
};

class BankLines {
 public:
  class const_iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = BankLine;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = BankLine;

    const_iterator(const BankLines* lines, std::size_t at) : lines_(lines), at_(at) {}
    BankLine operator*() const { return (*lines_)[at_]; }
    const_iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator==(const const_iterator& other) const { return at_ == other.at_; }

   private:
    const BankLines* lines_;
    std::size_t at_;
  };

  std::size_t size() const { return where_.size(); }
  bool empty() const { return where_.empty(); }
  // Line i (an empty BankLine for a position not set yet).
  BankLine operator[](std::size_t i) const;
  BankLine at(std::size_t i) const;  // throws std::out_of_range
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

  void push_back(const BankLine& line) { set(size(), line); }
  // Line i, whatever the order the lines are decided in (positions in between stay empty
  // until set). Setting a line twice keeps the second.
  void set(std::size_t i, const BankLine& line);

 private:
  static constexpr std::uint64_t kUnset = ~std::uint64_t{0};
  std::vector<std::string> blocks_;   // each filled up to its capacity, never reallocated
  std::vector<std::uint64_t> where_;  // per line: block << 32 | offset, or kUnset
  std::string scratch_;               // the line being packed, kept to spare an allocation
};

}  // namespace cobrador::service
