#include "heuristics/frame_verdicts.hpp"

#include <algorithm>
#include <cstring>

namespace phonehome {

namespace {

// Every part holds 8-byte members at most (doubles, pointers, int64s).
constexpr size_t kAlign = 8;

size_t aligned(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

// The parts, in the order they are stored.
struct Extras {
    const PacketFacts *facts;
    const char *dns_name;
};

template <typename T>
void put(std::byte *&at, const T &v) {
    std::memcpy(at, &v, sizeof v);
    at += aligned(sizeof v);
}

template <typename T>
void get(const std::byte *&at, T *v) {
    std::memcpy(v, at, sizeof *v);
    at += aligned(sizeof *v);
}

size_t parts_size(FindingSet findings, uint8_t has_extras) {
    size_t n = 0;
    if (has_finding(findings, Finding::Pinhole)) n += aligned(sizeof(PinholeTracker::Outbound));
    if (has_finding(findings, Finding::Heartbeat)) n += aligned(sizeof(FrameRecord::Beat));
    if (has_finding(findings, Finding::DeadCloud)) n += aligned(sizeof(DeadCloudTracker::Syn));
    if (has_extras) n += aligned(sizeof(Extras));
    return n;
}

}  // namespace

std::byte *FrameVerdicts::allocate(size_t n) {
    n = aligned(n);
    if (n > kBlockBytes) {
        // Never for what add() stores (a name is at most a few hundred
        // bytes), but a part must not overrun a block.
        auto big = std::make_unique<std::byte[]>(n);
        std::byte *p = big.get();
        blocks_.insert(blocks_.empty() ? blocks_.end() : blocks_.end() - 1, std::move(big));
        held_ += n;
        return p;
    }
    if (block_used_ + n > kBlockBytes) {
        blocks_.push_back(std::make_unique<std::byte[]>(kBlockBytes));
        held_ += kBlockBytes;
        block_used_ = 0;
    }
    std::byte *p = blocks_.back().get() + block_used_;
    block_used_ += n;
    return p;
}

const std::byte *FrameVerdicts::store_parts(const FrameRecord &r, uint8_t extras) {
    const size_t n = parts_size(r.findings, extras & kPointers);
    if (n == 0) return nullptr;
    Extras kept{nullptr, nullptr};
    if (extras & kFacts) {
        std::byte *f = allocate(sizeof(PacketFacts));
        std::memcpy(f, r.facts, sizeof(PacketFacts));
        kept.facts = reinterpret_cast<const PacketFacts *>(f);
    }
    if (extras & kDnsName) {
        const size_t len = std::strlen(r.dns_name);
        auto *s = reinterpret_cast<char *>(allocate(len + 1));
        std::memcpy(s, r.dns_name, len + 1);
        kept.dns_name = s;
    }
    std::byte *parts = allocate(n);
    std::byte *at = parts;
    if (has_finding(r.findings, Finding::Pinhole)) put(at, r.pinhole);
    if (has_finding(r.findings, Finding::Heartbeat)) put(at, r.heartbeat);
    if (has_finding(r.findings, Finding::DeadCloud)) put(at, r.syn);
    if (extras & kPointers) put(at, kept);
    return parts;
}

void FrameVerdicts::read_parts(const Entry &e, FrameRecord *out) {
    *out = FrameRecord{};
    out->findings = e.findings;
    out->dead_cloud_answered = (e.extras & kAnswered) != 0;
    const std::byte *at = e.parts;
    if (!at) return;
    if (has_finding(e.findings, Finding::Pinhole)) get(at, &out->pinhole);
    if (has_finding(e.findings, Finding::Heartbeat)) get(at, &out->heartbeat);
    if (has_finding(e.findings, Finding::DeadCloud)) get(at, &out->syn);
    if (e.extras & kPointers) {
        Extras kept;
        get(at, &kept);
        out->facts = kept.facts;
        out->dns_name = kept.dns_name;
    }
}

void FrameVerdicts::add(uint32_t frame, const FrameRecord &r) {
    const uint8_t extras = uint8_t((r.facts ? kFacts : 0) | (r.dns_name ? kDnsName : 0) |
                                   (r.dead_cloud_answered ? kAnswered : 0));
    const Entry e{frame, uint16_t(r.findings), extras, store_parts(r, extras)};
    if (entries_.empty() || entries_.back().frame < frame) {
        entries_.push_back(e);
        return;
    }
    // Not in capture order (never on Wireshark's first pass): in place.
    // A replaced entry's parts stay in their block until clear().
    const size_t at = position(frame);
    if (at < entries_.size() && entries_[at].frame == frame)
        entries_[at] = e;
    else
        entries_.insert(entries_.begin() + std::ptrdiff_t(at), e);
}

size_t FrameVerdicts::position(uint32_t frame) const {
    const size_t n = entries_.size();
    size_t i = std::min(hint_, n);
    // A pass over the file asks for every frame in turn: the answer is where
    // the last one ended, or a step or two further.
    for (int step = 0; step < 4; ++step, ++i) {
        const bool after_previous = i == 0 || entries_[i - 1].frame < frame;
        if (!after_previous) break;
        if (i == n || entries_[i].frame >= frame) return i;
    }
    auto it = std::lower_bound(entries_.begin(), entries_.end(), frame,
                               [](const Entry &e, uint32_t f) { return e.frame < f; });
    return size_t(it - entries_.begin());
}

bool FrameVerdicts::find(uint32_t frame, FrameRecord *out) const {
    const size_t i = position(frame);
    hint_ = i;
    if (i == entries_.size() || entries_[i].frame != frame) return false;
    hint_ = i + 1;
    read_parts(entries_[i], out);
    return true;
}

size_t FrameVerdicts::bytes() const { return entries_.size() * sizeof(Entry) + held_; }

void FrameVerdicts::clear() {
    entries_ = std::deque<Entry>();
    blocks_.clear();
    block_used_ = kBlockBytes;
    held_ = 0;
    hint_ = 0;
}

}  // namespace phonehome
