// Implements http/multipart.hpp.
#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace cobrador::http {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool boundary_char(char c) {
  // RFC 2046 §5.1.1 bchars.
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// One parameter of a header value: `key=value` or `key="value"` (no escapes inside quotes:
// browsers percent-encode what they cannot put there).
struct Parameter {
  std::string key;
  std::string value;
};

Result<std::vector<Parameter>> parameters(std::string_view text, std::string_view where) {
  std::vector<Parameter> out;
  while (!(text = trim(text)).empty()) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos)
      return make_error(fmt::format("{}: a parameter without '='", where));
    Parameter parameter{lower(trim(text.substr(0, equals))), {}};
    text.remove_prefix(equals + 1);
    text = trim(text);
    if (!text.empty() && text.front() == '"') {
      const auto close = text.find('"', 1);
      if (close == std::string_view::npos) return make_error(fmt::format("{}: an unclosed quote", where));
      parameter.value = std::string(text.substr(1, close - 1));
      text.remove_prefix(close + 1);
      text = trim(text);
    } else {
      const auto end = text.find(';');
      parameter.value = std::string(trim(text.substr(0, end)));
      text.remove_prefix(end == std::string_view::npos ? text.size() : end);
    }
    if (!text.empty()) {
      if (text.front() != ';')
        return make_error(fmt::format("{}: parameters must be separated by ';'", where));
      text.remove_prefix(1);
    }
    out.push_back(std::move(parameter));
  }
  return out;
}

// The headers of one part, up to the blank line.
Result<FormPart> part_headers(std::string_view headers, std::size_t number) {
  FormPart part;
  bool disposition = false;
  const auto where = fmt::format("part {}", number);
  while (!headers.empty()) {
    const auto end = headers.find("\r\n");
    const auto line = headers.substr(0, end);
    headers.remove_prefix(end == std::string_view::npos ? headers.size() : end + 2);
    for (const char c : line)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
        return make_error(fmt::format("{}: a control character in a header", where));
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return make_error(fmt::format("{}: a header line without ':'", where));
    const auto name = lower(trim(line.substr(0, colon)));
    const auto value = trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      const auto semicolon = value.find(';');
      if (lower(trim(value.substr(0, semicolon))) != "form-data")
        return make_error(fmt::format("{}: Content-Disposition is not form-data", where));
      auto params = parameters(semicolon == std::string_view::npos ? "" : value.substr(semicolon + 1), where);
      if (!params) return params.error();
      for (auto& p : *params) {
        if (p.key == "name") part.name = std::move(p.value);
        if (p.key == "filename") part.filename = std::move(p.value);
      }
      disposition = true;
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!disposition || part.name.empty())
    return make_error(fmt::format("{}: no Content-Disposition with a name", where));
  return part;
}

}  // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  if (lower(trim(content_type.substr(0, semicolon))) != "multipart/form-data")
    return make_error("Content-Type: not multipart/form-data");
  auto params = parameters(semicolon == std::string_view::npos ? "" : content_type.substr(semicolon + 1),
                           "Content-Type");
  if (!params) return params.error();
  for (const auto& p : *params) {
    if (p.key != "boundary") continue;
    if (p.value.empty() || p.value.size() > 70 || p.value.back() == ' ' ||
        !std::all_of(p.value.begin(), p.value.end(), boundary_char))
      return make_error("Content-Type: the boundary is not one RFC 2046 allows");
    return p.value;
  }
  return make_error("Content-Type: no boundary");
}

Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              const MultipartLimits& limits) {
  if (boundary.empty()) return make_error("multipart: no boundary");
  const std::string first = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + first;
  if (!body.starts_with(first)) return make_error("multipart: the body does not start with its boundary");
  std::size_t at = first.size();
  std::vector<FormPart> parts;
  for (;;) {
    // After a boundary: "--" ends the body, CRLF opens a part.
    if (body.substr(at, 2) == "--") return parts;
    if (body.substr(at, 2) != "\r\n")
      return make_error(fmt::format("multipart: byte {}: a boundary not followed by CRLF or --", at));
    at += 2;
    if (parts.size() == limits.max_parts)
      return make_error(fmt::format("multipart: more than {} parts", limits.max_parts));
    const auto blank = body.find("\r\n\r\n", at);
    const auto headers_end = body.substr(at, 2) == "\r\n" ? at : blank;
    if (headers_end == std::string_view::npos || headers_end - at > limits.max_header_bytes)
      return make_error(fmt::format("multipart: part {}: its headers do not end within {} bytes",
                                    parts.size() + 1, limits.max_header_bytes));
    auto part = part_headers(body.substr(at, headers_end - at), parts.size() + 1);
    if (!part) return part.error();
    const auto content = headers_end + (headers_end == at ? 2 : 4);
    const auto end = body.find(delimiter, content);
    if (end == std::string_view::npos)
      return make_error(fmt::format("multipart: part {}: no closing boundary", parts.size() + 1));
    part->body = std::string(body.substr(content, end - content));
    parts.push_back(std::move(*part));
    at = end + delimiter.size();
  }
}

const FormPart* find_part(const std::vector<FormPart>& parts, std::string_view name) {
  for (const auto& part : parts)
    if (part.name == name) return &part;
  return nullptr;
}

}  // namespace cobrador::http
