// A minimal WebSocket client (RFC 6455) on QTcpSocket for the load generator. QWebSocket's
// read path (QWebSocketDataProcessor, UTF-8 -> QString, several signals per frame) cost the
// generator ~10 us of CPU per delivery, which made it the bottleneck of the 1000-client
// scenario; this one hands each text message on as its UTF-8 bytes, parsed in place.
// Only ws:// (no TLS, no extensions, no subprotocols): a benchmark tool, not a general client.
#pragma once

#include <QAbstractSocket>
#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTcpSocket>
#include <QUrl>

namespace chalk::bench {

class RawWsClient : public QObject {
    Q_OBJECT
public:
    // Larger frames or messages from the server fail the client ("frame_too_large"): the
    // size is peer-controlled, and nothing the server sends a benchmark comes near it.
    static constexpr qint64 maxMessageBytes = 64 * 1024 * 1024;
    static constexpr qsizetype maxHandshakeBytes = 16 * 1024;

    explicit RawWsClient(QObject *parent = nullptr);

    void open(const QUrl &url);
    void sendText(QByteArrayView utf8); // one masked text frame
    void ping(QByteArrayView payload = {});
    void abort();

    // 1006 (abnormal closure) until the server sent a close frame.
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    QAbstractSocket::SocketError socketError() const { return m_socket.error(); }

signals:
    void textReceived(const QByteArray &utf8);
    void pong();
    void disconnected();
    // kind: socket_error, handshake, protocol, frame_too_large, unsupported_scheme
    void failed(const QString &kind);

private:
    void onConnected();
    void onReadyRead();
    bool readHandshake(); // false: need more bytes, or failed
    void parseFrames();
    void sendFrame(quint8 opcode, QByteArrayView payload);
    void fail(const QString &kind);
    void finish(); // the connection is over: one disconnected(), then silence

    QTcpSocket m_socket;
    QByteArray m_key; // Sec-WebSocket-Key, base64
    QByteArray m_buf; // unparsed bytes from the server
    qsizetype m_pos = 0;
    bool m_upgraded = false;
    bool m_over = false;
    QByteArray m_message; // text message being reassembled from continuation frames
    bool m_inMessage = false;
    int m_closeCode = 1006;
    QString m_closeReason;
    QByteArray m_request;
};

} // namespace chalk::bench
