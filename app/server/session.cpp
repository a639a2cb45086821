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
}

Session::~Session() = default;

void Session::send(const QString &frame, const QString &messageUuid)
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

void Session::sendDirect(const QString &frame)
{
    if (!m_closed)
        write(frame);
}

void Session::write(const QString &frame)
{
    m_socket->sendTextMessage(frame);
    if (m_maxPendingBytes > 0 && m_socket->bytesToWrite() > m_maxPendingBytes) {
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
