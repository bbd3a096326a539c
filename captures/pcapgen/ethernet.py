"""Ethernet II frames and ARP."""
import ipaddress
import struct

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
ETH_IPV6 = 0x86DD
BROADCAST_MAC = "ff:ff:ff:ff:ff:ff"
MIN_FRAME = 60  # without FCS; shorter frames are padded with zero bytes


def mac_bytes(mac: str) -> bytes:
    b = bytes(int(x, 16) for x in mac.split(":"))
    if len(b) != 6:
        raise ValueError("bad MAC %r" % mac)
    return b


def mac_str(b: bytes) -> str:
    return ":".join("%02x" % x for x in b)


def multicast_mac(ip) -> str:
    """Ethernet group address for an IP destination (multicast or 255.255.255.255)."""
    ip = ipaddress.ip_address(ip)
    if ip.version == 4:
        if ip == ipaddress.IPv4Address("255.255.255.255"):
            return BROADCAST_MAC
        p = ip.packed
        return mac_str(bytes([0x01, 0x00, 0x5E, p[1] & 0x7F, p[2], p[3]]))
    return mac_str(b"\x33\x33" + ip.packed[-4:])


def ethernet(dst_mac: str, src_mac: str, ethertype: int, payload: bytes, pad=True) -> bytes:
    frame = mac_bytes(dst_mac) + mac_bytes(src_mac) + struct.pack("!H", ethertype) + payload
    if pad and len(frame) < MIN_FRAME:
        frame += b"\x00" * (MIN_FRAME - len(frame))
    return frame


def arp(op: int, sender_mac: str, sender_ip, target_mac: str, target_ip) -> bytes:
    """ARP for IPv4 over Ethernet; op 1 = request, 2 = reply."""
    return struct.pack("!HHBBH", 1, ETH_IPV4, 6, 4, op) + mac_bytes(sender_mac) + \
        ipaddress.IPv4Address(sender_ip).packed + mac_bytes(target_mac) + \
        ipaddress.IPv4Address(target_ip).packed
