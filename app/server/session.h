// One connected peer: its socket, its user, and the statements it sent that wait to be served.
// Calls of one session are served one after the other (ServerCore::runSession), so answers
// come in the order of the calls even when a handler awaits storage.
#pragma once

#include "frame_reader.h"
#include "login_throttle.h"
#include "peer_allowance.h"
#include "protocol/codec.h"
#include "protocol/objects.h"
#include "wire_frame.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QSet>
#include <QString>
#include <QTcpSocket>

class QWebSocket;

namespace chalk::server {

class Session;
using SessionPtr = QPointer<Session>;

// Frames written to plain-TCP sessions during one turn of the event loop go out together at
// its end: one sendmsg(2) per socket per turn, however many statements it got, and none of
// the write-notifier round trips of QTcpSocket's buffer. One per ServerCore.
class WriteQueue : public QObject {
public:
    using QObject::QObject;
    void add(Session *s);
    void flushAll();

private:
    QList<QPointer<Session>> m_dirty;
    bool m_scheduled = false;
};

class Session : public QObject {
    Q_OBJECT
public:
    Session(QWebSocket *socket, qint64 maxPendingBytes, QObject *parent,
            WriteQueue *writeQueue = nullptr);
    ~Session() override;

    QWebSocket *socket() const { return m_socket; }
    // The TCP (or TLS) socket under the WebSocket (QWebSocket does not expose it), or null.
    void setTcpSocket(QTcpSocket *tcp);

    // Sends one encoded statement. `messageUuid` names the message a message_created frame
    // carries, so a held frame that repeats the history page just sent can be dropped.
    void send(const WireFrame &frame, const QString &messageUuid = {});
    // An answer to this session's own call: never held back.
    void sendDirect(const WireFrame &frame);
    // While entering a room, room fan-out is held back until the history page is out, so the
    // client sees room_entered, messages_listed, drawing_got first and no message is missed.
    void hold();
    // `alreadySent`: the page just sent. `stillToCome`: those of them whose fan-out has not
    // happened yet (stored, but the store's completion not yet handled); each is dropped
    // once when it comes, since the order in which storage completions reach the event loop
    // is not the order in which the storage thread finished them.
    void release(const QSet<QString> &alreadySent, QSet<QString> stillToCome);

    // Sends a close frame with `code`; a peer that has not finished the close handshake
    // after closeGraceMs (e.g. it does not read, so the frame cannot be flushed) is aborted.
    void close(int code, const QString &reason);
    bool isClosed() const { return m_closed; }
    void markClosed() { m_closed = true; }
    // Writes the frames queued this turn (WriteQueue calls it).
    void flushOutbox();

    // Who this connection is: a user (with the hash of its resume token), and its room.
    const protocol::User &user() const { return m_user; }
    const QString &roomUuid() const { return m_user.roomUuid; }
    const QByteArray &tokenHash() const { return m_tokenHash; }
    // A new or resumed user: in no room until it enters one.
    void becomeUser(protocol::User user, QByteArray tokenHash);
    // Logged out where accounts are required: no identity until the next register or login.
    void forgetUser();
    bool isRegistered() const { return m_user.registered; }
    void rename(const QString &name) { m_user.name = name; }
    // Only RoomRegistry calls these, so a room's members and its sessions' rooms agree.
    void enterRoom(const QString &roomUuid) { m_user.roomUuid = roomUuid; }
    void leaveRoom() { m_user.roomUuid.clear(); }
    // user().toJson() encoded, kept while the user stays the same.
    const QByteArray &userJson();

    // Broadcasts (room_created, room_changed) reach it only once authenticated: after
    // user_created, so they never come before it.
    bool isAuthenticated() const { return m_authenticated; }
    void markAuthenticated() { m_authenticated = true; }
    // The server password was given, or none is asked: register and login are served.
    bool isAdmitted() const { return m_admitted; }
    void markAdmitted() { m_admitted = true; }
    // Its failed password checks (LoginThrottle decides with them).
    FailureCount &loginFailures() { return m_loginFailures; }
    // True once: the first run greets the peer (user_created or the password request).
    bool takeGreeting() { return !std::exchange(m_greeted, true); }

    // Statements decoded on arrival (rate limits need the call), served one after the other.
    qsizetype waitingCalls() const { return m_inbox.size(); }
    bool hasWaitingCalls() const { return !m_inbox.isEmpty(); }
    void queueCall(protocol::Decoded decoded) { m_inbox.enqueue(std::move(decoded)); }
    protocol::Decoded takeCall() { return m_inbox.dequeue(); }
    // False when a run is already draining the inbox; else marks one running.
    bool startServing() { return !std::exchange(m_serving, true); }
    void stopServing() { m_serving = false; }

    // Its rate buckets and refusals (ConnectionPolicy decides with them).
    PeerAllowance &allowance() { return m_allowance; }
    void setAllowance(PeerAllowance allowance) { m_allowance = std::move(allowance); }
    void setCloseGraceMs(int ms) { m_closeGraceMs = ms; }

    // The client's frames, read off m_tcp by ServerCore (QWebSocket does not see them).
    FrameReader &reader() { return m_reader; }
    QTcpSocket *tcpSocket() const { return m_tcp; }

    // Heartbeat: ping() sends a ping with a fresh random payload; only a pong that echoes it
    // clears isAwaitingPong() (an unsolicited pong keeps no dead peer alive).
    void ping();
    bool isAwaitingPong() const { return m_awaitingPong; }
    void notePong(const QByteArray &payload);
    // The peer's ping: answered with a pong through the same writes as statements, so a peer
    // that pings and never reads meets the pending-bytes limit.
    void answerPing(const QByteArray &payload);
    // The peer's close frame: echoed (when we had not sent ours), then the TCP connection ends.
    void answerClose(int code);

private:
    void write(const WireFrame &frame);
    qint64 sendNow(const QList<QByteArray> &frames);
    qint64 pendingBytes() const;
    void closeSocket(int code, const QString &reason);

    struct Held {
        WireFrame frame;
        QString messageUuid;
    };
    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_tcp;
    qintptr m_directFd = -1; // plain TCP on Unix: frames go out with sendmsg(2) when nothing waits
    QPointer<WriteQueue> m_writeQueue;
    QList<QByteArray> m_outbox; // frames of this turn, for m_directFd
    qint64 m_outboxBytes = 0;
    bool m_qtBuffered = false; // Qt's socket buffer may hold bytes (the kernel refused some)
    qint64 m_maxPendingBytes;
    bool m_closed = false;
    bool m_holding = false;
    QList<Held> m_held;
    QByteArray m_userJson;
    protocol::User m_userJsonKey; // the user m_userJson was encoded from
    qint64 m_answerSlack = 0;     // unsent bytes of a big answer, not counted as backpressure
    QSet<QString> m_skipOnce;     // messages of the page just sent whose fan-out is still to come
    int m_closeGraceMs = 2000;

    protocol::User m_user;
    QByteArray m_tokenHash;
    bool m_authenticated = false;
    bool m_admitted = false;
    FailureCount m_loginFailures;
    bool m_greeted = false;
    bool m_serving = false; // ServerCore::runSession() is draining the inbox
    QQueue<protocol::Decoded> m_inbox;
    PeerAllowance m_allowance;
    bool m_awaitingPong = false; // pinged by the heartbeat, no pong yet
    QByteArray m_pingPayload;    // of the heartbeat's last ping
    FrameReader m_reader;
};

// A session that may still be written to: not deleted (a coroutine held it across an await)
// and not closed.
inline bool alive(const SessionPtr &s)
{
    return s && !s->isClosed();
}

// The session if it is still alive, else null: the caller of a fan-out that may have gone
// while its call awaited storage.
inline Session *ifAlive(const SessionPtr &s)
{
    return alive(s) ? s.data() : nullptr;
}

} // namespace chalk::server
