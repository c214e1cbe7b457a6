// The account names cobrador hands to control panels. An account goes into a WHM query, a
// DirectAdmin form, a Plesk XML filter and an operator's program's argument list, and comes
// from the billing system; a name like "-rf", "a b" or "x\n" means something else to one of
// them. So every call is checked here, before any adapter sees it (make_panel wraps each
// adapter in the check), and a refused name fails the action with the reason.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hooks/panel.hpp"

namespace boost::asio {
class io_context;
}

namespace cobrador::hooks {

// Long enough for a domain name (253) used as a Plesk subscription or a router entry.
inline constexpr std::size_t max_account_length = 255;

// What is wrong with `account`, or nothing. Allowed: ASCII letters, digits and . _ @ + -,
// at most max_account_length characters, not starting with '-' (an option to a program).
// An empty account passes: the service has none, and the adapter says so if it needs one.
// The reason never quotes the name, which may hold control characters.
std::optional<std::string> account_name_problem(std::string_view account);

// `adapter`, with every call's account checked first: a refused one ends `failed` (posted on
// `io`, as every outcome is) and the adapter is not called.
std::unique_ptr<Panel> with_account_check(std::unique_ptr<Panel> adapter, boost::asio::io_context& io);

}  // namespace cobrador::hooks
