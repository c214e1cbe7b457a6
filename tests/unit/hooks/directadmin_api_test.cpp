#include <catch2/catch.hpp>

#include "hooks/directadmin_api.hpp"

using namespace cobrador::hooks;

namespace {

PanelCall directadmin_call(PanelCall::Kind kind) {
  PanelCall call;
  call.kind = kind;
  call.account = "ana";
  return call;
}

}  // namespace

// CMD_API_SELECT_USERS gets the CMD_SELECT_USERS form with the button for each action.
TEST_CASE("directadmin builds the select-users forms", "[hooks]") {
  CHECK(encode_form(directadmin::select_users_form(directadmin_call(PanelCall::Kind::suspend))) ==
        "location=CMD_SELECT_USERS&suspend=Suspend&select0=ana&json=yes");
  CHECK(encode_form(directadmin::select_users_form(directadmin_call(PanelCall::Kind::unsuspend))) ==
        "location=CMD_SELECT_USERS&unsuspend=Unsuspend&select0=ana&json=yes");
  CHECK(encode_form(directadmin::select_users_form(directadmin_call(PanelCall::Kind::terminate))) ==
        "location=CMD_SELECT_USERS&delete=yes&confirmed=Confirm&select0=ana&json=yes");
  const auto backup = directadmin::site_backup_form();
  CHECK(form_value(backup, "action") == "backup");
  CHECK(form_value(backup, "select0") == "domain");
  CHECK(form_value(backup, "select10") == "database");
}

// Basic auth is base64 of user:key; login-as joins admin and account with '|'.
TEST_CASE("directadmin builds basic auth and login-as names", "[hooks]") {
  CHECK(directadmin::basic_auth("admin", "KEY") == "Basic YWRtaW46S0VZ");
  CHECK(directadmin::login_as("admin", "ana") == "admin|ana");
}

// The url-encoded answer: error=0 is success, anything else a refusal with text and details.
TEST_CASE("directadmin reads url-encoded answers", "[hooks]") {
  const auto yes = directadmin::parse_reply("error=0&text=Success&details=ana+suspended");
  REQUIRE(yes);
  CHECK(yes->ok);
  CHECK(yes->details == "ana suspended");
  const auto no = directadmin::parse_reply("error=1&text=Cannot%20suspend&details=ana+does+not+exist");
  REQUIRE(no);
  CHECK_FALSE(no->ok);
  CHECK(no->text == "Cannot suspend");
  CHECK(no->details == "ana does not exist");
}

// With json=yes the same verdicts come as JSON, "error" being a code or the message itself.
TEST_CASE("directadmin reads json answers", "[hooks]") {
  CHECK(directadmin::parse_reply(R"({"error":"0","text":"Success"})")->ok);
  CHECK(directadmin::parse_reply(R"({"success":"Users suspended","result":""})")->ok);
  const auto coded = directadmin::parse_reply(R"({"error":"1","text":"Cannot delete","details":"in use"})");
  CHECK_FALSE(coded->ok);
  CHECK(coded->text == "Cannot delete");
  const auto worded =
      directadmin::parse_reply(R"({"error":"Unable to suspend","result":"ana is the admin"})");
  CHECK_FALSE(worded->ok);
  CHECK(worded->text == "Unable to suspend");
  CHECK(worded->details == "ana is the admin");
}

// A login page or an empty body is not an answer.
TEST_CASE("directadmin refuses bodies without a verdict", "[hooks]") {
  CHECK_FALSE(directadmin::parse_reply("<html><form>login</form></html>"));
  CHECK_FALSE(directadmin::parse_reply(""));
  CHECK_FALSE(directadmin::parse_reply(R"({"unexpected":true})"));
}

// A backup listing is read from its list[] fields.
TEST_CASE("directadmin reads a backup listing", "[hooks]") {
  CHECK(directadmin::parse_file_list("list[]=backup-Jan-1-2026-1.tar.gz&list[]=user.admin.ana.tar.zst") ==
        std::vector<std::string>{"backup-Jan-1-2026-1.tar.gz", "user.admin.ana.tar.zst"});
  CHECK(directadmin::parse_file_list("list%5B%5D=a.tar.gz").front() == "a.tar.gz");
  CHECK(directadmin::parse_file_list("").empty());
}
