#include "analysis_state.hpp"

namespace phonehome::glue {

Analyzer the_analyzer;

FrameVerdicts &frame_verdicts() {
    static FrameVerdicts verdicts;
    return verdicts;
}

P2pDomains &p2p_domains() {
    static P2pDomains domains;
    return domains;
}

NetworkList &allowlist() {
    static NetworkList list;
    return list;
}

std::string eviction_note() {
    try {
        return analyzer()->eviction_note();
    } catch (...) {
        return {};
    }
}

}  // namespace phonehome::glue
