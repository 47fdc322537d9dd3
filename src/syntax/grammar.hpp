#pragma once
// The PEGTL grammar of .kpi files: one struct per rule of grammar/kpi.peg,
// with the same names (a test checks both ways). Included only by
// src/syntax/parser.cpp and the grammar test: keep PEGTL out of other headers.
//
// Conventions used below:
//   p::must<R>   the `R^` of kpi.peg: once reached, R has to match, or the
//                control's raise() records the error message of R and throws.
//   p::try_catch the `try(...)` of kpi.peg: a declaration that raised fails,
//                and `skip_to_sync` resumes at the next declaration.
//   A rule that only re-labels another (`field_value : seq<value>`) exists
//   to carry its own error message and action.
#include <tao/pegtl.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kpilint::syntax::grammar {

namespace p = tao::pegtl;

// ---------------------------------------------------------------- lexical
struct eol : p::sor<p::one<'\n'>, p::string<'\r', '\n'>> {};
struct blank : p::one<' ', '\t', '\r'> {};  // a lone CR counts as a space
struct blanks : p::star<blank> {};
struct lone_cr : p::seq<p::one<'\r'>, p::not_at<p::one<'\n'>>> {};
struct comment : p::seq<p::one<'#'>, p::star<p::sor<p::not_one<'\n', '\r'>, lone_cr>>> {};
struct ws : p::star<p::sor<blank, eol, comment>> {};
struct bom : p::string<'\xEF', '\xBB', '\xBF'> {};

struct ident_first : p::ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : p::ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
// ident_other as a table: one lookup per byte.
struct IdentOtherTable {
  bool other[256] = {};
  constexpr IdentOtherTable() {
    for (int c = 0; c < 256; ++c) other[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
};
inline constexpr IdentOtherTable kIdentOther{};
inline bool is_ident_first(char c) noexcept { return kIdentOther.other[static_cast<unsigned char>(c)] && !(c >= '0' && c <= '9'); }

// Every name, field name and word goes through here: the rule is that of
// kpi.peg (for analyze()), matched with the table instead of a chain of
// range tests per byte.
struct identifier : p::seq<ident_first, p::star<ident_other>> {
  template <p::apply_mode, p::rewind_mode, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... /*unused*/) {
    const char* at = in.current();
    const char* const end = in.end();
    if (at == end || !is_ident_first(*at)) return false;
    ++at;
    while (at != end && kIdentOther.other[static_cast<unsigned char>(*at)]) ++at;
    in.bump_in_this_line(static_cast<std::size_t>(at - in.current()));  // no line end in a name
    return true;
  }
};

struct kw_person : p::keyword<'p', 'e', 'r', 's', 'o', 'n'> {};
struct kw_team : p::keyword<'t', 'e', 'a', 'm'> {};
struct kw_objective : p::keyword<'o', 'b', 'j', 'e', 'c', 't', 'i', 'v', 'e'> {};
struct kw_kpi : p::keyword<'k', 'p', 'i'> {};
struct kw_metric : p::keyword<'m', 'e', 't', 'r', 'i', 'c'> {};
struct kw_experiment : p::keyword<'e', 'x', 'p', 'e', 'r', 'i', 'm', 'e', 'n', 't'> {};
struct kw_use : p::keyword<'u', 's', 'e'> {};
struct kw_by : p::keyword<'b', 'y'> {};
struct decl_keyword : p::sor<kw_person, kw_team, kw_objective, kw_kpi, kw_metric, kw_experiment> {};

// Where a declaration starts: a keyword, spaces, a name. At the start of a
// line this is where recovery resumes; in a body it ends the fields.
// Tried before every field (`!decl_start`): a byte that starts no keyword
// fails at once instead of through seven keyword comparisons.
struct decl_start : p::seq<p::sor<decl_keyword, kw_use>, p::plus<blank>, ident_first> {
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... st) {
    if (in.empty()) return false;
    switch (in.peek_char()) {
      case 'p': case 't': case 'o': case 'k': case 'm': case 'e': case 'u': break;  // person team objective kpi metric experiment use
      default: return false;
    }
    return p::seq<p::sor<decl_keyword, kw_use>, p::plus<blank>, ident_first>::template match<A, M, Action, Control>(in, st...);
  }
};
struct sync_point : p::seq<blanks, decl_start> {};

// ---------------------------------------------------------------- values
struct value;
struct target;
struct list;

struct digits : p::seq<p::digit, p::star<p::opt<p::one<'_'>>, p::digit>> {};
struct number_suffix : p::one<'%', 'k', 'M', 'B'> {};
struct number_end : p::not_at<p::sor<ident_other, p::one<'.'>>> {};
struct number : p::seq<p::opt<p::one<'-'>>, digits, p::opt<p::one<'.'>, digits>, p::opt<number_suffix>,
                       p::must<number_end>> {};

struct date_end : p::not_at<p::sor<ident_other, p::one<'.', '-'>>> {};
struct date : p::seq<p::rep<4, p::digit>, p::one<'-'>, p::rep<2, p::digit>, p::one<'-'>, p::rep<2, p::digit>,
                     p::must<date_end>> {};
struct quarter_end : p::not_at<p::sor<ident_other, p::one<'.', '-'>>> {};
struct quarter : p::seq<p::rep<4, p::digit>, p::one<'-'>, p::one<'Q'>, p::digit, p::must<quarter_end>> {};

struct string_open : p::one<'"'> {};
struct string_close : p::one<'"'> {};
struct unicode_hex : p::seq<p::one<'{'>, p::rep_min_max<1, 6, p::xdigit>, p::one<'}'>> {};
struct unicode_escape : p::seq<p::one<'u'>, p::must<unicode_hex>> {};
struct escape_code : p::sor<p::one<'"', '\\', 'n', 't'>, unicode_escape> {};
struct escape : p::seq<p::one<'\\'>, p::must<escape_code>> {};
struct string_char : p::utf8::not_one<'"', '\\', '\n', '\r', 0> {};
// Plain ASCII in bulk, the UTF-8 decoder only for the rest. The rule is the
// byte class of kpi.peg (which analyze() and the base class describe); its
// match scans 16 bytes at a time for the first byte outside it, since every
// title and source string of a workspace goes through here.
inline const char* end_of_plain_ascii(const char* at, const char* end) noexcept {
  const auto plain = [](unsigned char c) { return c != 0 && c != '\n' && c != '\r' && c != '"' && c != '\\' && c < 0x80; };
#if defined(__SSE2__)
  const __m128i nul = _mm_setzero_si128(), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  while (end - at >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, nul), _mm_cmpeq_epi8(bytes, lf)),
                                      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, cr), _mm_cmpeq_epi8(bytes, quote)),
                                                   _mm_cmpeq_epi8(bytes, backslash)));
    // movemask also takes each byte's top bit: the bytes >= 0x80.
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(stop) | _mm_movemask_epi8(bytes));
    if (mask != 0) return at + __builtin_ctz(mask);
    at += 16;
  }
#endif
  while (at != end && plain(static_cast<unsigned char>(*at))) ++at;
  return at;
}
struct string_run : p::plus<p::ranges<'\x01', '\t', '\x0B', '\x0C', '\x0E', '!', '#', '[', ']', '\x7F'>> {
  template <p::apply_mode, p::rewind_mode, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... /*unused*/) {
    const char* const end = end_of_plain_ascii(in.current(), in.end());
    if (end == in.current()) return false;
    in.bump_in_this_line(static_cast<std::size_t>(end - in.current()));  // no line end in the run
    return true;
  }
};
struct string : p::seq<string_open, p::star<p::sor<string_run, string_char, escape>>, p::must<string_close>> {};

struct at_name : identifier {};
struct at_ref : p::seq<p::one<'@'>, p::must<at_name>> {};

// An identifier that is not the name of the next field (`name:`).
struct word_item : p::seq<identifier, p::not_at<blanks, p::one<':'>>> {};
struct word : word_item {};
// One or more: a single word parses once here instead of failing `words`
// and starting over as `word` (the action makes it a Word).
struct words : p::seq<word_item, p::star<blanks, word_item>> {};

struct list_open : p::one<'['> {};
struct list_close : p::one<']'> {};
struct list_end : p::one<']'> {};
struct list_comma : p::one<','> {};
struct list_value : p::sor<target, string, date, quarter, number, at_ref, list, word> {};  // no `words`: elements need commas
struct list_items : p::seq<p::must<list_value>, ws,
                           p::star<list_comma, ws, p::not_at<list_close>, p::must<list_value>, ws>,
                           p::opt<list_comma, ws>, p::must<list_end>> {};
struct list : p::seq<list_open, ws, p::sor<list_close, list_items>> {};

struct comparator : p::sor<p::string<'>', '='>, p::string<'<', '='>, p::one<'>', '<', '='>> {};
struct target_value : p::sor<number, string, word> {};
struct target_unit : p::seq<p::not_at<kw_by>, word_item> {};
struct deadline : p::sor<date, quarter> {};
struct by_clause : p::seq<kw_by, p::not_at<blanks, p::one<':'>>, blanks, p::must<deadline>> {};
struct plus_minus : p::sor<p::string<'\xC2', '\xB1'>, p::string<'+', '-'>> {};
struct variance_value : number {};
struct variance_unit : word_item {};
struct variance : p::seq<plus_minus, blanks, p::must<variance_value>, p::opt<blanks, variance_unit>> {};
struct target : p::seq<comparator, blanks, p::must<target_value>, p::opt<blanks, target_unit>,
                       p::opt<blanks, by_clause>, p::opt<blanks, variance>> {};

// Most values are words (`level: business`). Every other alternative starts
// with a byte no word starts with (a comparator, '"', a digit, '-', '@',
// '['), so on a word's first byte they would all fail without consuming or
// acting: the match goes to `words` at once, and is otherwise the sor's.
struct value : p::sor<target, string, date, quarter, number, at_ref, list, words> {
  template <p::apply_mode A, p::rewind_mode M, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&... st) {
    if (!in.empty() && is_ident_first(in.peek_char())) {
      return Control<words>::template match<A, M, Action, Control>(in, st...);
    }
    return p::sor<target, string, date, quarter, number, at_ref, list, words>::template match<A, M, Action, Control>(in, st...);
  }
};

// ---------------------------------------------------------------- declarations
struct field_name : identifier {};
struct field_colon : p::one<':'> {};
struct field_value : p::seq<value> {};
struct field : p::seq<p::not_at<decl_start>, field_name, blanks, p::must<field_colon>, blanks,
                      p::must<field_value>> {};
struct field_sep : p::star<p::sor<blank, eol, comment, p::one<';'>>> {};
struct body_open : p::one<'{'> {};
struct body_close : p::one<'}'> {};
struct decl_body : p::seq<body_open, field_sep, p::star<field, field_sep>, p::must<body_close>> {};
struct decl_name : identifier {};
struct block_decl : p::seq<decl_keyword, blanks, p::must<decl_name>, ws, p::must<decl_body>> {};

struct module_path : p::seq<identifier, p::star<p::one<'.'>, identifier>> {};
struct use_decl : p::seq<kw_use, blanks, p::must<module_path>> {};

struct declaration : p::sor<use_decl, block_decl> {};

// ---------------------------------------------------------------- recovery and file
struct skipped_string : p::seq<p::one<'"'>,
                               p::star<p::sor<p::seq<p::one<'\\'>, p::not_at<eol>, p::any>,
                                              p::seq<p::not_one<'"', '\\', '\n'>>>>,
                               p::opt<p::one<'"'>>> {};
struct skip_item : p::sor<p::not_one<'"', '#', '\n', '\r'>, skipped_string, comment, lone_cr> {};
struct skip_line : p::star<skip_item> {};
struct skip_to_sync : p::seq<p::sor<skip_item, eol>, skip_line, p::star<eol, p::not_at<sync_point>, skip_line>> {};

struct file : p::seq<p::opt<bom>, ws, p::star<p::not_at<p::eof>, p::sor<p::try_catch<p::must<declaration>>, skip_to_sync>, ws>,
                     p::eof> {};

}  // namespace kpilint::syntax::grammar
