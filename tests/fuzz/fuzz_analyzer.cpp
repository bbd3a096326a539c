// The state machines: a stream of packets decoded from the input bytes runs
// through the analyzer (pinhole table with a small cap, so eviction runs) and
// the device report. Nothing may crash, and the table must stay bounded.
#include <cstdint>
#include <cstring>

#include "heuristics/analyzer.hpp"
#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/remote_report.hpp"
#include "heuristics/reports/report_formats.hpp"
#include "heuristics/reports/text_reports.hpp"

using namespace phonehome;

namespace {
constexpr size_t kRecord = 16;

PacketFacts decode(const uint8_t *r, int64_t *clock) {
    PacketFacts p;
    // A few address pools so flows repeat: local, global, special.
    static const uint8_t pools[8][4] = {{192, 168, 1, 0}, {10, 0, 0, 0},  {106, 13, 0, 0}, {52, 28, 0, 0},
                                        {203, 0, 113, 0}, {224, 0, 0, 0}, {100, 64, 0, 0}, {8, 8, 8, 0}};
    const uint8_t *s = pools[r[0] & 7], *d = pools[(r[0] >> 3) & 7];
    if (r[1] & 0x80) {
        uint8_t v6[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, r[2]};
        p.src = IpAddress::v6(v6);
        v6[0] = 0x26;
        v6[15] = r[3];
        p.dst = IpAddress::v6(v6);
    } else {
        p.src = IpAddress::v4(s[0], s[1], s[2], r[2]);
        p.dst = IpAddress::v4(d[0], d[1], d[2], r[3]);
    }
    p.transport = static_cast<Transport>(r[1] & 3);
    p.src_port = uint16_t(r[4] << 8 | r[5]) % 8;
    p.dst_port = uint16_t(r[6] << 8 | r[7]) % 4;
    p.tcp_flags = r[8];
    *clock += int64_t(r[9]) * 1'000'000'000 / 4 - (r[10] == 0xFF ? 100'000'000'000 : 0);
    p.time_ns = *clock;
    p.rel_time_ns = *clock;
    p.frame_len = r[11];
    p.dst_link_group = r[12] & 1;
    if (r[12] & 2) {
        p.p2p.platform = (r[12] & 4) ? P2pPlatform::Pppp : P2pPlatform::Kalay;
        p.p2p.role = (r[12] & 8) ? P2pRole::Peer : P2pRole::Server;
        p.p2p.name = "fuzz";
        char uid[2] = {char('A' + r[13] % 26), 0};
        p.p2p.set_uid(uid);
    }
    p.dns_p2p = r[14] & 1;
    p.dns_response = r[14] & 2;
    return p;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    AnalyzerConfig config;
    config.pinhole_silence_ns = int64_t(1 + (size % 40)) * 1'000'000'000;
    Analyzer analyzer(config);
    DeviceReport report;
    RemoteReport remotes;
    int64_t clock = 0;
    for (size_t off = 0; off + kRecord <= size; off += kRecord) {
        const PacketFacts p = decode(data + off, &clock);
        const Verdict v = analyzer.analyze(p);
        report.add(p, v.roles, v.findings);
        remotes.add(p, v.roles, v.findings, nullptr, v.heartbeat.in_series ? v.heartbeat.period_s : 0.0);
        if (has_finding(v.findings, Finding::Pinhole) && !(v.roles.phonehome && v.roles.outbound)) __builtin_trap();
        if (has_finding(v.findings, Finding::Sink) && !v.roles.phonehome) __builtin_trap();
    }
    // Every rendering, verdicts included, of whatever the stream made.
    ReportContext ctx;
    ctx.filter = "fuzz";
    ctx.time_style = TimeStyle(size % 6);
    ctx.have_capture = true;
    ctx.last_packet_ns = clock;
    const auto devices = report.rows();
    const auto conversations = remotes.rows();
    (void)devices_text(devices, conversations, ctx, report.notes());
    (void)devices_full_text(devices, ctx, report.notes());
    (void)remotes_text(conversations, devices, ctx, remotes.notes());
    (void)remotes_full_text(conversations, ctx, remotes.notes());
    (void)devices_json(devices, ctx);
    (void)remotes_csv(conversations, ctx);
    return 0;
}
