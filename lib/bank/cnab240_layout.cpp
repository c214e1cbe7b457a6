// Implements the per-bank choice of segment T columns.
#include "bank/cnab240_layout.hpp"

namespace cobrador::bank::cnab240 {

namespace {

constexpr TitleColumns kFebraban{{38, 57}, {59, 73}, {106, 130}, {82, 96}};
// Santander layout H7815: agência 18-21, conta 23-31, then nosso número 41-53.
constexpr TitleColumns kSantander{{41, 53}, {55, 69}, {101, 125}, {78, 92}};

}  // namespace

const TitleColumns& title_columns(std::string_view bank) { return bank == "033" ? kSantander : kFebraban; }

}  // namespace cobrador::bank::cnab240
