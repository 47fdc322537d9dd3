#pragma once
// kpilint.toml, read with toml++. Only its syntax and shape are checked here;
// rule codes and names are checked against the rule pack by the linter.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/diagnostic.hpp"

namespace kpilint::model {

using OptionValue = std::variant<std::int64_t, double, bool, std::string>;

struct ConfigEntry {  // a value with where it was written, for error messages
  std::string value;
  std::uint32_t line = 0;    // 1-based, 0 when from the command line
  std::uint32_t column = 0;
};

struct Config {
  std::optional<std::filesystem::path> path;  // the file it came from
  std::vector<ConfigEntry> select;              // empty: every rule
  std::vector<ConfigEntry> ignore;
  std::vector<std::pair<ConfigEntry, ConfigEntry>> severity;  // code or name → level
  std::vector<ConfigEntry> rule_files;          // absolute paths
  std::map<std::string, OptionValue> options;   // [lint.options]
  std::vector<std::string> exclude;             // globs relative to the workspace root
};

// Parses kpilint.toml text. Errors (bad TOML, unknown keys with a suggestion,
// wrong value types) are returned as messages "path:line:col: …".
Config parse_config(std::string_view text, const std::filesystem::path& path, std::vector<std::string>& errors);

}  // namespace kpilint::model
