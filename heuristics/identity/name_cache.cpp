#include "heuristics/identity/name_cache.hpp"

#include <algorithm>
#include <utility>

#include "heuristics/common/bounded_table.hpp"

namespace phonehome {

std::string normalise_name(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    name = name.substr(0, NameCache::kMaxName);
    std::string out(name);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

NameCache::NameCache(size_t max_addresses) : max_addresses_(std::max<size_t>(max_addresses, 16)) {}

void NameCache::clear() {
    entries_.clear();
    evicted_ = 0;
}

void NameCache::learn(const IpAddress &addr, std::string_view name, int64_t time_ns) {
    std::string norm = normalise_name(name);
    if (norm.empty()) return;
    auto it = entries_.find(addr);
    if (it == entries_.end()) {
        if (entries_.size() >= max_addresses_) evict_stale();
        it = entries_.emplace(addr, Entry{}).first;
    }
    Entry &e = it->second;
    e.last_learnt_ns = std::max(e.last_learnt_ns, time_ns);
    // The same name again keeps the time it was first learnt: it was already
    // known from then on.
    if (e.count > 0 && e.names[e.count - 1].name == norm) return;
    if (e.count == kHistory) {
        std::rotate(e.names.begin(), e.names.begin() + 1, e.names.end());
        e.count--;
    }
    e.names[e.count].time_ns = time_ns;
    e.names[e.count].name = std::move(norm);
    e.count++;
}

const std::string *NameCache::lookup(const IpAddress &addr, int64_t time_ns) const {
    auto it = entries_.find(addr);
    if (it == entries_.end()) return nullptr;
    const Entry &e = it->second;
    // Newest first; learning is in capture order, so the first one at or
    // before time_ns is the most recent.
    for (size_t i = e.count; i-- > 0;)
        if (e.names[i].time_ns <= time_ns) return &e.names[i].name;
    return nullptr;
}

// Forget the quarter of the addresses learnt least recently.
void NameCache::evict_stale() {
    evicted_ += evict_lowest_quarter(entries_, [](const Entry &e) { return e.last_learnt_ns; });
}

}  // namespace phonehome
