// `kpilint fmt`: find the files, format each one, and write the changed ones
// atomically (temp file in the same directory, fsync, rename over), or with
// --check / --diff report what would change and write nothing.
#include "cli/fmt_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <set>
#include <string_view>

#include "base/i18n.hpp"
#include "format/format.hpp"
#include "model/config.hpp"
#include "model/workspace.hpp"

namespace kpilint::cli {

namespace fs = std::filesystem;

namespace {

void print_error(const std::string& message) { fmt::print(stderr, "{}\n", i18n::format("cli.error", i18n::arg("message", message))); }

void write_stdout(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

bool read_whole_file(const fs::path& path, std::string& text, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  text.clear();
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return true;
}

// Replaces `path` with `content` atomically: the old file stays whole until the
// rename, and the new one has the old one's permissions.
bool write_atomically(const fs::path& path, std::string_view content, std::string& error) {
  std::error_code ec;
  const fs::path target = fs::canonical(path, ec);  // through symlinks: replace the file, not the link
  if (ec) {
    error = ec.message();
    return false;
  }
  struct stat original {};
  if (::stat(target.c_str(), &original) != 0) {
    error = std::strerror(errno);
    return false;
  }
  if (::access(target.c_str(), W_OK) != 0) {  // a read-only file stays as it is
    error = std::strerror(errno);
    return false;
  }
  std::string temp_name = ".";
  temp_name += target.filename().string();
  temp_name += ".kpilint-XXXXXX";
  std::string temp = (target.parent_path() / temp_name).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    error = i18n::format("cli.fmt.cannot-create-temp", i18n::arg("error", std::string_view(std::strerror(errno))));
    return false;
  }
  const auto fail = [&](std::string_view id) {
    error = i18n::format(id, i18n::arg("error", std::string_view(std::strerror(errno))));
    ::close(fd);
    ::unlink(temp.c_str());
    return false;
  };
  for (std::size_t written = 0; written < content.size();) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cli.fmt.cannot-write-temp");
    written += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, original.st_mode & 07777) != 0) return fail("cli.fmt.cannot-chmod");
  if (::fchown(fd, original.st_uid, original.st_gid) != 0) {
    // Not the owner (say, a group-writable file): keep our ownership.
  }
  if (::fsync(fd) != 0) return fail("cli.fmt.cannot-sync");
  if (::close(fd) != 0) {
    error = i18n::format("cli.fmt.cannot-write-temp", i18n::arg("error", std::string_view(std::strerror(errno))));
    ::unlink(temp.c_str());
    return false;
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    error = i18n::format("cli.fmt.cannot-replace", i18n::arg("error", std::string_view(std::strerror(errno))));
    ::unlink(temp.c_str());
    return false;
  }
  // Make the rename itself durable (best effort).
  const int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
  return true;
}

std::string display(const fs::path& absolute, const fs::path& cwd) {
  fs::path relative = absolute.lexically_relative(cwd);
  if (relative.empty()) relative = absolute;
  return relative.generic_string();
}

std::string syntax_error(const std::string& name, const format::FormatResult& result) {
  return i18n::format("cli.fmt.syntax-error", i18n::arg("path", name), i18n::arg("line", result.error_line),
                      i18n::arg("column", result.error_column), i18n::arg("message", result.error_message));
}

int format_stdin(const FmtOptions& options, const std::string& name) {
  const std::string text(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>{});
  const format::FormatResult result = format::format_text(text);
  if (!result.ok) {
    print_error(syntax_error(name, result));
    if (!options.check && !options.diff) write_stdout(text);  // a pipeline keeps its text
    return 2;
  }
  const bool changed = result.output != text;
  if (options.diff) {
    write_stdout(format::unified_diff(text, result.output, "a/" + name, "b/" + name));
  } else if (options.check) {
    if (changed) fmt::print("{}\n", i18n::format("cli.fmt.would-reformat", i18n::arg("path", name)));
  } else {
    write_stdout(result.output);
    return 0;
  }
  std::fflush(stdout);
  return changed ? 1 : 0;
}

}  // namespace

int run_fmt(const FmtOptions& options) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) {
    print_error(i18n::format("cli.cannot-read-cwd", i18n::arg("error", ec.message())));
    return 2;
  }

  // Standard input: '-' or --stdin-filename, and then no other paths.
  std::vector<std::string> paths;
  bool from_stdin = options.stdin_filename.has_value();
  for (const auto& path : options.paths) {
    if (path == "-") {
      from_stdin = true;
    } else {
      paths.push_back(path);
    }
  }
  if (from_stdin) {
    if (!paths.empty()) {
      print_error(i18n::format("cli.fmt.stdin-with-paths"));
      return 2;
    }
    return format_stdin(options, options.stdin_filename.value_or("-"));
  }

  // The files: those named, the .kpi files under the directories named, or the
  // whole workspace; kpilint.toml's `exclude` applies below a directory, as in
  // `check` (a file named is formatted even when excluded).
  int status = 0;
  std::vector<fs::path> files;
  const fs::path root = model::find_workspace_root(paths.empty() ? cwd : (cwd / paths.front()).lexically_normal(), cwd);
  std::vector<std::string> exclude;
  const fs::path config_path = root / "kpilint.toml";
  if (fs::is_regular_file(config_path, ec)) {
    std::string text, error;
    if (!read_whole_file(config_path, text, error)) {
      print_error(i18n::format("cli.fmt.cannot-read", i18n::arg("path", display(config_path, cwd)), i18n::arg("error", error)));
      return 2;
    }
    std::vector<std::string> errors;
    const model::Config config = model::parse_config(text, config_path, errors);
    for (const auto& message : errors) print_error(message);
    if (!errors.empty()) return 2;
    exclude = config.exclude;
  }
  if (paths.empty()) {
    files = model::discover_files(root, exclude);
  } else {
    for (const auto& path : paths) {
      const fs::path absolute = (cwd / path).lexically_normal();
      if (fs::is_directory(absolute, ec)) {
        const fs::path relative = absolute.lexically_relative(root);
        const bool inside = !relative.empty() && *relative.begin() != "..";
        const auto under = inside ? model::discover_files(root, exclude, absolute) : model::discover_files(absolute, {});
        files.insert(files.end(), under.begin(), under.end());
      } else if (fs::exists(absolute, ec)) {
        files.push_back(absolute);
      } else {
        print_error(i18n::format("model.no-such-file", i18n::arg("path", path)));
        status = 2;
      }
    }
  }

  std::set<fs::path> seen;
  std::size_t changed = 0, unchanged = 0, failed = 0;
  for (const fs::path& file : files) {
    const fs::path absolute = fs::absolute(file, ec).lexically_normal();
    if (!seen.insert(absolute).second) continue;
    const std::string name = display(absolute, cwd);
    std::string text, error;
    if (!read_whole_file(absolute, text, error)) {
      print_error(i18n::format("cli.fmt.cannot-read", i18n::arg("path", name), i18n::arg("error", error)));
      ++failed;
      continue;
    }
    const format::FormatResult result = format::format_text(text);
    if (!result.ok) {
      print_error(syntax_error(name, result));
      ++failed;
      continue;
    }
    if (result.output == text) {
      ++unchanged;
      continue;
    }
    if (options.diff) {  // --diff wins over --check: it says more
      write_stdout(format::unified_diff(text, result.output, "a/" + name, "b/" + name));
    } else if (options.check) {
      fmt::print("{}\n", i18n::format("cli.fmt.would-reformat", i18n::arg("path", name)));
    } else if (!write_atomically(absolute, result.output, error)) {
      print_error(i18n::format("cli.fmt.cannot-write", i18n::arg("path", name), i18n::arg("error", error)));
      ++failed;
      continue;
    }
    ++changed;
  }
  std::fflush(stdout);

  if (!options.quiet) {
    if (seen.empty()) {
      if (status == 0) fmt::print(stderr, "{}\n", i18n::text("cli.fmt.no-files"));
    } else {
      const bool dry = options.check || options.diff;
      std::string line = dry ? i18n::plural(changed, "cli.fmt.would-be-reformatted.one", "cli.fmt.would-be-reformatted.other")
                             : i18n::plural(changed, "cli.fmt.reformatted.one", "cli.fmt.reformatted.other");
      line += ", ";
      line += dry ? i18n::plural(unchanged, "cli.fmt.already-formatted.one", "cli.fmt.already-formatted.other")
                  : i18n::plural(unchanged, "cli.fmt.unchanged.one", "cli.fmt.unchanged.other");
      if (failed) line += ", " + i18n::plural(failed, "cli.fmt.failed.one", "cli.fmt.failed.other");
      fmt::print(stderr, "{}\n", line);
    }
  }
  if (failed > 0) status = 2;
  if (status != 0) return status;
  return (options.check || options.diff) && changed > 0 ? 1 : 0;
}

}  // namespace kpilint::cli
