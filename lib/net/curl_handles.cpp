// Implements net/curl_handles.hpp.
#include "net/curl_handles.hpp"

#include <mutex>
#include <new>
#include <stdexcept>

namespace cobrador::net {

void ensure_curl_initialised() {
  // curl_global_init is not safe to race with itself; call_once makes it so. There is no
  // matching cleanup: the library stays initialised until the process exits.
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("curl_global_init failed");
  });
}

EasyHandle make_easy() {
  ensure_curl_initialised();
  EasyHandle easy(curl_easy_init());
  if (!easy) throw std::bad_alloc();
  return easy;
}

void slist_append(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (!grown) throw std::bad_alloc();
  // On success curl returns the same head (or a new one if the list was empty).
  (void)list.release();
  list.reset(grown);
}

}  // namespace cobrador::net
