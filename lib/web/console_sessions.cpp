// Implements web/console_sessions.hpp.
#include "web/console_sessions.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/crypto.hpp"

namespace cobrador::web {

namespace {

std::string random_id() { return crypto::to_hex(crypto::random_bytes(32)); }

}  // namespace

ConsoleSession ConsoleSessions::open(const std::string& client, bool may_change, Instant now) {
  ConsoleSession session{random_id(), random_id(), client, may_change, now + kIdle};
  std::lock_guard lock(mutex_);
  // Expired sessions go first, then the one that would expire soonest.
  for (auto it = sessions_.begin(); it != sessions_.end();)
    it = it->second.expires <= now ? sessions_.erase(it) : ++it;
  if (sessions_.size() >= kMaxSessions) {
    const auto oldest =
        std::min_element(sessions_.begin(), sessions_.end(),
                         [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
    flashes_.erase(oldest->first);
    sessions_.erase(oldest);
  }
  sessions_.emplace(session.id, session);
  return session;
}

std::optional<ConsoleSession> ConsoleSessions::find(const std::string& id, Instant now) {
  std::lock_guard lock(mutex_);
  const auto found = sessions_.find(id);
  if (found == sessions_.end()) return std::nullopt;
  if (found->second.expires <= now) {
    sessions_.erase(found);
    return std::nullopt;
  }
  found->second.expires = now + kIdle;
  return found->second;
}

void ConsoleSessions::close(const std::string& id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
  flashes_.erase(id);
}

void ConsoleSessions::flash(const std::string& id, Flash flash) {
  std::lock_guard lock(mutex_);
  if (sessions_.count(id)) flashes_[id] = std::move(flash);
}

std::optional<ConsoleSessions::Flash> ConsoleSessions::take_flash(const std::string& id) {
  std::lock_guard lock(mutex_);
  const auto found = flashes_.find(id);
  if (found == flashes_.end()) return std::nullopt;
  auto flash = std::move(found->second);
  flashes_.erase(found);
  return flash;
}

std::string session_cookie(const ConsoleSession& session) {
  return fmt::format("{}={}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={}", kSessionCookie,
                     session.id,
                     std::chrono::duration_cast<std::chrono::seconds>(ConsoleSessions::kIdle).count());
}

std::string ended_session_cookie() {
  return fmt::format("{}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie);
}

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    auto pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      auto value = pair.substr(equals + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      return std::string(value);
    }
  }
  return {};
}

}  // namespace cobrador::web
