// DTLS record headers as SDK 4.x Kalay sessions carry them: several records
// that fill a payload exactly, and what is not DTLS.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "heuristics/wire/dtls_record.hpp"
#include "test_helpers.hpp"

namespace phonehome::wire {
namespace {

using test::hex;

// A DTLS 1.2 flight as a client sends it: ChangeCipherSpec, then an
// encrypted handshake record (epoch 1), then a ClientHello of epoch 0
// (the order does not matter here, the framing does).
const std::vector<uint8_t> kFlight = hex(
    "14fefd0000000000000005000101"                          // ChangeCipherSpec, length 1
    "16fefd000100000000000600040a0b0c0d"                    // Handshake, epoch 1, length 4 (encrypted)
    "16fefd0000000000000007000501000000aa");                // Handshake, epoch 0: ClientHello

TEST(WireDtls, RecordsThatFillThePayload) {
    DtlsRecord r[kMaxDtlsRecords];
    size_t n = 0;
    ASSERT_TRUE(read_dtls_records(kFlight.data(), kFlight.size(), r, &n));
    ASSERT_EQ(n, 3u);
    EXPECT_EQ(r[0].content_type, 20);
    EXPECT_EQ(r[0].length, 1);
    EXPECT_EQ(r[0].handshake_type, -1);
    EXPECT_EQ(r[1].offset, 14u);
    EXPECT_EQ(r[1].epoch, 1);
    EXPECT_EQ(r[1].handshake_type, -1);  // encrypted: no type to read
    EXPECT_EQ(r[2].offset, 14u + 17u);
    EXPECT_EQ(r[2].handshake_type, 1);
    EXPECT_STREQ(dtls_handshake_type_name(r[2].handshake_type), "ClientHello");
    EXPECT_EQ(r[2].version, 0xFEFD);
}

TEST(WireDtls, WhatIsNotDtls) {
    DtlsRecord r[kMaxDtlsRecords];
    size_t n = 0;
    // One byte short, one byte too many, a TLS version, an unknown content type.
    EXPECT_FALSE(read_dtls_records(kFlight.data(), kFlight.size() - 1, r, &n));
    auto longer = kFlight;
    longer.push_back(0);
    EXPECT_FALSE(read_dtls_records(longer.data(), longer.size(), r, &n));
    auto tls = kFlight;
    tls[1] = 0x03, tls[2] = 0x03;
    EXPECT_FALSE(read_dtls_records(tls.data(), tls.size(), r, &n));
    auto odd = kFlight;
    odd[0] = 0x30;
    EXPECT_FALSE(read_dtls_records(odd.data(), odd.size(), r, &n));
    EXPECT_FALSE(read_dtls_records(kFlight.data(), 0, r, &n));
    EXPECT_EQ(n, 0u);
}

}  // namespace
}  // namespace phonehome::wire
