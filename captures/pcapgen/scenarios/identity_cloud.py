"""The Internet of the identity scenarios: cloud networks in several countries, each with the
country and the autonomous system a MaxMind database should give it, and the vendor MAC
prefixes of the devices.

The networks are real public blocks of big operators, but the country / AS labels are test
data: the truth's "geo" section copies them (for tests/integration/make_mmdb.pl), it does not
decode them from anything. The networks do not overlap, so every address has one answer.
"""
import ipaddress

COUNTRIES = {"US": "United States", "IE": "Ireland", "DE": "Germany", "CN": "China",
             "GB": "United Kingdom", "JP": "Japan", "SG": "Singapore"}

# (network, ISO country code, AS number, AS organisation as GeoLite2-ASN spells it)
CLOUD = [
    ("52.94.224.0/20", "US", 16509, "AMAZON-02"),                  # AWS us-east-1
    ("54.239.16.0/20", "US", 16509, "AMAZON-02"),
    ("52.208.0.0/13", "IE", 16509, "AMAZON-02"),                   # AWS eu-west-1
    ("2a05:d018::/32", "IE", 16509, "AMAZON-02"),
    ("3.120.0.0/14", "DE", 16509, "AMAZON-02"),                    # AWS eu-central-1
    ("18.184.0.0/15", "DE", 16509, "AMAZON-02"),
    ("52.57.0.0/16", "DE", 16509, "AMAZON-02"),
    ("2a05:d014::/32", "DE", 16509, "AMAZON-02"),
    ("13.112.0.0/14", "JP", 16509, "AMAZON-02"),                   # AWS ap-northeast-1
    ("142.250.0.0/15", "US", 15169, "GOOGLE"),
    ("2a00:1450::/32", "IE", 15169, "GOOGLE"),
    ("104.16.0.0/13", "US", 13335, "CLOUDFLARENET"),
    ("2606:4700::/32", "US", 13335, "CLOUDFLARENET"),
    ("151.101.0.0/16", "US", 54113, "FASTLY"),
    ("2a04:4e42::/32", "US", 54113, "FASTLY"),
    ("93.93.128.0/21", "GB", 44684, "Mythic Beasts Ltd"),
    ("2a00:1098::/32", "GB", 44684, "Mythic Beasts Ltd"),
    ("47.96.0.0/11", "CN", 37963, "Hangzhou Alibaba Advertising Co.,Ltd."),
    ("47.88.0.0/14", "SG", 45102, "Alibaba US Technology Co., Ltd."),
]

# MAC prefixes (OUI) of big, long-registered vendors, each checked against Wireshark's
# manufacturer data (/usr/share/wireshark/manuf of 4.0; the IEEE registry later series use).
OUIS = {
    "Amazon Technologies": ["68:54:fd", "74:c2:46", "44:65:0d"],
    "Google": ["f4:f5:d8", "54:60:09", "38:8b:59"],
    "Sonos": ["94:9f:3e", "5c:aa:fd", "48:a6:b8"],
    "Philips Lighting": ["00:17:88", "ec:b5:fa"],
    "Tuya Smart": ["10:d5:61", "d8:1f:12"],
    "Espressif": ["24:0a:c4", "30:ae:a4", "84:0d:8e"],
    "Raspberry Pi Foundation": ["b8:27:eb"],
    "Raspberry Pi Trading": ["dc:a6:32"],
    "Xiaomi Communications": ["64:09:80"],
    "Samsung Electronics": ["8c:79:f5"],
    "Tp-Link Technologies": ["50:c7:bf", "68:ff:7b"],
    "Apple": ["f0:18:98"],
}


def network_of(addr):
    addr = ipaddress.ip_address(addr)
    for cidr, iso, asn, org in CLOUD:
        net = ipaddress.ip_network(cidr)
        if net.version == addr.version and addr in net:
            return cidr, iso, asn, org
    raise LookupError("%s is in no cloud network of identity_cloud" % addr)


def geo_for(remotes):
    """The truth's "geo" section for these remote addresses: the CLOUD networks holding at
    least one of them, in CLOUD order (country and ASN tables list the same networks)."""
    used = {network_of(a)[0] for a in remotes}
    rows = [row for row in CLOUD if row[0] in used]
    return {"country": [[cidr, iso, COUNTRIES[iso]] for cidr, iso, _, _ in rows],
            "asn": [[cidr, asn, org] for cidr, _, asn, org in rows]}


def random_in(rng, cidr):
    """A random host address of the network (never its first or last address)."""
    net = ipaddress.ip_network(cidr)
    return net.network_address + rng.randrange(1, net.num_addresses - 1)
