// Runs tests/support/smtp_sink.py (a real aiosmtpd SMTP server) for one test: starts it on a
// free loopback port, hands out what it received as JSON, and stops it in the destructor
// (SIGTERM, then SIGKILL after 3 s). If the test process dies first, the sink sees its stdin
// close and exits on its own, so no server outlives the test run.
//
// Header-only on purpose: tests/CMakeLists.txt compiles a fixed list of support sources, and
// this file is used by the notify integration tests alone.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"

extern char** environ;

namespace cobrador::testing {

struct SmtpSinkOptions {
  std::string tls_cert;  // PEM files: offer STARTTLS with them
  std::string tls_key;
  bool require_starttls = false;
  std::string auth_user;  // with a password: AUTH required, only this pair accepted
  std::string auth_password;
};

class SmtpSink {
 public:
  // Starts the sink writing into `folder` and waits (at most 10 s) until it listens.
  explicit SmtpSink(std::filesystem::path folder, const SmtpSinkOptions& options = {})
      : folder_(std::move(folder)) {
    std::filesystem::create_directories(folder_);
    spawn(arguments(options));
    port_ = read_port();
  }

  ~SmtpSink() { stop(); }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // Every message received so far, in arrival order.
  std::vector<nlohmann::json> messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<nlohmann::json> out;
    for (const auto& file : files) out.push_back(nlohmann::json::parse(read_file(file)));
    return out;
  }

  // What the sink wrote on stderr, for a failing test's diagnostics.
  std::string log() const { return read_file(log_path()); }

 private:
  static std::string script() { return std::string(COBRADOR_SOURCE_DIR) + "/tests/support/smtp_sink.py"; }
  std::filesystem::path log_path() const {
    return folder_.parent_path() / (folder_.filename().string() + ".log");
  }

  std::vector<std::string> arguments(const SmtpSinkOptions& options) const {
    // Debian's interpreter: a python3 earlier on PATH may not see python3-aiosmtpd.
    std::vector<std::string> args{"/usr/bin/python3", script(), folder_.string()};
    if (!options.tls_cert.empty()) {
      args.insert(args.end(), {"--tls-cert", options.tls_cert, "--tls-key", options.tls_key});
    }
    if (options.require_starttls) args.emplace_back("--require-starttls");
    if (!options.auth_user.empty()) {
      args.insert(args.end(), {"--auth", options.auth_user + ":" + options.auth_password});
    }
    return args;
  }

  void spawn(const std::vector<std::string>& args) {
    int in[2];
    int out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path().c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv;
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start " + args[0]);
    }
  }

  // The first stdout line is "PORT <n>"; anything else, or silence for 10 s, is a failure.
  int read_port() {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (line.find('\n') == std::string::npos) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd fd{stdout_, POLLIN, 0};
      if (left.count() <= 0 || poll(&fd, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[256];
      const ssize_t n = read(stdout_, buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<std::size_t>(n));
    }
    if (line.rfind("PORT ", 0) != 0) {
      stop();
      throw std::runtime_error("smtp_sink.py did not start: " + read_file(log_path()));
    }
    return std::stoi(line.substr(5));
  }

  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      if (!wait_for_exit(std::chrono::seconds(3))) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
      pid_ = -1;
    }
    if (stdin_ >= 0) close(stdin_);
    if (stdout_ >= 0) close(stdout_);
    stdin_ = stdout_ = -1;
  }

  bool wait_for_exit(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::filesystem::path folder_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int port_ = 0;
};

}  // namespace cobrador::testing
