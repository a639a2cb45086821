// A statement encoded once, ready to go out on any number of sockets.
//
// QWebSocket::sendTextMessage(QString) re-encodes UTF-16 to UTF-8 and rebuilds the frame for
// every recipient (docs/PERFORMANCE.md: ~55 % of the per-recipient cost of a fan-out). A
// WireFrame holds the UTF-8 payload and the complete RFC 6455 server frame(s) built from it;
// Session writes those bytes straight to the TCP (or TLS) socket under the QWebSocket.
#pragma once

#include <QByteArray>

namespace chalk::server {

struct WireFrame {
    WireFrame() = default;
    explicit WireFrame(QByteArray utf8Payload);
    // A control frame (0x8 close, 0x9 ping, 0xA pong) of at most 125 bytes, written like any
    // other frame so it counts towards the pending-bytes limit (docs/SECURITY.md).
    static WireFrame control(quint8 opcode, const QByteArray &payload);

    QByteArray payload; // the statement's JSON, UTF-8
    QByteArray wire;    // header(s) + payload: unmasked text frame, continuation frames if long

    // Fragment size, as QWebSocket's default outgoing frame size: a peer that limits the
    // frame size it accepts sees the same frames as before.
    static constexpr qsizetype maxFramePayload = 512 * 1024;
};

} // namespace chalk::server
