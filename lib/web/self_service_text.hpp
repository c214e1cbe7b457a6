// The words of the customer's page (docs/customer-page.md) in the languages the notices ship
// in: en, es and pt-BR. A customer whose locale is none of them reads English, as with the
// notices' fallback (notify::locale_fallbacks).
#pragma once

#include <string>
#include <string_view>

namespace cobrador::web {

enum class Lang { en, es, pt };

// The language for a customer's locale ("pt-BR", "pt_br", "es-419", ...).
Lang lang_for(std::string_view locale);
// The language of a browser's Accept-Language, for a page that knows no customer.
Lang lang_from_header(std::string_view accept_language);
// The html lang attribute.
std::string_view lang_tag(Lang lang);

enum class Say {
  title,
  hello,
  link_note,
  nothing_overdue,
  overdue_intro,
  invoice,
  due,
  owed,
  total,
  next_title,
  next_suspend,
  next_lock,
  next_notice,
  next_other,
  no_next,
  release_running,
  pay_title,
  pay_bank_transfer,
  pay_pix,
  pay_boleto,
  pay_none,
  services_title,
  service,
  state,
  state_active,
  state_suspended,
  state_locked,
  state_cancelling,
  state_cancelled,
  state_purged,
  paid_title,
  paid_intro,
  paid_amount,
  paid_date,
  paid_method,
  paid_reference,
  paid_proof,
  paid_button,
  paid_done,
  release_title,
  release_offer,
  release_button,
  release_refused,
  release_done,
  cancel_title,
  cancel_intro,
  cancel_reason,
  cancel_who,
  cancel_button,
  cancel_done,
  cancel_awaiting,
  read_title,
  read_intro,
  read_button,
  read_done,
  read_already,
  refused,
  bad_link_title,
  bad_link,
  expired_link_title,
  expired_link,
  too_many_title,
  too_many,
  contact,
  form_expired,
  upload_missing,
  upload_type,
  upload_size,
  reason_price,
  reason_service,
  reason_moving,
  reason_other,
};

// The sentence `what` in `lang`; some hold {} placeholders the page fills with fmt.
std::string_view say(Lang lang, Say what);

}  // namespace cobrador::web
