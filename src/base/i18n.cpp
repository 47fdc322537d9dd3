#include "base/i18n.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "base/embedded.hpp"

namespace kpilint::i18n {

namespace {

std::atomic<Language> g_language{Language::En};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// "C", "POSIX", "C.UTF-8": the untranslated locale.
bool is_c_locale(std::string_view name) {
  return name == "C" || name == "POSIX" || name.substr(0, 2) == "C." || name.substr(0, 2) == "C@";
}

const char* non_empty_env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

struct Catalogue {
  std::vector<Entry> entries;
};

const Catalogue& load(Language language) {
  // One parse per language and process, on first use (microseconds).
  static const Catalogue en{parse_catalogue(catalogue_source(Language::En))};
  if (language == Language::En) return en;
  static const Catalogue pt{parse_catalogue(catalogue_source(Language::Pt))};
  return pt;
}

const Entry* find(const Catalogue& catalogue, std::string_view id) {
  const auto& entries = catalogue.entries;
  const auto it = std::lower_bound(entries.begin(), entries.end(), id,
                                   [](const Entry& e, std::string_view key) { return e.id < key; });
  return it != entries.end() && it->id == id ? &*it : nullptr;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string join(std::span<const std::string> items, std::string_view last_id) {
  if (items.empty()) return {};
  std::string out = items.front();
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (i + 1 == items.size()) {
      out = format(last_id, arg("a", out), arg("b", items[i]));
    } else {
      out += ", ";
      out += items[i];
    }
  }
  return out;
}

}  // namespace

Language language() { return g_language.load(std::memory_order_relaxed); }

void set_language(Language language) { g_language.store(language, std::memory_order_relaxed); }

std::optional<Language> parse_language(std::string_view name) {
  std::string code;
  for (const char c : name) {
    if (c == '_' || c == '-' || c == '.' || c == '@') break;
    code += lower(c);
  }
  if (code == "en") return Language::En;
  if (code == "pt") return Language::Pt;
  return std::nullopt;
}

Language language_from_environment() {
  const char* locale = non_empty_env("LC_ALL");
  if (locale == nullptr) locale = non_empty_env("LC_MESSAGES");
  if (locale == nullptr) locale = non_empty_env("LANG");
  // LANGUAGE is a priority list, honoured (as by gettext) unless the locale is C.
  if (const char* list = non_empty_env("LANGUAGE"); list != nullptr && !(locale != nullptr && is_c_locale(locale))) {
    std::string_view rest(list);
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      if (const auto language = parse_language(rest.substr(0, colon))) return *language;
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  if (locale != nullptr) {
    if (const auto language = parse_language(locale)) return *language;
  }
  return Language::En;
}

std::string_view code(Language language) { return language == Language::Pt ? "pt" : "en"; }

std::vector<Entry> parse_catalogue(std::string_view source, std::vector<std::string>* problems) {
  std::vector<Entry> entries;
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < source.size();) {
    std::size_t end = source.find('\n', start);
    if (end == std::string_view::npos) end = source.size();
    std::string_view line = source.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    const std::size_t eq = line.find(" = ");
    if (eq == std::string_view::npos) {
      if (problems) problems->push_back(fmt::format("line {}: expected `id = text`", line_number));
      continue;
    }
    const std::string_view id = trim(line.substr(0, eq));
    const std::string_view text = line.substr(eq + 3);
    if (id.empty() || id.find(' ') != std::string_view::npos) {
      if (problems) problems->push_back(fmt::format("line {}: malformed id '{}'", line_number, id));
      continue;
    }
    entries.push_back({id, text});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].id == entries[i - 1].id && problems) {
      problems->push_back(fmt::format("duplicate id '{}'", entries[i].id));
    }
  }
  // Keep the first definition of a duplicate.
  entries.erase(std::unique(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.id == b.id; }),
                entries.end());
  return entries;
}

std::string_view catalogue_source(Language language) {
  const std::string_view wanted = language == Language::Pt ? "pt.txt" : "en.txt";
  for (const auto& file : embedded::message_files()) {
    if (file.name == wanted) return file.text;
  }
  return {};
}

std::span<const Entry> catalogue(Language language) { return load(language).entries; }

std::string_view text(Language language, std::string_view id) {
  if (const Entry* entry = find(load(language), id)) return entry->text;
  if (language != Language::En) {
    if (const Entry* entry = find(load(Language::En), id)) return entry->text;
  }
  return id;
}

std::string join_or(std::span<const std::string> items) { return join(items, "common.list.or"); }
std::string join_and(std::span<const std::string> items) { return join(items, "common.list.and"); }

}  // namespace kpilint::i18n
