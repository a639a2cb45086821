// Reads the frames a client sends (RFC 6455 §5), byte for byte, so the server sees every one:
// masking, control frames (ping, pong, close) and each fragment of a message. QWebSocket hides
// those (it answers pings itself, accepts unmasked frames and endless empty continuations), so
// ServerCore reads the socket with this instead and counts each frame (docs/SECURITY.md).
// Only the parsing; what a frame may cost a connection is ConnectionPolicy's, what it does is
// ServerCore's. QWebSocket still does the opening handshake and the writes of close frames.
#pragma once

#include <QByteArray>

namespace chalk::server {

// One client frame, or the protocol failure that ends the connection.
struct IncomingFrame {
    enum class Kind {
        Fragment, // a data frame that does not end its message (continuation frames included)
        Text,     // the frame that ends a text message; payload: the whole message, UTF-8
        Binary,   // the frame that ends a binary message; payload: the whole message
        Ping,
        Pong,
        Close,  // closeCode: the peer's (1005 when it gave none), payload: its reason
        Failed, // a protocol violation: close with closeCode; payload: the reason
    };
    Kind kind = Kind::Failed;
    QByteArray payload;
    int closeCode = 0;
};

class FrameReader {
public:
    // `maxMessageBytes`: the largest frame and message accepted (larger fails with 1009).
    explicit FrameReader(qsizetype maxMessageBytes = 64 * 1024)
        : m_maxMessage(maxMessageBytes)
    {}
    void setMaxMessageBytes(qsizetype bytes) { m_maxMessage = bytes; }

    void append(const QByteArray &bytes);
    // The next complete frame, false while its bytes are not all there. After a Failed frame
    // the reader stays failed and returns no more frames.
    bool next(IncomingFrame &frame);
    // Bytes received but not yet returned as frames (at most one frame header and payload).
    qsizetype buffered() const { return m_buffer.size() - m_offset; }

    // RFC 3629: well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
    static bool isValidUtf8(const char *data, qsizetype size);

private:
    bool fail(IncomingFrame &frame, int code, const char *reason);

    QByteArray m_buffer;
    qsizetype m_offset = 0; // start of the next frame in m_buffer
    qsizetype m_maxMessage;
    QByteArray m_message; // the fragments of the message in progress
    bool m_inMessage = false;
    bool m_messageIsText = false;
    bool m_failed = false;
};

} // namespace chalk::server
