#pragma once
// Files compiled into the binary (migrations, reference data), by repository-relative path.
#include <optional>
#include <string_view>
#include <vector>

namespace dure::embedded {

struct File {
    std::string_view path;
    std::string_view text;
};

// Every embedded file, in path order.
const std::vector<File>& files();

// The text of one embedded file, if it exists.
inline std::optional<std::string_view> find(std::string_view path) {
    for (const auto& f : files())
        if (f.path == path) return f.text;
    return std::nullopt;
}

}  // namespace dure::embedded
