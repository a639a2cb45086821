#include "session.h"

#include "logging.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QtEndian>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#endif

namespace chalk::server {

namespace {
constexpr quint8 kOpClose = 0x8;
constexpr quint8 kOpPing = 0x9;
constexpr quint8 kOpPong = 0xA;
} // namespace

void WriteQueue::add(Session *s)
{
    m_dirty.append(s);
    if (!m_scheduled) {
        m_scheduled = true;
        // A posted call runs when the loop next sends posted events: after every socket
        // notifier and timer of this turn, so all their fan-out is in the outboxes.
        QMetaObject::invokeMethod(this, &WriteQueue::flushAll, Qt::QueuedConnection);
    }
}

void WriteQueue::flushAll()
{
    m_scheduled = false;
    const QList<QPointer<Session>> dirty = std::exchange(m_dirty, {});
    for (const QPointer<Session> &s : dirty) {
        if (s)
            s->flushOutbox();
    }
}

Session::Session(QWebSocket *socket, qint64 maxPendingBytes, QObject *parent,
                 WriteQueue *writeQueue)
    : QObject(parent)
    , m_socket(socket)
    , m_writeQueue(writeQueue)
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
    // The uuid too: a resume makes this session another user.
    if (m_userJson.isEmpty() || !(m_userJsonKey == m_user)) {
        m_userJson = QJsonDocument(m_user.toJson()).toJson(QJsonDocument::Compact);
        m_userJsonKey = m_user;
    }
    return m_userJson;
}

void Session::becomeUser(protocol::User user, QByteArray tokenHash)
{
    m_user = std::move(user);
    m_tokenHash = std::move(tokenHash);
}

void Session::forgetUser()
{
    m_user = {};
    m_tokenHash.clear();
    m_authenticated = false;
}

void Session::ping()
{
    if (m_closed)
        return;
    m_awaitingPong = true;
    const quint64 nonce = QRandomGenerator::global()->generate64();
    m_pingPayload = QByteArray(reinterpret_cast<const char *>(&nonce), sizeof nonce);
    write(WireFrame::control(kOpPing, m_pingPayload));
}

void Session::notePong(const QByteArray &payload)
{
    if (m_awaitingPong && payload == m_pingPayload)
        m_awaitingPong = false;
}

void Session::answerPing(const QByteArray &payload)
{
    if (!m_closed)
        write(WireFrame::control(kOpPong, payload));
}

void Session::answerClose(int code)
{
    if (!m_closed) {
        // RFC 6455 §5.5.1: echo the status code; "no status" (1005) is never sent.
        QByteArray echo;
        if (code != 1005) {
            echo.resize(2);
            qToBigEndian(quint16(code), echo.data());
        }
        write(WireFrame::control(kOpClose, echo));
        flushOutbox();
        m_closed = true;
    }
    // Both close frames are out: the TCP connection ends once what is queued is written.
    if (m_tcp)
        m_tcp->disconnectFromHost();
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

// Writes what the kernel takes now, without waiting: all the frames, a prefix of their
// bytes, or nothing. Returns the number of bytes written.
qint64 Session::sendNow(const QList<QByteArray> &frames)
{
#ifdef Q_OS_UNIX
    constexpr int maxIov = 64;
    qint64 done = 0;     // bytes written in total
    qsizetype first = 0; // first frame not completely written
    qint64 offsetInFirst = 0;
    while (first < frames.size()) {
        iovec iov[maxIov];
        int n = 0;
        for (qsizetype i = first; i < frames.size() && n < maxIov; ++i, ++n) {
            const qint64 skip = i == first ? offsetInFirst : 0;
            iov[n].iov_base = const_cast<char *>(frames[i].constData() + skip);
            iov[n].iov_len = size_t(frames[i].size() - skip);
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = n;
        const ssize_t sent = ::sendmsg(int(m_directFd), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            break; // EAGAIN: the rest goes through Qt's buffer; an error: Qt's path reports it
        done += sent;
        qint64 left = sent + offsetInFirst;
        while (first < frames.size() && left >= frames[first].size()) {
            left -= frames[first].size();
            ++first;
        }
        offsetInFirst = left;
    }
    return done;
#else
    Q_UNUSED(frames);
    return 0;
#endif
}

qint64 Session::pendingBytes() const
{
    // Asking the sockets costs two cold d-pointers per recipient (5 % of a big fan-out): on
    // the direct path Qt's buffer only holds bytes once the kernel refused some.
    if (m_directFd >= 0 && m_writeQueue && !m_qtBuffered)
        return m_outboxBytes;
    return m_socket->bytesToWrite() + m_outboxBytes;
}

void Session::flushOutbox()
{
    if (m_outbox.isEmpty())
        return;
    const QList<QByteArray> frames = std::exchange(m_outbox, {});
    m_outboxBytes = 0;
    if (m_closed || !m_tcp || m_tcp->state() != QAbstractSocket::ConnectedState)
        return; // cut off or gone: nobody to write to
    // Straight to the kernel when nothing waits in Qt's buffer (so the order stays); what the
    // kernel does not take goes through Qt's buffer as before.
    m_qtBuffered = m_tcp->bytesToWrite() > 0;
    const qint64 sent = m_qtBuffered ? 0 : sendNow(frames);
    if (sent > 0)
        m_answerSlack = std::max<qint64>(0, m_answerSlack - sent);
    qint64 skip = sent;
    for (const QByteArray &f : frames) {
        if (skip >= f.size()) {
            skip -= f.size();
            continue;
        }
        m_tcp->write(f.constData() + skip, f.size() - skip);
        m_qtBuffered = true;
        skip = 0;
    }
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
    if (m_tcp && m_directFd >= 0 && m_writeQueue) {
        if (m_outbox.isEmpty())
            m_writeQueue->add(this);
        m_outbox.append(frame.wire);
        m_outboxBytes += frame.wire.size();
    } else if (m_tcp) {
        m_tcp->write(frame.wire);
    } else {
        m_socket->sendTextMessage(QString::fromUtf8(frame.payload));
    }
    if (m_maxPendingBytes > 0 && pendingBytes() - m_answerSlack > m_maxPendingBytes) {
        qCWarning(lcServer) << "cutting off" << m_socket->peerAddress().toString() << "user"
                            << m_user.uuid << ":" << pendingBytes()
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
    closeSocket(code, reason);
}

void Session::closeSocket(int code, const QString &reason)
{
    QWebSocket *socket = m_socket;
    if (m_tcp) {
        // Our own close frame, after what was said before it, and the socket kept open: the
        // peer may still be sending (a flood we cut), and closing a socket with unread input
        // resets it, so the peer would never read the close frame. Its close frame ends the
        // connection (answerClose); the grace timer below ends one that never sends it.
        QByteArray payload(2, Qt::Uninitialized);
        qToBigEndian(quint16(code), payload.data());
        payload += reason.toUtf8().left(123);
        write(WireFrame::control(kOpClose, payload));
        flushOutbox();
        m_closed = true;
        m_tcp->flush();
    } else {
        m_closed = true;
        socket->close(QWebSocketProtocol::CloseCode(code), reason);
    }
    QTimer::singleShot(m_closeGraceMs, socket, [socket] {
        if (socket->state() != QAbstractSocket::UnconnectedState)
            socket->abort();
    });
}

} // namespace chalk::server
