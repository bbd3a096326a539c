// The heartbeat engine, the dead-cloud tracker, the name history and the
// device directory, driven by a
// stream of operations decoded from the input: packets of a few series (so
// series form, break and repeat), SYNs and answers, names learnt and looked up,
// with clocks that jump, stall and go backwards, and small tables so eviction
// runs. Nothing may crash, the verdicts must keep their promises, and the
// tables must stay bounded.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include "heuristics/detectors/dead_cloud.hpp"
#include "heuristics/detectors/heartbeat/heartbeat_tracker.hpp"
#include "heuristics/identity/device_directory.hpp"
#include "heuristics/identity/name_history.hpp"

using namespace phonehome;

namespace {
constexpr size_t kHeader = 8;
constexpr size_t kRecord = 6;
constexpr int64_t kMs = 1'000'000;

HeartbeatConfig decode_config(const uint8_t *h) {
    HeartbeatConfig c;
    c.min_period_ns = int64_t(1 + h[0]) * 50 * kMs;             // 50 ms .. 12.8 s
    c.retry_floor_ns = h[0] & 1 ? 0 : c.retry_floor_ns;         // sanitised to 1 ms
    c.max_period_ns = c.min_period_ns * int64_t(1 + h[1]) * 4;   // up to ~3.6 h
    c.min_intervals = h[2] % 20;                                 // sanitised to 2..16
    c.tolerance = h[3] / 400.0;
    c.establish_tolerance = h[4] / 500.0;
    c.establish_growth = (h[5] & 0x0F) / 100.0;
    c.max_tolerance = 0.1 + (h[5] >> 4) / 40.0;
    c.max_missed = h[6] % 10;
    c.max_extras = h[6] >> 4;
    c.max_series = 16 + h[7] % 48;
    return c;
}

IpAddress address(uint8_t sel, bool local) {
    if (sel & 0x40) {
        uint8_t v6[16] = {uint8_t(local ? 0xfd : 0x26), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, uint8_t(sel & 0x3F)};
        return IpAddress::v6(v6);
    }
    return local ? IpAddress::v4(192, 168, 1, uint8_t(sel & 0x0F)) : IpAddress::v4(52, 28, 0, uint8_t(sel & 0x3F));
}

void check(bool ok) {
    if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < kHeader) return 0;
    HeartbeatTracker heartbeats(decode_config(data));
    const HeartbeatConfig &cfg = heartbeats.config();
    DeadCloudTracker dead(16 + data[7] % 32);
    const size_t max_records = 16 + data[6] % 32;
    NameHistory names(max_records);
    DeviceDirectory directory(max_records);
    // The first frame at which each of the 128 fuzz remotes had a name
    // learnt, to check lookups are causal. Frames only grow (capture order).
    uint32_t first_learnt[128];
    for (auto &f : first_learnt) f = std::numeric_limits<uint32_t>::max();
    uint32_t frame = 0;

    int64_t clock = 0;
    for (size_t off = kHeader; off + kRecord <= size; off += kRecord) {
        const uint8_t *r = data + off;
        // Time: a step of up to 65535 units of 1 ms, 100 ms or 1 s, or backwards.
        static const int64_t units[4] = {kMs, 100 * kMs, 1000 * kMs, -100 * kMs};
        clock += int64_t(r[1] << 8 | r[2]) * units[r[0] >> 6];
        frame += r[2] & 0x03;
        const uint8_t remote_idx = r[3] >> 1;  // 128 remotes, half of them IPv6
        const IpAddress device = address(uint8_t((r[3] & 0x01) | (r[0] & 0x08 ? 0x40 : 0)), true);
        const IpAddress remote = address(remote_idx, false);
        const uint16_t port = uint16_t(r[4] & 0x07);

        switch ((r[0] >> 4) & 0x03) {
        case 0: {
            FlowKey flow{device, remote, uint16_t(40000 + port), 443};
            const Direction dir = (r[4] & 0x08) ? Direction::Inbound : Direction::Outbound;
            SeriesKey key = (r[4] & 0x10) ? SeriesKey::by_message(flow, Transport::Udp, dir, r[5] & 0x03)
                                          : SeriesKey::by_size(flow, Transport::Tcp, dir, uint32_t(r[5]) * 37);
            // TCP segments carry sequence numbers that repeat (retransmissions),
            // advance and jump.
            const uint32_t len = uint32_t(r[5]) * 37;
            const auto seq = key.transport == Transport::Tcp
                                 ? std::optional<uint32_t>(uint32_t(r[1] << 8 | r[2]) * 97 + uint32_t(r[0] & 0x07) * 0x40000000u)
                                 : std::nullopt;
            const auto v = heartbeats.on_packet(key, clock, len, seq);
            if (v.retransmission) check(!v.in_series);
            if (v.in_series) {
                const double p_ns = v.period_s * 1e9;
                check(p_ns >= double(cfg.min_period_ns) * (1 - 1e-9) && p_ns <= double(cfg.max_period_ns) * (1 + 1e-9));
                check(v.count >= cfg.min_intervals + 1);
                check(std::isfinite(v.jitter_s) && v.jitter_s >= 0);
            } else {
                check(!v.established_now && v.count == 0 && v.period_s == 0);
            }
            if (v.established_now) check(v.missed == 0 && v.count <= HeartbeatTracker::kWindow + 1);
            check(heartbeats.series() <= cfg.max_series);
            break;
        }
        case 1: {
            const auto a = dead.on_syn(device, uint16_t(40000 + port), remote, uint16_t(443 + (r[4] >> 6)), clock);
            check(a.attempt >= 1);
            if (a.dead) check(a.attempt >= DeadCloudTracker::kDeadAttempt && a.since_first_ns >= DeadCloudTracker::kMinRetryNs);
            check(a.since_first_ns >= 0);
            check(dead.services() <= 16 + size_t(data[7] % 32));
            break;
        }
        case 2:
            if (r[4] & 0x20)
                dead.on_alive(device, remote, uint16_t(443 + (r[4] >> 6)), clock);
            else
                dead.on_alive_if_waiting(device, remote, uint16_t(443 + (r[4] >> 6)), clock);
            break;
        case 3: {
            const uint8_t idx = remote_idx;
            const IpAddress &addr = remote;
            if (r[0] & 0x04) {
                // The device directory: bindings, announcements, lookups.
                const MacAddress mac = {0x02, 0, 0, 0, uint8_t(r[3] & 0x07), uint8_t(r[5] & 0x03)};
                const IpAddress local = address(uint8_t(r[3] & 0x3f), true);
                std::string text(size_t(r[5] >> 2) * 9, 'x');
                for (size_t i = 0; i < text.size(); ++i) text[i] = char("Ab.c-_ 9"[(i + r[4]) % 8]);
                switch (r[4] & 0x03) {
                case 0: directory.bind(local, mac, frame); break;
                case 1: directory.learn(&mac, local, Announcement(r[4] % kAnnouncementKinds), text, frame); break;
                case 2: directory.learn(mac, Announcement(r[4] % kAnnouncementKinds), text, frame); break;
                default: {
                    const auto l = directory.labels((r[4] & 0x04) ? &mac : directory.mac_of(local, frame), local, frame / 2 + 1);
                    for (const std::string *t : {l.name, l.vendor_class, l.ssdp_server})
                        check(!t || (!t->empty() && t->size() <= DeviceDirectory::kMaxText));
                    const auto id = directory.identity(&mac, local);
                    for (const std::string &n : id.names) check(!n.empty() && n.size() <= DeviceDirectory::kMaxText);
                    if (directory.owns(mac, local, frame)) check(*directory.mac_of(local, frame) == mac);
                }
                }
                check(directory.records() <= max_records);
                break;
            }
            if (r[4] & 0x80) {
                std::string name(size_t(r[5]) * 4, 'a');
                for (size_t i = 0; i < name.size(); ++i) name[i] = char("Ab.c-"[(i + r[4]) % 5]);
                const NameSource source = NameSource(r[4] % 3);
                names.learn(addr, name, source, device, frame);
                if (names.remote_name(addr, frame) && frame < first_learnt[idx]) first_learnt[idx] = frame;
            } else {
                // Now, and as a later pass would ask about an earlier frame:
                // never a name learnt after the frame asked about.
                for (uint32_t at : {frame, frame / 2}) {
                    const std::string *n = names.remote_name(addr, at);
                    if (!n) continue;
                    check(!n->empty() && n->size() <= NameHistory::kMaxName);
                    check(first_learnt[idx] <= at);
                }
                for (const std::string &given : names.names_given(device, addr))
                    check(!given.empty() && given.size() <= NameHistory::kMaxName);
                check(names.names_given(device, addr).size() <= kMaxNamesGiven);
            }
            check(names.records() <= max_records + 1);
            break;
        }
        }
    }
    return 0;
}
