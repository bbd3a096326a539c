// Microbenchmarks (Google Benchmark) of the phonehome core's per-packet cost,
// free of Wireshark: Analyzer::analyze on a realistic home-network stream of
// PacketFacts, and the Kalay / PPPP parsers the heuristic dissectors run on
// UDP datagrams, on messages they claim and on random payloads they reject.
//
//   build-bench/bench/phonehome_core_bench [--benchmark_filter=Analyze]
//
// The stream mirrors bench/generate_mix.py's mix: bulk TCP (video, downloads,
// uploads: MSS data segments and ACKs) dominates, then web connections with
// their handshakes, DNS (learnt names), NTP, MQTT and TLS keepalives, Kalay and
// PPPP logins and live views, a doorbell's datagrams to port 1, LAN traffic and
// multicast. It is synthesised from a fixed seed, so every run sees the same
// packets.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "heuristics/analyzer.hpp"
#include "heuristics/detectors/p2p/kalay.hpp"
#include "heuristics/detectors/p2p/kalay_scrambler.hpp"
#include "heuristics/detectors/p2p/pppp.hpp"
#include "heuristics/detectors/p2p/pppp_cipher.hpp"

using namespace phonehome;

namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;

IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) { return IpAddress::v4(a, b, c, d); }

struct Event {
    PacketFacts p;
    // Learnt before the packet is analysed, as the glue does for DNS answers
    // and TLS ClientHellos: 0 none, 1 DNS name, 2 SNI.
    int learn = 0;
    IpAddress learn_addr{};
    std::string name{};

    Event() = default;
    explicit Event(const PacketFacts &facts) : p(facts) {}
};

class StreamBuilder {
public:
    explicit StreamBuilder(uint32_t seed) : rng_(seed) {}

    std::vector<Event> build(size_t packets) {
        // Devices 192.168.1.10.., remotes in a handful of cloud /16s.
        const int64_t span = 1800 * kSec;  // 200k packets in 30 min, about the capture's density
        // Background, by the clock.
        for (int d = 0; d < 40; ++d) {
            IpAddress dev = v4(192, 168, 1, static_cast<uint8_t>(10 + d));
            periodic_ntp(dev, span);
            multicast(dev, span);
        }
        for (int d = 0; d < 12; ++d) mqtt_keepalive(v4(192, 168, 1, static_cast<uint8_t>(60 + d)), span);
        for (int d = 0; d < 10; ++d) tls_keepalive(v4(192, 168, 1, static_cast<uint8_t>(80 + d)), span);
        for (int c = 0; c < 2; ++c) kalay_login(v4(192, 168, 1, static_cast<uint8_t>(47 + c)), span);
        for (int c = 0; c < 2; ++c) pppp_login(v4(192, 168, 1, static_cast<uint8_t>(52 + c)), span);
        doorbell(v4(192, 168, 1, 20), span);
        lan_smb(span);
        // Bulk and web fill the rest: ~70% bulk, ~25% web, a few P2P live views.
        for (int k = 0; k < 6; ++k) p2p_view(span);
        while (events_.size() < packets) {
            if (uni(0, 99) < 74)
                bulk(span);
            else
                web(span);
        }
        std::stable_sort(events_.begin(), events_.end(),
                         [](const Event &a, const Event &b) { return a.p.time_ns < b.p.time_ns; });
        events_.resize(packets);
        uint32_t n = 0;
        for (auto &e : events_) {
            e.p.frame_number = ++n;
            e.p.rel_time_ns = e.p.time_ns;
        }
        return std::move(events_);
    }

private:
    std::mt19937_64 rng_;
    std::vector<Event> events_;

    int64_t uni(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }
    IpAddress remote() {
        static const uint8_t prefixes[][2] = {{173, 194}, {45, 57}, {23, 55}, {151, 101}, {142, 250},
                                              {52, 94},   {104, 18}, {157, 240}, {17, 253}, {3, 5}};
        const auto &pf = prefixes[uni(0, 9)];
        return v4(pf[0], pf[1], static_cast<uint8_t>(uni(0, 255)), static_cast<uint8_t>(uni(1, 254)));
    }
    IpAddress device() { return v4(192, 168, 1, static_cast<uint8_t>(uni(10, 59))); }

    PacketFacts base(const IpAddress &src, const IpAddress &dst, Transport t, uint16_t sp, uint16_t dp, int64_t time,
                     uint32_t payload) {
        PacketFacts p;
        p.time_ns = time;
        p.src = src;
        p.dst = dst;
        p.transport = t;
        p.src_port = sp;
        p.dst_port = dp;
        p.payload_len = payload;
        p.frame_len = 14 + 20 + (t == Transport::Tcp ? 20 : 8) + payload;
        if (src.is_v4() && src.bytes[0] == 192) {
            p.has_src_mac = true;
            p.src_mac = {0x02, 0x00, 0x00, 0x00, 0x01, src.bytes[3]};
        }
        return p;
    }
    void add(PacketFacts p) { events_.push_back(Event{std::move(p)}); }
    void tcp(const IpAddress &s, const IpAddress &d, uint16_t sp, uint16_t dp, int64_t t, uint16_t flags,
             uint32_t payload) {
        PacketFacts p = base(s, d, Transport::Tcp, sp, dp, t, payload);
        p.tcp_flags = flags;
        add(p);
    }
    void udp(const IpAddress &s, const IpAddress &d, uint16_t sp, uint16_t dp, int64_t t, uint32_t payload) {
        add(base(s, d, Transport::Udp, sp, dp, t, payload));
    }
    uint16_t eph() { return static_cast<uint16_t>(uni(49152, 65535)); }

    void dns(const IpAddress &dev, const IpAddress &addr, const std::string &name, int64_t t) {
        IpAddress resolver = uni(0, 3) ? v4(192, 168, 1, 1) : v4(1, 1, 1, 1);
        uint16_t port = eph();
        udp(dev, resolver, port, 53, t, 30 + static_cast<uint32_t>(name.size()));
        Event e{base(resolver, dev, Transport::Udp, 53, port, t + 12 * kMs, 46 + static_cast<uint32_t>(name.size()))};
        e.learn = 1;
        e.learn_addr = addr;
        e.name = name;
        events_.push_back(std::move(e));
    }
    int64_t handshake(const IpAddress &dev, const IpAddress &srv, uint16_t cp, uint16_t sp, int64_t t, int64_t rtt,
                      const std::string &sni) {
        using namespace tcp_flag;
        tcp(dev, srv, cp, sp, t, kSyn, 0);
        tcp(srv, dev, sp, cp, t + rtt, kSyn | kAck, 0);
        tcp(dev, srv, cp, sp, t + rtt + 60'000, kAck, 0);
        Event e{base(dev, srv, Transport::Tcp, cp, sp, t + rtt + 200'000, 517)};
        e.p.tcp_flags = kAck | kPsh;
        e.learn = 2;
        e.learn_addr = srv;
        e.name = sni;
        events_.push_back(std::move(e));
        return t + 2 * rtt;
    }
    void bulk(int64_t span) {
        using namespace tcp_flag;
        IpAddress dev = device(), srv = remote();
        uint16_t cp = eph();
        int64_t t = uni(0, span - 60 * kSec), rtt = uni(5, 40) * kMs;
        dns(dev, srv, "rr" + std::to_string(uni(1, 9)) + "---sn-4g5e6nzz.googlevideo.com", t);
        t = handshake(dev, srv, cp, 443, t + 30 * kMs, rtt, "rr1---sn-4g5e6nzz.googlevideo.com");
        bool upload = uni(0, 9) == 0;
        int chunks = static_cast<int>(uni(3, 40));
        for (int c = 0; c < chunks; ++c) {
            tcp(dev, srv, cp, 443, t, kAck | kPsh, static_cast<uint32_t>(uni(300, 700)));
            int segs = static_cast<int>(uni(40, 400));
            int64_t gap = uni(120, 800) * 1000;
            for (int s = 0; s < segs; ++s) {
                if (upload)
                    tcp(dev, srv, cp, 443, t + s * gap, kAck, 1448);
                else
                    tcp(srv, dev, 443, cp, t + s * gap, kAck, 1448);
                if (s & 1) {
                    if (upload)
                        tcp(srv, dev, 443, cp, t + s * gap + rtt, kAck, 0);
                    else
                        tcp(dev, srv, cp, 443, t + s * gap + 40'000, kAck, 0);
                }
            }
            t += 4 * kSec;
        }
        tcp(dev, srv, cp, 443, t, kFin | kAck, 0);
        tcp(srv, dev, 443, cp, t + rtt, kFin | kAck, 0);
        tcp(dev, srv, cp, 443, t + rtt + 50'000, kAck, 0);
    }
    void web(int64_t span) {
        using namespace tcp_flag;
        IpAddress dev = device(), srv = remote();
        uint16_t cp = eph();
        int64_t t = uni(0, span - 60 * kSec), rtt = uni(8, 60) * kMs;
        dns(dev, srv, "www.example" + std::to_string(uni(1, 200)) + ".com", t);
        t = handshake(dev, srv, cp, 443, t + 30 * kMs, rtt, "www.example.com");
        int reqs = static_cast<int>(uni(1, 20));
        for (int r = 0; r < reqs; ++r) {
            tcp(dev, srv, cp, 443, t, kAck | kPsh, static_cast<uint32_t>(uni(120, 900)));
            int segs = static_cast<int>(uni(1, 40));
            for (int s = 0; s < segs; ++s) {
                tcp(srv, dev, 443, cp, t + rtt + s * 300'000, kAck, 1448);
                if (s & 1) tcp(dev, srv, cp, 443, t + rtt + s * 300'000 + 40'000, kAck, 0);
            }
            t += rtt + segs * 300'000 + uni(50, 3000) * kMs;
        }
        tcp(dev, srv, cp, 443, t, kFin | kAck, 0);
        tcp(srv, dev, 443, cp, t + rtt, kFin | kAck, 0);
    }
    void periodic_ntp(const IpAddress &dev, int64_t span) {
        IpAddress srv = v4(162, 159, 200, 123);
        uint16_t port = eph();
        for (int64_t t = uni(0, 60 * kSec); t < span; t += 300 * kSec) {
            udp(dev, srv, port, 123, t, 48);
            udp(srv, dev, 123, port, t + 20 * kMs, 48);
        }
    }
    void multicast(const IpAddress &dev, int64_t span) {
        for (int64_t t = uni(0, 120 * kSec); t < span; t += uni(30, 210) * kSec) {
            PacketFacts p = base(dev, v4(224, 0, 0, 251), Transport::Udp, 5353, 5353, t, 40);
            p.dst_link_group = true;
            add(p);
        }
    }
    void mqtt_keepalive(const IpAddress &dev, int64_t span) {
        using namespace tcp_flag;
        IpAddress broker = v4(18, 185, static_cast<uint8_t>(uni(0, 255)), 7);
        uint16_t cp = eph();
        int64_t rtt = 30 * kMs;
        PacketFacts c = base(dev, broker, Transport::Tcp, cp, 1883, uni(0, 30 * kSec), 40);
        c.tcp_flags = kAck | kPsh;
        c.has_mqtt_type = true;
        c.mqtt_type = 1;
        c.has_mqtt_keepalive = true;
        c.mqtt_keepalive_s = 60;
        add(c);
        for (int64_t t = c.time_ns + 60 * kSec; t < span; t += 60 * kSec + uni(-200, 200) * kMs) {
            PacketFacts q = base(dev, broker, Transport::Tcp, cp, 1883, t, 2);
            q.tcp_flags = kAck | kPsh;
            q.has_mqtt_type = true;
            q.mqtt_type = 12;
            add(q);
            PacketFacts r = base(broker, dev, Transport::Tcp, 1883, cp, t + rtt, 2);
            r.tcp_flags = kAck | kPsh;
            r.has_mqtt_type = true;
            r.mqtt_type = 13;
            add(r);
            tcp(dev, broker, cp, 1883, t + rtt + 60'000, kAck, 0);
        }
    }
    void tls_keepalive(const IpAddress &dev, int64_t span) {
        using namespace tcp_flag;
        IpAddress srv = remote();
        uint16_t cp = eph();
        int64_t period = uni(30, 90) * kSec, rtt = 40 * kMs;
        for (int64_t t = uni(0, 60 * kSec); t < span; t += period + uni(-5000, 5000) * kMs) {
            tcp(dev, srv, cp, 443, t, kAck | kPsh, 53);
            tcp(srv, dev, 443, cp, t + rtt, kAck | kPsh, 57);
            tcp(dev, srv, cp, 443, t + rtt + 50'000, kAck, 0);
        }
    }
    PacketFacts p2p(const IpAddress &s, const IpAddress &d, uint16_t sp, uint16_t dp, int64_t t, uint32_t len,
                    P2pPlatform platform, uint32_t code, const char *name, const char *uid) {
        PacketFacts p = base(s, d, Transport::Udp, sp, dp, t, len);
        p.p2p.platform = platform;
        p.p2p.role = platform == P2pPlatform::Kalay ? kalay_role(code) : pppp_role(static_cast<uint8_t>(code));
        p.p2p.code = code;
        p.p2p.name = name;
        if (uid) p.p2p.set_uid(uid);
        return p;
    }
    void kalay_login(const IpAddress &cam, int64_t span) {
        IpAddress master = v4(50, 19, 254, 134);
        for (int64_t t = uni(0, 40 * kSec); t < span; t += uni(38, 42) * kSec) {
            add(p2p(cam, master, 23781, 10240, t, 44, P2pPlatform::Kalay, kKalayGetPublicIp, "get public IP",
                    "HXKTZ3N7WB8CD9EF2GP4"));
            add(p2p(master, cam, 10240, 23781, t + 100 * kMs, 44, P2pPlatform::Kalay, 0x081018, "Unknown", nullptr));
        }
    }
    void pppp_login(const IpAddress &cam, int64_t span) {
        IpAddress srv = v4(47, 254, 13, 48);
        for (int64_t t = uni(0, 20 * kSec); t < span; t += uni(16, 19) * kSec) {
            add(p2p(cam, srv, 40117, 32100, t, 44, P2pPlatform::Pppp, 0x10, "DEV_LGN", "VSTC-481922-LKMNP"));
            add(p2p(srv, cam, 32100, 40117, t + 80 * kMs, 8, P2pPlatform::Pppp, 0x11, "DEV_LGN_ACK", nullptr));
        }
    }
    void p2p_view(int64_t span) {
        IpAddress cam = v4(192, 168, 1, 47), phone = v4(37, 120, static_cast<uint8_t>(uni(0, 255)), 9);
        int64_t t = uni(0, span - 300 * kSec), end = t + uni(30, 240) * kSec;
        for (; t < end; t += 300 * kMs) {
            add(p2p(phone, cam, 40000, 23781, t, 40, P2pPlatform::Kalay, kKalayDataToDevice, "session data", nullptr));
            for (int k = 0; k < 10; ++k)
                add(p2p(cam, phone, 23781, 40000, t + 100 * kMs + k * 15 * kMs, 900, P2pPlatform::Kalay,
                        kKalayDataToClient, "session data", nullptr));
        }
    }
    void doorbell(const IpAddress &dev, int64_t span) {
        IpAddress cloud = v4(106, 13, 0, 1);
        for (int64_t t = 30 * kSec; t < span; t += uni(63, 900) * kSec)
            for (int k = 0; k < uni(1, 5); ++k) udp(dev, cloud, 51506, 1, t + k * 100 * kMs, 172);
    }
    void lan_smb(int64_t span) {
        using namespace tcp_flag;
        IpAddress laptop = v4(192, 168, 1, 11), nas = v4(192, 168, 1, 40);
        for (int64_t t = 0; t < span; t += 30 * kSec) {
            tcp(laptop, nas, 50000, 445, t, kAck | kPsh, 72);
            tcp(nas, laptop, 445, 50000, t + 300'000, kAck | kPsh, 72);
        }
    }
};

const std::vector<Event> &stream() {
    static const std::vector<Event> events = StreamBuilder(20240601).build(200'000);
    return events;
}

void run_stream(benchmark::State &state, const std::vector<const Event *> &events) {
    size_t findings = 0;
    for (auto _ : state) {
        Analyzer analyzer;
        for (const Event *e : events) {
            if (e->learn == 1)
                analyzer.learn_name(e->learn_addr, e->name, NameSource::Dns, e->p.dst, e->p.frame_number);
            if (e->learn == 2)
                analyzer.learn_name(e->learn_addr, e->name, NameSource::Sni, e->p.src, e->p.frame_number);
            Verdict v = analyzer.analyze(e->p);
            findings += v.findings != 0;
            if (v.roles.phonehome) benchmark::DoNotOptimize(analyzer.remote_name(v.roles.remote, e->p.frame_number));
            benchmark::DoNotOptimize(v);
        }
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events.size()));
    state.counters["ns_per_packet"] = benchmark::Counter(static_cast<double>(state.iterations() * events.size()),
                                                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["flagged_share"] =
        static_cast<double>(findings) / static_cast<double>(std::max<size_t>(1, state.iterations() * events.size()));
}

// The whole mixed stream, as the postdissector sees it (names learnt included).
void BM_AnalyzeMixedStream(benchmark::State &state) {
    std::vector<const Event *> all;
    for (const auto &e : stream()) all.push_back(&e);
    run_stream(state, all);
}
BENCHMARK(BM_AnalyzeMixedStream)->Unit(benchmark::kMillisecond);

// Only the dominant kind of packet: TCP segments without SYN of bulk transfers.
void BM_AnalyzeBulkTcpOnly(benchmark::State &state) {
    std::vector<const Event *> sel;
    for (const auto &e : stream())
        if (e.p.transport == Transport::Tcp && !(e.p.tcp_flags & tcp_flag::kSyn) && e.learn == 0) sel.push_back(&e);
    run_stream(state, sel);
}
BENCHMARK(BM_AnalyzeBulkTcpOnly)->Unit(benchmark::kMillisecond);

// Only UDP (DNS, NTP, multicast, P2P, doorbell): pinhole tracking and P2P.
void BM_AnalyzeUdpOnly(benchmark::State &state) {
    std::vector<const Event *> sel;
    for (const auto &e : stream())
        if (e.p.transport == Transport::Udp) sel.push_back(&e);
    run_stream(state, sel);
}
BENCHMARK(BM_AnalyzeUdpOnly)->Unit(benchmark::kMillisecond);

// -- parsers ---------------------------------------------------------------------------------
std::vector<uint8_t> kalay_plain(uint32_t code, size_t body_len, uint8_t flags, std::mt19937 &rng) {
    std::vector<uint8_t> m(16 + body_len);
    m[0] = 0x04;
    m[1] = 0x02;
    m[2] = 0x19;
    m[3] = flags;
    m[4] = static_cast<uint8_t>(body_len & 0xff);
    m[5] = static_cast<uint8_t>(body_len >> 8);
    m[6] = 1;
    m[8] = static_cast<uint8_t>(code >> 16);
    m[9] = static_cast<uint8_t>(code >> 8);
    m[10] = static_cast<uint8_t>(code);
    for (size_t i = 16; i < m.size(); ++i) m[i] = static_cast<uint8_t>(rng());
    if (code == kKalayGetPublicIp) std::memcpy(m.data() + 16, "HXKTZ3N7WB8CD9EF2GP4", 20);
    return m;
}

std::vector<std::vector<uint8_t>> random_payloads(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<std::vector<uint8_t>> out(n);
    for (auto &p : out) {
        // UDP payload sizes of a home network: many small, some near the MTU.
        size_t len = (rng() % 4 == 0) ? 900 + rng() % 500 : 8 + rng() % 200;
        p.resize(len);
        for (auto &b : p) b = static_cast<uint8_t>(rng());
    }
    return out;
}

template <class Parse>
void run_parser(benchmark::State &state, const std::vector<std::vector<uint8_t>> &inputs, Parse parse) {
    size_t claimed = 0, bytes = 0;
    for (auto _ : state) {
        for (const auto &in : inputs) {
            auto m = parse(in);
            claimed += m.has_value();
            benchmark::DoNotOptimize(m);
            bytes += in.size();
        }
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * inputs.size()));
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
    state.counters["claimed_share"] =
        static_cast<double>(claimed) / static_cast<double>(std::max<size_t>(1, state.iterations() * inputs.size()));
}

void BM_ParseKalay(benchmark::State &state) {
    std::mt19937 rng(7);
    std::vector<std::vector<uint8_t>> in;
    switch (state.range(0)) {
    case 0:  // claimed: plain login messages (short, as on the wire)
        for (int i = 0; i < 256; ++i) in.push_back(kalay_plain(kKalayGetPublicIp, 28, 0x02, rng));
        state.SetLabel("claimed plain login (44 B)");
        break;
    case 1:  // claimed: scrambled logins
        for (int i = 0; i < 256; ++i) {
            auto m = kalay_plain(kKalayGetPublicIp, 28, 0x02, rng);
            in.push_back(kalay_scramble_message(m.data(), m.size()));
        }
        state.SetLabel("claimed scrambled login (44 B)");
        break;
    case 2:  // claimed: partially scrambled session data, 600-1100 B
        for (int i = 0; i < 256; ++i) {
            auto m = kalay_plain(kKalayDataToClient, 600 + rng() % 500, 0x0b, rng);
            in.push_back(kalay_scramble_message(m.data(), m.size()));
        }
        state.SetLabel("claimed partial session data (600-1100 B)");
        break;
    default:
        in = random_payloads(4096, 11);
        state.SetLabel("random UDP payloads (rejected)");
    }
    if (state.range(0) < 3)
        for (const auto &m : in)
            if (!parse_kalay(m.data(), m.size())) {
                state.SkipWithError("a benchmark message is not claimed");
                return;
            }
    run_parser(state, in, [](const std::vector<uint8_t> &m) { return parse_kalay(m.data(), m.size()); });
}
BENCHMARK(BM_ParseKalay)->DenseRange(0, 3);

std::vector<uint8_t> pppp_dev_lgn() {
    std::vector<uint8_t> m = {0xF1, 0x10, 0x00, 0x28};
    const char prefix[8] = {'V', 'S', 'T', 'C', 0, 0, 0, 0};
    m.insert(m.end(), prefix, prefix + 8);
    m.insert(m.end(), {0x00, 0x07, 0x5A, 0x42});  // serial 481858
    const char check[8] = {'L', 'K', 'M', 'N', 'P', 0, 0, 0};
    m.insert(m.end(), check, check + 8);
    m.insert(m.end(), {0x08, 0x00, 0x02, 0x01});
    m.insert(m.end(), {0x00, 0x02, 0xB5, 0x9C, 0x2F, 0x01, 0xA8, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0});
    return m;
}

void BM_ParsePppp(benchmark::State &state) {
    std::vector<std::vector<uint8_t>> in;
    auto lgn = pppp_dev_lgn();
    switch (state.range(0)) {
    case 0:
        in.assign(256, lgn);
        state.SetLabel("claimed plain DEV_LGN (44 B)");
        break;
    case 1:
        in.assign(256, pppp_encrypt("camera", lgn.data(), lgn.size()));
        state.SetLabel("claimed DEV_LGN, key camera (first built-in)");
        break;
    case 2:
        in.assign(256, pppp_encrypt("vstarcam2019", lgn.data(), lgn.size()));
        state.SetLabel("claimed DEV_LGN, key vstarcam2019 (last built-in)");
        break;
    case 3: {
        std::mt19937 rng(5);
        for (int i = 0; i < 256; ++i) {
            size_t n = 600 + rng() % 400;
            std::vector<uint8_t> m = {0xF1, 0xD0, static_cast<uint8_t>((n + 4) >> 8), static_cast<uint8_t>(n + 4),
                                      0xD1, 0x01, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
            for (size_t k = 0; k < n; ++k) m.push_back(static_cast<uint8_t>(rng()));
            in.push_back(m);
        }
        state.SetLabel("claimed plain DRW video (600-1000 B)");
        break;
    }
    default:
        in = random_payloads(4096, 13);
        state.SetLabel("random UDP payloads (rejected)");
    }
    if (state.range(0) < 4)
        for (const auto &m : in)
            if (!parse_pppp(m.data(), m.size())) {
                state.SkipWithError("a benchmark message is not claimed");
                return;
            }
    run_parser(state, in, [](const std::vector<uint8_t> &m) { return parse_pppp(m.data(), m.size()); });
}
BENCHMARK(BM_ParsePppp)->DenseRange(0, 4);

}  // namespace

BENCHMARK_MAIN();
