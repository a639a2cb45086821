// A WebSocket opened by hand over TCP, to do what QWebSocket will not: send a text frame
// that is not UTF-8, or never read what the server sends.
#pragma once

#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <memory>

namespace chalk::test {

// Opens a WebSocket by hand over TCP, to send what QWebSocket refuses to (invalid UTF-8 in
// a text frame). Returns the socket after the 101 answer, or nullptr.
inline std::unique_ptr<QTcpSocket> rawWebSocket(const QUrl &url)
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(url.host(), quint16(url.port()));
    if (!socket->waitForConnected(10000))
        return nullptr;
    socket->write(
        "GET / HTTP/1.1\r\nHost: " + url.host().toLatin1() + ":" + QByteArray::number(url.port()) +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray answer;
    if (!QTest::qWaitFor(
            [&] {
                answer += socket->readAll();
                return answer.contains("\r\n\r\n");
            },
            10000) ||
        !answer.startsWith("HTTP/1.1 101"))
        return nullptr;
    return socket;
}

inline QByteArray maskedTextFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81)); // FIN + text
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

// Sends enter_room over a hand-made WebSocket.
inline void rawEnterRoom(QTcpSocket &socket, const QString &roomUuid)
{
    socket.write(maskedTextFrame(
        QStringLiteral(R"({"type":"call","payload":{"message":"enter_room","uuid":"%1"}})")
            .arg(roomUuid)
            .toUtf8()));
}

} // namespace chalk::test
