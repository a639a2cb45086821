#include "wire_frame.h"

#include <QtEndian>

namespace chalk::server {

namespace {

// RFC 6455 §5.2: FIN, opcode, no mask (server to client), 7/16/64-bit payload length.
void appendHeader(QByteArray &out, bool fin, quint8 opcode, quint64 length)
{
    out.append(char((fin ? 0x80 : 0x00) | opcode));
    if (length < 126) {
        out.append(char(length));
    } else if (length <= 0xFFFF) {
        out.append(char(126));
        char bytes[2];
        qToBigEndian(quint16(length), bytes);
        out.append(bytes, 2);
    } else {
        out.append(char(127));
        char bytes[8];
        qToBigEndian(length, bytes);
        out.append(bytes, 8);
    }
}

} // namespace

WireFrame::WireFrame(QByteArray utf8Payload)
    : payload(std::move(utf8Payload))
{
    constexpr quint8 text = 0x1;
    constexpr quint8 continuation = 0x0;
    const qsizetype size = payload.size();
    wire.reserve(size + (size / maxFramePayload + 1) * 10);
    qsizetype offset = 0;
    do {
        qsizetype chunk = std::min(maxFramePayload, size - offset);
        // A fragment ends between two characters: RFC 6455 allows a split sequence, but
        // QWebSocket (6.4) checks each frame's UTF-8 on its own and closes with 1007.
        while (offset + chunk < size && chunk > 0 &&
               (uchar(payload[offset + chunk]) & 0xC0) == 0x80)
            --chunk;
        if (chunk == 0) // no character boundary in a whole fragment: not UTF-8 anyway
            chunk = std::min(maxFramePayload, size - offset);
        const bool last = offset + chunk == size;
        appendHeader(wire, last, offset == 0 ? text : continuation, quint64(chunk));
        wire.append(payload.constData() + offset, chunk);
        offset += chunk;
    } while (offset < size);
}

WireFrame WireFrame::control(quint8 opcode, const QByteArray &payload)
{
    WireFrame f;
    f.payload = payload.left(125);
    appendHeader(f.wire, true, opcode, quint64(f.payload.size()));
    f.wire.append(f.payload);
    return f;
}

} // namespace chalk::server
