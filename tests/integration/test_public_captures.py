"""Real captures nobody on this project wrote (../shared/captures/public).

Nothing in them is a sink or a pinhole (no one-way UDP to an Internet host
after a silence, nothing to port 0/1), none holds Kalay or PPPP (DCE/RPC over
UDP starts with the same 04 02 as plaintext Kalay), so nothing may be flagged
or claimed; nothing may
crash or complain (dissector bugs abort here); and the device report's
packet and byte counts must equal tshark's own endpoint statistics.
"""
import glob
import os
import sys
import unittest

from report_parser import own_addresses, parse_devices_report, parse_endpoints
from tshark_env import CAPTURES, DEVICE, PUBLIC_CAPTURES, REMOTE, TsharkTestCase

sys.path.insert(0, CAPTURES)
from pcapgen.addresses import classify  # noqa: E402  (the generator's independent classifier)


def public_captures():
    found = sorted(glob.glob(os.path.join(PUBLIC_CAPTURES, "*.pcap*")))
    if not found:
        raise unittest.SkipTest("no public captures at " + PUBLIC_CAPTURES)
    return found


class PublicCaptures(TsharkTestCase):

    def test_nothing_flagged_and_no_complaint(self):
        """Only zeek-mqtt.pcap's MQTT pings are findings (heartbeats)."""
        for pcap in public_captures():
            with self.subTest(capture=os.path.basename(pcap)):
                out = self.tshark.run("-n", "-r", self.tshark.stage(pcap), "-Y",
                                      "(phonehome.pattern && !phonehome.heartbeat) || kalay || pppp")
                self.assertEqual(out, "")
                beats = self.fields(pcap, "frame.number", display_filter="phonehome.heartbeat")
                if os.path.basename(pcap) != "zeek-mqtt.pcap":
                    self.assertEqual(beats, [])

    def test_zeek_mqtt_ping_cadence(self):
        """zeek-mqtt.pcap: CONNECT with keep-alive 5, PINGREQ/PINGRESP about
        every 5.4 s: from the ping that completes three intervals on, each
        ping and each answer is a heartbeat with that period."""
        pcap = os.path.join(PUBLIC_CAPTURES, "zeek-mqtt.pcap")
        if not os.path.exists(pcap):
            self.skipTest("no " + pcap)
        rows = self.fields(pcap, "frame.number", "mqtt.msgtype", "phonehome.heartbeat.period",
                           "phonehome.heartbeat.count", "phonehome.heartbeat.keepalive", display_filter="mqtt")
        pings = [r for r in rows if r[1] in ("12", "13")]
        by_type = {t: [r for r in pings if r[1] == t] for t in ("12", "13")}
        for msgtype, series in by_type.items():
            self.assertEqual(len(series), 5, msgtype)
            self.assertEqual([r[2] != "" for r in series], [False, False, False, True, True], msgtype)
            for r in series[3:]:
                self.assertAlmostEqual(float(r[2]), 5.4, delta=0.05 * 5.4)
                self.assertEqual(r[4], "5")
        # Nothing but the pings is a heartbeat.
        others = [r for r in rows if r[1] not in ("12", "13")]
        self.assertTrue(others)
        self.assertTrue(all(r[2] == "" for r in others))

    def expected_devices(self, pcap):
        """Per local address (packets, bytes), from tshark's own fields: each
        frame counts for the endpoints of its innermost IP header that is not
        quoted inside an ICMP error (tunnels carry the real packet inside),
        the destination whatever its Ethernet destination; an address that
        never sent and only received through Ethernet broadcast/multicast (a
        subnet broadcast address) is no device."""
        rows = self.fields(pcap, "frame.protocols", "frame.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
                           "eth.dst.ig")
        counts, devices = {}, set()
        for protocols, length, ip_src, ip_dst, ip6_src, ip6_dst, dst_group in ((r + [""] * 7)[:7] for r in rows):
            stack = protocols.split(":")
            if "icmp" in stack:
                stack = stack[:stack.index("icmp") + 1]
            if "icmpv6" in stack:
                stack = stack[:stack.index("icmpv6") + 1]
            pair = own_addresses(stack, ip_src, ip_dst, ip6_src, ip6_dst)
            if not pair:
                continue
            src, dst = pair
            ends = [src]
            devices.add(src)
            if dst != src:
                ends.append(dst)
                if dst_group.split(",")[-1:] != ["1"]:
                    devices.add(dst)
            for addr in ends:
                if classify(addr) == "local":
                    packets, nbytes = counts.get(addr, (0, 0))
                    counts[addr] = (packets + 1, nbytes + int(length))
        return {addr: c for addr, c in counts.items() if addr in devices}

    def test_device_report_counts_every_packet(self):
        checked = 0
        for pcap in public_captures():
            with self.subTest(capture=os.path.basename(pcap)):
                out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(pcap), "-z", "phonehome,devices.full")
                devices = parse_devices_report(out)
                got = {addr: (int(r["Packets"]), int(r["Bytes"])) for addr, r in devices.items()}
                self.assertEqual(got, self.expected_devices(pcap))
                checked += len(got)
        self.assertGreater(checked, 10)

    def test_device_report_matches_endpoint_statistics(self):
        """Where frames carry one IP header (no tunnel), the report's counts
        are tshark's own endpoint statistics."""
        for name in ("ndpi-nest_log_sink.pcap", "ndpi-alexa-app.pcapng", "ndpi-xiaomi.pcap", "zeek-mqtt.pcap"):
            pcap = os.path.join(PUBLIC_CAPTURES, name)
            if not os.path.exists(pcap):
                self.skipTest("no " + pcap)
            with self.subTest(capture=name):
                out = self.tshark.run("-n", "-q", "-r", self.tshark.stage(pcap), "-z", "phonehome,devices.full",
                                      "-z", "endpoints,ip", "-z", "endpoints,ipv6")
                devices = parse_devices_report(out[out.index("phonehome devices (all columns)"):])
                endpoints = parse_endpoints(out)
                for addr, row in devices.items():
                    self.assertEqual(int(row["Packets"]), endpoints[addr][0], addr)
                    self.assertEqual(endpoints[addr][1], int(row["Bytes"]), addr)
                for addr, (_, _, tx) in endpoints.items():
                    if tx and classify(addr) == "local":
                        self.assertIn(addr, devices)

    def test_tunnelled_traffic_is_judged_by_its_inner_packet(self):
        """ndpi-dtls.pcap carries a phone's DTLS inside GTP between two
        operator hosts: the phone is the device, not the tunnel ends."""
        pcap = os.path.join(PUBLIC_CAPTURES, "ndpi-dtls.pcap")
        if not os.path.exists(pcap):
            self.skipTest("no " + pcap)
        rows = self.fields(pcap, "frame.number", DEVICE, REMOTE, display_filter="gtp")
        self.assertEqual(len(rows), 4)
        for number, device, remote in rows:
            self.assertEqual((device, remote), ("10.191.227.13", "157.240.16.128"), number)

if __name__ == "__main__":
    unittest.main()
