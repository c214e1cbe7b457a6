// Implements web/self_service_text.hpp: one row per sentence, in en, es and pt-BR.
#include "web/self_service_text.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace cobrador::web {

namespace {

struct Row {
  Say what;
  std::array<std::string_view, 3> text;  // en, es, pt-BR
};

// clang-format off
constexpr Row kRows[]{
  {Say::title, {"Your account", "Su cuenta", "Sua conta"}},
  {Say::hello, {"Hello, {}.", "Hola, {}.", "Olá, {}."}},
  {Say::link_note, {"This page shows your account as it is today ({}). Your link works until {}.",
                    "Esta página muestra su cuenta tal como está hoy ({}). Su enlace funciona hasta el {}.",
                    "Esta página mostra sua conta como está hoje ({}). Seu link funciona até {}."}},
  {Say::nothing_overdue, {"Nothing is overdue: thank you.", "No hay nada vencido: gracias.", "Nada está em atraso: obrigado."}},
  {Say::overdue_intro, {"These invoices are overdue:", "Estas facturas están vencidas:", "Estas faturas estão em atraso:"}},
  {Say::invoice, {"Invoice", "Factura", "Fatura"}},
  {Say::due, {"Due", "Vencimiento", "Vencimento"}},
  {Say::owed, {"Owed", "Adeudado", "Em aberto"}},
  {Say::total, {"Total overdue", "Total vencido", "Total em atraso"}},
  {Say::next_title, {"What happens next", "Qué pasa después", "O que acontece a seguir"}},
  {Say::next_suspend, {"On {}, unless the payment arrives first, these services will be suspended: {}.",
                       "El {}, salvo que el pago llegue antes, se suspenderán estos servicios: {}.",
                       "Em {}, a menos que o pagamento chegue antes, estes serviços serão suspensos: {}."}},
  {Say::next_lock, {"On {}, unless the payment arrives first, these services will be ended: {}.",
                    "El {}, salvo que el pago llegue antes, se darán de baja estos servicios: {}.",
                    "Em {}, a menos que o pagamento chegue antes, estes serviços serão encerrados: {}."}},
  {Say::next_notice, {"On {} we will write to you again.", "El {} le escribiremos de nuevo.", "Em {} escreveremos a você novamente."}},
  {Say::next_other, {"On {}: {}.", "El {}: {}.", "Em {}: {}."}},
  {Say::no_next, {"Nothing is planned in the next 90 days.", "No hay nada previsto en los próximos 90 días.", "Nada está previsto nos próximos 90 dias."}},
  {Say::release_running, {"Your services are released on trust until {}: please pay by then.",
                          "Sus servicios están liberados por confianza hasta el {}: pague antes de esa fecha.",
                          "Seus serviços estão liberados por confiança até {}: pague até essa data."}},
  {Say::pay_title, {"How to pay", "Cómo pagar", "Como pagar"}},
  {Say::pay_bank_transfer, {"Bank transfer", "Transferencia bancaria", "Transferência bancária"}},
  {Say::pay_pix, {"PIX key", "Clave PIX", "Chave PIX"}},
  {Say::pay_boleto, {"Boleto", "Boleto", "Boleto"}},
  {Say::pay_none, {"Please contact us to pay.", "Contáctenos para pagar.", "Entre em contato conosco para pagar."}},
  {Say::services_title, {"Your services", "Sus servicios", "Seus serviços"}},
  {Say::service, {"Service", "Servicio", "Serviço"}},
  {Say::state, {"State", "Estado", "Situação"}},
  {Say::state_active, {"active", "activo", "ativo"}},
  {Say::state_suspended, {"suspended", "suspendido", "suspenso"}},
  {Say::state_locked, {"ended for non-payment", "dado de baja por falta de pago", "encerrado por falta de pagamento"}},
  {Say::state_cancelling, {"being cancelled", "en cancelación", "em cancelamento"}},
  {Say::state_cancelled, {"cancelled", "cancelado", "cancelado"}},
  {Say::state_purged, {"removed", "eliminado", "removido"}},
  {Say::paid_title, {"I paid", "Ya pagué", "Já paguei"}},
  {Say::paid_intro, {"Send us the receipt (PDF, PNG or JPEG, up to {} KB). We record it as your report of a payment: your balance changes when the bank confirms the money.",
                     "Envíenos el comprobante (PDF, PNG o JPEG, hasta {} KB). Lo registramos como su aviso de pago: su saldo cambia cuando el banco confirma el dinero.",
                     "Envie o comprovante (PDF, PNG ou JPEG, até {} KB). Registramos como seu aviso de pagamento: seu saldo muda quando o banco confirma o dinheiro."}},
  {Say::paid_amount, {"Amount paid", "Monto pagado", "Valor pago"}},
  {Say::paid_date, {"Day of the payment", "Día del pago", "Data do pagamento"}},
  {Say::paid_method, {"How you paid", "Cómo pagó", "Como pagou"}},
  {Say::paid_reference, {"Reference of the transfer", "Referencia de la transferencia", "Identificador da transação"}},
  {Say::paid_proof, {"Receipt", "Comprobante", "Comprovante"}},
  {Say::paid_button, {"Send the receipt", "Enviar el comprobante", "Enviar o comprovante"}},
  {Say::paid_done, {"Thank you: we received your receipt for {}. Someone will check it; your balance changes when the bank confirms the payment.",
                    "Gracias: recibimos su comprobante de {}. Alguien lo revisará; su saldo cambia cuando el banco confirme el pago.",
                    "Obrigado: recebemos seu comprovante de {}. Alguém vai conferir; seu saldo muda quando o banco confirmar o pagamento."}},
  {Say::release_title, {"I need more time", "Necesito más tiempo", "Preciso de mais prazo"}},
  {Say::release_offer, {"You can have your services back now and pay by {}.",
                        "Puede tener sus servicios de vuelta ahora y pagar hasta el {}.",
                        "Você pode ter seus serviços de volta agora e pagar até {}."}},
  {Say::release_button, {"I need until {}", "Necesito hasta el {}", "Preciso até {}"}},
  {Say::release_refused, {"More time cannot be given now ({}): {}", "No se puede dar más tiempo ahora ({}): {}",
                          "Não é possível dar mais prazo agora ({}): {}"}},
  {Say::release_done, {"Done: your services are released until {}. Please pay by then.",
                       "Listo: sus servicios están liberados hasta el {}. Pague antes de esa fecha.",
                       "Pronto: seus serviços estão liberados até {}. Pague até essa data."}},
  {Say::cancel_title, {"I want to cancel", "Quiero cancelar", "Quero cancelar"}},
  {Say::cancel_intro, {"Tell us why and who asks. We record your request now and call you to confirm it.",
                       "Díganos por qué y quién lo pide. Registramos su pedido ahora y le llamamos para confirmarlo.",
                       "Diga o motivo e quem pede. Registramos seu pedido agora e ligamos para confirmá-lo."}},
  {Say::cancel_reason, {"Reason", "Motivo", "Motivo"}},
  {Say::cancel_who, {"Your name (the person responsible for the account)", "Su nombre (el responsable de la cuenta)",
                     "Seu nome (o responsável pela conta)"}},
  {Say::cancel_button, {"Ask to cancel", "Pedir la cancelación", "Pedir o cancelamento"}},
  {Say::cancel_done, {"Your cancellation is recorded.", "Su cancelación está registrada.", "Seu cancelamento está registrado."}},
  {Say::cancel_awaiting, {"Your request is recorded: we will call you to confirm it.",
                          "Su pedido está registrado: le llamaremos para confirmarlo.",
                          "Seu pedido está registrado: ligaremos para confirmá-lo."}},
  {Say::read_title, {"I read this", "Lo leí", "Li este aviso"}},
  {Say::read_intro, {"Tell us you read the notice this link came with.", "Díganos que leyó el aviso con el que llegó este enlace.",
                     "Informe que leu o aviso que trouxe este link."}},
  {Say::read_button, {"I read the notice", "Leí el aviso", "Li o aviso"}},
  {Say::read_done, {"Thank you: we noted that you read the notice.", "Gracias: registramos que leyó el aviso.",
                    "Obrigado: registramos que você leu o aviso."}},
  {Say::read_already, {"You told us on {} that you read this notice.", "Nos dijo el {} que leyó este aviso.",
                       "Você nos informou em {} que leu este aviso."}},
  {Say::refused, {"Not done: {}", "No se hizo: {}", "Não foi feito: {}"}},
  {Say::bad_link_title, {"This link does not work", "Este enlace no funciona", "Este link não funciona"}},
  {Say::bad_link, {"The link is incomplete, was changed, or has been replaced. Please use the link in your most recent notice, or contact us.",
                   "El enlace está incompleto, fue modificado o fue reemplazado. Use el enlace de su aviso más reciente o contáctenos.",
                   "O link está incompleto, foi alterado ou foi substituído. Use o link do seu aviso mais recente ou entre em contato conosco."}},
  {Say::expired_link_title, {"This link has expired", "Este enlace venció", "Este link expirou"}},
  {Say::expired_link, {"Links work for a limited time. Please use the link in your most recent notice, or contact us.",
                       "Los enlaces funcionan por un tiempo limitado. Use el enlace de su aviso más reciente o contáctenos.",
                       "Os links funcionam por tempo limitado. Use o link do seu aviso mais recente ou entre em contato conosco."}},
  {Say::too_many_title, {"Too many requests", "Demasiadas solicitudes", "Solicitações demais"}},
  {Say::too_many, {"Please wait {} seconds and try again.", "Espere {} segundos e intente de nuevo.", "Aguarde {} segundos e tente novamente."}},
  {Say::contact, {"Contact us", "Contáctenos", "Fale conosco"}},
  {Say::form_expired, {"This form was not sent from your page: nothing was changed. Open your link again.",
                       "Este formulario no se envió desde su página: no se cambió nada. Abra su enlace de nuevo.",
                       "Este formulário não foi enviado da sua página: nada foi alterado. Abra seu link novamente."}},
  {Say::upload_missing, {"choose the receipt's file", "elija el archivo del comprobante", "escolha o arquivo do comprovante"}},
  {Say::upload_type, {"the receipt must be a PDF, PNG or JPEG file", "el comprobante debe ser un archivo PDF, PNG o JPEG",
                      "o comprovante deve ser um arquivo PDF, PNG ou JPEG"}},
  {Say::upload_size, {"the receipt is larger than {} KB", "el comprobante supera los {} KB", "o comprovante tem mais de {} KB"}},
  {Say::reason_price, {"The price", "El precio", "O preço"}},
  {Say::reason_service, {"The service did not meet my needs", "El servicio no cubrió mis necesidades", "O serviço não atendeu"}},
  {Say::reason_moving, {"I am moving to another provider", "Me cambio a otro proveedor", "Vou mudar de fornecedor"}},
  {Say::reason_other, {"Another reason", "Otro motivo", "Outro motivo"}},
};
// clang-format on

bool starts_with_language(std::string_view text, std::string_view language) {
  if (text.size() < language.size()) return false;
  for (std::size_t i = 0; i < language.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != language[i]) return false;
  return text.size() == language.size() || text[language.size()] == '-' || text[language.size()] == '_' ||
         text[language.size()] == ',' || text[language.size()] == ';';
}

}  // namespace

Lang lang_for(std::string_view locale) {
  if (starts_with_language(locale, "pt")) return Lang::pt;
  if (starts_with_language(locale, "es")) return Lang::es;
  return Lang::en;
}

Lang lang_from_header(std::string_view accept_language) {
  while (!accept_language.empty() && accept_language.front() == ' ') accept_language.remove_prefix(1);
  return lang_for(accept_language);
}

std::string_view lang_tag(Lang lang) {
  switch (lang) {
    case Lang::es:
      return "es";
    case Lang::pt:
      return "pt-BR";
    case Lang::en:
      break;
  }
  return "en";
}

std::string_view say(Lang lang, Say what) {
  for (const auto& row : kRows)
    if (row.what == what) return row.text[static_cast<std::size_t>(lang)];
  return "";
}

}  // namespace cobrador::web
