// PPPP conversations for the key-recovery tests: message builders and a
// camera's life (server logins, a phone app punching to it, data and
// keepalives) under any 4-byte key, as labelled datagrams.
#pragma once

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/pppp_cipher.hpp"
#include "heuristics/detectors/p2p/pppp_key_recovery.hpp"

namespace phonehome::test {

inline std::vector<uint8_t> pppp_message(uint8_t type, const std::vector<uint8_t> &body = {}) {
    std::vector<uint8_t> m = {0xF1, type, uint8_t(body.size() >> 8), uint8_t(body.size())};
    m.insert(m.end(), body.begin(), body.end());
    return m;
}

// char prefix[8], u32 BE serial, char check[8].
inline std::vector<uint8_t> pppp_uid(const std::string &prefix, uint32_t serial, const std::string &check) {
    std::vector<uint8_t> u(20, 0);
    std::copy(prefix.begin(), prefix.end(), u.begin());
    u[8] = uint8_t(serial >> 24), u[9] = uint8_t(serial >> 16), u[10] = uint8_t(serial >> 8), u[11] = uint8_t(serial);
    std::copy(check.begin(), check.end(), u.begin() + 12);
    return u;
}

// The UID as the parser prints it, from pppp_uid's bytes.
inline std::string pppp_uid_text(const std::string &prefix, const std::vector<uint8_t> &uid, const std::string &check) {
    char serial[16];
    std::snprintf(serial, sizeof serial, "%06u",
                  unsigned(uint32_t(uid[8]) << 24 | uint32_t(uid[9]) << 16 | uint32_t(uid[10]) << 8 | uid[11]));
    return prefix + "-" + serial + "-" + check;
}

inline std::vector<uint8_t> pppp_sockaddr(uint32_t ip, uint16_t port) {
    return {0x00, 0x02, uint8_t(port), uint8_t(port >> 8), uint8_t(ip), uint8_t(ip >> 8), uint8_t(ip >> 16),
            uint8_t(ip >> 24), 0, 0, 0, 0, 0, 0, 0, 0};
}

inline std::vector<uint8_t> concat(std::vector<uint8_t> a, const std::vector<uint8_t> &b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

inline PpppEndpoint endpoint(const std::string &ip, uint16_t port) { return {*IpAddress::parse(ip), port}; }

struct PpppDatagram {
    PpppEndpoint src, dst;
    std::vector<uint8_t> wire;
    uint8_t type;
    std::string uid;  // what the parser must read, or empty
    int pair;         // which camera/remote pair it belongs to (-1: none)
};

// A camera (one socket) with a random key: it logs in to four servers on
// 32100 (HELLO, then DEV_LGN every 9 s), is punched to by a phone app that
// asked a server for it, and streams DRW data with ALIVE keepalives. Pairs:
// 0..3 the camera with each server, 4 the camera with the app, 5 the app
// with the server it asked.
inline std::vector<PpppDatagram> camera_life(std::mt19937_64 &rng, const PpppSeed &seed, int logins = 4,
                                             int data_rounds = 6) {
    const std::string cam_ip = "192.168.1." + std::to_string(2 + rng() % 200);
    const PpppEndpoint cam = endpoint(cam_ip, uint16_t(20000 + rng() % 40000));
    const PpppEndpoint app = endpoint("100.64." + std::to_string(rng() % 250) + ".7", uint16_t(20000 + rng() % 40000));
    const PpppEndpoint servers[4] = {endpoint("52.28.1.10", kPpppServerPort), endpoint("47.88.20.5", kPpppServerPort),
                                     endpoint("119.45.1.9", kPpppServerPort), endpoint("3.132.8.8", kPpppServerPort)};
    static const char *kLetters = "BCDEFGHJKLMNPRSTUVWXYZ";
    std::string prefix, check;
    for (size_t i = 0, n = 3 + rng() % 4; i < n; ++i) prefix.push_back(char('A' + rng() % 26));
    for (int i = 0; i < 5; ++i) check.push_back(kLetters[rng() % 22]);
    const auto uid_bytes = pppp_uid(prefix, uint32_t(rng() % 1000000), check);
    const std::string uid = pppp_uid_text(prefix, uid_bytes, check);

    std::vector<PpppDatagram> out;
    auto send = [&](const PpppEndpoint &s, const PpppEndpoint &d, uint8_t type, const std::vector<uint8_t> &body,
                    bool has_uid, int pair) {
        const auto plain = pppp_message(type, body);
        std::vector<uint8_t> wire(plain.size());
        pppp_encrypt(seed, plain.data(), wire.data(), wire.size());
        out.push_back({s, d, wire, type, has_uid ? uid : std::string(), pair});
    };
    const auto login = concat(concat(uid_bytes, {0x08, 0x00, 0x02, 0x01}), pppp_sockaddr(0xC0A80102, cam.port));
    for (int s = 0; s < 4; ++s) {
        send(cam, servers[s], 0x00, {}, false, s);                                        // HELLO
        send(servers[s], cam, 0x01, pppp_sockaddr(0x5DB80101, cam.port), false, s);        // HELLO_ACK
    }
    for (int n = 0; n < logins; ++n) {
        for (int s = 0; s < 4; ++s) send(cam, servers[s], 0x10, login, true, s);          // DEV_LGN
        for (int s = 0; s < 4; ++s) send(servers[s], cam, 0x11, {0x00, 0x09, 0x00, 0x00}, false, s);  // DEV_LGN_ACK
    }
    // The app asks server 0 for the camera; both are told where to punch.
    send(app, servers[0], 0x20, concat(uid_bytes, pppp_sockaddr(0x0A000002, app.port)), true, 5);  // P2P_REQ
    send(servers[0], app, 0x21, {0x00, 0x00, 0x02, 0x01}, false, 5);                               // P2P_REQ_ACK
    send(servers[0], app, 0x40, pppp_sockaddr(0x5DB80101, cam.port), false, 5);                     // PUNCH_TO
    send(servers[0], cam, 0x40, pppp_sockaddr(0x64400007, app.port), false, 0);                     // PUNCH_TO
    for (int i = 0; i < 2; ++i) {
        send(cam, app, 0x41, uid_bytes, true, 4);  // PUNCH_PKT both ways
        send(app, cam, 0x41, uid_bytes, true, 4);
    }
    send(cam, app, 0x42, uid_bytes, true, 4);  // P2P_RDY
    send(app, cam, 0x42, uid_bytes, true, 4);
    uint16_t index = 0;
    for (int r = 0; r < data_rounds; ++r) {
        std::vector<uint8_t> video(100 + rng() % 900);
        for (auto &b : video) b = uint8_t(rng());
        send(cam, app, 0xD0, concat({0xD1, 0x01, uint8_t(index >> 8), uint8_t(index)}, video), false, 4);
        send(app, cam, 0xD1, {0xD1, 0x01, 0x00, 0x01, uint8_t(index >> 8), uint8_t(index)}, false, 4);
        ++index;
        send(app, cam, 0xE0, {}, false, 4);  // ALIVE / ALIVE_ACK
        send(cam, app, 0xE1, {}, false, 4);
    }
    send(app, cam, 0xF0, {}, false, 4);  // CLOSE
    return out;
}

inline PpppSeed random_seed(std::mt19937_64 &rng) {
    const uint64_t r = rng();
    return {uint8_t(r), uint8_t(r >> 8), uint8_t(r >> 16), uint8_t(r >> 24)};
}

}  // namespace phonehome::test
