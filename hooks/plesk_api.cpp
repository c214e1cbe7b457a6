// Implements hooks/plesk_api.hpp.
#include "hooks/plesk_api.hpp"

#include <pugixml.hpp>

#include <sstream>

namespace cobrador::hooks::plesk {

namespace {

pugi::xml_node add_filter(pugi::xml_node operation, const std::string& account) {
  auto filter = operation.append_child("filter");
  filter.append_child("name").text().set(account.c_str());
  return filter;
}

void set_status(pugi::xml_node webspace, const std::string& account, int status) {
  auto set = webspace.append_child("set");
  add_filter(set, account);
  set.append_child("values").append_child("gen_setup").append_child("status").text().set(status);
}

Reply reply_from(pugi::xml_node result) {
  Reply reply;
  reply.ok = std::string_view(result.child_value("status")) == "ok";
  reply.errcode = result.child("errcode").text().as_llong(0);
  reply.errtext = result.child_value("errtext");
  return reply;
}

}  // namespace

Result<std::string> request_for(const PanelCall& call) {
  if (call.kind == PanelCall::Kind::backup) {
    return make_error(
        "the plesk adapter does not take backups (Plesk's XML API has no backup operation since "
        "Onyx 17.5); use an exec or webhook panel for backups");
  }
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto webspace = doc.append_child("packet").append_child("webspace");
  switch (call.kind) {
    case PanelCall::Kind::suspend:
      set_status(webspace, call.account, status_disabled_by_admin);
      break;
    case PanelCall::Kind::unsuspend:
      set_status(webspace, call.account, status_active);
      break;
    case PanelCall::Kind::terminate:
      add_filter(webspace.append_child("del"), call.account);
      break;
    case PanelCall::Kind::backup:
      break;
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

Result<Reply> parse_reply(std::string_view body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size()))
    return make_error("Plesk answered with something that is not XML");
  const auto packet = doc.child("packet");
  if (!packet) return make_error("Plesk's answer has no <packet>");
  if (const auto system = packet.child("system")) return reply_from(system);
  // The answer mirrors the request: packet/webspace/<set|del>/result.
  for (const auto operation : packet.child("webspace").children()) {
    if (const auto result = operation.child("result")) return reply_from(result);
  }
  return make_error("Plesk's answer has no webspace result");
}

}  // namespace cobrador::hooks::plesk
