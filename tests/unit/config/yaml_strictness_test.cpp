// cobrador.yaml and policy.yaml refuse what yaml-cpp would let through silently (issue 19,
// point 3): a key written twice (the second would be ignored), bytes that are not UTF-8, and a
// duration too long to count in milliseconds.
#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "policy/policy.hpp"

using namespace cobrador;

namespace yaml_strictness_test {

TEST_CASE("a key written twice is an error naming both places", "[config]") {
  const auto config = config::parse_config(
      "database: /var/lib/cobrador/a.db\nhttp:\n  listen: 127.0.0.1:8080\n  listen: 0.0.0.0:80\n"
      "database: /var/lib/cobrador/b.db\n",
      "cobrador.yaml");
  REQUIRE_FALSE(config);
  CHECK_THAT(config.error().message,
             Catch::Contains("cobrador.yaml:4:3: key 'listen' appears twice (first at line 3, column 3)"));
  CHECK_THAT(config.error().message,
             Catch::Contains("cobrador.yaml:5:1: key 'database' appears twice (first at line 1, column 1)"));

  const auto policy = policy::parse_policy(
      "timezone: UTC\nrun_at: \"06:00\"\nstages:\n  - name: remind\n    when: { days_overdue: 3 }\n"
      "    when: { days_overdue: 30 }\n    notify: [email]\n    template: payment_reminder\n",
      "policy.yaml");
  REQUIRE_FALSE(policy);
  CHECK_THAT(policy.error().message,
             Catch::Contains("policy.yaml:6:5: key 'when' appears twice (first at line 5, column 5)"));
}

TEST_CASE("a configuration that is not UTF-8 is refused with the place", "[config]") {
  const auto config = config::parse_config(
      "database: /var/lib/cobrador/a.db\nsupport: { phone: \"Jo\xE3o\" }\n", "cobrador.yaml");
  REQUIRE_FALSE(config);
  CHECK_THAT(config.error().message, Catch::Contains("cobrador.yaml:2:22: not valid UTF-8"));
}

TEST_CASE("a duration past ten years is refused, not multiplied past int64", "[config]") {
  for (const auto text : {"9999999999999999h", "3074457345618258603m", "99999999999h", "999999999999s"}) {
    const auto config = config::parse_config(
        std::string("database: /var/lib/cobrador/a.db\ndispatch: { retry_max: ") + text + " }\n",
        "cobrador.yaml");
    INFO(text);
    REQUIRE_FALSE(config);
    CHECK_THAT(config.error().message,
               Catch::Contains("is not a duration like 30s, 5m or 6h, of at most ten years"));
  }
  const auto config = config::parse_config(
      "database: /var/lib/cobrador/a.db\ndispatch: { retry_max: 87600h }\n", "cobrador.yaml");
  REQUIRE(config);
  CHECK(config->dispatch.retry_max == std::chrono::hours(87600));
}

}  // namespace yaml_strictness_test
