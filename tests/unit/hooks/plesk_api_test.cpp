#include <catch2/catch.hpp>

#include "hooks/plesk_api.hpp"

using namespace cobrador::hooks;

namespace {

PanelCall plesk_call(PanelCall::Kind kind, std::string account = "example.com") {
  PanelCall call;
  call.kind = kind;
  call.account = std::move(account);
  return call;
}

}  // namespace

// Suspend sets gen_setup/status 16 on the webspace named by the account; unsuspend sets 0.
TEST_CASE("plesk builds webspace set packets", "[hooks]") {
  CHECK(*plesk::request_for(plesk_call(PanelCall::Kind::suspend)) ==
        "<?xml version=\"1.0\" "
        "encoding=\"UTF-8\"?><packet><webspace><set><filter><name>example.com</name></filter>"
        "<values><gen_setup><status>16</status></gen_setup></values></set></webspace></packet>");
  CHECK(plesk::request_for(plesk_call(PanelCall::Kind::unsuspend))->find("<status>0</status>") !=
        std::string::npos);
}

// Terminate deletes the webspace; an awkward account name is escaped, not injected.
TEST_CASE("plesk builds a webspace del packet and escapes names", "[hooks]") {
  CHECK(plesk::request_for(plesk_call(PanelCall::Kind::terminate))
            ->find("<webspace><del><filter><name>example.com</name></filter></del></webspace>") !=
        std::string::npos);
  CHECK(plesk::request_for(plesk_call(PanelCall::Kind::terminate, "a</name><x>"))
            ->find("a&lt;/name&gt;&lt;x&gt;") != std::string::npos);
}

// Backups are refused with a reason an operator can act on.
TEST_CASE("plesk refuses backups", "[hooks]") {
  const auto backup = plesk::request_for(plesk_call(PanelCall::Kind::backup));
  REQUIRE_FALSE(backup);
  CHECK(backup.error().message.find("use an exec or webhook panel") != std::string::npos);
}

// An ok result is success; an error result carries errcode and errtext.
TEST_CASE("plesk reads operation results", "[hooks]") {
  const auto ok =
      plesk::parse_reply(R"(<?xml version="1.0"?><packet version="1.6.9.1"><webspace><set><result>)"
                         R"(<status>ok</status><filter-id>example.com</filter-id><id>3</id></result>)"
                         R"(</set></webspace></packet>)");
  REQUIRE(ok);
  CHECK(ok->ok);
  const auto missing = plesk::parse_reply(R"(<packet><webspace><del><result><status>error</status>)"
                                          R"(<errcode>1013</errcode><errtext>Object not found.</errtext>)"
                                          R"(</result></del></webspace></packet>)");
  REQUIRE(missing);
  CHECK_FALSE(missing->ok);
  CHECK(missing->errcode == 1013);
  CHECK(missing->errtext == "Object not found.");
}

// A system-level error (bad key, malformed packet) is read too; non-packets are errors.
TEST_CASE("plesk reads system errors and refuses non-packets", "[hooks]") {
  const auto denied = plesk::parse_reply(
      R"(<packet version="1.6.9.1"><system><status>error</status>)"
      R"(<errcode>1001</errcode><errtext>Authentication failed</errtext></system></packet>)");
  REQUIRE(denied);
  CHECK_FALSE(denied->ok);
  CHECK(denied->errcode == 1001);
  CHECK_FALSE(plesk::parse_reply("<html>nginx</html>"));
  CHECK_FALSE(plesk::parse_reply("not xml at all <"));
  CHECK_FALSE(plesk::parse_reply("<packet><webspace/></packet>"));
}
