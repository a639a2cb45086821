// One connected peer: its socket, its user, and the statements it sent that wait to be served.
// Calls of one session are served one after the other (ServerCore::runSession), so answers
// come in the order of the calls even when a handler awaits storage.
#pragma once

#include "protocol/objects.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QString>

class QWebSocket;

namespace chalk::server {

class Session : public QObject {
    Q_OBJECT
public:
    Session(QWebSocket *socket, qint64 maxPendingBytes, QObject *parent);
    ~Session() override;

    QWebSocket *socket() const { return m_socket; }

    // Sends one encoded statement. `messageUuid` names the message a message_created frame
    // carries, so a held frame that repeats the history page just sent can be dropped.
    void send(const QString &frame, const QString &messageUuid = {});
    // An answer to this session's own call: never held back.
    void sendDirect(const QString &frame);
    // While entering a room, room fan-out is held back until the history page is out, so the
    // client sees room_entered, messages_listed, drawing_got first and no message is missed.
    void hold();
    void release(const QSet<QString> &alreadySent);

    void close(int code, const QString &reason);
    bool isClosed() const { return m_closed; }
    void markClosed() { m_closed = true; }

    protocol::User user;
    QByteArray tokenHash;
    bool authenticated = false;
    bool running = false; // runSession() is draining the inbox
    bool greeted = false; // user_created (or the password request) was sent
    QQueue<QString> inbox;
    bool awaitingPong = false; // pinged by the heartbeat, no pong yet

private:
    void write(const QString &frame);

    struct Held {
        QString frame;
        QString messageUuid;
    };
    QWebSocket *m_socket;
    qint64 m_maxPendingBytes;
    bool m_closed = false;
    bool m_holding = false;
    QList<Held> m_held;
};

} // namespace chalk::server
