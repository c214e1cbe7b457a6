// `cobradorctl import customers|services|invoices|payments FILE`.
#include <fmt/format.h>

#include "ctl/context.hpp"
#include "ctl/progress_line.hpp"
#include "service/import.hpp"
#include "util/clock.hpp"

namespace cobrador::ctl {

void add_import_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("import", "import a CSV or JSON-lines file, whole or not at all");
  static std::string kind_word;
  static std::string file;
  static std::string encoding = "utf-8";
  cmd->add_option("kind", kind_word, "customers, services, invoices or payments")
      ->required()
      ->check(CLI::IsMember({"customers", "services", "invoices", "payments"}));
  cmd->add_option("file", file, "the file to import")->required();
  cmd->add_option("--encoding", encoding,
                  "the file's text encoding: utf-8 (default) or latin1 (ISO-8859-1, Windows-1252)")
      ->check(encoding_validator());
  cmd->callback([&ctx] {
    const auto kind = service::parse_import_kind(kind_word);
    ProgressLine line(ctx, "import " + kind_word, "rows");
    // The library calls progress between two chunks' transactions: the moment to start the log
    // over, when the checkpoints have copied it (a million rows write about a gigabyte of it).
    const auto progress = ctx.checkpoint_aside(line.progress());
    auto report = service::import_file(ctx.store(), ctx.policy(), *kind, file, clock::now(), ctx.actor(),
                                       *encoding_named(encoding), progress);
    line.finish();
    if (!report) throw CommandError(report.error().message);
    ctx.print({{"file", file},
               {"kind", kind_word},
               {"rows", report->rows},
               {"inserted", report->inserted},
               {"updated", report->updated},
               {"unchanged", report->unchanged}},
              fmt::format("{}: {} rows: {} new, {} updated, {} unchanged", file, report->rows,
                          report->inserted, report->updated, report->unchanged));
  });
}

}  // namespace cobrador::ctl
