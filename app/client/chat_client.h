// ChatClient owns the QWebSocket to a Chalkroom (or original socket_chat) server: it sends
// calls, turns results into typed signals, keeps the link alive (heartbeat, reconnect with
// backoff, resume of the identity, re-entering the room) and owns the outbox of messages.
#pragma once

#include "backoff.h"
#include "outbox.h"
#include "protocol/codec.h"
#include "protocol/objects.h"

#include <QCoroTask>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <chrono>
#include <memory>
#include <optional>

#ifndef QT_NO_SSL
#include <QSslConfiguration>
#include <QSslError>
#endif

namespace chalk::client {

class SettingsStore;

struct ClientOptions {
    std::chrono::milliseconds heartbeatInterval{25000}; // ping the server this often
    std::chrono::milliseconds heartbeatTimeout{10000};  // no traffic this long after a ping: dead
    std::chrono::milliseconds backoffMin{1000};
    std::chrono::milliseconds backoffMax{30000};
    std::chrono::milliseconds connectTimeout{15000}; // a handshake that hangs counts as failed
    std::chrono::milliseconds retryDelay{2000};      // outbox retry after rate_limited etc.
    quint64 maxIncomingBytes = 16 * 1024 * 1024;     // drawings are big, but not unbounded
    int pageSize = 50;                               // messages per fetchMore page
    bool autoReconnect = true;
};

class ChatClient : public QObject {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)
    enum class Direction { Sent, Received };
    Q_ENUM(Direction)

    // Settings keys in the SettingsStore.
    static constexpr const char *kTokenKey = "identity/token";
    static constexpr const char *kTokenServerKey = "identity/server"; // origin the token is for
    // Unsent messages survive a restart of the app (sent with the same client_id later).
    static constexpr const char *kOutboxKey = "outbox/entries";
    static constexpr const char *kOutboxServerKey = "outbox/server";
    static constexpr int kOutboxKeep = 500; // at most this many are kept across a restart

    // Uses QSettingsStore (the app's QSettings).
    explicit ChatClient(QObject *parent = nullptr);
    ChatClient(std::shared_ptr<SettingsStore> settings, ClientOptions options = {},
               QObject *parent = nullptr);
    ~ChatClient() override;

    // ws:// or wss://. Reconnects by itself until disconnectFromServer().
    void connectToServer(const QUrl &url);
    void disconnectFromServer();

    State state() const { return m_state; }
    QString stateText() const { return m_stateText; }
    QUrl url() const { return m_url; }
    bool isConnected() const { return m_state == State::Connected; }
    // True once the identity is settled (after user_created and resume or its fallback).
    bool isReady() const { return m_ready; }

    protocol::User user() const { return m_user; }
    QString currentRoomUuid() const { return m_currentRoom; }
    // The room to be in: survives a reconnect, so the client re-enters it.
    QString wantedRoomUuid() const { return m_wantedRoom; }
    // Whether this server answered resume (false for the original server).
    bool resumeSupported() const { return m_resumeSupported; }
    // Whether the server echoes client_id (false for the original server).
    bool serverEchoesClientId() const { return m_echoSeen; }

    Outbox *outbox() const { return m_outbox; }
    const ClientOptions &options() const { return m_options; }
    void setOptions(const ClientOptions &options);
    // The current socket (nullptr while none); replaced on each connection attempt.
    QWebSocket *socket() const { return m_socket; }

#ifndef QT_NO_SSL
    // Applied to every connection attempt (e.g. a self-signed certificate trusted on purpose).
    void setSslConfiguration(const QSslConfiguration &config);
    QSslConfiguration sslConfiguration() const
    {
        return m_sslConfig;
    }
    void trustCertificate(const QSslCertificate &certificate);
#endif

    // ---- calls (each returns false when not connected: nothing is queued but messages) ----
    bool createRoom(const QString &name = {}, const QString &color = {});
    bool enterRoom(const QString &uuid);
    bool leaveRoom();
    bool deleteRoom(const QString &uuid);
    bool listRooms();
    bool changeRoomColor(const QString &uuid, const QString &color);
    bool changeRoomName(const QString &uuid, const QString &name);
    bool changeUserName(const QString &name);
    // Goes through the outbox: returns the client_id at once; queued while offline.
    // Empty when the body is blank or there is no room to send it to.
    QString sendMessage(const QString &body);
    // before: the oldest loaded message uuid (empty: newest page); limit 0: server default.
    bool listMessages(const QString &before = {}, int limit = 0);
    bool changeDrawLine(const protocol::Line &line, bool append = false);
    bool getDrawing();
    bool resetDrawing();
    // Throttled: at most one typing notice per 2 s per room.
    bool sendTyping();
    static constexpr int kTypingIntervalMs = 2000;
    bool removeDrawLine(const QString &uuid);

    // Any call; clientId added when not empty. False when not connected.
    bool sendCall(protocol::Call call, const QJsonObject &fields = {},
                  const QString &clientId = {});

    // Sends `call` with a fresh client_id and waits for the answer: the result named
    // `expected` or any error, matched by the echoed client_id (by name against a server that
    // does not echo). nullopt on timeout or when the link drops.
    QCoro::Task<std::optional<protocol::Envelope>>
    request(protocol::Call call, QJsonObject fields, protocol::Result expected,
            std::chrono::milliseconds timeout = std::chrono::seconds(10));

signals:
    void stateChanged(chalk::client::ChatClient::State state, const QString &text);
    // Identity settled (first connect, resume, or fallback to a new identity).
    void ready();
    void userChanged(const chalk::protocol::User &user);
    void roomsListed(const QList<chalk::protocol::Room> &rooms);
    void roomCreated(const chalk::protocol::Room &room);
    void roomChanged(const chalk::protocol::Room &room);
    void roomDeleted(const chalk::protocol::Room &room);
    void roomEntered(const chalk::protocol::Room &room);
    void roomLeft();
    void messageCreated(const chalk::protocol::Message &message);
    void messagesListed(const QList<chalk::protocol::Message> &messages, bool hasMore,
                        const QString &before);
    void drawingGot(const chalk::protocol::Drawing &drawing);
    void drawLineChanged(const chalk::protocol::Line &line);
    void drawLineRemoved(const QString &uuid);
    void userTyping(const chalk::protocol::User &user);
    void errorReceived(const QString &error, const QString &detail, const QString &call);
    // Every statement, both ways, for the log. rawJson is the frame as sent/received.
    void statementLogged(chalk::client::ChatClient::Direction direction, const QString &type,
                         const QString &name, const QString &rawJson, const QDateTime &time);
    // Every decoded incoming statement (after the typed signal).
    void envelopeReceived(const chalk::protocol::Envelope &envelope);
#ifndef QT_NO_SSL
    void sslErrors(const QList<QSslError> &errors);
#endif

private:
    void setState(State state, const QString &text);
    void openSocket();
    void dropSocket();
    void resetSession();
    void onConnected();
    void linkLost(QWebSocket *socket);
    void onTextMessage(QWebSocket *socket, const QString &text);
    void pumpIncoming();
    struct DecodedFrame;
    static DecodedFrame decodeFrame(const QString &text);
    void handleFrame(const QString &text, DecodedFrame decoded);
    void handleEnvelope(const protocol::Envelope &env);
    void handleUserCreated(const protocol::Envelope &env);
    void handleResumeAnswer(const protocol::Envelope &env);
    void settleIdentity(const protocol::User &user);
    void scheduleReconnect(bool wasReady);
    void heartbeat();
    void trafficSeen();
    void flushOutbox();
    void dropOutboxFor(const QString &roomUuid, const QString &reason);
    void saveOutbox();
    void loadOutbox();
    void resolveWaiters(const protocol::Envelope &env);
    void failAllWaiters();
    QString tokenOrigin() const;

    class Waiter;
    std::shared_ptr<SettingsStore> m_settings;
    ClientOptions m_options;
    Backoff m_backoff;
    QPointer<QWebSocket> m_socket;
    QUrl m_url;
    State m_state = State::Disconnected;
    QString m_stateText;
    bool m_wantConnection = false;
    bool m_wasConnected = false; // this attempt's socket reached Connected
    QString m_lastError;
    QString m_closeReason;
    bool m_ready = false;
    bool m_resumeSupported = false;
    bool m_echoSeen = false;
    // drawing_got read by decodeDrawingGot, for handleEnvelope while it handles that frame.
    std::optional<protocol::Drawing> m_decodedDrawing;
    // Frames over 64 KiB (a big board) are decoded on a worker thread, so the window does not
    // freeze; frames that come meanwhile wait here, so the order stays.
    struct Incoming {
        QPointer<QWebSocket> socket;
        QString text;
        std::shared_ptr<DecodedFrame> decoded; // set once the worker is done
    };
    QList<Incoming> m_incoming;
    bool m_decoding = false;
    QUrl m_noResumeUrl;           // a server that closed the link on `resume`
    QString m_resumeClientId;     // the pending resume call, if any
    protocol::User m_pendingUser; // the new identity offered in user_created during resume
    QString m_pendingToken;
    protocol::User m_user;
    QString m_currentRoom;
    QString m_wantedRoom;
    QString m_enteringRoom; // the last enter_room sent (the original's answer names no room)
    QDateTime m_lastTyping;
    QString m_lastTypingRoom;
    Outbox *m_outbox;
    QTimer m_reconnectTimer;
    QTimer m_heartbeatTimer;
    QTimer m_deadlineTimer;
    QTimer m_connectTimer;
    QTimer m_retryTimer;
    QTimer m_resumeEnterTimer;
    QList<QPointer<Waiter>> m_waiters;
#ifndef QT_NO_SSL
    QSslConfiguration m_sslConfig;
    bool m_sslConfigSet = false;
#endif
};

} // namespace chalk::client
