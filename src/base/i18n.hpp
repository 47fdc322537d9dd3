#pragma once
// Messages in English and Portuguese. Every user-facing text has a stable
// dotted id (`model.duplicate-definition`); its text in each language lives in
// one catalogue per language, src/base/messages/<lang>.txt, embedded at build
// time. The English catalogue is the default and the fallback.
//
//   i18n::set_language(i18n::Language::Pt);  // once, by the CLI or the LSP
//   d.message = i18n::format("model.own-parent", i18n::arg("name", name));
//
// Texts are fmt patterns with named placeholders ({name}); a literal brace is
// written `{{` or `}}`. text() returns the raw pattern, for texts without
// placeholders or braces.
#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kpilint::i18n {

enum class Language : unsigned char { En, Pt };
inline constexpr Language kLanguages[] = {Language::En, Language::Pt};

// The process-wide language: English until set. Set it before messages are
// made (the CLI does so first thing; the LSP at `initialize`).
Language language();
void set_language(Language language);

// "en", "pt", and locale names: "pt_BR.UTF-8", "pt-BR", "en_US" (case-insensitive).
// Other languages and "C"/"POSIX" give nullopt.
std::optional<Language> parse_language(std::string_view name);
// From the environment, as gettext reads it: LANGUAGE (a colon-separated list,
// when the locale is not C), else the first of LC_ALL, LC_MESSAGES, LANG that
// is set. Portuguese when that names pt; English otherwise.
Language language_from_environment();
std::string_view code(Language language);  // "en", "pt"

// One catalogue entry; views into the embedded catalogue text.
struct Entry {
  std::string_view id, text;
};
// Parses a catalogue: `id = text` per line (text verbatim to the end of the
// line), blank lines and `#` comments skipped. Malformed lines and duplicate
// ids are described in `problems` (when given). Sorted by id.
std::vector<Entry> parse_catalogue(std::string_view source, std::vector<std::string>* problems = nullptr);
// The embedded catalogue of a language: its source text and its entries.
std::string_view catalogue_source(Language language);
std::span<const Entry> catalogue(Language language);

// The pattern of `id` in `language`, else in English, else the id itself.
std::string_view text(Language language, std::string_view id);
inline std::string_view text(std::string_view id) { return text(language(), id); }

using fmt::arg;

// The text of `id` in the current language, with its placeholders filled from
// named arguments (i18n::arg("name", value)). A translation that does not
// format falls back to the English text.
template <typename... Args>
std::string format(std::string_view id, const Args&... args) {
  const std::string_view pattern = text(id);
  try {
    return fmt::vformat(pattern, fmt::make_format_args(args...));
  } catch (const fmt::format_error&) {
    const std::string_view english = text(Language::En, id);
    try {
      return fmt::vformat(english, fmt::make_format_args(args...));
    } catch (const fmt::format_error&) {
      return std::string(english);
    }
  }
}

// `one` when n is 1, else `other`, with {n} set to n (and any further arguments).
template <typename... Args>
std::string plural(std::size_t n, std::string_view one, std::string_view other, const Args&... args) {
  return format(n == 1 ? one : other, arg("n", n), args...);
}

// "a, b or c" / "a, b ou c"; "a, b and c" / "a, b e c".
std::string join_or(std::span<const std::string> items);
std::string join_and(std::span<const std::string> items);

}  // namespace kpilint::i18n
