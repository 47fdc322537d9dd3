#pragma once
// Files compiled into the binary at build time (cmake/embed.cmake), so the
// binary works from any directory: the stdlib modules, the built-in rules and
// the message catalogues.
#include <span>
#include <string_view>

namespace kpilint::embedded {

struct EmbeddedFile {
  std::string_view name;  // file name, e.g. "marketing.kpi"
  std::string_view text;
};

std::span<const EmbeddedFile> stdlib_files();        // stdlib/*.kpi
std::span<const EmbeddedFile> builtin_rule_files();  // rules/*.rules
std::span<const EmbeddedFile> message_files();       // src/base/messages/*.txt (en.txt, pt.txt)

}  // namespace kpilint::embedded
