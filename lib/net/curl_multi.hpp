// Runs libcurl transfers on a Boost.Asio io_context through the multi *socket* interface:
// libcurl says which sockets to watch and when to wake it, asio waits, and no thread is
// spent per transfer. HTTP requests (http_client.hpp) and SMTP sends share one CurlMulti.
//
// Everything here must be called from the thread that runs the io_context.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <functional>
#include <memory>

#include "net/curl_handles.hpp"

namespace cobrador::net {

class CurlMulti {
 public:
  // Called once when the transfer ends, with libcurl's result and the handle back, so that
  // the caller can read CURLINFO_* values. Always called from the io_context, never from
  // inside perform().
  using Done = std::function<void(CURLcode, EasyHandle)>;

  explicit CurlMulti(boost::asio::io_context& io);
  // Abandons transfers still running: their callbacks are never called.
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts an already-configured easy handle. Whatever the handle points at (buffers, header
  // lists, callbacks' user data) must stay alive until `done` runs; capturing it in `done`
  // is the simplest way.
  void perform(EasyHandle easy, Done done);

  // Transfers started and not yet finished.
  std::size_t in_flight() const;

  // Keeps up to `connections` idle connections open for reuse. libcurl's default is four per
  // transfer running at the moment, so a caller whose transfers come in waves (the dispatcher
  // between two turns) had its connections closed and opened again on every wave.
  void keep_connections(long connections);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cobrador::net
