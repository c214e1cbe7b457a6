// Column positions of the FEBRABAN CNAB 240 cobrança return file, 1-based and inclusive as
// the manuals write them. Checked against the Banco do Brasil and Santander sample files in
// /work/shared/fixtures/cnab240 and against the readers of eduardokum/laravel-boleto
// (Retorno/Cnab240/Banco/Bb.php, Santander.php) and ACBr (ACBrBancoSantander.pas).
#pragma once

#include <cstddef>
#include <string_view>

namespace cobrador::bank::cnab240 {

struct Columns {
  std::size_t first;
  std::size_t last;
};

inline constexpr std::size_t kRecordLength = 240;

// Every record.
inline constexpr Columns kBank{1, 3};
inline constexpr Columns kBatch{4, 7};
inline constexpr Columns kRecordType{8, 8};
// File header (record type 0).
inline constexpr Columns kHeaderBeneficiary{18, 72};  // inscrição, convênio, agência, conta
inline constexpr Columns kHeaderDirection{143, 143};  // 1 = remessa, 2 = retorno
// Batch header (record type 1).
inline constexpr Columns kBatchService{10, 11};  // 01 = cobrança
// Detail records (record type 3).
inline constexpr Columns kSegment{14, 14};
inline constexpr Columns kMovement{16, 17};  // código de movimento (ocorrência)
// Segment U: the same columns at every bank.
inline constexpr Columns kPaidAmount{78, 92};        // valor pago pelo pagador, in cents
inline constexpr Columns kOccurrenceDate{138, 145};  // DDMMAAAA
inline constexpr Columns kCreditDate{146, 153};      // data da efetivação do crédito, DDMMAAAA
// Segment Y (optional), kind 03: the PIX data of a boleto with a QR code.
inline constexpr Columns kOptionalKind{18, 19};
inline constexpr Columns kPixTxid{159, 193};
// File trailer (record type 9).
inline constexpr Columns kTrailerBatches{18, 23};
inline constexpr Columns kTrailerRecords{24, 29};

// Segment T is where banks part from FEBRABAN: Santander (033) moves the title's fields.
struct TitleColumns {
  Columns nosso_numero;
  Columns document_number;    // número do documento / seu número
  Columns company_reference;  // identificação do título na empresa
  Columns face_value;         // valor nominal do título, in cents
};

// The segment T columns for a bank code ("001", "033", ...): FEBRABAN's unless the bank is
// known to differ.
const TitleColumns& title_columns(std::string_view bank);

}  // namespace cobrador::bank::cnab240
