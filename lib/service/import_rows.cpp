// Implements reading CSV and JSON-lines import files into rows of named fields, a piece at a
// time: the bytes read so far are cut where a row ends, the rows before the cut are parsed, and
// the rest waits for the next read.
#include "service/import_rows.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/csv.hpp"
#include "util/utf8.hpp"

namespace cobrador::service {

namespace {

constexpr std::string_view kNotUtf8 =
    "not valid UTF-8 (a file in ISO-8859-1 or Windows-1252 needs --encoding latin1)";
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// Bytes read from the file at a time.
constexpr std::size_t kReadSize = 1 << 20;

// A JSON line that does not parse because some string in it is not UTF-8: the field whose
// value it is. The line is read again as Windows-1252 (which always gives UTF-8) and each
// string value, turned back into its bytes, is checked.
std::optional<std::string> field_not_utf8(std::string_view line) {
  if (!utf8::first_invalid(line)) return std::nullopt;
  const auto object = nlohmann::json::parse(windows1252_to_utf8(line), nullptr, false);
  if (!object.is_object()) return std::string("a value");
  for (const auto& [name, value] : object.items()) {
    std::size_t unused = 0;
    const auto invalid = [&](const nlohmann::json& text) {
      if (!text.is_string()) return false;
      const auto bytes = utf8_to_windows1252(text.get_ref<const std::string&>(), unused);
      return !bytes || utf8::first_invalid(*bytes).has_value();
    };
    const auto name_bytes = utf8_to_windows1252(name, unused);
    if (!name_bytes || utf8::first_invalid(*name_bytes)) return std::string("a field name");
    if (invalid(value)) return name;
    if (value.is_array() && std::any_of(value.begin(), value.end(), invalid)) return name;
  }
  return std::string("a value");
}

// The words of the import messages, which name the file and line before the field.
std::string describe(const FieldProblem& problem) {
  if (problem.kind == FieldProblem::Kind::unknown)
    return fmt::format("field '{}' {}", problem.field, problem.problem);
  return fmt::format("{}: {}", problem.field, problem.problem);
}

// The offset just past the first `lines` line ends ('\n') of `text`, and how many it passed;
// nothing when `text` has no line end.
std::optional<csv::Cut> line_ends(std::string_view text, std::size_t lines) {
  std::optional<csv::Cut> cut;
  for (std::size_t at = 0, n = 0; n < lines; ++n) {
    const auto end = text.find('\n', at);
    if (end == std::string_view::npos) break;
    at = end + 1;
    cut = csv::Cut{at, n + 1, n + 1};
  }
  return cut;
}

}  // namespace

struct ImportRowReader::State {
  std::istream& in;
  std::string label;
  ImportColumns columns;
  TextEncoding encoding;
  std::string pending;   // bytes read (as UTF-8 when transcoded) and not yet parsed
  std::size_t line = 1;  // the file's line where `pending` starts
  bool started = false;  // the byte order mark and the format are known
  bool json = false;     // JSON lines, else CSV
  bool done = false;     // the end of the file was reached or an error returned
  std::vector<std::string> header;

  // Appends the next bytes of the file; false at its end.
  bool read_more() {
    std::string bytes(kReadSize, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.empty()) return false;
    pending += encoding == TextEncoding::utf8 ? bytes : to_utf8(bytes, encoding);
    return true;
  }

  // Reads until the first character that is not blank tells the format (a JSON line starts
  // with '{'), dropping a UTF-8 byte order mark from spreadsheet exports.
  void start() {
    std::size_t first = std::string::npos;
    bool more = true;
    while (more && (first = pending.find_first_not_of(" \t\r\n\xEF\xBB\xBF")) == std::string::npos)
      more = read_more();
    if (pending.rfind(kByteOrderMark, 0) == 0) {
      pending.erase(0, kByteOrderMark.size());
      if (first != std::string::npos) first -= kByteOrderMark.size();
    }
    json = first != std::string::npos && pending[first] == '{';
    started = true;
  }

  // The next piece of `pending` that ends where a row (CSV) or a line (JSON) ends, of about
  // `most` rows, and the lines in it; at the end of the file, whatever is left.
  std::pair<std::string, std::size_t> take(std::size_t most) {
    for (;;) {
      const auto cut = json ? line_ends(pending, most) : csv::row_ends(pending, most);
      if (cut && cut->rows >= most) return split(*cut);
      // Rows longer than the reads: take what ends rather than hold more and more.
      if (cut && pending.size() > 4 * kReadSize) return split(*cut);
      if (!read_more()) {
        done = true;
        return split({pending.size(), 0, 0});
      }
    }
  }

  std::pair<std::string, std::size_t> split(csv::Cut cut) {
    std::string piece = pending.substr(0, cut.offset);
    pending.erase(0, cut.offset);
    return {std::move(piece), cut.lines};
  }

  Result<std::vector<ImportRow>> fail(std::string message) {
    done = true;
    pending.clear();
    return make_error(std::move(message));
  }

  Result<std::vector<ImportRow>> csv_rows(const std::string& piece) {
    auto table = csv::parse(piece, line);
    if (!table) return fail(fmt::format("{}: {}", label, table.error().message));
    std::vector<ImportRow> rows;
    std::size_t r = 0;
    if (header.empty()) {
      if (table->empty() && !done) return rows;  // blank lines before the header
      if (table->empty()) return fail(fmt::format("{}: the file is empty; a header row is expected", label));
      if (auto problem = check_header(table->front())) return fail(std::move(*problem));
      header = table->front().fields;
      r = 1;
    }
    for (; r < table->size(); ++r) {
      auto& row = (*table)[r];
      if (row.fields.size() != header.size()) {
        return fail(fmt::format("{}:{}: {} fields where the header has {}", label, row.line,
                                row.fields.size(), header.size()));
      }
      ImportRow out{row.line, {}};
      for (std::size_t c = 0; c < row.fields.size(); ++c) {
        if (utf8::first_invalid(row.fields[c]))
          return fail(fmt::format("{}:{}: {}: {}", label, row.line, header[c], kNotUtf8));
        out.fields.emplace(header[c], std::move(row.fields[c]));
      }
      rows.push_back(std::move(out));
    }
    return rows;
  }

  std::optional<std::string> check_header(const csv::Row& row) const {
    const auto& names = row.fields;
    for (const auto& name : names) {
      if (utf8::first_invalid(name)) return fmt::format("{}:{}: the header: {}", label, row.line, kNotUtf8);
      if (!columns.knows(name)) {
        return fmt::format("{}:{}: column '{}' is unknown (allowed: {})", label, row.line, name,
                           columns.allowed());
      }
      if (std::count(names.begin(), names.end(), name) > 1)
        return fmt::format("{}:{}: column '{}' appears twice", label, row.line, name);
    }
    for (const auto& name : columns.required) {
      if (std::find(names.begin(), names.end(), name) == names.end())
        return fmt::format("{}:{}: column '{}' is missing", label, row.line, name);
    }
    return std::nullopt;
  }

  Result<std::vector<ImportRow>> json_rows(const std::string& piece) {
    std::vector<ImportRow> rows;
    std::size_t at = line;
    for (std::size_t start = 0; start < piece.size(); ++at) {
      const auto end = std::min(piece.find('\n', start), piece.size());
      const std::string_view content(piece.data() + start, end - start);
      start = end + 1;
      if (content.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      if (const auto field = field_not_utf8(content))
        return fail(fmt::format("{}:{}: {}: {}", label, at, *field, kNotUtf8));
      const auto object = nlohmann::json::parse(content, nullptr, false);
      if (object.is_discarded() || !object.is_object())
        return fail(fmt::format("{}:{}: not a JSON object", label, at));
      ImportRow row{at, {}};
      if (const auto problem = fields_from_json(object, columns, row.fields))
        return fail(fmt::format("{}:{}: {}", label, at, describe(*problem)));
      rows.push_back(std::move(row));
    }
    return rows;
  }
};

ImportRowReader::ImportRowReader(std::istream& in, std::string label, ImportColumns columns,
                                 TextEncoding encoding)
    : state_(new State{in, std::move(label), std::move(columns), encoding, {}, 1, false, false, false, {}}) {}

ImportRowReader::~ImportRowReader() = default;

Result<std::vector<ImportRow>> ImportRowReader::next(std::size_t most) {
  auto& s = *state_;
  if (!s.started) s.start();
  std::vector<ImportRow> rows;
  while (rows.empty() && !s.done) {
    // The header is one more row of the first piece.
    auto [piece, lines] = s.take(std::max<std::size_t>(most, 1) + (s.header.empty() && !s.json ? 1 : 0));
    auto parsed = s.json ? s.json_rows(piece) : s.csv_rows(piece);
    if (!parsed) return parsed;
    s.line += lines;
    rows = std::move(*parsed);
  }
  return rows;
}

Result<std::vector<ImportRow>> read_import_rows(const std::string& text, const std::string& label,
                                                const ImportColumns& columns) {
  std::istringstream in(text);
  ImportRowReader reader(in, label, columns);
  std::vector<ImportRow> all;
  for (;;) {
    auto rows = reader.next(4096);
    if (!rows) return rows.error();
    if (rows->empty()) return all;
    std::move(rows->begin(), rows->end(), std::back_inserter(all));
  }
}

}  // namespace cobrador::service
