// Who each local device says it is, learnt from what it announces on the
// LAN: the host name and vendor class it gives DHCP (option 12 and 60), the
// host names it answers for over mDNS, LLMNR and NetBIOS, and the server
// string of its SSDP messages. The MAC's vendor is not here: that is
// Wireshark's manufacturer data, looked up by the glue.
//
// A device is known by its MAC where the frame has one (DHCP names a client
// by its hardware address before it has an IP address, and one MAC's IPv4 and
// IPv6 addresses are one device), else by its IP address. Lookups take both.
//
// Keyed by frame number like NameHistory: a lookup for frame F answers with
// what frames up to F announced, so every pass and the GUI agree with the
// first, in-order pass. Nothing is forgotten; past kMaxRecords further
// announcements are not learnt (counted in dropped()).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "heuristics/common/flat_table.hpp"
#include "heuristics/common/ip_address.hpp"
#include "heuristics/common/packet_facts.hpp"
#include "heuristics/common/string_pool.hpp"

namespace phonehome {

// What a device announced, in the order a name is preferred for the
// packet's label: the name it gives DHCP is the one the router lists.
enum class Announcement : uint8_t {
    DhcpName,
    MdnsName,
    NetbiosName,
    LlmnrName,
    DhcpVendorClass,
    SsdpServer,
};
inline constexpr size_t kAnnouncementKinds = 6;

class DeviceDirectory {
public:
    static constexpr size_t kMaxText = 255;
    static constexpr size_t kDefaultMaxRecords = size_t(1) << 20;

    explicit DeviceDirectory(size_t max_records = kDefaultMaxRecords) : max_records_(max_records) {}

    // Feed in capture order. `mac` null when the frame has none; then the
    // announcement belongs to `ip`. Text is cut to kMaxText and made
    // printable by the caller's reader; empty text is ignored.
    void learn(const MacAddress *mac, const IpAddress &ip, Announcement kind, std::string_view text, uint32_t frame);
    // DHCP names a client by its MAC alone (it may have no address yet).
    void learn(const MacAddress &mac, Announcement kind, std::string_view text, uint32_t frame);

    // `ip` sent a frame from `mac` (a local device's own frames): the
    // address is that MAC's from this frame on, until another MAC sends
    // from it. Cheap when nothing changed (the common case: called on every
    // frame a device sends).
    void bind(const IpAddress &ip, const MacAddress &mac, uint32_t frame);
    // Whether `ip` is one of `mac`'s own addresses at `frame`: the last MAC
    // that sent from it, up to the frame, is `mac`.
    bool owns(const MacAddress &mac, const IpAddress &ip, uint32_t frame) const;
    // The MAC that last sent from `ip` up to `frame`, or nullptr. Valid
    // until the next bind() or clear().
    const MacAddress *mac_of(const IpAddress &ip, uint32_t frame) const;

    // A packet's labels at `frame`: the device's name (latest DHCP name, else
    // mDNS, else NetBIOS, else LLMNR), DHCP vendor class and SSDP server;
    // nullptr where none. Valid until the next learn() or clear().
    struct Labels {
        const std::string *name = nullptr;
        const std::string *vendor_class = nullptr;
        const std::string *ssdp_server = nullptr;
    };
    Labels labels(const MacAddress *mac, const IpAddress &ip, uint32_t frame) const;

    // Everything the device announced over the capture, for the reports:
    // every distinct name (any protocol, case-insensitively distinct, in the
    // order first announced), the latest vendor class, every SSDP server.
    struct Identity {
        std::string name;  // what labels() gives the last frame: the name to call it by
        std::vector<std::string> names;
        std::string vendor_class;
        std::vector<std::string> ssdp_servers;
    };
    Identity identity(const MacAddress *mac, const IpAddress &ip) const;

    size_t records() const { return records_; }
    uint64_t dropped() const { return dropped_; }
    void clear();

private:
    struct Change {
        uint32_t frame;
        uint32_t text;  // id in texts_
        Announcement kind;
    };
    using Timeline = std::vector<Change>;
    struct MacHash {
        size_t operator()(const MacAddress &m) const noexcept;
    };

    void add(Timeline &timeline, Announcement kind, std::string_view text, uint32_t frame);
    const Timeline *find(const MacAddress *mac) const;
    const Timeline *find(const IpAddress &ip) const;
    // The latest change of `kind` at or before `frame` in either timeline.
    const Change *latest(const Timeline *a, const Timeline *b, Announcement kind, uint32_t frame) const;

    size_t max_records_;
    size_t records_ = 0;
    uint64_t dropped_ = 0;
    std::unordered_map<MacAddress, Timeline, MacHash> by_mac_;
    std::unordered_map<IpAddress, Timeline, IpAddressHash> by_ip_;
    struct Binding {
        uint32_t frame;
        MacAddress mac;
    };
    // An address's MACs in frame order: almost always one, kept inline (a
    // flood from a million local addresses makes a million histories).
    struct Bindings {
        Binding first{};
        std::vector<Binding> later;
        size_t size() const { return 1 + later.size(); }
        const Binding &operator[](size_t i) const { return i == 0 ? first : later[i - 1]; }
        const Binding &back() const { return later.empty() ? first : later.back(); }
    };
    FlatTable<IpAddress, Bindings, IpAddressHash> bindings_;
    // The last binding seen per hash slot, so a device's every frame costs a
    // compare, not a map lookup.
    struct RecentBinding {
        IpAddress ip;
        MacAddress mac;
        bool valid = false;
    };
    std::array<RecentBinding, 256> recent_{};
    StringPool texts_;
};

}  // namespace phonehome
