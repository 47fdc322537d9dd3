#include "model/config.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include "base/i18n.hpp"

#include "model/suggest.hpp"

namespace kpilint::model {

namespace {

constexpr std::string_view kTopKeys[] = {"lint", "exclude"};
constexpr std::string_view kLintKeys[] = {"select", "ignore", "severity", "rules", "options", "exclude"};

class ConfigReader {
 public:
  ConfigReader(const std::filesystem::path& path, std::vector<std::string>& errors) : path_(path), errors_(errors) {}

  void error(const toml::source_region& where, const std::string& message) {
    errors_.push_back(fmt::format("{}:{}:{}: {}", path_.string(), where.begin.line, where.begin.column, message));
  }

  void unknown_key(const toml::key& key, std::span<const std::string_view> known, std::string_view table) {
    const auto guess = closest(key.str(), known);
    error(key.source(), i18n::format(guess ? "config.unknown-key-suggest" : "config.unknown-key", i18n::arg("key", key.str()),
                                     i18n::arg("table", table), i18n::arg("guess", guess.value_or(""))));
  }

  ConfigEntry entry(const toml::node& node) {
    return {std::string(node.value_or(std::string_view())), static_cast<std::uint32_t>(node.source().begin.line),
            static_cast<std::uint32_t>(node.source().begin.column)};
  }

  std::vector<ConfigEntry> strings(const toml::node& node, std::string_view key) {
    std::vector<ConfigEntry> out;
    const toml::array* array = node.as_array();
    if (array == nullptr) {
      error(node.source(), i18n::format("config.not-string-list", i18n::arg("key", key)));
      return out;
    }
    for (const toml::node& item : *array) {
      if (!item.is_string()) {
        error(item.source(), i18n::format("config.not-string-list", i18n::arg("key", key)));
        continue;
      }
      out.push_back(entry(item));
    }
    return out;
  }

  void read_lint(const toml::table& lint, Config& config) {
    for (const auto& [key, node] : lint) {
      const std::string_view name = key.str();
      if (name == "select") {
        config.select = strings(node, name);
      } else if (name == "ignore") {
        config.ignore = strings(node, name);
      } else if (name == "exclude") {
        for (auto& e : strings(node, name)) config.exclude.push_back(std::move(e.value));
      } else if (name == "rules") {
        for (auto& e : strings(node, name)) {
          e.value = (path_.parent_path() / e.value).lexically_normal().string();
          config.rule_files.push_back(std::move(e));
        }
      } else if (name == "severity") {
        const toml::table* table = node.as_table();
        if (table == nullptr) {
          error(node.source(), i18n::format("config.severity-not-table"));
          continue;
        }
        for (const auto& [code, level] : *table) {
          if (!level.is_string()) {
            error(level.source(), i18n::format("config.severity-not-string", i18n::arg("code", code.str())));
            continue;
          }
          config.severity.push_back({{std::string(code.str()), static_cast<std::uint32_t>(code.source().begin.line),
                                      static_cast<std::uint32_t>(code.source().begin.column)},
                                     entry(level)});
        }
      } else if (name == "options") {
        const toml::table* table = node.as_table();
        if (table == nullptr) {
          error(node.source(), i18n::format("config.options-not-table"));
          continue;
        }
        for (const auto& [option, value] : *table) {
          if (auto i = value.as_integer()) config.options[std::string(option.str())] = i->get();
          else if (auto f = value.as_floating_point()) config.options[std::string(option.str())] = f->get();
          else if (auto b = value.as_boolean()) config.options[std::string(option.str())] = b->get();
          else if (auto s = value.as_string()) config.options[std::string(option.str())] = s->get();
          else error(value.source(), i18n::format("config.option-type", i18n::arg("option", option.str())));
        }
      } else {
        unknown_key(key, kLintKeys, "[lint]");
      }
    }
  }

 private:
  const std::filesystem::path& path_;
  std::vector<std::string>& errors_;
};

}  // namespace

Config parse_config(std::string_view text, const std::filesystem::path& path, std::vector<std::string>& errors) {
  Config config;
  config.path = path;
  ConfigReader reader(path, errors);
  toml::table root;
  try {
    root = toml::parse(text, path.string());
  } catch (const toml::parse_error& e) {
    errors.push_back(fmt::format("{}:{}:{}: {}", path.string(), e.source().begin.line, e.source().begin.column,
                                 i18n::format("config.invalid-toml", i18n::arg("what", e.description()))));
    return config;
  }
  for (const auto& [key, node] : root) {
    if (key.str() == "lint") {
      if (const toml::table* lint = node.as_table()) reader.read_lint(*lint, config);
      else reader.error(node.source(), i18n::format("config.lint-not-table"));
    } else if (key.str() == "exclude") {
      for (auto& e : reader.strings(node, "exclude")) config.exclude.push_back(std::move(e.value));
    } else {
      reader.unknown_key(key, kTopKeys, "kpilint.toml");
    }
  }
  return config;
}

}  // namespace kpilint::model
