// The customer's page over real HTTP on 127.0.0.1 (docs/customer-page.md), on the store the
// tests run with (SQLite, or PostgreSQL with COBRADOR_TEST_STORE=postgresql): a link signed for
// a notice the walk queued opens the page; each form goes through its service function and is
// audited with the link; bad, expired and foreign links, bad forms and bad uploads change nothing.
#include <catch2/catch.hpp>

#include <vector>

#include <filesystem>

#include "integration/http/api_fixture.hpp"
#include "policy/link_token.hpp"
#include "walk/walk.hpp"
#include "web/forms.hpp"

namespace customer_page_test {

using namespace cobrador;
using namespace cobrador::testing;

// A customer four days late, with the reminder the walk queued for her: the notice of the link.
struct Page {
  ApiFixture api;
  std::int64_t customer = 0;
  std::int64_t notice = 0;
  std::string token;
  std::string form;

  Page() {
    api.seed_customer("c1");
    api.seed_invoice("i1", "c1", "49.90", api.policy().local_date(api.now()) - std::chrono::days{4});
    walk::walk(api.db(), api.policy(), api.now());
    store::ActionFilter filter;
    filter.kind = ActionKind::notify;
    const auto notices = api.db().actions(filter);
    REQUIRE_FALSE(notices.empty());
    notice = notices.front().id;
    customer = notices.front().customer_id;
    token = link_for(customer, notice, api.now() + std::chrono::days{30});
    form = policy::form_token(token, kLinksKey);
  }

  static std::string link_for(std::int64_t customer, std::int64_t notice, Instant expires) {
    return policy::sign_link({customer, notice, expires}, kLinksKey);
  }

  Reply get(const std::string& path) { return api.call("GET", path); }
  Reply post(const std::string& what, const std::string& body) {
    return api.call("POST", "/c/" + token + "/" + what, body, "",
                    {{"Content-Type", "application/x-www-form-urlencoded"}});
  }
  Reply page() { return get("/c/" + token); }
};

std::string multipart(const std::string& form, const std::string& reference, const std::string& file) {
  const std::string b = "----cobradorTestBoundary";
  auto field = [&](const std::string& name, const std::string& value) {
    return "--" + b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  };
  return field("form", form) + field("amount", "49.90") + field("paid_on", "2026-03-04") +
         field("method", "pix") + field("reference", reference) + "--" + b +
         "\r\nContent-Disposition: form-data; name=\"proof\"; filename=\"r.pdf\"\r\nContent-Type: "
         "application/pdf\r\n\r\n" +
         file + "\r\n--" + b + "--\r\n";
}

Reply post_receipt(Page& p, const std::string& reference, const std::string& file) {
  return p.api.call("POST", "/c/" + p.token + "/paid", multipart(p.form, reference, file), "",
                    {{"Content-Type", "multipart/form-data; boundary=----cobradorTestBoundary"}});
}

std::size_t files_in(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(folder)) return 0;
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}

// The page: the customer's own debt and services, no referrer, no script, and forms that carry
// the token derived from the link.
TEST_CASE("a notice's link opens the customer's page with her debt and what she can do", "[customer-page]") {
  Page p;
  const auto page = p.page();
  REQUIRE(page.status == 200);
  CHECK(page.header("referrer-policy") == "no-referrer");
  CHECK(page.header("content-security-policy").find("default-src 'none'") != std::string::npos);
  CHECK(page.header("cache-control") == "no-store");
  CHECK(page.body.find("Customer c1") != std::string::npos);
  CHECK(page.body.find("49.90 BRL") != std::string::npos);
  CHECK(page.body.find("s-c1") != std::string::npos);
  CHECK(page.body.find("<script") == std::string::npos);
  CHECK(page.body.find("value=\"" + p.form + "\"") != std::string::npos);
  CHECK(p.get("/c/assets/page.css").status == 200);
}

// Each action through its service, audited with the link; the second release is refused by
// the policy's rule; "I read this" is kept once, beside the notice.
TEST_CASE("the page's forms claim, release and acknowledge through the services, once", "[customer-page]") {
  Page p;
  const auto released = p.post("release", "form=" + web::path_segment(p.form));
  CHECK(released.status == 303);
  CHECK(released.header("location") == "/c/" + p.token);
  CHECK(p.api.count("SELECT COUNT(*) FROM promises WHERE granted_by = 'customer'") == 1);
  CHECK(p.page().body.find("Done: your services are released until") != std::string::npos);
  CHECK(p.post("release", "form=" + web::path_segment(p.form)).status == 303);
  CHECK(p.api.count("SELECT COUNT(*) FROM promises") == 1);
  CHECK(p.page().body.find("open_promise") != std::string::npos);

  CHECK(p.post("read", "form=" + web::path_segment(p.form)).status == 303);
  CHECK(p.post("read", "form=" + web::path_segment(p.form)).status == 303);
  CHECK(p.api.count(
            "SELECT COUNT(*) FROM notice_acknowledgements WHERE action_id = $1 AND address = '127.0.0.1' "
            "AND source = $2",
            {std::to_string(p.notice), "link:notice:" + std::to_string(p.notice)}) == 1);
  CHECK(p.api.count("SELECT COUNT(*) FROM audit WHERE event = 'notice_acknowledged'") == 1);
  CHECK(p.page().body.find("You told us on") != std::string::npos);

  const auto uploads = p.api.dir() / "var" / "uploads";
  CHECK(post_receipt(p, "TED-1", "%PDF-1.4\n%%EOF\n").status == 303);
  CHECK(p.page().body.find("we received your receipt for 49.90 BRL") != std::string::npos);
  CHECK(p.api.count("SELECT COUNT(*) FROM payments WHERE status = 'claimed' AND reference = 'TED-1'") == 1);
  CHECK(p.api.count("SELECT COUNT(*) FROM payments WHERE status = 'confirmed'") == 0);
  CHECK(p.api.count("SELECT COUNT(*) FROM tasks WHERE kind = 'review_claim'") == 1);
  CHECK(files_in(uploads) == 1);
  // Each action is audited with the link (the notice) it came from: the release, the
  // acknowledgement and the claim.
  for (const auto* event : {"trust_release_granted", "notice_acknowledged", "payment_created"}) {
    INFO(event);
    CHECK(p.api.count("SELECT COUNT(*) FROM audit WHERE event = $1 AND details LIKE $2",
                      {event, "%link:notice:" + std::to_string(p.notice) + "%"}) == 1);
  }
  // A program is no receipt, whatever its name says; nothing is kept of it.
  CHECK(post_receipt(p, "TED-2", "MZ\x90\x00 this is a program").status == 303);
  CHECK(p.page().body.find("must be a PDF, PNG or JPEG") != std::string::npos);
  CHECK(p.api.count("SELECT COUNT(*) FROM payments WHERE reference = 'TED-2'") == 0);
  CHECK(files_in(uploads) == 1);
  // The same reference again is the claim already made: refused, its file not kept.
  CHECK(post_receipt(p, "TED-1", "%PDF-1.4\n%%EOF\n").status == 303);
  CHECK(p.page().body.find("already made") != std::string::npos);
  CHECK(files_in(uploads) == 1);
}

// What a person typed must be one line of UTF-8; a receipt over the size limit is refused; in
// each case nothing is recorded and nothing is kept, and the page says why.
TEST_CASE("a customer-page form with broken text or a receipt too large records nothing", "[customer-page]") {
  Page p;
  CHECK(post_receipt(p, "TED\xff\xfe", "%PDF-1.4\n").status == 303);
  CHECK(p.page().body.find("reference: not valid UTF-8") != std::string::npos);
  CHECK(post_receipt(p, "TED\r\nBcc: x", "%PDF-1.4\n").status == 303);
  CHECK(p.page().body.find("reference: contains a control character") != std::string::npos);
  CHECK(post_receipt(p, "TED-3", "%PDF-1.4\n" + std::string(800 * 1024, 'x')).status == 303);
  CHECK(p.page().body.find("larger than 768 KB") != std::string::npos);
  CHECK(p.post("cancel", "form=" + web::path_segment(p.form) + "&reason=price&who=" + std::string(300, 'a'))
            .status == 303);
  CHECK(p.page().body.find("who: longer than 200 bytes") != std::string::npos);
  CHECK(p.api.count("SELECT COUNT(*) FROM payments") == 0);
  CHECK(p.api.count("SELECT COUNT(*) FROM cancellation_requests") == 0);
  CHECK(files_in(p.api.dir() / "var" / "uploads") == 0);
}

// The debt the notice was about is paid (the episode ended): the old notice's link shows the
// account as it is now, not the old debt, and offers nothing that needs a debt.
TEST_CASE("a link from a notice of an ended episode shows today's state", "[customer-page]") {
  Page p;
  REQUIRE(p.api
              .call("POST", "/v1/payments",
                    R"({"id": "E1", "invoice_id": "i1", "amount": "49.90", "currency": "BRL",
                        "status": "confirmed", "received_on": "2026-03-05"})",
                    kErpToken)
              .status == 201);
  const auto page = p.page();
  REQUIRE(page.status == 200);
  CHECK(page.body.find("Nothing is overdue") != std::string::npos);
  CHECK(page.body.find("49.90 BRL") == std::string::npos);
  CHECK(page.body.find("id=\"paid\"") == std::string::npos);
  CHECK(page.body.find("id=\"release\"") == std::string::npos);
}

// A form without the link's own token is refused before anything is done.
TEST_CASE("a customer-page form without the link's form token changes nothing", "[customer-page]") {
  Page p;
  CHECK(p.post("release", "").status == 403);
  CHECK(p.post("release", "form=" + web::path_segment(policy::form_token(p.token, "another key"))).status ==
        403);
  CHECK(p.post("read", "form=x").status == 403);
  CHECK(p.api.count("SELECT COUNT(*) FROM promises") == 0);
  CHECK(p.api.count("SELECT COUNT(*) FROM notice_acknowledgements") == 0);
}

// Wrong links of every kind get the plain page and no data; none is a server error.
TEST_CASE("tampered, expired, foreign and garbled links get the plain page", "[customer-page]") {
  Page p;
  auto tampered = p.token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  const auto bad = p.get("/c/" + tampered);
  CHECK(bad.status == 403);
  CHECK(bad.body.find("Customer c1") == std::string::npos);
  CHECK(bad.body.find("+55 11 4000-0000") != std::string::npos);
  CHECK(p.post("release", "form=" + web::path_segment(p.form)).status == 303);  // the real one works
  const auto expired = p.get("/c/" + Page::link_for(p.customer, p.notice, p.api.now()));
  CHECK(expired.status == 410);
  CHECK(expired.body.find("Customer c1") == std::string::npos);
  CHECK(p.get("/c/" + Page::link_for(p.customer, p.notice, p.api.now() + std::chrono::seconds{1})).status ==
        200);
  // A signed link whose notice is not this customer's (or not a notice) opens nothing.
  CHECK(
      p.get("/c/" + Page::link_for(p.customer, p.notice + 1000, p.api.now() + std::chrono::days{1})).status ==
      403);
  CHECK(p.get("/c/" + Page::link_for(p.customer + 99, p.notice, p.api.now() + std::chrono::days{1})).status ==
        403);
  for (const std::string& garbled : std::vector<std::string>{
           "%FF%FE", "1.2.3.4", "9223372036854775807.9223372036854775807.9223372036854775807.x",
           std::string(2000, '9'), "%00", "..%2F..%2Fetc"}) {
    INFO(garbled);
    CHECK(p.get("/c/" + garbled).status == 403);
    CHECK(p.post("read", "form=x").status != 500);
  }
  const auto unknown = p.api.call("GET", "/c/" + p.token + "/nothing");
  CHECK(unknown.status == 404);
  CHECK(unknown.body.find(p.token) == std::string::npos);
}

// Behind a trusted proxy (127.0.0.1 here) the customer's address is the last of
// X-Forwarded-For: the one the acknowledgement keeps, and the one the limit counts.
TEST_CASE("behind a trusted proxy the customer's address is the forwarded one", "[customer-page]") {
  Page p;
  const auto read = p.api.call("POST", "/c/" + p.token + "/read", "form=" + web::path_segment(p.form), "",
                               {{"Content-Type", "application/x-www-form-urlencoded"},
                                {"X-Forwarded-For", "198.51.100.7, 203.0.113.9"}});
  CHECK(read.status == 303);
  CHECK(p.api.count("SELECT COUNT(*) FROM notice_acknowledgements WHERE address = '203.0.113.9'") == 1);
  for (int i = 0; i < 120; ++i)
    p.api.call("GET", "/c/x" + std::to_string(i), "", "", {{"X-Forwarded-For", "203.0.113.9"}});
  CHECK(p.api.call("GET", "/c/x", "", "", {{"X-Forwarded-For", "203.0.113.9"}}).status == 429);
  CHECK(p.api.call("GET", "/c/x", "", "", {{"X-Forwarded-For", "203.0.113.10"}}).status == 403);
}

// One address may ask 120 pages in ten minutes; the next is 429 with Retry-After.
TEST_CASE("the customer's page limits the requests of one address", "[customer-page]") {
  Page p;
  int refused = 0;
  for (int i = 0; i < 125; ++i) {
    const auto reply = p.get("/c/garbage" + std::to_string(i));
    if (reply.status == 429) {
      ++refused;
      CHECK_FALSE(reply.header("retry-after").empty());
    }
  }
  CHECK(refused == 5);
}

}  // namespace customer_page_test
