#include "heuristics/common/packet_facts.hpp"

namespace phonehome {

const char *transport_name(Transport t) {
    switch (t) {
    case Transport::Udp: return "udp";
    case Transport::Tcp: return "tcp";
    case Transport::Icmp: return "icmp";
    case Transport::Other: return "ip";
    }
    return "ip";
}

}  // namespace phonehome
