// Interned strings: each distinct string is stored once and named by a
// 32-bit id, so per-frame and per-flow records stay small. Grows only; the
// owners bound how many strings they add.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace phonehome {

class StringPool {
public:
    uint32_t intern(std::string &&s) {
        auto it = ids_.find(s);
        if (it != ids_.end()) return it->second;
        const uint32_t id = uint32_t(strings_.size());
        strings_.push_back(s);
        ids_.emplace(std::move(s), id);
        return id;
    }
    const std::string &operator[](uint32_t id) const { return strings_[id]; }
    size_t size() const { return strings_.size(); }
    void clear() {
        strings_.clear();
        ids_.clear();
    }

private:
    std::vector<std::string> strings_;
    std::unordered_map<std::string, uint32_t> ids_;
};

}  // namespace phonehome
