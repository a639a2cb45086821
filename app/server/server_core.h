// The server's composition: it accepts connections (TCP or TLS, then the WebSocket handshake),
// gives each a Session, and serves each session's calls in order through one dispatch that
// makes the central checks (authentication, needs-a-room) before the call's handler.
// ChatServer is the public face; this class is private to app/server. The parts:
// ConnectionPolicy (limits, rates, heartbeat, password), PasswordHasher and LoginThrottle
// (accounts), UnreadCounts (the online users' unread counts), RoomRegistry (rooms, membership,
// room_changed), Broadcaster (encode once, write) and CallHandlers (one per call).
#pragma once

#include "broadcaster.h"
#include "call_handlers.h"
#include "connection_gate.h"
#include "connection_policy.h"
#include "presence_tracker.h"
#include "protocol/codec.h"
#include "room_registry.h"
#include "server_options.h"
#include "session.h"
#include "storage/storage.h"
#include "unread_counts.h"

#include <QCoroTask>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslCipher>
#include <QTcpSocket>
#include <memory>

class QTcpServer;
class QWebSocketServer;

namespace chalk::server {

class ServerCore : public QObject {
    Q_OBJECT
public:
    ServerCore(std::unique_ptr<Storage> storage, ServerOptions options);
    ~ServerCore() override;

    QCoro::Task<bool> start();
    QCoro::Task<void> stop();

    QTcpServer *tcpServer() const { return m_tcpServer; }
    bool isSecure() const;
    // The TLS suites offered: TLS 1.3, and TLS 1.2 with forward secrecy and AEAD only.
    static QList<QSslCipher> forwardSecretAead(const QList<QSslCipher> &ciphers);
    const ServerOptions &options() const { return m_options; }
    QString errorString() const { return m_error; }
    int sessionCount() const { return int(m_sessions.size()); }
    const PresenceTracker &presence() const { return m_presence; }

private:
    // Connection life.
    void onNewTcpConnection();
    // accept(2) failed (EMFILE, ENFILE, ...): Qt has paused accepting; resume after a pause.
    void onAcceptError(QAbstractSocket::SocketError error);
    void onNewConnection();
    void onDisconnected(Session *session);
    // The client's frames off its socket (FrameReader), each counted by m_policy.
    void readFrames(Session *session);
    void onText(Session *session, const QByteArray &utf8);
    QCoro::Task<void> runSession(SessionPtr s);
    QCoro::Task<void> dispatch(SessionPtr s, protocol::Decoded decoded);
    void dropSession(Session *session);

    std::unique_ptr<Storage> m_storage;
    ServerOptions m_options;
    // Connections are accepted here (TCP, or TLS with QSslServer) so each socket can be tuned
    // (LowDelayOption) before m_server does the WebSocket handshake on it.
    QTcpServer *m_tcpServer = nullptr;
    QWebSocketServer *m_server = nullptr;
    // Accepted TCP sockets by peer "address:port", until their WebSocket appears.
    QHash<QString, QPointer<QTcpSocket>> m_handshaking;
    // The session reading each upgraded socket (readFrames).
    QHash<const QTcpSocket *, QPointer<Session>> m_sessionOf;
    QString m_error;
    QList<Session *> m_sessions;
    WriteQueue *m_writeQueue; // child; sessions hold a QPointer to it
    Broadcaster m_broadcaster{m_sessions};
    RateLimitedLog m_log;
    ConnectionGate m_gate{m_options, m_log};
    ConnectionPolicy m_policy{m_options, [this] { return m_sessions; }, m_log};
    UnreadCounts m_unread{*m_storage};
    RoomRegistry m_rooms{m_options, m_broadcaster, m_unread};
    PresenceTracker m_presence{m_options, *m_storage, m_rooms};
    PasswordHasher m_hasher{m_options.passwordWork};
    LoginThrottle m_throttle{m_options.loginThrottle, m_options.clockMs};
    CallHandlers m_handlers{*m_storage, m_options,  m_rooms,    m_broadcaster, m_policy,
                            m_hasher,   m_throttle, m_presence, m_unread};
};

} // namespace chalk::server
