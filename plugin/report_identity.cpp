#include "report_identity.hpp"

#include "analysis_state.hpp"
#include "remote_geo.hpp"
#include "ws.hpp"
#include "ws_compat.hpp"

namespace phonehome::glue {

const RowIdentity &report_identity() {
    static const RowIdentity identity = [] {
        RowIdentity id;
        id.devices = &analyzer()->devices();
        id.names = &analyzer()->names();
        id.vendor = [](const MacAddress &mac) {
            const char *name = ws_compat::manuf_name(mac.data());
            return std::string(name ? name : "");
        };
        id.geo = [](const IpAddress &a) {
            GeoInfo out;
            RemoteGeo g;
            if (!remote_geo(a, &g)) return out;
            if (g.country) out.country = g.country;
            if (g.country_iso) out.country_iso = g.country_iso;
            out.asn = g.asn;
            if (g.as_org) out.as_org = g.as_org;
            return out;
        };
        return id;
    }();
    return identity;
}

}  // namespace phonehome::glue
