// Where an Internet remote is and who runs it, from Wireshark's MaxMind
// support: the databases the user configured the Wireshark way (Name
// Resolution preferences, the maxmind_db_paths table), looked up through
// Wireshark (its mmdbresolve helper). Nothing is downloaded or bundled.
#pragma once

#include <cstdint>

#include "heuristics/common/ip_address.hpp"

namespace phonehome::glue {

struct RemoteGeo {
    const char *country = nullptr;  // English name ("China")
    const char *country_iso = nullptr;  // "CN"
    uint32_t asn = 0;  // 0 when unknown
    const char *as_org = nullptr;
};

// Asks Wireshark to resolve MaxMind lookups synchronously from now on: the
// first pass of tshark -2 and the GUI otherwise get no answer for an address
// the first time it is asked, so passes would disagree. Called when a capture
// starts.
void remote_geo_init();

// False when no configured database knows the address. The strings are
// Wireshark's, valid for the capture.
bool remote_geo(const IpAddress &a, RemoteGeo *out);

}  // namespace phonehome::glue
