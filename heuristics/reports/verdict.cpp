#include "heuristics/reports/verdict.hpp"

#include <algorithm>
#include <cstdio>

#include "heuristics/reports/text_table.hpp"

namespace phonehome {

namespace {

constexpr int64_t kSec = 1'000'000'000;

size_t index_of(Finding f) {
    for (size_t i = 0; i < kFindingCount; ++i)
        if (kFindings[i].finding == f) return i;
    return 0;
}

const char *magnitude(int64_t ns) {
    if (ns < 60 * kSec) return "seconds";
    if (ns < 3600 * kSec) return "minutes";
    if (ns < 86400 * kSec) return "hours";
    return "days";
}

// The remote as people know it: its first name, else its address; and,
// when MaxMind said, where it is ("106.13.0.0 [China, AS38365]").
std::string who(const RemoteRow &r) {
    std::string out = r.names.empty() ? r.remote.to_string() : r.names.front();
    std::string where = r.geo.country.empty() ? r.geo.country_iso : r.geo.country;
    if (r.geo.asn) where += (where.empty() ? "" : ", ") + std::string("AS") + std::to_string(r.geo.asn);
    return where.empty() ? out : out + " [" + where + "]";
}

// The conversation with the most packets of a finding, or nullptr.
const RemoteRow *top(const std::vector<const RemoteRow *> &remotes, Finding f) {
    const size_t i = index_of(f);
    const RemoteRow *best = nullptr;
    for (const RemoteRow *r : remotes)
        if (r->finding_packets[i] && (!best || r->finding_packets[i] > best->finding_packets[i])) best = r;
    return best;
}

size_t with(const std::vector<const RemoteRow *> &remotes, Finding f) {
    const size_t i = index_of(f);
    return size_t(std::count_if(remotes.begin(), remotes.end(), [&](const RemoteRow *r) { return r->finding_packets[i] > 0; }));
}

std::string others(size_t n) {
    return n > 1 ? " and " + std::to_string(n - 1) + (n == 2 ? " other" : " others") : "";
}

std::string size_words(const NatTraffic &t) {
    const std::string size = t.min_payload == t.max_payload
                                 ? std::to_string(t.min_payload) + "-byte"
                                 : std::to_string(t.min_payload) + "- to " + std::to_string(t.max_payload) + "-byte";
    return size + (t.transport == Transport::Tcp ? " TCP SYNs" : " UDP");
}

std::string cadence(const NatTraffic &t) {
    if (t.bursts <= 1) return "in one burst";
    return "in " + std::to_string(t.bursts) + " bursts " + spacing_words(t.min_gap_ns, t.max_gap_ns) + " apart";
}

std::string sink_clause(const std::vector<const RemoteRow *> &remotes) {
    const RemoteRow *r = top(remotes, Finding::Sink);
    const NatTraffic &t = r->nat;
    std::string out = "sends " + size_words(t) + " to port " + std::to_string(t.port) + " of " + who(*r) +
                      others(with(remotes, Finding::Sink)) + " " + cadence(t);
    return out + (r->packets_in == 0 ? ", never answered: keeps a NAT mapping open" : ": keeps a NAT mapping open");
}

std::string pinhole_clause(const std::vector<const RemoteRow *> &remotes) {
    const RemoteRow *r = top(remotes, Finding::Pinhole);
    const NatTraffic &t = r->nat;
    std::string out = "resends one-way " + size_words(t) + " to port " + std::to_string(t.port) + " of " + who(*r) +
                      others(with(remotes, Finding::Pinhole));
    if (t.bursts > 1) out += " after silences of " + spacing_words(t.min_gap_ns, t.max_gap_ns);
    return out + ": keeps a NAT pinhole open to it";
}

std::string p2p_clause(const DeviceRow &d) {
    std::string platforms;
    for (P2pPlatform p : d.p2p_platforms)
        platforms += (platforms.empty() ? "" : " and ") + std::string(p == P2pPlatform::Kalay ? "Kalay" : "PPPP");
    std::string out = "on the " + platforms + " P2P platform";
    if (!d.uids.empty()) out += " as " + d.uids_text(", ");
    out += " (" + std::to_string(d.p2p_servers) + " server" + (d.p2p_servers == 1 ? "" : "s") + ", " +
           std::to_string(d.p2p_peers) + " peer" + (d.p2p_peers == 1 ? "" : "s");
    if (d.p2p_prefixes > 1) out += ", " + std::to_string(d.p2p_prefixes) + " networks";
    return out + "): reachable by anyone with its UID";
}

std::string heartbeat_clause(const std::vector<const RemoteRow *> &remotes) {
    const RemoteRow *r = top(remotes, Finding::Heartbeat);
    std::string out = "keepalives";
    if (r->heartbeat_period_s > 0) out += " every " + format_fixed(r->heartbeat_period_s, 0) + " s";
    const size_t n = with(remotes, Finding::Heartbeat);
    return out + " to " + who(*r) + others(n) + (n == 1 ? " hold a channel open" : " hold channels open");
}

std::string dead_cloud_clause(const std::vector<const RemoteRow *> &remotes) {
    const RemoteRow *r = top(remotes, Finding::DeadCloud);
    const uint64_t syns = r->finding_packets[index_of(Finding::DeadCloud)];
    return "retries " + who(*r) + " " + r->services_text(2) + others(with(remotes, Finding::DeadCloud)) +
           (r->dead_cloud_answered_rel_ns < 0 ? ", never answered (" : ", which answered only later (") +
           std::to_string(syns) + " SYNs flagged)";
}

}  // namespace

std::string spacing_words(int64_t min_ns, int64_t max_ns) {
    const std::string lo = magnitude(min_ns), hi = magnitude(max_ns);
    return lo == hi ? lo : lo + " to " + hi;
}

std::string device_verdict(const DeviceRow &d, const std::vector<const RemoteRow *> &remotes) {
    auto has = [&](Finding f) { return d.finding_packets[index_of(f)] > 0; };
    std::vector<std::string> clauses;
    if (has(Finding::Sink) && top(remotes, Finding::Sink)) clauses.push_back(sink_clause(remotes));
    if (has(Finding::Pinhole) && top(remotes, Finding::Pinhole) &&
        top(remotes, Finding::Pinhole) != top(remotes, Finding::Sink))
        clauses.push_back(pinhole_clause(remotes));
    if ((has(Finding::P2p) || has(Finding::P2pLan)) && !d.p2p_platforms.empty()) clauses.push_back(p2p_clause(d));
    if (has(Finding::P2pDns) && clauses.empty()) clauses.push_back("looks up names of a P2P platform");
    if (has(Finding::Heartbeat) && top(remotes, Finding::Heartbeat)) clauses.push_back(heartbeat_clause(remotes));
    if (has(Finding::DeadCloud) && top(remotes, Finding::DeadCloud)) clauses.push_back(dead_cloud_clause(remotes));
    if (clauses.empty()) {
        if (d.remote_hosts == 0) return "stays on the local network; nothing flagged";
        // The remotes it talks to most, by name where it has one.
        std::vector<const RemoteRow *> busiest(remotes);
        std::sort(busiest.begin(), busiest.end(), [](const RemoteRow *a, const RemoteRow *b) {
            return a->packets_out + a->packets_in > b->packets_out + b->packets_in;
        });
        std::string out = "talks to ";
        for (size_t i = 0; i < busiest.size() && i < 3; ++i) out += (i ? ", " : "") + who(*busiest[i]);
        if (d.remote_hosts > 3) out += " and " + std::to_string(d.remote_hosts - 3) + " more";
        return out + "; nothing flagged";
    }
    std::string out;
    for (size_t i = 0; i < clauses.size(); ++i) out += (i ? "; " : "") + clauses[i];
    return out;
}

}  // namespace phonehome
