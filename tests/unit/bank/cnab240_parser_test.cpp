#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "bank/cnab240_parser.hpp"
#include "bank_test_support.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

namespace {

const std::string kBb = "cnab240/laravel-boleto-banco_brasil.ret";      // LF line ends
const std::string kSantander = "cnab240/laravel-boleto-santander.ret";  // CRLF line ends
const std::string kBbAccount = "20265995300017600329486000140032860000000075367";

std::vector<BankEntry> parse_cnab240_fixture(const std::string& name) {
  auto entries = parse_cnab240(fixture(name));
  if (!entries) FAIL(entries.error().message);
  return *entries;
}

std::string cnab240_error_of(const std::string& content) {
  auto entries = parse_cnab240(content);
  REQUIRE_FALSE(entries);
  return entries.error().message;
}

// The BB fixture with line `number` (1-based) changed by edit.
template <class Edit>
std::string edit_bb_line(std::size_t number, Edit edit) {
  auto lines = lines_of(fixture(kBb), "\n");
  edit(lines.at(number - 1));
  return join_lines(lines, "\n");
}

std::string without_trailing_blanks(const std::string& content, std::string_view line_end) {
  auto lines = lines_of(content, line_end);
  for (auto& line : lines) line.erase(line.find_last_not_of(' ') + 1);
  return join_lines(lines, line_end);
}

std::string crlf_to_lf(std::string text) {
  for (auto at = text.find("\r\n"); at != std::string::npos; at = text.find("\r\n", at)) text.erase(at, 1);
  return text;
}

}  // namespace

// Banco do Brasil: five paid títulos (ocorrência 06), each with the paid amount and the credit date of its
// segment U.
TEST_CASE("CNAB 240 Banco do Brasil fixture gives five paid boletos with amount and credit date", "[bank]") {
  const auto entries = parse_cnab240_fixture(kBb);
  REQUIRE(entries.size() == 5);
  struct Expected {
    std::size_t line;
    const char* nosso_numero;
    std::int64_t cents;
  };
  // Segment U columns 78-92 hold 4000, 3000, 1500, 1500, 2880; columns 93-107 (net of the
  // 5.00 fee) are not what the customer paid and are not used.
  const Expected expected[] = {{3, "32948600000000196", 4000},
                               {5, "32948600000000236", 3000},
                               {7, "32948600000000244", 1500},
                               {9, "32948600000000249", 1500},
                               {11, "32948600000005048", 2880}};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    INFO("título " << i + 1);
    CHECK(e.format == Format::cnab240);
    CHECK(e.amount == money(expected[i].cents, "BRL"));
    // Occurrence 21/03/2011 (columns 138-145), credit 23/03/2011 (columns 146-153).
    CHECK(e.booking_date == day("2011-03-23"));
    CHECK(e.direction == Direction::credit);
    CHECK(e.booked);
    CHECK(e.status_code == "06");
    CHECK_FALSE(e.reversal);
    CHECK(e.return_reason.empty());
    // Número do documento and uso da empresa are blank in this file.
    CHECK(e.references == std::vector<Reference>{{ReferenceKind::nosso_numero, expected[i].nosso_numero}});
    CHECK(e.identity == fmt::format("cnab240:001:{}:{}:06:2011-03-23", kBbAccount, expected[i].nosso_numero));
    CHECK(e.origin == fmt::format("line {}", expected[i].line));
  }
}

// Santander: its own segment T columns (nosso número 41-53), ocorrência 17, 11.00 paid on a 10.00 boleto.
TEST_CASE("CNAB 240 Santander fixture reads Santander's segment T columns and CRLF lines", "[bank]") {
  const auto entries = parse_cnab240_fixture(kSantander);
  REQUIRE(entries.size() == 1);
  const auto& e = entries[0];
  CHECK(e.format == Format::cnab240);
  // Face value 10.00 (T 78-92) plus 1.00 of other credits: the customer paid 11.00 (U 78-92).
  CHECK(e.amount == money(1100, "BRL"));
  // Occurrence 04/06/2014, credit 05/06/2014.
  CHECK(e.booking_date == day("2014-06-05"));
  CHECK(e.direction == Direction::credit);
  CHECK(e.booked);
  CHECK(e.status_code == "17");
  CHECK_FALSE(e.reversal);
  CHECK(e.return_reason.empty());
  CHECK(e.references == std::vector<Reference>{{ReferenceKind::nosso_numero, "0000000001040"}});
  CHECK(e.identity == "cnab240:033:011111111111111456750111111119001111111:0000000001040:17:2014-06-05");
  CHECK(e.origin == "line 3");
}

// The same records with LF instead of CRLF, or CRLF instead of LF, read the same.
TEST_CASE("CNAB 240 reads CRLF and LF files alike", "[bank]") {
  const auto santander_lf = crlf_to_lf(fixture(kSantander));
  REQUIRE(santander_lf.find('\r') == std::string::npos);
  auto lf = parse_cnab240(santander_lf);
  REQUIRE(lf);
  CHECK(*lf == parse_cnab240_fixture(kSantander));

  auto crlf = parse_cnab240(join_lines(lines_of(fixture(kBb), "\n"), "\r\n"));
  REQUIRE(crlf);
  CHECK(*crlf == parse_cnab240_fixture(kBb));
}

// Banks that trim trailing blanks produce short lines; padding them back gives the same result.
TEST_CASE("CNAB 240 accepts lines whose trailing blanks were trimmed", "[bank]") {
  const auto trimmed = without_trailing_blanks(fixture(kSantander), "\r\n");
  REQUIRE(lines_of(trimmed, "\r\n")[5].size() == 29);  // the file trailer, down from 240
  auto santander = parse_cnab240(trimmed);
  REQUIRE(santander);
  CHECK(*santander == parse_cnab240_fixture(kSantander));

  auto bb = parse_cnab240(without_trailing_blanks(fixture(kBb), "\n"));
  REQUIRE(bb);
  CHECK(*bb == parse_cnab240_fixture(kBb));
}

// Past column 240 only blanks are allowed (the BB fixture's batch header is 241 columns).
TEST_CASE("CNAB 240 refuses data past column 240", "[bank]") {
  REQUIRE(lines_of(fixture(kBb), "\n")[1].size() == 241);
  CHECK(cnab240_error_of(edit_bb_line(5, [](std::string& line) { line += "X"; })) ==
        "line 5: 241 columns with data past column 240; a CNAB 240 record has 240");
}

// A file cut in the middle of a record, after a T, or between títulos is refused at the right line.
TEST_CASE("CNAB 240 truncated file is refused naming the line", "[bank]") {
  const auto bb = fixture(kBb);
  const auto line_start = [&](std::size_t number) {
    std::size_t at = 0;
    for (std::size_t i = 1; i < number; ++i) at = bb.find('\n', at) + 1;
    return at;
  };
  // Cut inside segment U at column 100: the dates are gone.
  CHECK(
      cnab240_error_of(bb.substr(0, line_start(6) + 99)) ==
      "line 6: neither data da ocorrência (columns 138-145) nor data do crédito (columns 146-153) is given");
  // Cut inside segment U at column 85: the paid amount is cut.
  CHECK(cnab240_error_of(bb.substr(0, line_start(6) + 84)) ==
        "line 6: valor pago (columns 78-92) '0000000        ' is not a number");
  // Cut right after a segment T.
  CHECK(cnab240_error_of(bb.substr(0, line_start(8))) ==
        "line 7: segment T is not followed by its segment U");
  // Cut between two títulos: no batch trailer, no file trailer.
  CHECK(cnab240_error_of(bb.substr(0, line_start(9))) ==
        "line 8: the file ends without its trailer (record type 9); it looks truncated");
}

// A segment T whose segment U is missing is an error on the T's line.
TEST_CASE("CNAB 240 refuses a segment T without its segment U", "[bank]") {
  auto lines = lines_of(fixture(kBb), "\n");
  lines.erase(lines.begin() + 3);  // line 4, the first U
  CHECK(cnab240_error_of(join_lines(lines, "\n")) == "line 3: segment T is not followed by its segment U");

  auto no_t = lines_of(fixture(kBb), "\n");
  no_t.erase(no_t.begin() + 2);  // line 3, the first T
  CHECK(cnab240_error_of(join_lines(no_t, "\n")) == "line 3: segment U without a segment T before it");
}

// Lines that are not CNAB records, or records in the wrong place, are refused with their line.
TEST_CASE("CNAB 240 refuses garbage and misplaced records naming the line", "[bank]") {
  CHECK(cnab240_error_of(edit_bb_line(5, [](std::string& line) { line = "hello, this is not a record"; })) ==
        "line 5: bank code 'hel' (columns 1-3) differs from the file header's '001'");
  CHECK(cnab240_error_of(edit_bb_line(5, [](std::string& line) { line[7] = 'X'; })) ==
        "line 5: 'X' at column 8 is not a CNAB 240 record type (0, 1, 3, 5 or 9)");
  CHECK(cnab240_error_of(edit_bb_line(5, [](std::string& line) { line[13] = '#'; })) ==
        "line 5: '#' at column 14 is not a segment code");
  CHECK(cnab240_error_of(edit_bb_line(5, [](std::string& line) { line.replace(3, 4, "0002"); })) ==
        "line 5: batch '0002' (columns 4-7) differs from its batch header's '0001' at line 2");
  CHECK(cnab240_error_of(edit_bb_line(6, [](std::string& line) { line[80] = 'X'; })) ==
        "line 6: valor pago (columns 78-92) '000X00000003000' is not a number");
  CHECK(cnab240_error_of(edit_bb_line(6, [](std::string& line) { line.replace(145, 8, "31022011"); })) ==
        "line 6: data do crédito (columns 146-153) '31022011' is not a date in the form DDMMAAAA");
  CHECK(cnab240_error_of(edit_bb_line(3, [](std::string& line) {
          line.replace(37, 20, std::string(20, ' '));
        })) == "line 3: nosso número (columns 38-57) is blank");
  const auto bb = fixture(kBb);
  CHECK(cnab240_error_of(bb.substr(0, bb.find('\n') + 1) + "\n" + bb.substr(bb.find('\n') + 1)) ==
        "line 2: empty line inside the file");
  CHECK(cnab240_error_of(bb + bb.substr(0, bb.find('\n') + 1)) ==
        "line 15: data after the file trailer at line 14");
}

// The trailer's record count catches lost or extra lines.
TEST_CASE("CNAB 240 refuses a file whose trailer counts other records", "[bank]") {
  CHECK(cnab240_error_of(edit_bb_line(14, [](std::string& line) { line.replace(23, 6, "000015"); })) ==
        "line 14: the trailer counts 1 batches and 15 records, the file has 1 and 14");
}

// A remessa (the company's shipment to the bank) is not a return file.
TEST_CASE("CNAB 240 refuses a remessa file", "[bank]") {
  CHECK(cnab240_error_of(edit_bb_line(1, [](std::string& line) { line[142] = '1'; })) ==
        "line 1: this is a remessa (shipment to the bank), not a retorno");
}

// Ocorrências other than 06 and 17 are kept, not booked, with their code, amount and occurrence date.
TEST_CASE("CNAB 240 keeps a non-paying ocorrência as a not-booked entry with its code", "[bank]") {
  // 02 = entrada confirmada, on both segments of the first título.
  auto content = edit_bb_line(3, [](std::string& line) { line.replace(15, 2, "02"); });
  auto lines = lines_of(content, "\n");
  lines[3].replace(15, 2, "02");
  auto entries = parse_cnab240(join_lines(lines, "\n"));
  REQUIRE(entries);
  REQUIRE(entries->size() == 5);
  const auto& e = entries->at(0);
  CHECK_FALSE(e.booked);
  CHECK(e.status_code == "02");
  CHECK(e.amount == money(4000, "BRL"));
  // Not a payment: dated by its occurrence (21/03/2011), not the credit date.
  CHECK(e.booking_date == day("2011-03-21"));
  CHECK(entries->at(1).booked);

  // Segment T and U must agree on the ocorrência.
  CHECK(cnab240_error_of(content) == "line 4: ocorrência '06' differs from '02' in its segment T at line 3");
}

// When nothing was paid, the face value (valor nominal) is the entry's amount.
TEST_CASE("CNAB 240 uses the face value for an ocorrência without payment", "[bank]") {
  auto lines = lines_of(fixture(kBb), "\n");
  lines[2].replace(15, 2, "09");                   // T: baixa
  lines[3].replace(15, 2, "09");                   // U: baixa
  lines[3].replace(77, 15, std::string(15, '0'));  // nothing paid
  lines[3].replace(145, 8, "00000000");            // no credit
  auto entries = parse_cnab240(join_lines(lines, "\n"));
  REQUIRE(entries);
  CHECK(entries->at(0).amount == money(4000, "BRL"));  // T columns 82-96
  CHECK(entries->at(0).booking_date == day("2011-03-21"));
  CHECK_FALSE(entries->at(0).booked);

  // A paid ocorrência with nothing paid is a broken file.
  auto paid_zero = lines_of(fixture(kBb), "\n");
  paid_zero[3].replace(77, 15, std::string(15, '0'));
  CHECK(cnab240_error_of(join_lines(paid_zero, "\n")) ==
        "line 4: valor pago (columns 78-92) is zero for a paid título");
}

// A segment Y-03 after a título adds the PIX txid (columns 159-193) to its references.
TEST_CASE("CNAB 240 segment Y-03 adds the PIX txid to the título", "[bank]") {
  auto lines = lines_of(fixture(kSantander), "\r\n");
  std::string y = "0337031300003Y 1703";
  y.resize(158, ' ');
  y += "cobrador0000000000000000000000042";
  y.resize(240, ' ');
  lines.insert(lines.begin() + 4, y);
  lines.back().replace(23, 6, "000007");  // the trailer counts the new record
  auto entries = parse_cnab240(join_lines(lines, "\r\n"));
  REQUIRE(entries);
  CHECK(entries->at(0).references ==
        std::vector<Reference>{{ReferenceKind::nosso_numero, "0000000001040"},
                               {ReferenceKind::pix_txid, "cobrador0000000000000000000000042"}});
}
