#include "session.h"

#include "logging.h"

#include <QJsonDocument>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#endif

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

const QByteArray &Session::userJson()
{
    if (m_userJson.isEmpty() || m_userJsonName != user.name || m_userJsonRoom != user.roomUuid) {
        m_userJson = QJsonDocument(user.toJson()).toJson(QJsonDocument::Compact);
        m_userJsonName = user.name;
        m_userJsonRoom = user.roomUuid;
    }
    return m_userJson;
}

void Session::setTcpSocket(QTcpSocket *tcp)
{
    m_tcp = tcp;
    m_directFd = -1;
#ifdef Q_OS_UNIX
    // TLS sockets encrypt in Qt: they always go through QSslSocket::write.
    if (tcp && !qobject_cast<QSslSocket *>(tcp))
        m_directFd = tcp->socketDescriptor();
#endif
}

// Writes what the kernel takes now, without waiting: the bytes, or a prefix, or nothing.
qint64 Session::sendNow(const QByteArray &bytes)
{
#ifdef Q_OS_UNIX
    qint64 done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(int(m_directFd), bytes.constData() + done,
                                 size_t(bytes.size() - done), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            done += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break; // EAGAIN: the rest goes through Qt's buffer; an error: Qt's path reports it
    }
    return done;
#else
    Q_UNUSED(bytes);
    return 0;
#endif
}

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
    if (m_tcp) {
        // Straight to the kernel when nothing is queued in Qt (the order stays): a fan-out to
        // 1000 members is then 1000 send(2) calls, instead of 1000 write notifiers switched on,
        // polled, fired and switched off again.
        qint64 sent = 0;
        if (m_directFd >= 0 && m_tcp->bytesToWrite() == 0 &&
            m_tcp->state() == QAbstractSocket::ConnectedState)
            sent = sendNow(frame.wire);
        if (sent > 0)
            m_answerSlack = std::max<qint64>(0, m_answerSlack - sent);
        if (sent < frame.wire.size())
            m_tcp->write(frame.wire.constData() + sent, frame.wire.size() - sent);
    } else
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
