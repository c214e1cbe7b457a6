// Every outbox key comes from policy::ActionKey; these are the texts the outbox already holds
// (an upgrade that changed one would queue the same action twice).
#include <catch2/catch.hpp>

#include "policy/action_key.hpp"

using namespace cobrador;
using namespace cobrador::policy;

TEST_CASE("action keys keep the texts the outbox deduplicates on", "[policy]") {
  CHECK(ActionKey::episode(7, 2).then("reminder", ActionKind::notify, "email:ana@example.com").text() ==
        "c7:e2:reminder:notify:email:ana@example.com");
  CHECK(ActionKey::episode(7, 2).then(kEndStage, ActionKind::unsuspend, "web-1").text() ==
        "c7:e2:end:unsuspend:web-1");
  CHECK(ActionKey::by_hand(7, 3).then(kManualStage, ActionKind::suspend, "web-1").text() ==
        "c7:m3:manual:suspend:web-1");
  CHECK(ActionKey::of_service(3, "cancellation", 12).then("suspend").text() == "s3:cancellation12:suspend");
  CHECK(ActionKey::of_service(3, "backup", 1).text() == "s3:backup1");
  CHECK(ActionKey::of_claim(7, 12).then("notify").then("email:ana@example.com").text() ==
        "c7:claim12:notify:email:ana@example.com");
  CHECK(ActionKey::of_origin(3, "lock:2").then("purge").text() == "s3:lock2:purge");
  CHECK(ActionKey::of_origin(3, "cancellation:7").then("last_chance").then("notify").text() ==
        "s3:cancellation7:last_chance:notify");
}

TEST_CASE("a follow-up's key extends the key of the action it follows", "[policy]") {
  Action backup;
  backup.key = "s3:backup1";
  CHECK(ActionKey::following(backup).then("notify").then("email:ana@example.com").text() ==
        "s3:backup1:notify:email:ana@example.com");
}
