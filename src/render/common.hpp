#pragma once
// Internal to the renderers: positions on output, paths and URIs, text
// sanitising, and one entry point per format.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "render/render.hpp"

namespace kpilint::render::detail {

struct Position {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in Unicode characters
};

struct Range {
  Position start, end;  // end exclusive
};

// The 1-based character range of a location (1:1-1:1 when it has no file).
Range range_of(const Location& location);
std::string_view path_of(const Location& location);  // "" when it has no file

// Replaces invalid UTF-8 with U+FFFD.
std::string valid_utf8(std::string_view text);

// Decodes one UTF-8 sequence at text[i]: the code point, or -1 for an invalid
// byte (then length is 1, as LineIndex counts it).
struct Decoded {
  std::int32_t code_point;
  std::uint32_t length;
};
Decoded decode_utf8(std::string_view text, std::size_t i);
void append_utf8(std::string& out, std::uint32_t code_point);

// Where a file is relative to the workspace root, with forward slashes:
// `relative` is false (and `path` absolute) when the file lies outside it or no
// root is known (then `path` is the path as given).
struct WorkspacePath {
  std::string path;
  bool relative = false;
};
WorkspacePath workspace_path(std::string_view path, const RenderOptions& options);

// RFC 3986 percent-encoding of a path (unreserved characters and '/' kept).
std::string percent_encode_path(std::string_view path);

// render(out, d) for every finding, in order, appended to `out`. A large
// report is written in two halves at once: the first here, the second on
// another core into its own buffer, appended after (so `render` may run on
// two threads, each with its own `out`). An exception from either half is
// rethrown here, after both are done.
void render_each(std::string& out, std::span<const Diagnostic> diagnostics,
                 const std::function<void(std::string&, const Diagnostic&)>& render);

std::string render_text(std::span<const Diagnostic>, const Summary&, const RenderOptions&);
std::string render_json(std::span<const Diagnostic>, const Summary&, const RenderOptions&);
std::string render_gcc(std::span<const Diagnostic>, const Summary&, const RenderOptions&);
std::string render_sarif(std::span<const Diagnostic>, const Summary&, const RenderOptions&);
std::string render_github(std::span<const Diagnostic>, const Summary&, const RenderOptions&);

}  // namespace kpilint::render::detail
