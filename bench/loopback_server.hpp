// A lean HTTP/1.1 keep-alive server on 127.0.0.1 for the dispatch benchmark: it reads each
// request's head and body and answers 200 "{}" at once, on a thread of its own. It keeps
// nothing, so that the figures measure the client side, not a test double's bookkeeping.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace cobrador::bench {

class LoopbackServer {
 public:
  LoopbackServer();
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::string url() const;  // "http://127.0.0.1:<port>"
  std::uint64_t requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cobrador::bench
