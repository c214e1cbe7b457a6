// The console's sign-in sessions: an operator or read token exchanged for a random session id
// kept in an HttpOnly, SameSite=Strict cookie, with a CSRF token of its own that every form
// carries. Held in memory: a restart of the daemon signs everyone out (the token signs in again),
// and no session id ever reaches the store or a log.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/date.hpp"

namespace cobrador::web {

struct ConsoleSession {
  std::string id;           // the cookie's value: 32 random bytes, hex
  std::string csrf;         // what each form of this session must send back
  std::string client;       // the api_clients name the token belonged to
  bool may_change = false;  // operator scope; a read session sees everything and changes nothing
  Instant expires;

  // The audit trail's actor, as the API's for the same client: operator:<client>.
  std::string actor() const { return "operator:" + client; }
};

class ConsoleSessions {
 public:
  // Sessions end this long after their last use.
  static constexpr std::chrono::hours kIdle{8};
  static constexpr std::size_t kMaxSessions = 10'000;  // the oldest go first beyond this

  ConsoleSession open(const std::string& client, bool may_change, Instant now);
  // The session of this cookie value, its expiry moved on; nothing for an unknown or expired one.
  std::optional<ConsoleSession> find(const std::string& id, Instant now);
  void close(const std::string& id);

  // What a form did, said once on the next page the session opens (post, redirect, get): kept
  // here, not in the address, so that no link can make the console say something.
  struct Flash {
    std::string text;
    bool refused = false;
  };
  void flash(const std::string& id, Flash flash);
  std::optional<Flash> take_flash(const std::string& id);

 private:
  std::mutex mutex_;
  std::map<std::string, ConsoleSession> sessions_;
  std::map<std::string, Flash> flashes_;
};

// The cookie's name, and the Set-Cookie values that open and end a session.
inline constexpr const char* kSessionCookie = "cobrador_console";
std::string session_cookie(const ConsoleSession& session);
std::string ended_session_cookie();

// The value of cookie `name` in a Cookie header ("a=1; cobrador_console=abc"), or "".
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace cobrador::web
