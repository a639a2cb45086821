// A WebSocket opened by hand over TCP, to do what QWebSocket will not: send a text frame
// that is not UTF-8, never read what the server sends, or answer a ping late (or never).
#pragma once

#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <memory>
#include <optional>

#ifdef Q_OS_UNIX
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace chalk::test {

// A TCP connection to 127.0.0.1:port whose receive buffer is set before connecting, so the
// window it offers stays that small (set later, Linux keeps the window it announced).
inline std::unique_ptr<QTcpSocket> connectWithReceiveBuffer(quint16 port, int bytes)
{
#ifdef Q_OS_UNIX
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return nullptr;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return nullptr;
    }
    auto socket = std::make_unique<QTcpSocket>();
    if (!socket->setSocketDescriptor(fd))
        return nullptr;
    return socket;
#else
    Q_UNUSED(bytes);
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QHostAddress::LocalHost, port);
    return socket->waitForConnected(10000) ? std::move(socket) : nullptr;
#endif
}

// Sends the WebSocket upgrade request on a connected socket; the socket after the 101 answer,
// or nullptr.
inline std::unique_ptr<QTcpSocket> upgradeToWebSocket(std::unique_ptr<QTcpSocket> socket,
                                                      const QUrl &url);

// Opens a WebSocket by hand over TCP, to send what QWebSocket refuses to (invalid UTF-8 in
// a text frame) or to never read. receiveBufferBytes > 0: a reader with that small a window
// (127.0.0.1 only). Returns the socket after the 101 answer, or nullptr.
inline std::unique_ptr<QTcpSocket> rawWebSocket(const QUrl &url, int receiveBufferBytes = 0)
{
    std::unique_ptr<QTcpSocket> socket;
    if (receiveBufferBytes > 0) {
        socket = connectWithReceiveBuffer(quint16(url.port()), receiveBufferBytes);
        if (!socket)
            return nullptr;
    } else {
        socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(url.host(), quint16(url.port()));
        if (!socket->waitForConnected(10000))
            return nullptr;
    }
    return upgradeToWebSocket(std::move(socket), url);
}

// The same from another loopback address (e.g. 127.0.0.2): a second machine, for the caps
// per address.
inline std::unique_ptr<QTcpSocket> rawWebSocketFrom(const QHostAddress &source, const QUrl &url)
{
    auto socket = std::make_unique<QTcpSocket>();
    if (!socket->bind(source, 0))
        return nullptr;
    socket->connectToHost(url.host(), quint16(url.port()));
    if (!socket->waitForConnected(10000))
        return nullptr;
    return upgradeToWebSocket(std::move(socket), url);
}

inline std::unique_ptr<QTcpSocket> upgradeToWebSocket(std::unique_ptr<QTcpSocket> socket,
                                                      const QUrl &url)
{
    socket->write(
        "GET / HTTP/1.1\r\nHost: " + url.host().toLatin1() + ":" + QByteArray::number(url.port()) +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray answer;
    if (!QTest::qWaitFor(
            [&] {
                answer += socket->readAll();
                return answer.contains("\r\n\r\n") ||
                       socket->state() == QAbstractSocket::UnconnectedState;
            },
            10000) ||
        !answer.startsWith("HTTP/1.1 101"))
        return nullptr;
    return socket;
}

// A client frame (masked, as a client must send them): FIN + `opcode` (0x1 text, 0xA pong).
inline QByteArray maskedFrame(int opcode, const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    Q_ASSERT(payload.size() < 65536);
    if (payload.size() < 126) {
        frame.append(char(0x80 | payload.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char(payload.size() >> 8));
        frame.append(char(payload.size() & 0xff));
    }
    const QByteArray mask("\x11\x22\x33\x44", 4);
    frame.append(mask);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

inline QByteArray maskedTextFrame(const QByteArray &payload)
{
    return maskedFrame(0x1, payload);
}

// A frame as the server sends it (not masked).
struct ServerFrame {
    int opcode = 0; // 0x1 text, 0x8 close, 0x9 ping, ...
    QByteArray payload;
};

// Takes the first whole frame off `buffer` (what was read from the socket so far); nullopt
// while it is not all there.
inline std::optional<ServerFrame> takeServerFrame(QByteArray &buffer)
{
    if (buffer.size() < 2)
        return std::nullopt;
    const auto byte = [&](qsizetype i) { return quint64(quint8(buffer[i])); };
    quint64 length = byte(1) & 0x7f;
    qsizetype at = 2;
    if (length == 126 || length == 127) {
        const qsizetype bytes = length == 126 ? 2 : 8;
        if (buffer.size() < at + bytes)
            return std::nullopt;
        length = 0;
        for (qsizetype i = 0; i < bytes; ++i)
            length = (length << 8) | byte(at + i);
        at += bytes;
    }
    if (quint64(buffer.size() - at) < length)
        return std::nullopt;
    ServerFrame frame{int(byte(0) & 0x0f), buffer.mid(at, qsizetype(length))};
    buffer.remove(0, at + qsizetype(length));
    return frame;
}

// Sends enter_room over a hand-made WebSocket.
inline void rawEnterRoom(QTcpSocket &socket, const QString &roomUuid)
{
    socket.write(maskedTextFrame(
        QStringLiteral(R"({"type":"call","payload":{"message":"enter_room","uuid":"%1"}})")
            .arg(roomUuid)
            .toUtf8()));
}

} // namespace chalk::test
