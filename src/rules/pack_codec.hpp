#pragma once
// The built-in rule pack in compiled form, as bytes. `kpilint-rulec` parses
// and checks rules/*.rules once, at build time, and writes these bytes into
// the binary; RulePack::builtin() reads them back instead of parsing the rule
// files on every run. The rule texts stay embedded (messages slice them,
// `explain` shows them): the bytes hold the compiled rules and a hash of each
// text, and are refused when a text differs.
#include <optional>
#include <string>
#include <string_view>

#include "rules/rule_pack.hpp"

namespace kpilint::rules {

// The compiled pack as bytes, or "" when it cannot be encoded (a rule with a
// view that does not point into its file: not something the parser makes).
std::string encode_pack(const RulePack& pack);

// The pack back, or nullopt when the bytes are not a pack of this build: a
// different format version, or rule texts that are not the embedded ones.
std::optional<RulePack> decode_pack(std::string_view bytes);

}  // namespace kpilint::rules
