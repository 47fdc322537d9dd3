#pragma once
// The PEGTL grammar of the rule language (.rules files). It mirrors
// grammar/rules.peg rule for rule: every struct here is a rule there and vice
// versa (a test checks it). Included only by rule_parser.cpp and the tests:
// keep PEGTL out of every other header.
#include <tao/pegtl.hpp>

namespace kpilint::rules::grammar {

namespace pegtl = tao::pegtl;
using pegtl::any;
using pegtl::at;
using pegtl::bol;
using pegtl::eof;
using pegtl::eolf;
using pegtl::must;
using pegtl::not_at;
using pegtl::not_one;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::range;
using pegtl::ranges;
using pegtl::rep;
using pegtl::seq;
using pegtl::sor;
using pegtl::star;
using pegtl::try_catch;
using pegtl::until;

// ---- Lexical ---------------------------------------------------------------
struct comment : seq<one<'#'>, until<at<eolf>>> {};
struct blank : sor<pegtl::space, comment> {};
struct ws : star<blank> {};
struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_char : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct ident : seq<ident_first, star<ident_char>> {};
struct digit : range<'0', '9'> {};
struct list_sep : seq<ws, one<','>, ws> {};
struct colon : one<':'> {};

// ---- Keywords --------------------------------------------------------------
struct kw_rule : seq<TAO_PEGTL_STRING("rule"), not_at<ident_char>> {};
struct kw_where : seq<TAO_PEGTL_STRING("where"), not_at<ident_char>> {};
struct kw_and : seq<TAO_PEGTL_STRING("and"), not_at<ident_char>> {};
struct kw_or : seq<TAO_PEGTL_STRING("or"), not_at<ident_char>> {};
struct kw_not : seq<TAO_PEGTL_STRING("not"), not_at<ident_char>> {};
struct kw_in : seq<TAO_PEGTL_STRING("in"), not_at<ident_char>> {};
struct kw_true : seq<TAO_PEGTL_STRING("true"), not_at<ident_char>> {};
struct kw_false : seq<TAO_PEGTL_STRING("false"), not_at<ident_char>> {};
struct kw_fails : seq<TAO_PEGTL_STRING("fails"), not_at<ident_char>> {};
struct kw_passes : seq<TAO_PEGTL_STRING("passes"), not_at<ident_char>> {};
struct key_severity : seq<TAO_PEGTL_STRING("severity"), not_at<ident_char>> {};
struct key_for : seq<TAO_PEGTL_STRING("for"), not_at<ident_char>> {};
struct key_require : seq<TAO_PEGTL_STRING("require"), not_at<ident_char>> {};
struct key_at : seq<TAO_PEGTL_STRING("at"), not_at<ident_char>> {};
struct key_message : seq<TAO_PEGTL_STRING("message"), not_at<ident_char>> {};
struct key_help : seq<TAO_PEGTL_STRING("help"), not_at<ident_char>> {};
struct key_summary : seq<TAO_PEGTL_STRING("summary"), not_at<ident_char>> {};
struct key_rationale : seq<TAO_PEGTL_STRING("rationale"), not_at<ident_char>> {};
struct key_builtin : seq<TAO_PEGTL_STRING("builtin"), not_at<ident_char>> {};
struct key_configurable : seq<TAO_PEGTL_STRING("configurable"), not_at<ident_char>> {};
struct key_example : seq<TAO_PEGTL_STRING("example"), not_at<ident_char>> {};

// ---- Strings and text blocks -----------------------------------------------
struct expr;
struct str_text : plus<not_one<'"', '\\', '\n', '\r', '{', '}'>> {};
struct str_lbrace : seq<one<'{'>, one<'{'>> {};
struct str_rbrace : seq<one<'}'>, one<'}'>> {};
struct str_lone_rbrace : one<'}'> {};
struct hex_digits : plus<pegtl::xdigit> {};
struct unicode_close : one<'}'> {};
struct unicode_escape : seq<one<'u'>, one<'{'>, must<hex_digits>, must<unicode_close>> {};
struct simple_escape : one<'"', '\\', 'n', 't', '{', '}'> {};
struct escape_code : sor<unicode_escape, simple_escape> {};
struct str_escape : seq<one<'\\'>, must<escape_code>> {};
struct interp_close : one<'}'> {};
struct interp_expr : seq<expr> {};
struct interp : seq<one<'{'>, ws, must<interp_expr>, ws, must<interp_close>> {};
struct str_part : sor<str_text, str_lbrace, str_rbrace, str_lone_rbrace, str_escape, interp> {};
struct str_close : one<'"'> {};
struct string_lit : seq<one<'"'>, star<str_part>, must<str_close>> {};
struct triple_quote : seq<one<'"'>, one<'"'>, one<'"'>> {};
struct text_block_body : star<not_at<triple_quote>, any> {};
struct text_block_end : triple_quote {};
struct text_block : seq<triple_quote, text_block_body, must<text_block_end>> {};
struct text : sor<text_block, string_lit> {};

// ---- Expressions -----------------------------------------------------------
struct date_lit : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>, not_at<ident_char>> {};
struct quarter_lit : seq<rep<4, digit>, one<'-'>, one<'Q'>, range<'1', '4'>, not_at<ident_char>> {};
struct number_lit
    : seq<opt<one<'-'>>, digit, star<sor<digit, one<'_'>>>, opt<one<'.'>, plus<digit>>, opt<one<'%'>>, not_at<ident_char>> {};
struct bool_lit : sor<kw_true, kw_false> {};
struct literal : sor<string_lit, date_lit, quarter_lit, number_lit, bool_lit> {};
struct path : seq<ident, star<one<'.'>, ident>> {};
struct paren_close : one<')'> {};
struct paren : seq<one<'('>, ws, must<expr>, ws, must<paren_close>> {};
struct list_close : one<']'> {};
struct list_lit : seq<one<'['>, ws, opt<expr, star<list_sep, must<expr>>>, ws, must<list_close>> {};
struct agg_name : sor<TAO_PEGTL_STRING("count"), TAO_PEGTL_STRING("any"), TAO_PEGTL_STRING("all")> {};
struct agg_head : seq<agg_name, not_at<ident_char>, at<ws, one<'('>>> {};
struct relation : seq<ident> {};
struct where_clause : seq<kw_where, ws, must<expr>> {};
struct aggregate : seq<agg_head, ws, one<'('>, ws, must<relation>, opt<ws, where_clause>, ws, must<paren_close>> {};
struct call_name : seq<ident, at<ws, one<'('>>> {};
struct call : seq<call_name, ws, one<'('>, ws, opt<expr, star<list_sep, must<expr>>>, ws, must<paren_close>> {};
struct operand : sor<paren, aggregate, call, literal, path> {};
struct cmp_op : sor<TAO_PEGTL_STRING("=="), TAO_PEGTL_STRING("!="), TAO_PEGTL_STRING("<="), TAO_PEGTL_STRING(">="), one<'<'>, one<'>'>> {};
struct in_rhs : sor<list_lit, operand> {};
struct cmp_tail : sor<seq<cmp_op, ws, must<operand>>, seq<kw_in, ws, must<in_rhs>>> {};
struct cmp_expr : seq<operand, opt<ws, cmp_tail>> {};
struct not_expr : sor<seq<kw_not, ws, must<not_expr>>, cmp_expr> {};
struct and_expr : seq<not_expr, star<ws, kw_and, ws, must<not_expr>>> {};
struct or_expr : seq<and_expr, star<ws, kw_or, ws, must<and_expr>>> {};
struct expr : seq<or_expr> {};

// ---- Rules -------------------------------------------------------------------
struct rule_code : plus<ident_char> {};
struct rule_name : plus<sor<ident_char, one<'-'>>> {};
struct severity_value : seq<ident> {};
struct severity_prop : seq<key_severity, ws, must<colon>, ws, must<severity_value>> {};
struct decl_kind : seq<ident> {};
struct for_prop : seq<key_for, ws, must<colon>, ws, must<decl_kind>, star<list_sep, must<decl_kind>>, opt<ws, where_clause>> {};
struct require_prop : seq<key_require, ws, must<colon>, ws, must<expr>> {};
struct at_field : seq<ident> {};
struct at_prop : seq<key_at, ws, must<colon>, ws, must<at_field>> {};
struct text_key : sor<key_message, key_help, key_summary, key_rationale> {};
struct lang_code : seq<ident> {};
struct lang_suffix : seq<one<'.'>, must<lang_code>> {};
struct text_prop : seq<text_key, opt<lang_suffix>, ws, must<colon>, ws, must<text>> {};
struct flag_key : sor<key_builtin, key_configurable> {};
struct flag_prop : seq<flag_key, ws, must<colon>, ws, must<bool_lit>> {};
struct example_kind : sor<kw_fails, kw_passes> {};
struct example_prop : seq<key_example, ws, must<example_kind>, ws, must<text>> {};
struct unknown_value : until<at<eolf>> {};
struct unknown_prop : seq<ident, ws, must<colon>, unknown_value> {};
struct property
    : sor<example_prop, severity_prop, for_prop, require_prop, at_prop, text_prop, flag_prop, unknown_prop> {};
struct open_brace : one<'{'> {};
struct close_brace : one<'}'> {};
struct rule_body : seq<open_brace, ws, star<property, ws>, must<close_brace>> {};
struct rule_decl : seq<at<kw_rule>, kw_rule, ws, must<rule_code>, ws, must<rule_name>, ws, must<rule_body>> {};
struct skip_garbage : seq<any, star<not_at<bol, kw_rule>, any>> {};
struct rule_item : seq<not_at<eof>, sor<try_catch<must<rule_decl>>, skip_garbage>> {};
struct file : seq<ws, star<rule_item, ws>, eof> {};

}  // namespace kpilint::rules::grammar
