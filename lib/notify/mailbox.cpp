// Implements mailbox parsing and the address checks done before anything reaches SMTP.
#include "notify/mailbox.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "util/utf8.hpp"

namespace cobrador::notify {

namespace {

bool is_atext(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         (c != '\0' && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
}

bool is_dot_atom(std::string_view s, bool (*allowed)(char)) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  if (s.find("..") != std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return c == '.' || allowed(c); });
}

bool is_domain_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; }

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// "\"Smith, Ann\"" → "Smith, Ann", undoing backslash escapes.
std::string unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\' && i + 2 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

}  // namespace

Status check_address(std::string_view address) {
  // Said without echoing the value: a line break in it is what a header injection looks like.
  if (std::any_of(address.begin(), address.end(),
                  [](char c) { return std::iscntrl(static_cast<unsigned char>(c)) != 0; })) {
    return make_error("an e-mail address holds a control character (line break?)");
  }
  const auto at = address.rfind('@');
  if (address.size() > 254 || at == std::string_view::npos) {
    return make_error(fmt::format("'{}' is not an e-mail address", address));
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.size() > 64 || !is_dot_atom(local, is_atext) || !is_dot_atom(domain, is_domain_char)) {
    return make_error(fmt::format("'{}' is not an e-mail address cobrador can send to", address));
  }
  return Ok{};
}

std::string address_domain(std::string_view address) {
  std::string domain(address.substr(address.rfind('@') + 1));
  for (char& c : domain) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return domain;
}

Result<Mailbox> parse_mailbox(std::string_view text) {
  text = trim(text);
  Mailbox mailbox;
  const auto open = text.rfind('<');
  if (open != std::string_view::npos && !text.empty() && text.back() == '>') {
    mailbox.display_name = unquote(trim(text.substr(0, open)));
    mailbox.address = std::string(trim(text.substr(open + 1, text.size() - open - 2)));
  } else {
    mailbox.address = std::string(text);
  }
  if (auto checked = check_address(mailbox.address); !checked) return checked.error();
  return mailbox;
}

std::string display_name_from(std::string_view name) {
  const auto text = utf8::repaired(name);
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const auto length = utf8::char_length(text, pos);
    const auto c = utf8::code_point_at(text, pos).value_or(0xFFFD);
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      out += ' ';
    } else {
      out.append(text, pos, length);
    }
    pos += length;
  }
  return out;
}

}  // namespace cobrador::notify
