#include "model/loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <thread>
#include <unordered_map>

#include "base/i18n.hpp"

namespace kpilint::model {

namespace fs = std::filesystem;

namespace {

// Byte offsets are 32-bit: a larger file is refused before it is read.
constexpr std::size_t kLargestFile = std::size_t{1} << 32;

// A file opened for reading, with what fstat said of it; closed on every
// way out of the readers below.
struct OpenFile {
  int fd = -1;
  struct stat info {};
  OpenFile() = default;
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
};

// Opens `path`, refusing directories and files too large to address.
bool open_file(const fs::path& path, OpenFile& file, std::string& error) {
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0 || ::fstat(file.fd, &file.info) != 0) {
    error = std::strerror(errno);
    return false;
  }
  if (S_ISDIR(file.info.st_mode)) {
    error = std::string(i18n::text("model.is-a-directory"));
    return false;
  }
  if (static_cast<std::size_t>(file.info.st_size) >= kLargestFile) {
    error = std::string(i18n::text("syntax.file-too-large"));
    return false;
  }
  return true;
}

FileStamp stamp_of(const struct stat& info) {
  return {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
          static_cast<std::uint64_t>(info.st_size),
          std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec,
          std::int64_t{info.st_ctim.tv_sec} * 1'000'000'000 + info.st_ctim.tv_nsec};
}

std::int64_t wall_clock_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

// One read per file, straight into the string that becomes the SourceFile.
// `stamp`: what fstat said before the read.
bool read_whole_file(const fs::path& path, std::string& text, std::string& error, FileStamp* stamp = nullptr) {
  OpenFile file;
  if (!open_file(path, file, error)) return false;
  if (stamp != nullptr) *stamp = stamp_of(file.info);
  text.resize(static_cast<std::size_t>(file.info.st_size));
  std::size_t done = 0;
  for (;;) {
    if (done == text.size()) {
      // Everything fstat promised is in. Probe for more (the file grew, or it
      // is a pipe) in a small buffer rather than growing the text: the usual
      // answer is end of file, and the text keeps its exact size.
      char probe[4096];
      const ssize_t extra = ::read(file.fd, probe, sizeof probe);
      if (extra < 0 && errno == EINTR) continue;
      if (extra < 0) {
        error = std::strerror(errno);
        return false;
      }
      if (extra == 0) break;
      text.append(probe, static_cast<std::size_t>(extra));
      done = text.size();
      if (done >= kLargestFile) {  // a pipe or device that does not stop
        error = std::string(i18n::text("syntax.file-too-large"));
        return false;
      }
      text.resize(text.size() + 4096 + text.size() / 2);
    }
    const ssize_t n = ::read(file.fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return false;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return true;
}

// The same, straight into `arena` when the file is as large as fstat said
// (the usual case); a file that grew while it was read, or is not a regular
// file, comes back in `fallback` instead, `text` then empty.
bool read_into_arena(const fs::path& path, Arena& arena, std::string_view& text, std::string& fallback, std::string& error,
                     FileStamp& stamp) {
  std::size_t done = 0;
  char* buffer = nullptr;
  bool grew = false;
  {
    OpenFile file;
    if (!open_file(path, file, error)) return false;
    if (!S_ISREG(file.info.st_mode)) return read_whole_file(path, fallback, error, &stamp);
    stamp = stamp_of(file.info);
    const auto size = static_cast<std::size_t>(file.info.st_size);
    buffer = static_cast<char*>(arena.allocate(size, 1));
    while (done < size) {
      const ssize_t n = ::read(file.fd, buffer + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = std::strerror(errno);
        return false;
      }
      if (n == 0) break;  // shrank: what was there is the text
      done += static_cast<std::size_t>(n);
    }
    char probe;
    ssize_t extra;
    do {
      extra = ::read(file.fd, &probe, 1);
    } while (extra < 0 && errno == EINTR);
    grew = extra > 0;
  }
  if (grew) return read_whole_file(path, fallback, error, &stamp);  // read again, whole, once this one is closed
  text = std::string_view(buffer, done);
  return true;
}

// Whether a document read from disk by an earlier load still has the file's
// text, by stat alone: the same file, size and times, and not modified within
// kRacyWindow before a load last found its text to be the file's. A file
// written again in the same clock tick keeps its modification time (file
// times are coarse, FAT's are 2 s), so a recent one is read again and
// compared instead, as git does for racily clean index entries.
bool unchanged_on_disk(const fs::path& path, const Document& document) {
  constexpr std::int64_t kRacyWindow = std::int64_t{2'000'000'000};
  if (document.stamp.modified_ns == 0) return false;  // it was an editor buffer
  const std::int64_t verified = document.verified_at_ns.load(std::memory_order_relaxed);
  if (document.stamp.modified_ns >= verified - kRacyWindow || document.stamp.changed_ns >= verified - kRacyWindow) {
    return false;
  }
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && stamp_of(info) == document.stamp;
}

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string display_path(const fs::path& absolute, const fs::path& cwd) {
  fs::path relative = absolute.lexically_relative(cwd);
  if (relative.empty()) relative = absolute;
  return relative.generic_string();
}

}  // namespace

LoadedWorkspace load_workspace(const LoadOptions& options) {
  LoadedWorkspace result;
  auto workspace = std::make_unique<Workspace>();
  const fs::path cwd = options.cwd.empty() ? fs::current_path() : options.cwd;
  const auto absolute = [&](const fs::path& p) { return (p.is_absolute() ? p : cwd / p).lexically_normal(); };

  // The root: searched upward from the first path (or the stdin file name).
  fs::path start = cwd;
  if (!options.paths.empty()) start = absolute(options.paths.front());
  else if (!options.overlays.empty()) start = options.overlays.begin()->first;
  workspace->root = options.root ? absolute(*options.root) : find_workspace_root(start, cwd);

  // Its configuration.
  std::error_code ec;
  const fs::path config_path = options.config_file ? absolute(*options.config_file) : workspace->root / "kpilint.toml";
  if (options.config_file || fs::is_regular_file(config_path, ec)) {
    std::string text, error;
    if (!read_whole_file(config_path, text, error)) {
      result.errors.push_back(i18n::format("model.cannot-read", i18n::arg("path", display_path(config_path, cwd)),
                                           i18n::arg("error", error)));
    } else {
      result.config = parse_config(text, config_path, result.errors);
      workspace->config_file = config_path;
    }
  }

  // Which files, and which of them are reported on: every file of the
  // workspace when no path is given, else the files and directories named
  // (a named directory follows the workspace's excludes below it; a named
  // file is linted even when excluded, as in ruff).
  const auto discover_start = Clock::now();
  // When no named path exists there is nothing to report on: the workspace
  // around it is not read at all (it may be a large one).
  if (!options.paths.empty() && options.overlays.empty() &&
      std::none_of(options.paths.begin(), options.paths.end(), [&](const fs::path& p) { return fs::exists(absolute(p), ec); })) {
    for (const auto& requested : options.paths) {
      result.file_errors.push_back(i18n::format("model.no-such-file", i18n::arg("path", display_path(absolute(requested), cwd))));
    }
    result.workspace = std::move(workspace);
    return result;
  }
  const std::vector<fs::path> files = discover_files(workspace->root, result.config.exclude);
  std::unordered_map<std::string, bool> reported;
  reported.reserve(files.size() + options.overlays.size() + options.paths.size());
  for (const auto& file : files) reported.emplace(file.string(), options.paths.empty());
  for (const auto& [path, text] : options.overlays) reported[absolute(path).string()] = true;
  for (const auto& requested : options.paths) {
    const fs::path path = absolute(requested);
    if (options.overlays.count(path)) continue;
    if (fs::is_directory(path, ec)) {
      const fs::path relative = path.lexically_relative(workspace->root);
      const bool inside = !relative.empty() && *relative.begin() != "..";
      if (inside && relative == ".") {
        for (const auto& file : files) reported[file.string()] = true;  // the root itself: already walked
      } else {
        for (const auto& file : discover_files(inside ? workspace->root : path, inside ? result.config.exclude
                                                                                         : std::vector<std::string>{},
                                               path)) {
          reported[file.string()] = true;
        }
      }
    } else if (fs::exists(path, ec)) {
      reported[path.string()] = true;
    } else {
      result.file_errors.push_back(i18n::format("model.no-such-file", i18n::arg("path", display_path(path, cwd))));
    }
  }
  // Path order, each key computed once.
  std::vector<std::pair<std::string, std::pair<std::string, bool>>> keyed;
  keyed.reserve(reported.size());
  for (auto& [path, is_reported] : reported) keyed.push_back({fs::path(path).generic_string(), {path, is_reported}});
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, bool>> ordered;
  ordered.reserve(keyed.size());
  for (auto& entry : keyed) ordered.push_back(std::move(entry.second));

  result.timings.discover = ms_since(discover_start);

  // Read and parse, in parallel; each document keeps its slot so the order
  // is the path order whatever thread finished first.
  const auto files_start = Clock::now();
  std::atomic<std::int64_t> read_ns{0}, parse_ns{0};
  std::vector<std::shared_ptr<Document>> documents(ordered.size());
  std::vector<std::string> errors(ordered.size());
  std::atomic<std::size_t> next{0};
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, ordered.size() / 8 + 1));
  std::vector<std::shared_ptr<Arena>> arenas;  // one per thread; each document keeps its own
  for (unsigned t = 0; t < jobs; ++t) arenas.push_back(std::make_shared<Arena>());
  // The earlier load's documents by path, for those that did not change.
  std::unordered_map<std::string, const std::shared_ptr<Document>*> previous;
  if (options.previous != nullptr) {
    previous.reserve(options.previous->documents.size());
    for (const auto& document : options.previous->documents) previous.emplace(document->absolute_path.string(), &document);
  }
  std::atomic<std::size_t> reused{0}, unread{0};
  const std::int64_t read_at = wall_clock_ns();
  const auto work = [&](const std::shared_ptr<Arena>& arena) {
    std::int64_t reading = 0, parsing = 0;
    for (std::size_t i = next++; i < ordered.size(); i = next++) {
      const fs::path path = ordered[i].first;
      const auto read_start = Clock::now();
      const auto take_over = [&](const std::shared_ptr<Document>& document) {
        documents[i] = document;
        ++reused;
        reading += (Clock::now() - read_start).count();
      };
      std::string display = display_path(path, cwd);
      const std::shared_ptr<Document>* before = nullptr;
      if (const auto it = previous.find(ordered[i].first); it != previous.end()) {
        const Document& document = **it->second;
        if (document.reported == ordered[i].second && document.source->path == display) before = it->second;
      }
      const auto overlay = options.overlays.find(path);
      if (before != nullptr && overlay == options.overlays.end() && unchanged_on_disk(path, **before)) {
        take_over(*before);
        ++unread;
        continue;
      }
      std::string_view text;
      std::string owned;
      FileStamp stamp;
      if (overlay != options.overlays.end()) {
        owned = overlay->second;
      } else if (before != nullptr ? !read_whole_file(path, owned, errors[i], &stamp)  // into the heap: it may be the same
                                   : !read_into_arena(path, *arena, text, owned, errors[i], stamp)) {
        errors[i] = i18n::format("model.cannot-read", i18n::arg("path", display), i18n::arg("error", errors[i]));
        continue;
      }
      // Same text, read again (or the same editor buffer): taken over, when
      // stat also says what it said then (else parsed again, so that its
      // stamp is the file's and the next load need not read it).
      if (before != nullptr && text.data() == nullptr && (*before)->source->text == owned && (*before)->stamp == stamp) {
        if (stamp.modified_ns != 0) (*before)->verified_at_ns.store(read_at, std::memory_order_relaxed);
        take_over(*before);
        continue;
      }
      const auto parse_start = Clock::now();
      documents[i] = text.data() != nullptr ? make_document(std::move(display), text, path, arena)
                                            : make_document(std::move(display), std::move(owned), path);
      documents[i]->stamp = stamp;
      documents[i]->verified_at_ns.store(read_at, std::memory_order_relaxed);
      documents[i]->reported = ordered[i].second;
      reading += (parse_start - read_start).count();
      parsing += (Clock::now() - parse_start).count();
    }
    read_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::duration(reading)).count();
    parse_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::duration(parsing)).count();
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work, std::cref(arenas[t]));
  work(arenas[0]);
  for (auto& thread : threads) thread.join();
  result.timings.files = ms_since(files_start);
  result.timings.read = static_cast<double>(read_ns) / 1e6;
  result.timings.parse = static_cast<double>(parse_ns) / 1e6;
  result.timings.reused = reused;
  result.timings.unread = unread;

  for (std::size_t i = 0; i < ordered.size(); ++i) {
    if (!errors[i].empty()) result.file_errors.push_back(std::move(errors[i]));
    if (documents[i]) workspace->documents.push_back(std::move(documents[i]));
  }
  result.workspace = std::move(workspace);
  return result;
}

}  // namespace kpilint::model
