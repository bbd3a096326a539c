#include "heuristics/identity/device_directory.hpp"

#include <algorithm>

namespace phonehome {

namespace {

bool same_ignoring_case(const std::string &a, const std::string &b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

bool is_name(Announcement kind) {
    return kind == Announcement::DhcpName || kind == Announcement::MdnsName || kind == Announcement::NetbiosName ||
           kind == Announcement::LlmnrName;
}

}  // namespace

size_t DeviceDirectory::MacHash::operator()(const MacAddress &m) const noexcept {
    uint64_t v = 0;
    for (uint8_t b : m) v = v << 8 | b;
    return size_t(v * 0x9e3779b97f4a7c15ull);
}

void DeviceDirectory::clear() {
    by_mac_.clear();
    by_ip_.clear();
    bindings_.clear();
    recent_ = {};
    texts_.clear();
    records_ = 0;
    dropped_ = 0;
}

void DeviceDirectory::learn(const MacAddress *mac, const IpAddress &ip, Announcement kind, std::string_view text,
                            uint32_t frame) {
    if (mac)
        add(by_mac_[*mac], kind, text, frame);
    else
        add(by_ip_[ip], kind, text, frame);
}

void DeviceDirectory::learn(const MacAddress &mac, Announcement kind, std::string_view text, uint32_t frame) {
    add(by_mac_[mac], kind, text, frame);
}

void DeviceDirectory::add(Timeline &timeline, Announcement kind, std::string_view text, uint32_t frame) {
    text = text.substr(0, kMaxText);
    if (text.empty()) return;
    // Announced again (every mDNS probe, every DHCP renewal): nothing new.
    for (auto it = timeline.rbegin(); it != timeline.rend(); ++it)
        if (it->kind == kind) {
            if (texts_[it->text] == text) return;
            break;
        }
    if (records_ >= max_records_) {
        ++dropped_;
        return;
    }
    // Frames never decrease along a timeline (lookups rely on it).
    if (!timeline.empty()) frame = std::max(frame, timeline.back().frame);
    timeline.push_back(Change{frame, texts_.intern(std::string(text)), kind});
    ++records_;
}

void DeviceDirectory::bind(const IpAddress &ip, const MacAddress &mac, uint32_t frame) {
    const size_t hash = IpAddressHash()(ip);  // once for both lookups
    RecentBinding &slot = recent_[hash & (recent_.size() - 1)];
    if (slot.valid && slot.mac == mac && slot.ip == ip) return;
    auto it = bindings_.find(ip, hash);
    if (it == bindings_.end() || it->second.back().mac != mac) {
        if (records_ >= max_records_) {
            ++dropped_;
            return;
        }
        if (it == bindings_.end()) {
            bindings_.emplace(ip, Bindings{Binding{frame, mac}, {}}, hash);
        } else {
            frame = std::max(frame, it->second.back().frame);
            it->second.later.push_back(Binding{frame, mac});
        }
        ++records_;
    }
    slot = RecentBinding{ip, mac, true};
}

bool DeviceDirectory::owns(const MacAddress &mac, const IpAddress &ip, uint32_t frame) const {
    const MacAddress *owner = mac_of(ip, frame);
    return owner && *owner == mac;
}

const MacAddress *DeviceDirectory::mac_of(const IpAddress &ip, uint32_t frame) const {
    auto it = bindings_.find(ip);
    if (it == bindings_.end()) return nullptr;
    const Bindings &history = it->second;
    // The last binding at or before the frame.
    size_t lo = 0, hi = history.size();
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (history[mid].frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? nullptr : &history[lo - 1].mac;
}

const DeviceDirectory::Timeline *DeviceDirectory::find(const MacAddress *mac) const {
    if (!mac) return nullptr;
    auto it = by_mac_.find(*mac);
    return it == by_mac_.end() ? nullptr : &it->second;
}

const DeviceDirectory::Timeline *DeviceDirectory::find(const IpAddress &ip) const {
    auto it = by_ip_.find(ip);
    return it == by_ip_.end() ? nullptr : &it->second;
}

const DeviceDirectory::Change *DeviceDirectory::latest(const Timeline *a, const Timeline *b, Announcement kind,
                                                       uint32_t frame) const {
    const Change *best = nullptr;
    for (const Timeline *t : {a, b}) {
        if (!t) continue;
        auto end = std::upper_bound(t->begin(), t->end(), frame,
                                    [](uint32_t f, const Change &c) { return f < c.frame; });
        while (end != t->begin()) {
            --end;
            if (end->kind != kind) continue;
            if (!best || end->frame > best->frame) best = &*end;
            break;
        }
    }
    return best;
}

DeviceDirectory::Labels DeviceDirectory::labels(const MacAddress *mac, const IpAddress &ip, uint32_t frame) const {
    Labels out;
    const Timeline *by_mac = find(mac), *by_ip = find(ip);
    if (!by_mac && !by_ip) return out;
    for (Announcement kind : {Announcement::DhcpName, Announcement::MdnsName, Announcement::NetbiosName,
                              Announcement::LlmnrName})
        if (const Change *c = latest(by_mac, by_ip, kind, frame)) {
            out.name = &texts_[c->text];
            break;
        }
    if (const Change *c = latest(by_mac, by_ip, Announcement::DhcpVendorClass, frame))
        out.vendor_class = &texts_[c->text];
    if (const Change *c = latest(by_mac, by_ip, Announcement::SsdpServer, frame)) out.ssdp_server = &texts_[c->text];
    return out;
}

DeviceDirectory::Identity DeviceDirectory::identity(const MacAddress *mac, const IpAddress &ip) const {
    Identity out;
    if (const std::string *label = labels(mac, ip, UINT32_MAX).name) out.name = *label;
    const Timeline *by_mac = find(mac), *by_ip = find(ip);
    // Both timelines in frame order, as one.
    std::vector<const Change *> changes;
    for (const Timeline *t : {by_mac, by_ip})
        if (t)
            for (const Change &c : *t) changes.push_back(&c);
    std::stable_sort(changes.begin(), changes.end(), [](const Change *a, const Change *b) { return a->frame < b->frame; });
    for (const Change *c : changes) {
        const std::string &text = texts_[c->text];
        if (is_name(c->kind)) {
            if (std::none_of(out.names.begin(), out.names.end(),
                             [&](const std::string &n) { return same_ignoring_case(n, text); }))
                out.names.push_back(text);
        } else if (c->kind == Announcement::DhcpVendorClass) {
            out.vendor_class = text;
        } else if (std::find(out.ssdp_servers.begin(), out.ssdp_servers.end(), text) == out.ssdp_servers.end()) {
            out.ssdp_servers.push_back(text);
        }
    }
    return out;
}

}  // namespace phonehome
