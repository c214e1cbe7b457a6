// Implements web/chart.hpp.
#include "web/chart.hpp"

#include <algorithm>
#include <array>

namespace cobrador::web {

namespace {

// Colours told apart by people with the common colour blindnesses (Okabe–Ito).
constexpr std::array<const char*, 8> kColours{"#0072B2", "#E69F00", "#D55E00", "#009E73",
                                              "#CC79A7", "#56B4E9", "#F0E442", "#000000"};

const char* colour(std::size_t series) { return kColours[series % kColours.size()]; }

}  // namespace

Html stacked_bars(const std::string& title, const std::vector<std::string>& labels,
                  const std::vector<ChartSeries>& series) {
  constexpr int kWidth = 900, kHeight = 220, kLeft = 36, kBottom = 24, kTop = 8;
  std::int64_t peak = 1;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::int64_t total = 0;
    for (const auto& one : series) total += i < one.values.size() ? one.values[i] : 0;
    peak = std::max(peak, total);
  }
  const double slot =
      labels.empty() ? 0 : static_cast<double>(kWidth - kLeft) / static_cast<double>(labels.size());
  const double bar = std::max(1.0, slot * 0.7);
  const double scale = static_cast<double>(kHeight - kBottom - kTop) / static_cast<double>(peak);
  Html bars;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    double y = kHeight - kBottom;
    const double x = kLeft + slot * static_cast<double>(i) + (slot - bar) / 2;
    for (std::size_t s = 0; s < series.size(); ++s) {
      const auto value = i < series[s].values.size() ? series[s].values[i] : 0;
      if (value <= 0) continue;
      const double h = static_cast<double>(value) * scale;
      y -= h;
      bars += html(
          R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{}: {} {}</title></rect>)",
          x, y, bar, h, Html{colour(s)}, labels[i], value, series[s].name);
    }
    // Every label when they fit, else every seventh (a week apart on a month of days).
    if (labels.size() <= 14 || i % 7 == 0)
      bars += html(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", x + bar / 2, kHeight - 6,
                   labels[i]);
  }
  Html axis =
      html(R"(<text x="{}" y="{}" text-anchor="end">{}</text><text x="{}" y="{}" text-anchor="end">0</text>)",
           kLeft - 4, kTop + 10, peak, kLeft - 4, kHeight - kBottom);
  Html legend;
  for (std::size_t s = 0; s < series.size(); ++s)
    // An SVG swatch, not a style attribute: the console's policy allows no inline style.
    legend += html(
        R"(<span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{}"/></svg> {}</span>)",
        Html{colour(s)}, series[s].name);
  Html head = html("<th>{}</th>", "day");
  for (const auto& one : series) head += html(R"(<th class="n">{}</th>)", one.name);
  Html rows;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    Html cells = html("<td>{}</td>", labels[i]);
    for (const auto& one : series)
      cells += html(R"(<td class="n">{}</td>)", i < one.values.size() ? one.values[i] : 0);
    rows += html("<tr>{}</tr>", cells);
  }
  return html(R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}{}</svg>
<div class="legend">{}</div>
<details><summary>The figures</summary><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></details>)",
              kWidth, kHeight, title, title, axis, bars, legend, head, rows);
}

}  // namespace cobrador::web
