// Shell completion (bash, zsh, fish) and the man page of a program, written from its CLI11
// definition, so they never fall behind the options the program really takes. Each program
// prints them with the hidden option `--generate bash|zsh|fish|man`; the build writes them to
// files the .deb installs (cmake/packaging.cmake).
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace cobrador::cli_docs {

struct ManPage {
  int section = 1;          // 1 for cobradorctl, 8 for the daemon
  std::string version;      // the project's, in the footer
  std::string description;  // the DESCRIPTION paragraph
  std::string see_also;     // "cobradord(8)"
};

std::string bash_completion(const CLI::App& app);
std::string zsh_completion(const CLI::App& app);
std::string fish_completion(const CLI::App& app);
std::string man_page(const CLI::App& app, const ManPage& page);

// Adds the hidden `--generate WHAT` to `app`: prints the text asked for on stdout and ends
// the parse with CLI::Success (exit 0) before any subcommand is required.
void add_generate_option(CLI::App& app, const ManPage& page);

}  // namespace cobrador::cli_docs
