// parse_mqtt_header: the control packet type and a CONNECT's keep-alive read
// from MQTT bytes (MQTT 3.1.1 section 2 and 3.1 layouts), the Remaining
// Length edge cases, truncation, and real packets from the public captures
// compared with tshark's mqtt.msgtype / mqtt.kalive.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "heuristics/wire/mqtt_header.hpp"
#include "test_helpers.hpp"

namespace phonehome::wire {
namespace {

using test::hex;

bool parse(const std::vector<uint8_t> &b, MqttHeader *h, size_t len = SIZE_MAX) {
    return parse_mqtt_header(b.data(), len < b.size() ? len : b.size(), h);
}

// CONNECT, MQTT 3.1.1: remaining length 16; "MQTT", level 4, clean session,
// keep-alive 60; client id "abcd".
const std::vector<uint8_t> kConnect311 = hex(
    "10" "10"                // CONNECT, remaining length 16
    "0004" "4d515454"        // protocol name "MQTT"
    "04"                     // level 4
    "02"                     // clean session
    "003c"                   // keep-alive 60
    "0004" "61626364");      // client id "abcd"

// CONNECT, MQTT 3.1: "MQIsdp", level 3, keep-alive 60, client id "abcd".
const std::vector<uint8_t> kConnect31 = hex(
    "10" "12" "0006" "4d5149736470" "03" "02" "003c" "0004" "61626364");

TEST(WireMqtt, Connect311KeepAlive) {
    MqttHeader h;
    ASSERT_TRUE(parse(kConnect311, &h));
    EXPECT_EQ(h.type, kMqttConnect);
    EXPECT_TRUE(h.has_keepalive);
    EXPECT_EQ(h.keepalive_s, 60);
}

TEST(WireMqtt, Connect31MQIsdpKeepAlive) {
    MqttHeader h;
    ASSERT_TRUE(parse(kConnect31, &h));
    EXPECT_EQ(h.type, 1);
    EXPECT_TRUE(h.has_keepalive);
    EXPECT_EQ(h.keepalive_s, 60);
}

TEST(WireMqtt, PingRequestAndResponse) {
    MqttHeader h;
    ASSERT_TRUE(parse(hex("c000"), &h));
    EXPECT_EQ(h.type, kMqttPingReq);
    EXPECT_FALSE(h.has_keepalive);
    ASSERT_TRUE(parse(hex("d000"), &h));
    EXPECT_EQ(h.type, kMqttPingResp);
    EXPECT_FALSE(h.has_keepalive);
}

TEST(WireMqtt, KeepAliveIsBigEndianAndMayBeZeroOrLarge) {
    MqttHeader h;
    ASSERT_TRUE(parse(hex("100c00044d5154540402ffff0000"), &h));
    EXPECT_EQ(h.keepalive_s, 65535);
    ASSERT_TRUE(parse(hex("100c00044d51545404020000" "0000"), &h));
    EXPECT_TRUE(h.has_keepalive);
    EXPECT_EQ(h.keepalive_s, 0);
    ASSERT_TRUE(parse(hex("100c00044d51545404020258" "0000"), &h));
    EXPECT_EQ(h.keepalive_s, 600);
}

TEST(WireMqtt, EveryPrefixOfAConnect) {
    // Keep-alive is the 11th and 12th byte: complete from 12 bytes on.
    for (size_t k = 0; k <= kConnect311.size(); ++k) {
        MqttHeader h;
        const bool ok = parse(kConnect311, &h, k);
        ASSERT_EQ(ok, k >= 2) << k;
        if (!ok) {
            EXPECT_EQ(h.type, 0);
            continue;
        }
        EXPECT_EQ(h.type, 1);
        ASSERT_EQ(h.has_keepalive, k >= 12) << k;
        EXPECT_EQ(h.keepalive_s, k >= 12 ? 60 : 0);
    }
    // MQIsdp: two name bytes more, so from 14 bytes on.
    for (size_t k = 0; k <= kConnect31.size(); ++k) {
        MqttHeader h;
        parse(kConnect31, &h, k);
        EXPECT_EQ(h.has_keepalive, k >= 14) << k;
    }
}

TEST(WireMqtt, KeepAliveMustBeInsideTheRemainingLength) {
    MqttHeader h;
    // Remaining length 9: the variable header needs 10 (the next packet's
    // bytes follow).
    ASSERT_TRUE(parse(hex("100900044d5154540402003cc000"), &h));
    EXPECT_EQ(h.type, 1);
    EXPECT_FALSE(h.has_keepalive);
    // Remaining length 10: exactly the variable header.
    ASSERT_TRUE(parse(hex("100a00044d5154540402003cc000"), &h));
    EXPECT_TRUE(h.has_keepalive);
    EXPECT_EQ(h.keepalive_s, 60);
    // A protocol name longer than the packet.
    ASSERT_TRUE(parse(hex("100c" "ff04" "4d5154540402003c0000"), &h));
    EXPECT_FALSE(h.has_keepalive);
}

TEST(WireMqtt, OnlyConnectHasAKeepAlive) {
    // A CONNACK and a PUBLISH shaped like a CONNECT variable header.
    MqttHeader h;
    ASSERT_TRUE(parse(hex("200c00044d5154540402003c0000"), &h));
    EXPECT_EQ(h.type, 2);
    EXPECT_FALSE(h.has_keepalive);
    ASSERT_TRUE(parse(hex("300c00044d5154540402003c0000"), &h));
    EXPECT_EQ(h.type, 3);
    EXPECT_FALSE(h.has_keepalive);
}

TEST(WireMqtt, RemainingLengthOfOneToFourBytes) {
    MqttHeader h;
    ASSERT_TRUE(parse(hex("307f"), &h));                 // 127
    EXPECT_EQ(h.type, 3);
    ASSERT_TRUE(parse(hex("308001"), &h));               // 128
    ASSERT_TRUE(parse(hex("30ffff7f"), &h));             // 2,097,151
    ASSERT_TRUE(parse(hex("30ffffff7f"), &h));           // 268,435,455: the maximum, 4 bytes
    EXPECT_EQ(h.type, 3);
    // A CONNECT with a 4-byte remaining length still has its keep-alive.
    ASSERT_TRUE(parse(hex("10808080010004" "4d515454" "0402" "001e"), &h));
    EXPECT_TRUE(h.has_keepalive);
    EXPECT_EQ(h.keepalive_s, 30);
}

TEST(WireMqtt, MalformedOrCutShortRemainingLengthIsRefused) {
    MqttHeader h;
    EXPECT_FALSE(parse(hex("30ffffffff7f"), &h));  // five bytes
    EXPECT_EQ(h.type, 0);
    EXPECT_FALSE(parse(hex("30ffffffff"), &h));    // four with the continuation bit
    EXPECT_FALSE(parse(hex("30ff"), &h));          // cut short
    EXPECT_FALSE(parse(hex("30ffff"), &h));
    EXPECT_FALSE(parse(hex("c0"), &h));            // one byte
    EXPECT_FALSE(parse(hex(""), &h));
    EXPECT_FALSE(parse(hex("0000"), &h));          // type 0 is reserved
    EXPECT_FALSE(parse(hex("0f00"), &h));
    EXPECT_FALSE(parse_mqtt_header(nullptr, 0, &h));
}

TEST(WireMqtt, EveryTypeNibbleButZero) {
    for (int t = 0; t < 16; ++t) {
        MqttHeader h;
        const std::vector<uint8_t> b = {uint8_t(t << 4), 0};
        EXPECT_EQ(parse(b, &h), t != 0);
        EXPECT_EQ(h.type, t);
    }
}

TEST(WireMqtt, RandomBytesNeverClaimAKeepAliveOutsideAConnect) {
    std::mt19937_64 rng(3);
    std::vector<uint8_t> buf(64);
    for (int i = 0; i < 50000; ++i) {
        const size_t n = size_t(rng() % buf.size());
        test::fill_random(rng, buf, n);
        MqttHeader h;
        if (!parse_mqtt_header(buf.data(), n, &h)) {
            ASSERT_EQ(h.type, 0);
            ASSERT_FALSE(h.has_keepalive);
            continue;
        }
        ASSERT_EQ(h.type, buf[0] >> 4);
        ASSERT_NE(h.type, 0);
        if (h.has_keepalive) {
            ASSERT_EQ(h.type, kMqttConnect);
        }
    }
}

// --- real captures ------------------------------------------------------------
// TCP payloads copied from /work/shared/captures/public/ with
//   tshark -r FILE -Y frame.number==N -T fields -e tcp.payload
// expected values from -e mqtt.msgtype -e mqtt.protoname -e mqtt.ver -e mqtt.kalive.

TEST(WireMqtt, RealConnect311AgreesWithTshark) {
    // suricata-verify-mqtt311-pub-qos1.pcap frame 4: MQTT level 4, keep-alive 60.
    const auto b = hex("102b00044d51545404c2003c00136d79766f69636569736d7970617373706f7274000475736572000470617373");
    MqttHeader h;
    ASSERT_TRUE(parse(b, &h));
    EXPECT_EQ(h.type, 1);
    EXPECT_TRUE(h.has_keepalive);
    EXPECT_EQ(h.keepalive_s, 60);
}

TEST(WireMqtt, RealConnectMQIsdpAgreesWithTshark) {
    // ndpi-mqtt.pcap frame 2: MQIsdp level 3, keep-alive 20.
    const auto b = hex(
        "104000064d514973647003c20014001663626161626362616261636262626262616161616162000c303244353035303232334433000c"
        "303244353035303232334433");
    MqttHeader h;
    ASSERT_TRUE(parse(b, &h));
    EXPECT_EQ(h.type, 1);
    EXPECT_TRUE(h.has_keepalive);
    EXPECT_EQ(h.keepalive_s, 20);
}

TEST(WireMqtt, RealAzureConnectWithTwoByteLengthAgreesWithTshark) {
    // ndpi-mqtt.pcap frame 9: Azure IoT Hub, remaining length 9a 02 (282),
    // keep-alive 600. Only the start matters; the rest is the long password.
    const auto b = hex("109a0200044d51545404c00258001050343737373549443137305732313230004a696f74617a6577706d6c6974");
    MqttHeader h;
    ASSERT_TRUE(parse(b, &h));
    EXPECT_EQ(h.type, 1);
    EXPECT_TRUE(h.has_keepalive);
    EXPECT_EQ(h.keepalive_s, 600);
}

TEST(WireMqtt, RealPingsAgreeWithTshark) {
    // zeek-mqtt.pcap frames 6 (PINGREQ) and 7 (PINGRESP).
    MqttHeader h;
    ASSERT_TRUE(parse(hex("c000"), &h));
    EXPECT_EQ(h.type, 12);
    ASSERT_TRUE(parse(hex("d000"), &h));
    EXPECT_EQ(h.type, 13);
}

}  // namespace
}  // namespace phonehome::wire
