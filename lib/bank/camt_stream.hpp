// Reads a camt.053/camt.054 document pushed in pieces, one Ntry at a time, so that a statement
// of 100,000 entries never exists as a whole document in memory (docs/benchmarks.md, bank
// import). expat checks the whole document and finds each Ntry (and the statement's Acct);
// the element itself, a few hundred bytes, is parsed with pugixml and read by camt_entry.cpp,
// as when the document was parsed whole.
//
// Errors keep their precedence over the document: a file that is not well-formed XML is
// refused for that first, whatever an entry before the fault says; then the root and its
// namespace; then the first entry that does not read. Entries are handed out while the
// document is read, so a caller that acts on them must undo that when finish() fails.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::bank {

class CamtReader {
 public:
  // Receives the transactions of each Ntry, in document order (identities not yet numbered:
  // see number_repeated_identities). An error it returns ends the reading with that error.
  using Sink = std::function<Status(std::vector<BankEntry>&)>;

  // A null sink checks the document (well-formed, root, namespace) without reading entries.
  // `encoding`, when given, overrides the XML declaration's (a bank that declares UTF-8 and
  // writes Latin-1); Windows-1252 is read whether declared or given.
  explicit CamtReader(Sink sink, std::optional<TextEncoding> encoding = std::nullopt);
  ~CamtReader();
  CamtReader(const CamtReader&) = delete;
  CamtReader& operator=(const CamtReader&) = delete;

  // The next bytes of the document, any size. After an error the rest is ignored.
  void feed(std::string_view bytes);

  // End of the document: the message's format, or the first error.
  Result<Format> finish();

  // After finish() failed: true when the document was not well-formed XML (the message, with
  // line and column, is expat's: no second reading of a broken file).
  bool syntax_error() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cobrador::bank
