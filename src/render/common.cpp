#include "render/common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <thread>

namespace kpilint::render::detail {

namespace fs = std::filesystem;

Range range_of(const Location& location) {
  if (location.file == nullptr) return {};
  const LineIndex& lines = location.file->lines();
  const LineColumn start = lines.position(location.span.begin, Encoding::Utf32);
  const LineColumn end = lines.position(std::max(location.span.begin, location.span.end), Encoding::Utf32);
  return {{start.line + 1, start.column + 1}, {end.line + 1, end.column + 1}};
}

std::string_view path_of(const Location& location) {
  return location.file != nullptr ? std::string_view(location.file->path) : std::string_view();
}

Decoded decode_utf8(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {lead, 1};
  std::uint32_t length = 0;
  std::uint32_t code_point = 0;
  std::uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return {-1, 1};
  }
  if (i + length > text.size()) return {-1, 1};
  for (std::uint32_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {-1, 1};
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid as text,
  // but LineIndex counts the sequence as one character: keep its length.
  if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return {-1, length};
  }
  return {static_cast<std::int32_t>(code_point), length};
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode_utf8(text, i);
    if (d.code_point < 0) {
      append_utf8(out, 0xFFFD);
    } else {
      out.append(text.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

namespace {

// Drops a trailing separator so "/ws/" and "/ws" compare alike.
fs::path normal(const fs::path& path) {
  fs::path p = path.lexically_normal();
  if (!p.has_filename() && p.has_relative_path()) p = p.parent_path();
  return p;
}

}  // namespace

WorkspacePath workspace_path(std::string_view path_text, const RenderOptions& options) {
  fs::path path{std::string(path_text)};
  if (path.is_relative() && !options.cwd.empty()) path = options.cwd / path;
  path = normal(path);
  if (options.workspace_root.empty()) {
    return {path.generic_string(), path.is_relative()};
  }
  fs::path root = options.workspace_root;
  if (root.is_relative() && !options.cwd.empty()) root = options.cwd / root;
  root = normal(root);
  if (root.is_absolute() == path.is_absolute()) {
    const fs::path relative = path.lexically_relative(root);
    if (!relative.empty() && *relative.begin() != ".." && relative != ".") {
      return {relative.generic_string(), true};
    }
  }
  return {path.generic_string(), false};
}

std::string percent_encode_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    const bool keep = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
                      u == '.' || u == '_' || u == '~' || u == '/';
    if (keep) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

namespace {

// Where the second half of a report starts: the count itself (no split) for a small one.
std::size_t second_half_start(std::size_t findings) {
  // A finding renders in about 1.5 us: below this a thread costs about what it saves.
  constexpr std::size_t kFindingsToSplit = 1000;
  if (findings < kFindingsToSplit || std::thread::hardware_concurrency() < 2) return findings;
  return findings / 2;
}

// `there` on another thread when `parallel`, `here` on this one (without
// `parallel`, here then there); an exception from either is rethrown after both.
void run_beside(bool parallel, const std::function<void()>& there, const std::function<void()>& here) {
  if (!parallel) {
    here();
    there();
    return;
  }
  std::exception_ptr there_failed;
  std::thread helper([&] {
    try {
      there();
    } catch (...) {
      there_failed = std::current_exception();
    }
  });
  std::exception_ptr here_failed;
  try {
    here();
  } catch (...) {
    here_failed = std::current_exception();
  }
  helper.join();
  if (here_failed) std::rethrow_exception(here_failed);
  if (there_failed) std::rethrow_exception(there_failed);
}

}  // namespace

void render_each(std::string& out, std::span<const Diagnostic> diagnostics,
                 const std::function<void(std::string&, const Diagnostic&)>& render) {
  const std::size_t split = second_half_start(diagnostics.size());
  std::string second;
  run_beside(
      split < diagnostics.size(),
      [&] {
        for (const Diagnostic& d : diagnostics.subspan(split)) render(second, d);
      },
      [&] {
        for (const Diagnostic& d : diagnostics.first(split)) render(out, d);
      });
  out += second;
}

}  // namespace kpilint::render::detail
