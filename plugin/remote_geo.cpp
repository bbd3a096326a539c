#include "remote_geo.hpp"

#include <cstring>

#include "ws.hpp"

namespace phonehome::glue {

void remote_geo_init() { maxmind_db_set_synchrony(TRUE); }

bool remote_geo(const IpAddress &a, RemoteGeo *out) {
    const mmdb_lookup_t *r;
    if (a.is_v4()) {
        ws_in4_addr v4;  // network byte order
        std::memcpy(&v4, a.bytes.data(), sizeof v4);
        r = maxmind_db_lookup_ipv4(&v4);
    } else {
        ws_in6_addr v6;
        std::memcpy(v6.bytes, a.bytes.data(), sizeof v6.bytes);
        r = maxmind_db_lookup_ipv6(&v6);
    }
    if (!r || !r->found) return false;
    out->country = r->country && *r->country ? r->country : nullptr;
    out->country_iso = r->country_iso && *r->country_iso ? r->country_iso : nullptr;
    out->asn = r->as_number;
    out->as_org = r->as_org && *r->as_org ? r->as_org : nullptr;
    return out->country || out->country_iso || out->asn || out->as_org;
}

}  // namespace phonehome::glue
