// Owning handles for libcurl's C objects, so that no code path can leak or double-free one.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

namespace cobrador::net {

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct MultiDeleter {
  void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// Initialises libcurl once per process (safe to call from anywhere, any number of times).
void ensure_curl_initialised();

// A fresh easy handle; throws std::bad_alloc when libcurl cannot make one.
EasyHandle make_easy();

// Appends one line to `list`; throws std::bad_alloc on failure, leaving `list` intact.
void slist_append(Slist& list, const std::string& line);

}  // namespace cobrador::net
