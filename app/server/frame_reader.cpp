// FrameReader (frame_reader.h): client frames off the byte stream, RFC 6455 §5.2.
#include "frame_reader.h"

#include <QtEndian>

namespace chalk::server {

namespace {
constexpr int kOpContinuation = 0x0;
constexpr int kOpText = 0x1;
constexpr int kOpBinary = 0x2;
constexpr int kOpClose = 0x8;
constexpr int kOpPing = 0x9;
constexpr int kOpPong = 0xA;

constexpr int kCloseProtocolError = 1002;
constexpr int kCloseBadPayload = 1007; // not UTF-8 where text is required
constexpr int kCloseTooBig = 1009;
constexpr int kCloseNoStatus = 1005;

// RFC 6455 §7.4: the codes a peer may send in a close frame.
bool isSendableCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
           (code >= 3000 && code <= 4999);
}
} // namespace

void FrameReader::append(const QByteArray &bytes)
{
    if (m_failed)
        return;
    // What was returned is dropped once it is most of the buffer, so the buffer holds about one
    // frame, not the whole connection.
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(bytes);
}

bool FrameReader::fail(IncomingFrame &frame, int code, const char *reason)
{
    m_failed = true;
    m_buffer.clear();
    m_offset = 0;
    m_message.clear();
    frame = {IncomingFrame::Kind::Failed, QByteArray(reason), code};
    return true;
}

bool FrameReader::next(IncomingFrame &frame)
{
    if (m_failed)
        return false;
    const qsizetype available = m_buffer.size() - m_offset;
    if (available < 2)
        return false;
    const auto *p = reinterpret_cast<const uchar *>(m_buffer.constData() + m_offset);
    const bool fin = p[0] & 0x80;
    const int opcode = p[0] & 0x0f;
    const bool masked = p[1] & 0x80;
    quint64 length = p[1] & 0x7f;
    qsizetype header = 2;
    if (length == 126)
        header += 2;
    else if (length == 127)
        header += 8;
    if (available < header)
        return false;
    if (length == 126)
        length = qFromBigEndian<quint16>(p + 2);
    else if (length == 127)
        length = qFromBigEndian<quint64>(p + 2);

    if (p[0] & 0x70)
        return fail(frame, kCloseProtocolError, "reserved bits set without an extension");
    // §5.1: "The server MUST close the connection upon receiving a frame that is not masked."
    if (!masked)
        return fail(frame, kCloseProtocolError, "client frames must be masked");
    const bool control = opcode & 0x8;
    if (control) {
        if (opcode != kOpClose && opcode != kOpPing && opcode != kOpPong)
            return fail(frame, kCloseProtocolError, "unknown control opcode");
        if (!fin || length > 125)
            return fail(frame, kCloseProtocolError, "control frames are short and not fragmented");
    } else {
        if (opcode != kOpContinuation && opcode != kOpText && opcode != kOpBinary)
            return fail(frame, kCloseProtocolError, "unknown data opcode");
        if (opcode == kOpContinuation && !m_inMessage)
            return fail(frame, kCloseProtocolError, "continuation frame without a message");
        if (opcode != kOpContinuation && m_inMessage)
            return fail(frame, kCloseProtocolError, "new message before the last one ended");
        // Checked before waiting for the payload: a peer cannot make us buffer a huge frame.
        if (length > quint64(m_maxMessage) ||
            quint64(m_message.size()) + length > quint64(m_maxMessage))
            return fail(frame, kCloseTooBig, "message too big");
    }
    header += 4; // the masking key
    if (available < header || quint64(available - header) < length)
        return false;

    const uchar *mask = p + header - 4;
    QByteArray payload(reinterpret_cast<const char *>(p + header), qsizetype(length));
    char *d = payload.data();
    for (qsizetype i = 0; i < payload.size(); ++i)
        d[i] = char(d[i] ^ mask[i & 3]);
    m_offset += header + qsizetype(length);

    if (control) {
        if (opcode == kOpPing) {
            frame = {IncomingFrame::Kind::Ping, payload, 0};
        } else if (opcode == kOpPong) {
            frame = {IncomingFrame::Kind::Pong, payload, 0};
        } else if (payload.isEmpty()) {
            frame = {IncomingFrame::Kind::Close, {}, kCloseNoStatus};
        } else {
            const int code = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : 0;
            if (!isSendableCloseCode(code))
                return fail(frame, kCloseProtocolError, "invalid close code");
            if (!isValidUtf8(payload.constData() + 2, payload.size() - 2))
                return fail(frame, kCloseBadPayload, "close reason is not UTF-8");
            frame = {IncomingFrame::Kind::Close, payload.mid(2), code};
        }
        return true;
    }

    if (opcode != kOpContinuation) {
        m_inMessage = true;
        m_messageIsText = opcode == kOpText;
    }
    if (!fin) {
        m_message.append(payload);
        frame = {IncomingFrame::Kind::Fragment, {}, 0};
        return true;
    }
    m_inMessage = false;
    QByteArray message = m_message.isEmpty() ? payload : std::exchange(m_message, {}) + payload;
    if (m_messageIsText) {
        if (!isValidUtf8(message.constData(), message.size()))
            return fail(frame, kCloseBadPayload, "text message is not UTF-8");
        frame = {IncomingFrame::Kind::Text, std::move(message), 0};
    } else {
        frame = {IncomingFrame::Kind::Binary, std::move(message), 0};
    }
    return true;
}

bool FrameReader::isValidUtf8(const char *data, qsizetype size)
{
    const auto *s = reinterpret_cast<const uchar *>(data);
    qsizetype i = 0;
    while (i < size) {
        const uchar c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra;
        uint cp;
        uint min;
        if ((c & 0xe0) == 0xc0) {
            extra = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false; // a continuation byte first, or 0xf8..0xff
        }
        if (size - i <= extra)
            return false;
        for (int k = 1; k <= extra; ++k) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += extra + 1;
    }
    return true;
}

} // namespace chalk::server
