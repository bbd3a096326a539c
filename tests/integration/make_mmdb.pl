#!/usr/bin/perl
# Writes tiny MaxMind databases for tests: GeoLite2-Country.mmdb and GeoLite2-ASN.mmdb.
#
#   perl tests/integration/make_mmdb.pl GEO.json OUT_DIR
#
# GEO.json is shaped like the "geo" section of a capture's truth file (or is a truth file
# whose "identity" holds one):
#   {"country": [["52.94.224.0/20", "US", "United States"], ["2a05:d018::/32", "IE", "Ireland"]],
#    "asn":     [["52.94.224.0/20", 16509, "AMAZON-02"], ...]}
# Each database is an IPv6 tree (ip_version 6) that holds the IPv4 networks too (at ::a.b.c.d,
# where libmaxminddb looks IPv4 addresses up), with remove_reserved_networks => 0 so private and
# documentation ranges can be given a country in tests. Records are those of GeoLite2:
#   GeoLite2-Country  country => {iso_code, names => {en}, geoname_id}
#   GeoLite2-ASN      autonomous_system_number, autonomous_system_organization
# Needs Debian's libmaxmind-db-writer-perl (MaxMind::DB::Writer::Tree); JSON::PP is core Perl.
#
# How Wireshark 4.0 reads them (verified by hand with tshark 4.0.17 on Debian 12, as root and
# as nobody, on captures/identity.pcap: all 352 packets to a remote of the truth's geo section
# carried the country, ISO code, AS number and organisation it lists):
#   1. Give Wireshark the folder the Wireshark way, the maxmind_db_paths table (Preferences >
#      Name Resolution > MaxMind database directories): the UAT file
#      $HOME/.config/wireshark/maxmind_db_paths, one quoted folder per line.
#          perl tests/integration/make_mmdb.pl captures/identity.truth.json "$DIR"
#          mkdir -p "$HOME/.config/wireshark"
#          printf '"%s"\n' "$DIR" > "$HOME/.config/wireshark/maxmind_db_paths"
#      `tshark -G folders` then lists "MaxMind database path: $DIR"; Wireshark hands the
#      *.mmdb files there to its helper /usr/bin/mmdbresolve. Root reads the personal
#      configuration of $HOME too; as another user, e.g.
#          setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$HOME" tshark ...
#      (the folder and files must be readable by that user). The same table row can also be
#      given on the command line, without a configuration file:
#          tshark -o 'uat:maxmind_db_paths:"/that/folder"' -r ...   (not shown by -G folders)
#   2. Read the fields in one pass:
#          tshark -r captures/identity.pcap -T fields -e ip.dst -e ip.geoip.dst_country \
#              -e ip.geoip.dst_country_iso -e ip.geoip.dst_asnum -e ip.geoip.dst_org \
#              -e ipv6.dst -e ipv6.geoip.dst_country -e ipv6.geoip.dst_asnum -e ipv6.geoip.dst_org
#      -n does not turn them off; one-pass -Y 'ip.geoip.dst_country' selects the packets.
#      With -2, -T fields still prints them, but a -Y or -R filter on a geoip field matches
#      nothing (0 packets): filter in one pass.
#   Private and documentation ranges work too (192.168.1.0/24, 203.0.113.0/24 and fd00::/8
#   were given countries in a check).
use strict;
use warnings;

use JSON::PP ();
use MaxMind::DB::Writer::Tree;

# GeoNames ids of the countries the generated captures use (GeoLite2 carries them).
my %GEONAME_ID = (
    CN => 1814991, DE => 2921044, FR => 3017382, GB => 2635167, IE => 2963597,
    JP => 1861060, KR => 1835841, NL => 2750405, SG => 1880251, US => 6252001,
);

my %TYPES = (
    country                        => 'map',
    iso_code                       => 'utf8_string',
    names                          => 'map',
    en                             => 'utf8_string',
    geoname_id                     => 'uint32',
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);

sub new_tree {
    my ($type, $what) = @_;
    return MaxMind::DB::Writer::Tree->new(
        ip_version               => 6,
        record_size              => 24,
        database_type            => $type,
        languages                => ['en'],
        description              => { en => "phonehome test data: $what" },
        map_key_type_callback    => sub { $TYPES{ $_[0] } },
        remove_reserved_networks => 0,
    );
}

sub write_tree {
    my ($tree, $path) = @_;
    open my $fh, '>:raw', $path or die "$path: $!\n";
    $tree->write_tree($fh);
    close $fh or die "$path: $!\n";
}

@ARGV == 2 or die "usage: $0 GEO.json OUT_DIR\n";
my ($json_path, $out_dir) = @ARGV;
open my $in, '<:raw', $json_path or die "$json_path: $!\n";
my $geo = JSON::PP->new->decode(do { local $/; <$in> });
close $in;
$geo = $geo->{identity}{geo} if exists $geo->{identity};
ref $geo eq 'HASH' && ref $geo->{country} eq 'ARRAY' && ref $geo->{asn} eq 'ARRAY'
    or die "$json_path: no {\"country\": [...], \"asn\": [...]}\n";
-d $out_dir or mkdir $out_dir or die "$out_dir: $!\n";

my $country = new_tree('GeoLite2-Country', 'countries');
for my $row (@{ $geo->{country} }) {
    my ($cidr, $iso, $name) = @$row;
    my %c = (iso_code => $iso, names => { en => $name });
    $c{geoname_id} = $GEONAME_ID{$iso} if exists $GEONAME_ID{$iso};
    $country->insert_network($cidr, { country => \%c });
}
write_tree($country, "$out_dir/GeoLite2-Country.mmdb");

my $asn = new_tree('GeoLite2-ASN', 'autonomous systems');
for my $row (@{ $geo->{asn} }) {
    my ($cidr, $number, $org) = @$row;
    $asn->insert_network($cidr, { autonomous_system_number => $number + 0,
                                  autonomous_system_organization => $org });
}
write_tree($asn, "$out_dir/GeoLite2-ASN.mmdb");
printf "%s: %d country and %d ASN networks\n", $out_dir, scalar @{ $geo->{country} }, scalar @{ $geo->{asn} };
