#include "session.h"

#include "logging.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

namespace chalk::server {

Session::Session(QWebSocket *socket, qint64 maxPendingBytes, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_maxPendingBytes(maxPendingBytes)
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::bytesWritten, this, [this](qint64 written) {
        m_answerSlack = std::max<qint64>(0, m_answerSlack - written);
    });
}

Session::~Session() = default;

void Session::send(const WireFrame &frame, const QString &messageUuid)
{
    if (m_closed)
        return;
    if (!m_skipOnce.isEmpty() && !messageUuid.isEmpty() && m_skipOnce.remove(messageUuid))
        return;
    if (m_holding) {
        m_held.append({frame, messageUuid});
        return;
    }
    write(frame);
}

void Session::sendDirect(const WireFrame &frame)
{
    if (m_closed)
        return;
    // An answer the peer asked for (a 10 000-stroke board is ~6 MB) does not count against
    // the backpressure limit while it drains; the largest one only, so a peer that asks
    // again and again without reading is still cut off.
    m_answerSlack = std::max(m_answerSlack, qint64(frame.wire.size()));
    write(frame);
}

void Session::write(const WireFrame &frame)
{
    // The frame's bytes go straight to the socket under the QWebSocket: whole frames, written
    // synchronously, as QWebSocket writes its own (pings, close), so they never interleave.
    if (m_tcp)
        m_tcp->write(frame.wire);
    else
        m_socket->sendTextMessage(QString::fromUtf8(frame.payload));
    if (m_maxPendingBytes > 0 && m_socket->bytesToWrite() - m_answerSlack > m_maxPendingBytes) {
        qCWarning(lcServer) << "cutting off" << m_socket->peerAddress().toString() << "user"
                            << user.uuid << ":" << m_socket->bytesToWrite()
                            << "bytes unsent (it does not read)";
        m_closed = true;
        // Later, not now: the caller may be iterating over a room's members, and aborting
        // removes this session from them (disconnected is emitted synchronously).
        // Aborted, not closed with 1008: a close frame would sit behind the unsent data the
        // peer does not read, and QWebSocket::close() on the server side discards that data
        // and drops the connection anyway (tried: the peer never saw the close frame).
        QMetaObject::invokeMethod(m_socket, &QWebSocket::abort, Qt::QueuedConnection);
    }
}

void Session::hold()
{
    m_holding = true;
}

void Session::release(const QSet<QString> &alreadySent, QSet<QString> stillToCome)
{
    m_holding = false;
    m_skipOnce = std::move(stillToCome);
    const QList<Held> held = std::exchange(m_held, {});
    for (const Held &h : held) {
        if (!h.messageUuid.isEmpty() && alreadySent.contains(h.messageUuid))
            continue;
        send(h.frame);
    }
}

void Session::close(int code, const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    closeSocket(code, reason);
}

void Session::closeSocket(int code, const QString &reason)
{
    QWebSocket *socket = m_socket;
    socket->close(QWebSocketProtocol::CloseCode(code), reason);
    QTimer::singleShot(closeGraceMs, socket, [socket] {
        if (socket->state() != QAbstractSocket::UnconnectedState)
            socket->abort();
    });
}

} // namespace chalk::server
