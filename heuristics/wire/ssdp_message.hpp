// Reads how a UPnP device describes itself in SSDP (UDP 1900, HTTP over UDP,
// UPnP Device Architecture 2.0 section 1): the kind of message and the
// header values that name the device, its software and its description URL.
// The plugin hands the UDP payload here.
//
// Every read is bounds-checked against `len`; nothing throws except
// std::bad_alloc; values are capped.
//
// What a caller should take as the device's identity: SERVER in the
// device's NOTIFY and in its 200 responses to a search ("Linux/3.14 UPnP/1.0
// IpBridge/1.26.0": OS, UPnP version, product and version), which names its
// software and often its vendor or model; USN's "uuid:..." is a stable ID of
// the device; LOCATION is the URL of its description document (friendly
// name, manufacturer, model; not fetched here). USER-AGENT is what a control
// point (a phone app, a TV) says in its M-SEARCH, naming the searcher, not a
// device found.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace phonehome::wire {

enum class SsdpKind : uint8_t {
    Notify,   // "NOTIFY * HTTP/1.1": an announcement (alive, byebye, update)
    MSearch,  // "M-SEARCH * HTTP/1.1": a search
    Response  // "HTTP/1.1 200 OK": a device answering a search
};

struct SsdpMessage {
    SsdpKind kind = SsdpKind::Notify;
    uint16_t status = 0;  // Response: the status code; 0 otherwise
    // The header values, "" when absent. Each is the first occurrence of
    // its header, with leading and trailing spaces and tabs removed, cut to
    // its first kSsdpMaxValue bytes, and written by the free-text rule of
    // printable_text.hpp (so at most printable_max_text(kSsdpMaxValue)
    // characters).
    std::string server;      // SERVER
    std::string user_agent;  // USER-AGENT
    std::string nt;          // NT: the notification type of a NOTIFY
    std::string st;          // ST: the search target of an M-SEARCH or a response
    std::string nts;         // NTS: "ssdp:alive", "ssdp:byebye", "ssdp:update"
    std::string usn;         // USN: the unique service name, "uuid:<device>::<type>"
    std::string location;    // LOCATION: the URL of the device description
};

inline constexpr size_t kSsdpMaxValue = 512;
inline constexpr size_t kSsdpMaxHeaderLines = 64;

// Which header values to read: a bit per SsdpMessage value.
namespace ssdp_field {
inline constexpr uint32_t kServer = 1u << 0, kUserAgent = 1u << 1, kNt = 1u << 2, kSt = 1u << 3, kNts = 1u << 4,
                          kUsn = 1u << 5, kLocation = 1u << 6;
inline constexpr uint32_t kAll = (1u << 7) - 1;
}  // namespace ssdp_field

// `data` is the SSDP message (a UDP payload). Resets *out and fills it.
//
// Only the values whose bits are in `fields` are read; the others stay "",
// and reading stops at the line that completes them (the plugin wants only
// SERVER, from every NOTIFY of every device: escaping and copying the other
// six values cost more than finding it).
//
// Lines end with LF, an optional CR before it dropped. False unless the
// first line is whole and is a start line: "NOTIFY" or "M-SEARCH", a space,
// a request target, a space and "HTTP/<digit>.<digit>"; or
// "HTTP/<digit>.<digit>", a space and a three-digit status code. Otherwise
// true, with the headers read from the lines that follow, up to an empty
// line, a line not ended by LF (cut short), or kSsdpMaxHeaderLines lines.
// Header names are compared case-insensitively, after dropping the blanks
// before the colon; a line without a colon, or that starts with a space or
// tab (an obsolete continuation line), names no header. A truncated message gives a prefix of what the whole message
// gives: each value it has is the whole message's.
bool parse_ssdp_message(const uint8_t *data, size_t len, SsdpMessage *out, uint32_t fields = ssdp_field::kAll);

}  // namespace phonehome::wire
