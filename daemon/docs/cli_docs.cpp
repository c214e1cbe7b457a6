// Implements the completion scripts and the man page. Every script is a table of what may
// follow each command path ("" for the program itself, "bank" for `bank`), written from the
// App tree, and a few lines of the shell's own completion machinery that read it.
#include "docs/cli_docs.hpp"

#include <iostream>
#include <map>
#include <vector>

#include <fmt/format.h>

namespace cobrador::cli_docs {

namespace {

// One command of the tree: its path ("bank import"), its App, and its parent's path.
struct Command {
  std::string path;
  const CLI::App* app;
};

bool shown(const CLI::Option* option) { return !option->get_group().empty(); }

std::vector<Command> commands_of(const CLI::App& root) {
  std::vector<Command> out{{"", &root}};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto prefix = out[i].path.empty() ? std::string() : out[i].path + " ";
    for (const auto* sub : out[i].app->get_subcommands([](const CLI::App*) { return true; }))
      out.push_back({prefix + sub->get_name(), sub});
  }
  return out;
}

// The long option names a command takes (--json, --config): what completion offers after
// "-"; the short ones are for fingers that know them.
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* option : app.get_options([](const CLI::Option* o) { return shown(o); })) {
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

std::string words_of(const CLI::App& app) {
  std::string words;
  for (const auto& name : subcommand_names(app)) words += (words.empty() ? "" : " ") + name;
  for (const auto& name : option_names(app)) words += (words.empty() ? "" : " ") + name;
  return words;
}

// A shell word in single quotes.
std::string shell_quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string function_name(const CLI::App& app) {
  std::string name = "_" + app.get_name();
  for (auto& c : name)
    if (c == '-') c = '_';
  return name;
}

// roff text: a backslash doubled, a line that would start a request made plain.
std::string roff(std::string_view text) {
  std::string out;
  for (const char c : text)
    out += c == '\\' ? std::string("\\e") : c == '-' ? std::string("\\-") : std::string(1, c);
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string usage_of(const Command& command) {
  std::string usage = command.path;
  for (const auto* option : command.app->get_options([](const CLI::Option* o) { return shown(o); })) {
    if (!option->get_positional() || !option->get_lnames().empty() || !option->get_snames().empty()) continue;
    const auto name = option->get_name(true);
    usage += option->get_required() ? fmt::format(" \\fI{}\\fR", roff(name))
                                    : fmt::format(" [\\fI{}\\fR]", roff(name));
  }
  return usage;
}

// The options of `app` as roff paragraphs; a command's own --help is left to the program's.
void describe_options(std::string& out, const CLI::App& app, bool with_help) {
  for (const auto* option : app.get_options([](const CLI::Option* o) { return shown(o); })) {
    if (!with_help && option == app.get_help_ptr()) continue;
    if (option->get_positional() && option->get_lnames().empty() && option->get_snames().empty()) continue;
    std::string names;
    for (const auto& name : option->get_snames())
      names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-{}\\fR", roff(name));
    for (const auto& name : option->get_lnames())
      names += (names.empty() ? "" : ", ") + fmt::format("\\fB\\-\\-{}\\fR", roff(name));
    if (option->get_expected_max() > 0) names += " \\fIvalue\\fR";
    out += fmt::format(".TP\n{}\n{}\n", names, roff(option->get_description()));
  }
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  const auto name = app.get_name();
  const auto function = function_name(app);
  std::string table;
  // Keyed by the command path after the program's name ("cobradorctl bank"): bash refuses an
  // empty key.
  for (const auto& command : commands_of(app)) {
    const auto key = command.path.empty() ? name : name + " " + command.path;
    table += fmt::format("  [{}]={}\n", shell_quoted(key), shell_quoted(words_of(*command.app)));
  }
  return fmt::format(
      "# bash completion for {0}, written by `{0} --generate bash` from its own definition.\n"
      "declare -gA {1}_words=(\n{2})\n"
      "{1}() {{\n"
      "  local cur=${{COMP_WORDS[COMP_CWORD]}} path={0} word i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    word=${{COMP_WORDS[i]}}\n"
      "    [[ -n ${{{1}_words[\"$path $word\"]+set}} ]] && path=\"$path $word\"\n"
      "  done\n"
      "  COMPREPLY=($(compgen -W \"${{{1}_words[$path]}}\" -- \"$cur\"))\n"
      "}}\n"
      "complete -o default -F {1} {0}\n",
      name, function, table);
}

std::string zsh_completion(const CLI::App& app) {
  const auto name = app.get_name();
  const auto function = function_name(app);
  std::string table;
  for (const auto& command : commands_of(app)) {
    const auto key = command.path.empty() ? name : name + " " + command.path;
    table += fmt::format("  {} {}\n", shell_quoted(key), shell_quoted(words_of(*command.app)));
  }
  return fmt::format(
      "#compdef {0}\n"
      "# zsh completion for {0}, written by `{0} --generate zsh` from its own definition.\n"
      "typeset -gA {1}_words\n"
      "{1}_words=(\n{2})\n"
      "{1}() {{\n"
      "  local path_={0} word\n"
      "  for word in ${{words[2,CURRENT-1]}}; do\n"
      "    (( ${{+{1}_words[$path_ $word]}} )) && path_=\"$path_ $word\"\n"
      "  done\n"
      "  compadd -- ${{(z){1}_words[$path_]}}\n"
      "  _files\n"
      "}}\n"
      "compdef {1} {0}\n",
      name, function, table);
}

std::string fish_completion(const CLI::App& app) {
  const auto name = app.get_name();
  std::string out = fmt::format(
      "# fish completion for {0}, written by `{0} --generate fish` from its own definition.\n", name);
  for (const auto& command : commands_of(app)) {
    // The command path is what fish has seen so far: `bank import` needs both words.
    std::string condition;
    if (command.path.empty()) {
      condition = "__fish_use_subcommand";
    } else {
      std::string seen;
      std::size_t start = 0;
      for (std::size_t at; (at = command.path.find(' ', start)) != std::string::npos; start = at + 1)
        seen += fmt::format("__fish_seen_subcommand_from {}; and ", command.path.substr(start, at - start));
      condition = seen + "__fish_seen_subcommand_from " + command.path.substr(start);
    }
    for (const auto* sub : command.app->get_subcommands([](const CLI::App*) { return true; }))
      out += fmt::format("complete -c {} -f -n {} -a {} -d {}\n", name, shell_quoted(condition),
                         shell_quoted(sub->get_name()), shell_quoted(sub->get_description()));
    for (const auto* option : command.app->get_options([](const CLI::Option* o) { return shown(o); })) {
      if (option->get_lnames().empty() && option->get_snames().empty()) continue;
      std::string flags;
      for (const auto& lname : option->get_lnames()) flags += " -l " + lname;
      for (const auto& sname : option->get_snames()) flags += " -s " + sname;
      if (option->get_expected_max() > 0) flags += " -r";
      const auto where = command.path.empty() ? std::string() : " -n " + shell_quoted(condition);
      out += fmt::format("complete -c {}{}{} -d {}\n", name, where, flags,
                         shell_quoted(option->get_description()));
    }
  }
  return out;
}

std::string man_page(const CLI::App& app, const ManPage& page) {
  const auto name = app.get_name();
  std::string upper = name;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string out =
      fmt::format(".TH {} {} \"\" \"cobrador {}\" \"cobrador\"\n", upper, page.section, page.version);
  out += fmt::format(".SH NAME\n{} \\- {}\n", name,
                     roff(app.get_description().substr(app.get_description().find(':') + 2)));
  const auto commands = commands_of(app);
  out += fmt::format(".SH SYNOPSIS\n.B {}\n[\\fIoptions\\fR]{}\n", name,
                     commands.size() > 1 ? " \\fIcommand\\fR" : "");
  out += fmt::format(".SH DESCRIPTION\n{}\n", roff(page.description));
  out += ".SH OPTIONS\n";
  describe_options(out, app, true);
  if (commands.size() > 1) {
    out += ".SH COMMANDS\n";
    for (std::size_t i = 1; i < commands.size(); ++i) {
      const auto& command = commands[i];
      if (!command.app->get_subcommands([](const CLI::App*) { return true; }).empty() &&
          command.app->get_options([](const CLI::Option* o) { return shown(o); }).empty())
        continue;  // a group of commands only ("bank"): its commands speak for it
      out += fmt::format(".SS \"{}\"\n{}\n", usage_of(command), roff(command.app->get_description()));
      std::string options;
      describe_options(options, *command.app, false);
      if (!options.empty()) out += ".RS\n" + options + ".RE\n";
    }
  }
  if (!page.see_also.empty()) out += fmt::format(".SH SEE ALSO\n{}\n", roff(page.see_also));
  return out;
}

void add_generate_option(CLI::App& app, const ManPage& page) {
  app.add_option_function<std::string>(
         "--generate",
         [&app, page](const std::string& what) {
           if (what == "bash") std::cout << bash_completion(app);
           if (what == "zsh") std::cout << zsh_completion(app);
           if (what == "fish") std::cout << fish_completion(app);
           if (what == "man") std::cout << man_page(app, page);
           throw CLI::Success();
         },
         "print the shell completion or the man page")
      ->check(CLI::IsMember({"bash", "zsh", "fish", "man"}))
      ->group("");
}

}  // namespace cobrador::cli_docs
