// cobradorctl, the operator's command line (SPEC §8). Each command lives in ctl/; this file
// only assembles them and maps failures to exit codes.
#include <iostream>

#include <CLI/CLI.hpp>

#include "ctl/bank_commands.hpp"
#include "ctl/context.hpp"
#include "docs/cli_docs.hpp"
#include "store/sqlite/database.hpp"
#include "util/allocator.hpp"

int main(int argc, char** argv) {
  using namespace cobrador;
  tune_allocator();
  CLI::App app{"cobradorctl: the cobrador operator's command line", "cobradorctl"};
  app.require_subcommand(1);
  // -c and --json may follow the subcommand too (`bank import FILE --json`, as the docs write
  // it): an option a subcommand does not know falls through to its parent. Subcommands
  // inherit this setting, so it is set before any is added.
  app.fallthrough();
  ctl::Context ctx;
  app.add_option("-c,--config", ctx.config_option,
                 "cobrador.yaml to use (default $COBRADOR_CONFIG, else /etc/cobrador/cobrador.yaml)");
  app.add_flag("--json", ctx.json, "print results as JSON for scripts");
  cli_docs::add_generate_option(
      app,
      {1, COBRADOR_VERSION,
       "cobradorctl is the operator's command line of cobrador, the dunning daemon: it imports the book and "
       "bank statements, walks the open invoices, dispatches and shows what cobrador decided, and records "
       "what "
       "the operator decides by hand. Long work draws a progress line on a terminal; --json prints results "
       "for scripts.",
       "cobradord(8)"});
  ctl::add_import_command(app, ctx);
  ctl::add_walk_commands(app, ctx);
  ctl::add_show_commands(app, ctx);
  ctl::add_dispatch_commands(app, ctx);
  ctl::add_suspension_commands(app, ctx);
  ctl::add_trust_commands(app, ctx);
  ctl::add_bank_commands(app, ctx);
  ctl::add_lifecycle_commands(app, ctx);
  ctl::add_db_commands(app, ctx);
  ctl::add_desk_commands(app, ctx);
  ctl::add_sync_command(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const ctl::CommandError& e) {
    std::cerr << "cobradorctl: " << e.what() << '\n';
    return 1;
  } catch (const store::StoreError& e) {
    std::cerr << "cobradorctl: database: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    // Not bad input (that is a CommandError): a fault of cobrador or of the machine. Said,
    // never an abort; the command's transaction was rolled back by the store's guard.
    std::cerr << "cobradorctl: internal error: " << e.what() << '\n';
    return 2;
  } catch (...) {
    std::cerr << "cobradorctl: internal error\n";
    return 2;
  }
  return 0;
}
