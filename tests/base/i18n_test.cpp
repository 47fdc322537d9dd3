// The message catalogues: both languages have every id, with the same
// placeholders; every id the sources use exists (and every entry is used);
// the language is picked from --lang-style names and the environment.
#include <catch2/catch.hpp>
#include <fmt/args.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "base/i18n.hpp"
#include "support.hpp"

using namespace kpilint;
using i18n::Language;
namespace fs = std::filesystem;

namespace {

// The placeholder names of a pattern, in order ({{ and }} are literal braces).
std::vector<std::string> placeholders(std::string_view pattern) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.substr(i, 2) == "{{" || pattern.substr(i, 2) == "}}") {
      ++i;
    } else if (pattern[i] == '{') {
      const std::size_t close = pattern.find('}', i);
      out.emplace_back(close == std::string_view::npos ? pattern.substr(i) : pattern.substr(i + 1, close - i - 1));
      if (close == std::string_view::npos) break;
      i = close;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::string> entries(Language language) {
  std::map<std::string, std::string> out;
  for (const auto& entry : i18n::catalogue(language)) out.emplace(entry.id, entry.text);
  return out;
}

std::string read_source(Language language) {
  return test::read_file(test::source_dir() / "src/base/messages" / (std::string(i18n::code(language)) + ".txt"));
}

// Sets an environment variable for the scope of a test, then restores it.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~EnvVar() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the embedded catalogues are the files in src/base/messages, and they parse cleanly") {
  for (const Language language : i18n::kLanguages) {
    INFO(i18n::code(language));
    CHECK(i18n::catalogue_source(language) == read_source(language));
    std::vector<std::string> problems;
    const auto parsed = i18n::parse_catalogue(i18n::catalogue_source(language), &problems);
    CHECK(problems.empty());
    for (const auto& problem : problems) UNSCOPED_INFO(problem);
    CHECK(parsed.size() > 300);
    for (const auto& entry : parsed) {
      INFO(entry.id);
      CHECK(!entry.text.empty());
      CHECK(entry.text.front() != ' ');  // a leading or trailing blank would be invisible to a translator
      CHECK(entry.text.back() != ' ');
    }
  }
}

TEST_CASE("the catalogue format: `id = text`, comments, blank lines - problems are reported") {
  std::vector<std::string> problems;
  const auto parsed = i18n::parse_catalogue("# comment\n\nb.x = second {n}\r\na.y = first = still text\nbroken line\nb.x = again\n",
                                            &problems);
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0].id == "a.y");
  CHECK(parsed[0].text == "first = still text");
  CHECK(parsed[1].id == "b.x");
  CHECK(parsed[1].text == "second {n}");  // the first definition wins; CR dropped
  CHECK(problems == std::vector<std::string>{"line 5: expected `id = text`", "duplicate id 'b.x'"});
}

TEST_CASE("every message id has an English and a Portuguese text with the same placeholders") {
  const auto en = entries(Language::En);
  const auto pt = entries(Language::Pt);
  for (const auto& [id, text] : en) {
    INFO(id);
    CHECK(pt.count(id) == 1);
  }
  for (const auto& [id, text] : pt) {
    INFO(id);
    CHECK(en.count(id) == 1);
  }
  for (const auto& [id, english] : en) {
    const auto it = pt.find(id);
    if (it == pt.end()) continue;
    INFO(id << "\n  en: " << english << "\n  pt: " << it->second);
    CHECK(placeholders(english) == placeholders(it->second));
    CHECK(it->second != "");
  }
}

TEST_CASE("every text is a valid fmt pattern: it formats with its placeholders filled in") {
  for (const Language language : i18n::kLanguages) {
    for (const auto& entry : i18n::catalogue(language)) {
      INFO(i18n::code(language) << " " << entry.id << ": " << entry.text);
      const std::vector<std::string> names = placeholders(entry.text);
      fmt::dynamic_format_arg_store<fmt::format_context> args;
      for (const auto& name : names) args.push_back(fmt::arg(name.c_str(), "X"));
      std::string out;
      CHECK_NOTHROW(out = fmt::vformat(entry.text, args));
    }
  }
}

TEST_CASE("every message id the sources use is in the catalogue, and every catalogue id is used") {
  // Ids are string literals under these prefixes; none is built at run time.
  const std::regex id_literal(R"re("((?:common|syntax|model|config|rules|render|cli|lsp)\.[a-z0-9][a-z0-9._-]*)")re");
  std::set<std::string> used;
  for (const auto& file : fs::recursive_directory_iterator(test::source_dir() / "src")) {
    const auto extension = file.path().extension();
    if (extension != ".cpp" && extension != ".hpp") continue;
    const std::string text = test::read_file(file.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), id_literal); it != std::sregex_iterator(); ++it) {
      used.insert((*it)[1].str());
    }
  }
  REQUIRE(used.size() > 300);
  const auto en = entries(Language::En);
  for (const auto& id : used) {
    INFO("used in src/ but not in en.txt: " << id);
    CHECK(en.count(id) == 1);
  }
  for (const auto& [id, text] : en) {
    INFO("in en.txt but used nowhere in src/: " << id);
    CHECK(used.count(id) == 1);
  }
}

TEST_CASE("lookups: the current language, then English, then the id itself") {
  const Language before = i18n::language();
  i18n::set_language(Language::Pt);
  CHECK(i18n::text("render.severity.warning") == "aviso");
  CHECK(i18n::text(Language::En, "render.severity.warning") == "warning");
  CHECK(i18n::format("render.count.files.other", i18n::arg("n", 3)) == "3 arquivos");
  CHECK(i18n::plural(1, "render.count.errors.one", "render.count.errors.other") == "1 erro");
  CHECK(i18n::text("no.such.id") == "no.such.id");
  const std::vector<std::string> three{"a", "b", "c"};
  CHECK(i18n::join_or(three) == "a, b ou c");
  i18n::set_language(Language::En);
  CHECK(i18n::join_and(three) == "a, b and c");
  CHECK(i18n::format("syntax.expected-value", i18n::arg("field", "level")) == "expected a value after `level:`");
  i18n::set_language(before);
}

TEST_CASE("language names: en, pt and locale names") {
  CHECK(i18n::parse_language("pt") == Language::Pt);
  CHECK(i18n::parse_language("pt_BR.UTF-8") == Language::Pt);
  CHECK(i18n::parse_language("pt-BR") == Language::Pt);
  CHECK(i18n::parse_language("PT_pt") == Language::Pt);
  CHECK(i18n::parse_language("en") == Language::En);
  CHECK(i18n::parse_language("en_US.UTF-8") == Language::En);
  CHECK(i18n::parse_language("C.UTF-8") == std::nullopt);
  CHECK(i18n::parse_language("de_DE") == std::nullopt);
  CHECK(i18n::parse_language("") == std::nullopt);
}

TEST_CASE("the language from the environment: LC_ALL, LC_MESSAGES, LANG, then LANGUAGE") {
  EnvVar all("LC_ALL", nullptr), messages("LC_MESSAGES", nullptr), lang("LANG", nullptr), list("LANGUAGE", nullptr);
  CHECK(i18n::language_from_environment() == Language::En);
  {
    EnvVar pt("LANG", "pt_BR.UTF-8");
    CHECK(i18n::language_from_environment() == Language::Pt);
    EnvVar en("LC_MESSAGES", "en_US.UTF-8");
    CHECK(i18n::language_from_environment() == Language::En);
    EnvVar pt_all("LC_ALL", "pt_PT.UTF-8");
    CHECK(i18n::language_from_environment() == Language::Pt);
  }
  {
    EnvVar c("LANG", "C.UTF-8");
    EnvVar priority("LANGUAGE", "pt_BR:en");
    CHECK(i18n::language_from_environment() == Language::En);  // the C locale ignores LANGUAGE, as gettext does
  }
  {
    EnvVar en("LANG", "en_US.UTF-8");
    EnvVar priority("LANGUAGE", "de:pt_BR:en");
    CHECK(i18n::language_from_environment() == Language::Pt);  // the first language we have
  }
  {
    EnvVar german("LANG", "de_DE.UTF-8");
    CHECK(i18n::language_from_environment() == Language::En);
  }
}
