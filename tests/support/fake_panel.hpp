// A real HTTP server on 127.0.0.1 (a free port) that plays a control panel in integration
// tests: every request is recorded, and a handler written by the test decides each answer.
// It runs on its own thread with its own io_context, so the code under test talks to it
// over real sockets exactly as it would to WHM, DirectAdmin, Plesk or a webhook receiver.
//
// The implementation is in tests/integration/hooks/fake_panel.cpp: tests/CMakeLists.txt
// compiles only temp_dir.cpp from support/, while integration/ is globbed, and Boost.Beast
// stays out of every file that merely includes this header.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cobrador::testing {

struct FakeRequest {
  std::string method;                                      // "GET", "POST", ...
  std::string target;                                      // path and query as sent
  std::string path;                                        // target without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded query fields, in order
  std::map<std::string, std::string> headers;              // names in lower case
  std::string body;

  std::string header(const std::string& lower_case_name) const;
  // The first query field called `name`, or "".
  std::string query_value(const std::string& name) const;
};

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before answering (timeouts)
};

class FakePanel {
 public:
  // Called on the server's thread, one request at a time.
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  explicit FakePanel(Handler handler);
  ~FakePanel();
  FakePanel(const FakePanel&) = delete;
  FakePanel& operator=(const FakePanel&) = delete;

  // "http://127.0.0.1:<port>"
  std::string url() const;
  unsigned short port() const;
  // A copy of every request received so far, oldest first.
  std::vector<FakeRequest> requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cobrador::testing
