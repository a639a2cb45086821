// One connected peer: its socket, its user, and the statements it sent that wait to be served.
// Calls of one session are served one after the other (ServerCore::runSession), so answers
// come in the order of the calls even when a handler awaits storage.
#pragma once

#include "protocol/codec.h"
#include "protocol/objects.h"
#include "token_bucket.h"
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
    int closeGraceMs = 2000;
    bool isClosed() const { return m_closed; }
    void markClosed() { m_closed = true; }
    // Writes the frames queued this turn (WriteQueue calls it).
    void flushOutbox();

    protocol::User user;
    // user.toJson() encoded, kept while the user stays the same.
    const QByteArray &userJson();
    QByteArray tokenHash;
    bool authenticated = false;
    bool running = false;            // runSession() is draining the inbox
    bool greeted = false;            // user_created (or the password request) was sent
    QQueue<protocol::Decoded> inbox; // decoded on arrival (rate limits need the call)
    TokenBucket messageBucket;       // create_message
    TokenBucket callBucket;          // every frame
    int refusals = 0;                // rate_limited answers in the current abuse window
    qint64 refusalWindowStartMs = -1;
    bool awaitingPong = false; // pinged by the heartbeat, no pong yet

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
};

} // namespace chalk::server
