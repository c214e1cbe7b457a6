// Charts drawn on the server as SVG inside the page: no script, no library, nothing fetched.
// Each chart comes with the same figures as a table for readers that do not see it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "web/html.hpp"

namespace cobrador::web {

struct ChartSeries {
  std::string name;
  std::vector<std::int64_t> values;  // one per label
};

// Bars stacked per label (a day, a month), one colour per series, with a legend, a title for
// assistive technology and a table of the figures after it.
Html stacked_bars(const std::string& title, const std::vector<std::string>& labels,
                  const std::vector<ChartSeries>& series);

}  // namespace cobrador::web
