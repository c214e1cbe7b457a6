// Implements the streamed camt reader: expat events track where the reader is (root, the
// message, its statements, their Acct and Ntry children); the bytes of an Acct or Ntry are
// kept from its start tag to its end tag and then parsed on their own with pugixml.
#include "bank/camt_stream.hpp"

#include <expat.h>

#include <algorithm>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "bank/camt_entry.hpp"
#include "bank/camt_parser.hpp"
#include "bank/camt_xml.hpp"
#include "bank/text.hpp"

namespace cobrador::bank {

namespace {

// Where the message keeps its entries: BkToCstmrStmt/Stmt or BkToCstmrDbtCdtNtfctn/Ntfctn.
struct Layout {
  std::string_view message;
  std::string_view container;
};

Layout layout_of(Format format) {
  if (format == Format::camt053) return {"BkToCstmrStmt", "Stmt"};
  return {"BkToCstmrDbtCdtNtfctn", "Ntfctn"};
}

std::string_view local_name(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view prefix_of(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view{} : name.substr(0, colon);
}

constexpr unsigned kParseOptions = pugi::parse_default | pugi::parse_embed_pcdata;

// The account the statement is about (Acct/Id/IBAN, else Acct/Id/Othr/Id), to keep
// identities from two accounts apart.
std::string account_of(const pugi::xml_node& acct) {
  const auto id = camt::child(acct, "Id");
  const auto iban = camt::text(camt::child(id, "IBAN"));
  return std::string(iban.empty() ? camt::text(camt::child(id, "Othr/Id")) : iban);
}

// The names expat is given for an encoding the caller chose (it knows UTF-8 and ISO-8859-1
// itself; Windows-1252 through on_unknown_encoding).
const char* expat_name(TextEncoding encoding) {
  return encoding == TextEncoding::utf8 ? "UTF-8" : "windows-1252";
}

// expat asks for an encoding it does not know: Windows-1252 (and its aliases) is one byte per
// character, each mapped to its code point; anything else stays an error of the document.
int on_unknown_encoding(void*, const XML_Char* name, XML_Encoding* info) {
  if (encoding_named(name) != TextEncoding::windows1252) return XML_STATUS_ERROR;
  for (int byte = 0; byte < 256; ++byte)
    info->map[byte] = windows1252_code_point(static_cast<unsigned char>(byte));
  info->data = nullptr;
  info->convert = nullptr;
  info->release = nullptr;
  return XML_STATUS_OK;
}

}  // namespace

class CamtReader::Impl {
 public:
  Impl(Sink sink, std::optional<TextEncoding> encoding)
      : sink_(std::move(sink)),
        parser_(XML_ParserCreate(encoding ? expat_name(*encoding) : nullptr)),
        chosen_(encoding.has_value()),
        encoding_(encoding.value_or(TextEncoding::utf8)) {
    if (!parser_) throw std::bad_alloc();
    XML_SetUserData(parser_, this);
    XML_SetUnknownEncodingHandler(parser_, &on_unknown_encoding, nullptr);
    XML_SetElementHandler(parser_, &Impl::on_start, &Impl::on_end);
    XML_SetXmlDeclHandler(parser_, &Impl::on_declaration);
  }
  ~Impl() { XML_ParserFree(parser_); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void feed(std::string_view bytes, bool last) {
    if (syntax_) return;
    window_.append(bytes);
    if (XML_Parse(parser_, bytes.data(), static_cast<int>(bytes.size()), last ? XML_TRUE : XML_FALSE) !=
        XML_STATUS_OK) {
      syntax_ = make_error(
          fmt::format("line {}, column {}: not well-formed XML: {}", XML_GetCurrentLineNumber(parser_),
                      XML_GetCurrentColumnNumber(parser_) + 1, XML_ErrorString(XML_GetErrorCode(parser_))));
      window_.clear();
      return;
    }
    // Keep the bytes of the element being captured, and whatever expat has not reported yet
    // (a tag cut by the end of this piece); the rest is read.
    const auto keep_from = capture_ == Capture::none ? reported_ : capture_start_;
    const auto drop = std::min(static_cast<std::size_t>(std::max<XML_Index>(0, keep_from - window_offset_)),
                               window_.size());
    window_.erase(0, drop);
    window_offset_ += static_cast<XML_Index>(drop);
  }

  Result<Format> finish() {
    feed({}, true);
    if (syntax_) return *syntax_;
    if (problem_) return *problem_;
    if (!format_) return make_error("not a camt document");  // not reached: root checked above
    if (!sink_) return *format_;                             // only the format was asked for
    const auto layout = layout_of(*format_);
    if (!message_seen_) {
      return make_error(fmt::format("{}/{}: the message body is missing", root_, layout.message));
    }
    if (containers_ == 0) {
      return make_error(fmt::format("{}/{}/{}: no {} in the message", root_, layout.message, layout.container,
                                    layout.container));
    }
    return *format_;
  }

  bool syntax_error() const { return syntax_.has_value(); }

 private:
  enum class Capture { none, account, entry };

  static void on_declaration(void* data, const XML_Char*, const XML_Char* encoding, int) {
    // pugixml reads a fragment as UTF-8 (or UTF-16, which it recognises from the bytes); a
    // document declared in Latin-1 says so only in its declaration.
    auto& self = *static_cast<Impl*>(data);
    if (!self.chosen_ && encoding && encoding_named(encoding) == TextEncoding::windows1252)
      self.encoding_ = TextEncoding::windows1252;
  }

  static void on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
    auto& self = *static_cast<Impl*>(data);
    self.reported_ = XML_GetCurrentByteIndex(self.parser_) + XML_GetCurrentByteCount(self.parser_);
    ++self.depth_;
    if (self.depth_ == 1) return self.read_root(name, attributes);
    if (self.problem_ || self.capture_ != Capture::none) return;
    const auto local = local_name(name);
    const auto layout = layout_of(*self.format_);
    if (self.depth_ == 2 && !self.message_seen_ && local == layout.message) {
      self.message_seen_ = true;
      self.in_message_ = true;
    } else if (self.depth_ == 3 && self.in_message_ && local == layout.container) {
      ++self.containers_;
      self.in_container_ = true;
      self.container_path_ =
          fmt::format("{}/{}/{}[{}]", self.root_, layout.message, layout.container, self.containers_);
      self.account_.clear();
      self.account_seen_ = false;
      self.entries_ = 0;
    } else if (self.depth_ == 4 && self.in_container_ && self.sink_) {
      if (local == "Ntry") {
        ++self.entries_;
        self.start_capture(Capture::entry);
      } else if (local == "Acct" && !self.account_seen_) {
        self.account_seen_ = true;
        self.start_capture(Capture::account);
      }
    }
  }

  static void on_end(void* data, const XML_Char*) {
    auto& self = *static_cast<Impl*>(data);
    self.reported_ = XML_GetCurrentByteIndex(self.parser_) + XML_GetCurrentByteCount(self.parser_);
    if (self.capture_ != Capture::none && self.depth_ == self.capture_depth_) self.end_capture();
    if (self.depth_ == 3 && self.in_container_) self.in_container_ = false;
    if (self.depth_ == 2 && self.in_message_) self.in_message_ = false;
    --self.depth_;
  }

  // The root is Document in a supported camt namespace (its own xmlns, or the xmlns:prefix
  // of its prefix); anything else is the document's error, given once it is known to be XML.
  void read_root(std::string_view name, const XML_Char** attributes) {
    root_ = std::string(local_name(name));
    if (root_ != "Document") {
      problem_ = make_error(fmt::format("{}: the root element of a camt file is Document", root_));
      return;
    }
    const auto prefix = prefix_of(name);
    const std::string declaration = prefix.empty() ? "xmlns" : fmt::format("xmlns:{}", prefix);
    std::string_view uri;
    for (auto attribute = attributes; attribute && *attribute; attribute += 2) {
      if (declaration == attribute[0]) uri = attribute[1];
    }
    format_ = camt_format_for_namespace(uri);
    if (!format_) {
      problem_ = make_error(fmt::format(
          "Document: namespace '{}' is not a supported camt message (camt.053 or camt.054, versions 001.02, "
          "001.04, 001.08 to 001.12)",
          uri));
    }
  }

  void start_capture(Capture what) {
    capture_ = what;
    capture_depth_ = depth_;
    capture_start_ = XML_GetCurrentByteIndex(parser_);
  }

  void end_capture() {
    const auto what = capture_;
    capture_ = Capture::none;
    if (problem_) return;
    const auto begin = static_cast<std::size_t>(capture_start_ - window_offset_);
    const auto end = static_cast<std::size_t>(reported_ - window_offset_);
    std::string_view bytes(window_.data() + begin, end - begin);
    std::string transcoded;
    if (encoding_ == TextEncoding::windows1252) bytes = transcoded = windows1252_to_utf8(bytes);
    const auto loaded = element_.load_buffer(bytes.data(), bytes.size(), kParseOptions, pugi::encoding_auto);
    if (!loaded) {  // expat found it well-formed; not expected
      problem_ = make_error(fmt::format("{}: {}", container_path_, loaded.description()));
      return;
    }
    const auto node = element_.document_element();
    if (what == Capture::account) {
      account_ = account_of(node);
      return;
    }
    const auto path = fmt::format("{}/Ntry[{}]", container_path_, entries_);  // Ntry is always numbered
    parts_.clear();
    if (auto read = camt::read_entry(node, path, *format_, account_, parts_); !read) {
      problem_ = read.error();
    } else if (auto taken = sink_(parts_); !taken) {
      problem_ = taken.error();
    }
  }

  Sink sink_;
  XML_Parser parser_;
  bool chosen_;                   // the caller chose the encoding: the declaration is not read
  TextEncoding encoding_;         // of the document's bytes: the captured elements are read in it
  std::optional<Error> syntax_;   // not well-formed: wins over any other error
  std::optional<Error> problem_;  // the first error about the content
  std::optional<Format> format_;
  std::string root_;
  int depth_ = 0;
  bool message_seen_ = false;  // only the first message element is read
  bool in_message_ = false;
  bool in_container_ = false;
  int containers_ = 0;
  std::string container_path_;
  std::string account_;
  bool account_seen_ = false;  // the first Acct of a statement names its account
  int entries_ = 0;            // Ntry elements in the current statement so far
  // The bytes fed and not yet read: window_[0] is byte window_offset_ of the document.
  std::string window_;
  XML_Index window_offset_ = 0;
  XML_Index reported_ = 0;  // the end of the last tag expat reported
  Capture capture_ = Capture::none;
  int capture_depth_ = 0;
  XML_Index capture_start_ = 0;
  pugi::xml_document element_;  // the captured element, parsed on its own
  std::vector<BankEntry> parts_;
};

CamtReader::CamtReader(Sink sink, std::optional<TextEncoding> encoding)
    : impl_(std::make_unique<Impl>(std::move(sink), encoding)) {}
CamtReader::~CamtReader() = default;

void CamtReader::feed(std::string_view bytes) {
  // expat takes an int length: hand it large inputs a piece at a time.
  constexpr std::size_t kPiece = 1 << 20;
  while (bytes.size() > kPiece) {
    impl_->feed(bytes.substr(0, kPiece), false);
    bytes.remove_prefix(kPiece);
  }
  if (!bytes.empty()) impl_->feed(bytes, false);
}

Result<Format> CamtReader::finish() { return impl_->finish(); }

bool CamtReader::syntax_error() const { return impl_->syntax_error(); }

}  // namespace cobrador::bank
