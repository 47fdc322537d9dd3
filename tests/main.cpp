// The Catch2 v2 main, in a translation unit of its own so test files compile fast.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
