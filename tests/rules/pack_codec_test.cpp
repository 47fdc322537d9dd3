// The built-in rule pack compiled at build time (kpilint-rulec) is the pack
// parsing the rule files gives, and bytes that do not fit are refused.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "rules/pack_codec.hpp"
#include "rules/rule.hpp"
#include "rules/rule_pack.hpp"

using kpilint::rules::decode_pack;
using kpilint::rules::encode_pack;
using kpilint::rules::RulePack;

TEST_CASE("compiled pack: this binary carries it and builtin() decodes it", "[rules][pack]") {
  CHECK(RulePack::precompiled());
  REQUIRE(RulePack::builtin().rules().size() == RulePack::compile_builtin().rules().size());
}

TEST_CASE("compiled pack: decoding gives the pack that parsing gives, field for field", "[rules][pack]") {
  const RulePack parsed = RulePack::compile_builtin();
  const std::string bytes = encode_pack(parsed);
  REQUIRE(!bytes.empty());
  // The encoding writes every field; equal bytes mean equal packs.
  CHECK(encode_pack(RulePack::builtin()) == bytes);
  const auto decoded = decode_pack(bytes);
  REQUIRE(decoded);
  CHECK(encode_pack(*decoded) == bytes);
  // And the views point into the decoded pack's own rule texts.
  for (const auto& rule : decoded->rules()) {
    REQUIRE(rule->file != nullptr);
    CHECK(rule->source().rfind("rule " + rule->info.code, 0) == 0);
  }
  CHECK(decoded->infos().size() == parsed.infos().size());
}

TEST_CASE("compiled pack: bytes of another version, other rule texts or cut short are refused", "[rules][pack]") {
  const std::string bytes = encode_pack(RulePack::compile_builtin());
  REQUIRE(bytes.size() > 100);
  std::string version = bytes;
  version[8] = static_cast<char>(version[8] + 1);  // right after the magic
  CHECK_FALSE(decode_pack(version));
  std::string hash = bytes;
  // The first file's text hash sits after its path: flip a byte of the path's hash.
  const std::size_t path_length = static_cast<unsigned char>(bytes[16]);
  hash[20 + path_length] = static_cast<char>(hash[20 + path_length] ^ 0x5A);
  CHECK_FALSE(decode_pack(hash));
  for (std::size_t cut : {std::size_t{0}, std::size_t{7}, bytes.size() / 3, bytes.size() - 1}) {
    CHECK_FALSE(decode_pack(std::string_view(bytes).substr(0, cut)));
  }
  CHECK_FALSE(decode_pack(bytes + "x"));
  // Any damage: decoding refuses or reads something, never throws (and, in
  // the sanitizer run, never reads a bool or a length it should not).
  std::mt19937 random(7);
  for (int round = 0; round < 300; ++round) {
    std::string damaged = bytes;
    for (int k = 0; k < 3; ++k) damaged[random() % damaged.size()] = static_cast<char>(random() % 256);
    CHECK_NOTHROW(decode_pack(damaged));
  }
}
