#include "base/source.hpp"

namespace kpilint {

SourceFile::SourceFile(std::string path_in, std::string text_in)
    : path(std::move(path_in)), text(std::move(text_in)), lines(text) {}

}  // namespace kpilint
