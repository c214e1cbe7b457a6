// A cursor over the row a stepped statement stands on: each read takes the next column, as the
// type it is stored as (day numbers, Unix seconds, "a;b" lists, amount + currency code). The
// readers of the store's rows list their fields in the order the SELECT lists the columns, so
// that no column number is written twice and a column added in the middle moves none by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/date.hpp"
#include "domain/money.hpp"
#include "store/records.hpp"
#include "store/sql/connection.hpp"

namespace cobrador::store::sql {

// A currency code read back from the store; a StoreError if it is not one (a damaged row).
Currency stored_currency(const std::string& code);

class Row {
 public:
  explicit Row(const Statement& stmt) : stmt_(stmt) {}

  std::int64_t int64() { return stmt_.int64(next_++); }
  std::string text() { return stmt_.text(next_++); }
  bool flag() { return int64() != 0; }
  Date day() { return from_day_number(int64()); }
  Instant instant() { return from_unix(int64()); }
  std::vector<std::string> list() { return split_list(text()); }
  std::optional<std::int64_t> optional_int64() { return stmt_.optional_int64(next_++); }
  std::optional<std::string> optional_text() {
    const int column = next_++;
    return stmt_.is_null(column) ? std::nullopt : std::optional<std::string>(stmt_.text(column));
  }
  std::optional<Date> optional_day() {
    const auto n = optional_int64();
    return n ? std::optional<Date>(from_day_number(*n)) : std::nullopt;
  }
  std::optional<Instant> optional_instant() {
    const auto n = optional_int64();
    return n ? std::optional<Instant>(from_unix(*n)) : std::nullopt;
  }
  // Two columns: the amount in minor units, then its currency code.
  Money money() {
    const auto minor = int64();
    return Money{minor, stored_currency(text())};
  }
  // A word naming an enumeration's value; `fallback` for a word `parse` does not know.
  template <class Parse, class E>
  E parsed(Parse parse, E fallback) {
    return parse(text()).value_or(fallback);
  }

  // Reads the next columns into `fields`, one each (a Money two), each as its type is stored.
  template <class... Fields>
  Row& into(Fields&... fields) {
    (read(fields), ...);
    return *this;
  }

 private:
  void read(std::int64_t& field) { field = int64(); }
  void read(int& field) { field = static_cast<int>(int64()); }
  void read(bool& field) { field = flag(); }
  void read(std::string& field) { field = text(); }
  void read(Date& field) { field = day(); }
  void read(Instant& field) { field = instant(); }
  void read(std::vector<std::string>& field) { field = list(); }
  void read(std::optional<std::int64_t>& field) { field = optional_int64(); }
  void read(std::optional<Date>& field) { field = optional_day(); }
  void read(std::optional<Instant>& field) { field = optional_instant(); }
  void read(Money& field) { field = money(); }

  const Statement& stmt_;
  int next_ = 0;
};

// The record a pointer to one of its members belongs to: read_fields' return type.
template <class Member>
struct RecordOf;
template <class Record, class Field>
struct RecordOf<Field Record::*> {
  using type = Record;
};

// The reader of a record whose fields are each one column as its type is stored (a Money two),
// selected in the order `Fields` lists them: read_fields<&LockRecord::id, &LockRecord::stage>.
// Most records are no more than that; only those with an enumeration (parsed with a fallback)
// need a reader of their own.
template <auto First, auto... Fields>
typename RecordOf<decltype(First)>::type read_fields(Row& row) {
  typename RecordOf<decltype(First)>::type record;
  row.into(record.*First, record.*Fields...);
  return record;
}

}  // namespace cobrador::store::sql
