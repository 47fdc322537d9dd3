#pragma once
// Parses one rule file into Rules (syntax only: names are resolved by the
// type checker). PEGTL stays inside rule_parser.cpp.
#include <vector>

#include "base/diagnostic.hpp"
#include "base/source.hpp"
#include "rules/rule.hpp"

namespace kpilint::rules {

// A Diagnostic about a rule file (code "config", severity error) at `span`.
Diagnostic rule_file_error(const SourceFile& file, Span span, std::string message);

// Parses `file`. Appends one error per rule that does not parse (the parser
// resumes at the next line starting with `rule`) and returns the rules that
// did. Never throws on bad input.
std::vector<Rule> parse_rule_file(const SourceFile& file, std::vector<Diagnostic>& errors);

// Removes the common indentation of a text block, its first line when blank
// and its last line when blank.
std::string dedent_text_block(std::string_view body);

}  // namespace kpilint::rules
