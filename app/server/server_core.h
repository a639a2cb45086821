// The server's state and call handlers. ChatServer is the public face; this class is private
// to app/server. One dispatch table maps each protocol::Call to a member-function handler.
#pragma once

#include "protocol/codec.h"
#include "room_state.h"
#include "server_options.h"
#include "storage/storage.h"
#include "wire_frame.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>
#include <memory>

class QTcpServer;
class QWebSocketServer;

namespace chalk::server {

class Session;
class WriteQueue;

class ServerCore : public QObject {
    Q_OBJECT
public:
    ServerCore(std::unique_ptr<Storage> storage, ServerOptions options);
    ~ServerCore() override;

    QCoro::Task<bool> start();
    QCoro::Task<void> stop();

    QTcpServer *tcpServer() const { return m_tcpServer; }
    bool isSecure() const;
    const ServerOptions &options() const { return m_options; }
    QString errorString() const { return m_error; }
    int sessionCount() const { return int(m_sessions.size()); }

    using SessionPtr = QPointer<Session>;
    using RoomPtr = std::shared_ptr<RoomState>;
    using Handler = QCoro::Task<void> (ServerCore::*)(SessionPtr, protocol::CallRequest);
    struct Route {
        protocol::Call call;
        Handler handler;
        bool needsRoom; // answered with no_selected_room centrally when the caller is in none
    };

private:
    // Connection life.
    void onNewTcpConnection();
    void onNewConnection();
    void onDisconnected(Session *session);
    void onText(Session *session, const QString &text);
    QCoro::Task<void> runSession(SessionPtr s);
    QCoro::Task<void> welcome(SessionPtr s);
    QCoro::Task<void> dispatch(SessionPtr s, protocol::Decoded decoded);
    // Counts a rate_limited refusal; true when the session was closed for abuse.
    bool noteRefusal(Session *s, qint64 nowMs);
    void dropSession(Session *session);
    void pingAll();
    void dropSilentPeers();

    // Handlers, one per call (call_handlers.cpp).
    QCoro::Task<void> createRoom(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> enterRoom(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> leaveRoom(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> deleteRoom(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> listRooms(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> changeColor(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> changeName(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> changeRoomField(SessionPtr s, protocol::CallRequest req,
                                      QString protocol::Room::*field, const char *key);
    QCoro::Task<void> changeUserName(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> createMessage(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> listMessages(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> changeDrawLine(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> getDrawing(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> resetDrawing(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> typing(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> removeDrawLine(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> resume(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> authenticate(SessionPtr s, protocol::CallRequest req);
    static const Route kRoutes[];

    // Shared steps.
    QCoro::Task<void> enter(SessionPtr s, RoomPtr room, QString clientId);
    void leaveCurrentRoom(Session *s);
    QCoro::Task<bool> ensureBoard(RoomPtr room);
    QCoro::Task<RoomPtr> boardRoom(SessionPtr s, protocol::CallRequest req);
    void persistUser(Session *s);

    // Rooms.
    RoomPtr room(const QString &uuid) const;
    QJsonObject roomJson(const RoomState &room) const;
    // The same as JSON bytes, members spliced in from each session's cached encoding: a join
    // to a room of 1000 costs a copy of ~150 KB instead of encoding 1000 users again.
    QByteArray roomBytes(const RoomState &room) const;
    WireFrame roomFrame(protocol::Result result, const RoomState &room,
                        const QString &clientId = {}) const;
    WireFrame roomsListedFrame(const QString &clientId = {}) const;
    // membersToo=false: only the message count changed; members saw every message_created.
    void markRoomChanged(const QString &roomUuid, bool membersToo = true);
    void flushRoomChanges();

    // Sending. A frame is encoded once and shared by every recipient.
    static WireFrame frame(protocol::Result result, QJsonObject fields);
    // drawing_got with the room's whole board, from the per-line encodings kept in the room.
    static WireFrame drawingFrame(RoomState &r, const QString &clientId);
    void reply(Session *s, protocol::Result result, QJsonObject fields, const QString &clientId);
    void replyError(Session *s, protocol::Error error, const QString &detail,
                    const protocol::CallRequest &req, const QString &field = {});
    // Sends `fields` to `recipients`; the caller (if among them and it gave a client_id) gets
    // its own copy with the client_id echoed.
    void fanOut(const QList<Session *> &recipients, protocol::Result result,
                const QJsonObject &fields, Session *caller, const QString &clientId,
                const QString &messageUuid = {});
    QList<Session *> everyone() const;

    static bool alive(const SessionPtr &s);
    qint64 nowMs() const; // m_options.clockMs, or m_clock

    std::unique_ptr<Storage> m_storage;
    ServerOptions m_options;
    // Connections are accepted here (TCP, or TLS with QSslServer) so each socket can be tuned
    // (LowDelayOption) before m_server does the WebSocket handshake on it.
    QTcpServer *m_tcpServer = nullptr;
    QWebSocketServer *m_server = nullptr;
    // Accepted TCP sockets by peer "address:port", until their WebSocket appears.
    QHash<QString, QPointer<QTcpSocket>> m_handshaking;
    QString m_error;
    QList<Session *> m_sessions;
    QHash<QString, RoomPtr> m_rooms;
    QList<QString> m_roomOrder;        // creation order, for rooms_listed
    QHash<QString, bool> m_dirtyRooms; // room uuid -> its members need room_changed too
    QTimer m_roomChangeTimer;
    QTimer m_heartbeat;
    QTimer m_pongDeadline;
    QByteArray m_passwordHash;
    int m_roomsBeingCreated = 0;
    // Messages handed to storage whose message_created has not gone out yet (see enter()).
    QSet<QString> m_messagesInFlight;
    WriteQueue *m_writeQueue; // child; sessions hold a QPointer to it
    QElapsedTimer m_clock;    // monotonic, for the rate limits
};

} // namespace chalk::server
