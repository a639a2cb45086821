#include "raw_ws_client.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QtEndian>

namespace chalk::bench {

namespace {

enum Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// One generator per worker thread: masks are drawn per frame, and the global generator locks.
quint32 randomWord()
{
    thread_local QRandomGenerator rng(QRandomGenerator::global()->generate());
    return rng.generate();
}

QByteArray acceptFor(const QByteArray &key)
{
    return QCryptographicHash::hash(key + QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                    QCryptographicHash::Sha1)
        .toBase64();
}

} // namespace

RawWsClient::RawWsClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::connected, this, &RawWsClient::onConnected);
    connect(&m_socket, &QTcpSocket::readyRead, this, &RawWsClient::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, &RawWsClient::finish);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        // A close frame may sit unread behind the error (server closed right after).
        if (m_socket.bytesAvailable() > 0)
            onReadyRead();
        fail(QStringLiteral("socket_error"));
    });
}

void RawWsClient::open(const QUrl &url)
{
    if (url.scheme() != QLatin1String("ws")) {
        // Signals after open() returns, as a socket error would.
        QMetaObject::invokeMethod(
            this, [this] { fail(QStringLiteral("unsupported_scheme")); }, Qt::QueuedConnection);
        return;
    }
    quint32 raw[4];
    for (quint32 &w : raw)
        w = randomWord();
    m_key = QByteArray(reinterpret_cast<const char *>(raw), sizeof raw).toBase64();
    QByteArray resource = url.path(QUrl::FullyEncoded).toUtf8();
    if (resource.isEmpty())
        resource = "/";
    if (url.hasQuery())
        resource += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    const int port = url.port(80);
    m_request = "GET " + resource + " HTTP/1.1\r\nHost: " + url.host(QUrl::FullyEncoded).toUtf8() +
                ':' + QByteArray::number(port) +
                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + m_key +
                "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    m_socket.connectToHost(url.host(), quint16(port));
}

void RawWsClient::onConnected()
{
    // Small frames are latency probes: no Nagle delay on our side.
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket.write(m_request);
    m_request.clear();
}

void RawWsClient::abort()
{
    m_over = true; // a deliberate close reports nothing
    m_socket.abort();
}

void RawWsClient::fail(const QString &kind)
{
    if (m_over)
        return;
    m_over = true;
    emit failed(kind);
    m_socket.abort();
}

void RawWsClient::finish()
{
    if (m_over)
        return;
    m_over = true;
    emit disconnected();
}

void RawWsClient::onReadyRead()
{
    if (m_over)
        return;
    // Read straight into the tail of the buffer: no temporary QByteArray per read.
    const qint64 n = m_socket.bytesAvailable();
    if (n <= 0)
        return;
    const qsizetype old = m_buf.size();
    m_buf.resize(old + qsizetype(n));
    const qint64 got = m_socket.read(m_buf.data() + old, n);
    m_buf.resize(old + qsizetype(std::max<qint64>(got, 0)));
    if (!m_upgraded && !readHandshake())
        return;
    parseFrames();
    if (m_over)
        return;
    if (m_pos > 0) {
        m_buf.remove(0, m_pos); // only a partial frame is left, usually nothing
        m_pos = 0;
    }
}

bool RawWsClient::readHandshake()
{
    const qsizetype end = m_buf.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_buf.size() > maxHandshakeBytes)
            fail(QStringLiteral("handshake"));
        return false;
    }
    const QList<QByteArray> lines = QByteArrayView(m_buf).first(end).toByteArray().split('\n');
    bool accepted = false;
    bool upgrade = false;
    const QByteArray expected = acceptFor(m_key);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = lines[i].left(colon).trimmed().toLower();
        const QByteArray value = lines[i].mid(colon + 1).trimmed();
        if (name == "sec-websocket-accept")
            accepted = value == expected;
        else if (name == "upgrade")
            upgrade = value.compare("websocket", Qt::CaseInsensitive) == 0;
    }
    if (lines.isEmpty() || !lines[0].startsWith("HTTP/1.1 101") || !accepted || !upgrade) {
        fail(QStringLiteral("handshake"));
        return false;
    }
    m_upgraded = true;
    m_pos = end + 4; // frames may follow in the same read
    return true;
}

void RawWsClient::parseFrames()
{
    while (!m_over) {
        const qsizetype avail = m_buf.size() - m_pos;
        if (avail < 2)
            return;
        const auto *p = reinterpret_cast<const uchar *>(m_buf.constData() + m_pos);
        const bool fin = p[0] & 0x80;
        const quint8 opcode = p[0] & 0x0f;
        if ((p[0] & 0x70) || (p[1] & 0x80)) { // no extensions; servers never mask
            fail(QStringLiteral("protocol"));
            return;
        }
        quint64 len = p[1] & 0x7f;
        qsizetype header = 2;
        if (len == 126) {
            if (avail < 4)
                return;
            len = qFromBigEndian<quint16>(p + 2);
            header = 4;
        } else if (len == 127) {
            if (avail < 10)
                return;
            len = qFromBigEndian<quint64>(p + 2);
            header = 10;
        }
        // Judged before waiting for the payload: the length alone may be absurd.
        if (len > quint64(maxMessageBytes)) {
            fail(QStringLiteral("frame_too_large"));
            return;
        }
        if (quint64(avail - header) < len)
            return;
        const QByteArrayView payload(m_buf.constData() + m_pos + header, qsizetype(len));
        m_pos += header + qsizetype(len);
        if (opcode >= Close && (!fin || len > 125)) { // control frames: whole and short
            fail(QStringLiteral("protocol"));
            return;
        }
        switch (opcode) {
        case Text:
            if (m_inMessage) {
                fail(QStringLiteral("protocol"));
                return;
            }
            if (fin) {
                emit textReceived(payload.toByteArray());
            } else {
                m_message = payload.toByteArray();
                m_inMessage = true;
            }
            break;
        case Continuation:
            if (!m_inMessage) {
                fail(QStringLiteral("protocol"));
                return;
            }
            if (m_message.size() + payload.size() > maxMessageBytes) {
                fail(QStringLiteral("frame_too_large"));
                return;
            }
            m_message += payload;
            if (fin) {
                m_inMessage = false;
                const QByteArray whole = std::exchange(m_message, {});
                emit textReceived(whole);
            }
            break;
        case Ping:
            sendFrame(Pong, payload);
            break;
        case Pong:
            emit pong();
            break;
        case Close:
            m_closeCode = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.data()) : 1005;
            m_closeReason =
                QString::fromUtf8(payload.size() > 2 ? payload.sliced(2) : payload.first(0));
            // Answer with the same code, then the server closes the TCP connection.
            sendFrame(Close, payload.first(std::min<qsizetype>(payload.size(), 2)));
            m_socket.disconnectFromHost();
            finish();
            return;
        default: // the statement protocol is text only
            fail(QStringLiteral("protocol"));
            return;
        }
    }
}

void RawWsClient::sendText(QByteArrayView utf8)
{
    sendFrame(Text, utf8);
}

void RawWsClient::ping(QByteArrayView payload)
{
    sendFrame(Ping, payload.first(std::min<qsizetype>(payload.size(), 125)));
}

void RawWsClient::sendFrame(quint8 opcode, QByteArrayView payload)
{
    if (m_over || !m_upgraded)
        return;
    const qsizetype len = payload.size();
    const qsizetype header = len < 126 ? 2 : len < 65536 ? 4 : 10;
    QByteArray frame(header + 4 + len, Qt::Uninitialized);
    auto *out = reinterpret_cast<uchar *>(frame.data());
    out[0] = 0x80 | opcode;
    if (len < 126) {
        out[1] = 0x80 | uchar(len);
    } else if (len < 65536) {
        out[1] = 0x80 | 126;
        qToBigEndian<quint16>(quint16(len), out + 2);
    } else {
        out[1] = 0x80 | 127;
        qToBigEndian<quint64>(quint64(len), out + 2);
    }
    // Client frames are masked (RFC 6455 5.3), with a fresh key per frame.
    const quint32 word = randomWord();
    uchar mask[4];
    std::memcpy(mask, &word, 4);
    std::memcpy(out + header, mask, 4);
    uchar *body = out + header + 4;
    const auto *in = reinterpret_cast<const uchar *>(payload.data());
    for (qsizetype i = 0; i < len; ++i)
        body[i] = in[i] ^ mask[i & 3];
    m_socket.write(frame);
}

} // namespace chalk::bench
