// Reads a camt document on a thread of its own (bank/camt_stream) and hands its entries out in
// batches, identities numbered, while the caller works on the batch before: in an import the
// caller is the store's thread, and parsing is a third of the import's CPU time, which on two
// cores then overlaps the writes instead of adding to them (docs/benchmarks.md, bank import).
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"

namespace cobrador::bank {

class CamtReadingThread {
 public:
  // The next bytes of the document ("" at its end), called on the reading thread only.
  using ReadMore = std::function<std::string_view()>;

  // Starts reading at once.
  explicit CamtReadingThread(ReadMore read_more);
  // Stops the reading where it is (an importer that failed wants no more) and waits for it.
  ~CamtReadingThread();
  CamtReadingThread(const CamtReadingThread&) = delete;
  CamtReadingThread& operator=(const CamtReadingThread&) = delete;

  // The next entries in document order; empty once the document is read or reading stopped on
  // an error. Waits for the reading thread when it is behind.
  std::vector<BankEntry> next();

  // After next() returned empty: the message's format, or the first error (CamtReader::finish).
  Result<Format> finish();
  // After finish() failed: true when the document was not well-formed XML.
  bool syntax_error() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cobrador::bank
