"""pcapgen: a small, deterministic, standard-library-only packet capture generator.

Modules (one job each):
  pcap_writer   classic libpcap files (write and read back)
  checksum      the Internet checksum (RFC 1071)
  ethernet      Ethernet II frames, ARP, MAC helpers
  ip            IPv4 / IPv6 headers
  transport     UDP / TCP segments with pseudo-header checksums
  tcp_session   consistent TCP conversations (handshake, data, ACK, FIN)
  dns, ntp      DNS and NTPv4 messages
  payloads      TLS records, SMB2, SSDP, STUN, RTP-like audio
  lan           a LAN model: hosts, router, a frame timeline
  ordinary      ordinary home traffic (DNS, HTTPS, NTP, SMB, mDNS, ...)
  addresses     LOCAL / GLOBAL / NONROUTABLE classification
  decode        minimal frame parser used by the ground-truth oracle
  truth         the ground-truth oracle (per-frame labels, device table)
  heartbeat     MQTT, TLS 1.2 records, beat schedules and the heartbeat device lives
  dhcp, mdns, llmnr, nbns, ssdp, dns_records
                what devices announce about themselves (DHCP, mDNS, LLMNR, NetBIOS, SSDP)
  dns_decode, identity_decode, identity_truth
                the oracle's readers for those, and the truth's "identity" section
  scenarios     the capture scenarios
"""
