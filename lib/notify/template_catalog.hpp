// The contract between notices and their callers: which templates exist, which parts each has,
// and which variables the caller supplies for each one. A template may use only the variables
// of its own entry, so that --check-config catches a {{purge_date}} in a payment reminder
// instead of a notice that fails to render on the day it is due. docs/templates.md mirrors this.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace cobrador::notify {

enum class Part { subject, text, sms };

inline constexpr std::array<Part, 3> all_parts{Part::subject, Part::text, Part::sms};

// File extension of a part: "subject", "txt", "sms".
std::string_view part_extension(Part part);

// Every template name, in the order the docs list them.
std::span<const std::string_view> template_names();

bool is_template_name(std::string_view name);

// The variables a caller supplies when it renders `name` (empty for an unknown name).
std::span<const std::string_view> template_variables(std::string_view name);

}  // namespace cobrador::notify
