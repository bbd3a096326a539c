#include "heuristics/identity/name_history.hpp"

#include <algorithm>

namespace phonehome {

std::string normalise_name(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    name = name.substr(0, NameHistory::kMaxName);
    std::string out(name);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

size_t NameHistory::PairHash::operator()(const std::pair<IpAddress, IpAddress> &p) const noexcept {
    const IpAddressHash h;
    return h(p.first) * 0x9e3779b97f4a7c15ull ^ h(p.second);
}

void NameHistory::clear() {
    timelines_.clear();
    given_.clear();
    names_.clear();
    records_ = 0;
    dropped_ = 0;
}

void NameHistory::learn(const IpAddress &addr, std::string_view name, NameSource source, const IpAddress &device,
                        uint32_t frame) {
    std::string norm = normalise_name(name);
    if (norm.empty()) return;
    if (records_ >= max_records_) {
        ++dropped_;
        return;
    }
    const uint32_t id = names_.intern(std::move(norm));

    // The timeline (what remote_name() reads: asked-for names and SNI)
    // changes only when the address's latest name of this source does: a
    // name answered again and again costs nothing more.
    if (source != NameSource::DnsAlias) record_change(addr, id, source, frame);
    add_given(device, addr, id, source);
}

void NameHistory::record_change(const IpAddress &addr, uint32_t id, NameSource source, uint32_t frame) {
    std::vector<Change> &timeline = timelines_[addr];
    // Frames never decrease along a timeline (lookups rely on it), even if
    // a caller feeds them out of order.
    if (!timeline.empty()) frame = std::max(frame, timeline.back().frame);
    const Change *last = latest(timeline, UINT32_MAX, source);
    if (!last || last->name != id) {
        timeline.push_back(Change{frame, id, source});
        ++records_;
    }
}

void NameHistory::add_given(const IpAddress &device, const IpAddress &addr, uint32_t id, NameSource source) {
    std::vector<Given> &given = given_[{device, addr}];
    for (const Given &g : given)
        if (g.name == id && g.source == source) return;
    if (given.size() >= kMaxNamesGiven) {
        ++dropped_;
        return;
    }
    given.push_back(Given{id, source});
    ++records_;
}

const NameHistory::Change *NameHistory::latest(const std::vector<Change> &timeline, uint32_t frame,
                                               NameSource source) const {
    // Frames only grow along the timeline: skip the changes after `frame`,
    // then walk back to the latest of this source.
    auto end = std::upper_bound(timeline.begin(), timeline.end(), frame,
                                [](uint32_t f, const Change &c) { return f < c.frame; });
    while (end != timeline.begin()) {
        --end;
        if (end->source == source) return &*end;
    }
    return nullptr;
}

const std::string *NameHistory::remote_name(const IpAddress &addr, uint32_t frame) const {
    auto it = timelines_.find(addr);
    if (it == timelines_.end()) return nullptr;
    if (const Change *c = latest(it->second, frame, NameSource::Dns)) return &names_[c->name];
    if (const Change *c = latest(it->second, frame, NameSource::Sni)) return &names_[c->name];
    return nullptr;
}

std::vector<std::string> NameHistory::names_given(const IpAddress &device, const IpAddress &addr) const {
    std::vector<std::string> out;
    auto it = given_.find({device, addr});
    if (it == given_.end()) return out;
    for (NameSource source : {NameSource::Dns, NameSource::DnsAlias, NameSource::Sni})
        for (const Given &g : it->second)
            if (g.source == source && std::find(out.begin(), out.end(), names_[g.name]) == out.end())
                out.push_back(names_[g.name]);
    return out;
}

}  // namespace phonehome
