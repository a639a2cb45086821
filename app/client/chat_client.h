// ChatClient is the facade the UI sees (as Quassel's Client): it sends calls, turns results
// into typed signals and follows the room to be in, over small parts that each do one job --
// the Connection (socket, backoff, heartbeat, frame decoding), the SessionAuth (identity,
// resume token, authentication), the Outbox with its OutboxStore, the RequestRouter
// (request/answer pairs) and the ServerFeatures (what this server supports, learned per link).
#pragma once

#include "connection.h"
#include "outbox.h"
#include "outbox_pacer.h"
#include "outbox_store.h"
#include "presence_book.h"
#include "protocol/answers.h"
#include "protocol/codec.h"
#include "protocol/limits.h"
#include "protocol/objects.h"
#include "read_tracker.h"
#include "request_router.h"
#include "room_pager.h"
#include "server_features.h"
#include "session_auth.h"

#include <QCoroTask>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
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

class ChatClient : public QObject {
    Q_OBJECT
public:
    using State = Connection::State;
    enum class Direction { Sent, Received };
    Q_ENUM(Direction)

    // Uses QSettingsStore (the app's QSettings).
    explicit ChatClient(QObject *parent = nullptr);
    ChatClient(std::shared_ptr<SettingsStore> settings, ClientOptions options = {},
               QObject *parent = nullptr);
    ~ChatClient() override;

    // ws:// or wss://. Reconnects by itself until disconnectFromServer().
    void connectToServer(const QUrl &url);
    void disconnectFromServer();
    // While waiting to reconnect: try now instead of at the end of the wait.
    void reconnectNow();
    // True while a reconnect waits for its time.
    bool isWaitingToReconnect() const { return m_connection.isWaitingToReconnect(); }

    State state() const { return m_connection.state(); }
    QString stateText() const { return m_connection.stateText(); }
    QUrl url() const { return m_connection.url(); }
    bool isConnected() const { return state() == State::Connected; }
    // True once the identity is settled (after user_created and resume or its fallback).
    bool isReady() const { return m_session.isReady(); }

    protocol::User user() const { return m_user; }
    QString currentRoomUuid() const { return m_currentRoom; }
    // The room to be in: survives a reconnect, so the client re-enters it.
    QString wantedRoomUuid() const { return m_wantedRoom; }
    // What the server of this link supports (serverFeaturesLearned says when it is known).
    const ServerFeatures &serverFeatures() const { return m_features; }
    // Whether this link got the stored identity back with resume (never on the original).
    bool resumeSupported() const { return m_features.supports(Feature::Resumed); }
    // Whether the server echoes client_id (false for the original server).
    bool serverEchoesClientId() const { return m_features.supports(Feature::ClientIdEcho); }

    Outbox *outbox() const { return m_outbox; }
    // Other users' presence as this client heard it (presence_book.h).
    const PresenceBook *presence() const { return &m_presence; }
    const ClientOptions &options() const { return m_options; }
    void setOptions(const ClientOptions &options);
    // The current socket (nullptr while none); replaced on each connection attempt.
    QWebSocket *socket() const { return m_connection.socket(); }

#ifndef QT_NO_SSL
    // Applied to every connection attempt (e.g. a self-signed certificate trusted on purpose).
    void setSslConfiguration(const QSslConfiguration &config);
    QSslConfiguration sslConfiguration() const
    {
        return m_connection.sslConfiguration();
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
    // Empty when the body is blank or there is no room to send it to. replyTo: a message of
    // the same room this one answers (the server adds a quote of it; ours only).
    QString sendMessage(const QString &body, const QString &replyTo = {});
    // Own messages (ours only: ServerFeatures, Feature::OwnMessages). The author's message
    // gets a new body (messageChanged to every member, "edited") or becomes a tombstone
    // (messageDeleted); others' are refused (callErrorReceived: not_your_message). Not queued:
    // false while offline.
    bool editMessage(const QString &messageUuid, const QString &body);
    bool deleteMessage(const QString &messageUuid);
    // before: the oldest loaded message uuid (empty: newest page); limit 0: server default.
    bool listMessages(const QString &before = {}, int limit = 0);
    // Live: a stroke while it is being drawn; not queued (a lost chunk is made good by the
    // whole line, which goes through queueDrawLine).
    bool changeDrawLine(const protocol::Line &line, bool append = false);
    // A finished line, through the outbox like a message: sent whole now or, when offline,
    // after the room is entered again; kept until the server echoes it. Returns the client_id
    // (empty when there is no room to draw in).
    QString queueDrawLine(const protocol::Line &line);
    // The removal of a line (undo), through the outbox likewise. Empty when nothing needs
    // sending (the line was still waiting in the outbox and never went out live).
    QString queueRemoveDrawLine(const QString &uuid, bool mayBeOnServer = true);
    bool getDrawing();
    bool resetDrawing();
    // Throttled: at most one typing notice per 2 s per room.
    bool sendTyping();
    static constexpr int kTypingIntervalMs = 2000;
    bool removeDrawLine(const QString &uuid);
    // On a server started with a password (passwordRequired was emitted).
    bool authenticate(const QString &password);
    // Accounts (docs/ACCOUNTS.md). The answers: registered / loggedIn / loggedOut /
    // passwordChanged, or callErrorReceived with name_taken, bad_login, rate_limited, ...
    // After register and login this device's token is kept, so the identity resumes.
    bool registerAccount(const QString &name, const QString &password);
    bool login(const QString &name, const QString &password);
    bool logout();
    bool changePassword(const QString &oldPassword, const QString &newPassword);
    // Direct conversations (docs/PROTOCOL.md): enters the one private room of this user and
    // `userUuid` (roomEntered, as enterRoom; roomCreated first when it is new), or
    // callErrorReceived with blocked / no_such_user.
    bool openDirect(const QString &userUuid);
    // `userUuid` can no longer open or write in a direct conversation with this user
    // (userBlocked); unblockUser lifts it (userUnblocked).
    bool blockUser(const QString &userUuid);
    bool unblockUser(const QString &userUuid);
    // Finds users by name (case and accents ignored; empty: everyone), a page at a time in
    // name order: `after` is the last user of the previous page, limit 0 the server's default
    // (at most 100). The answer: usersListed, with each user's presence.
    bool listUsers(const QString &query = {}, const QString &after = {}, int limit = 0);
    // This user has read `roomUuid` up to `messageUuid` (on every device: the server keeps the
    // marker; unreadChanged answers). Sent by the client itself when the newest message of the
    // open room is seen (ReadTracker); a UI need not call it.
    bool markRead(const QString &roomUuid, const QString &messageUuid);

    // Any call; clientId added when not empty. False when not connected.
    // A call from its typed arguments (the fields come from the statement table).
    template <protocol::Call C>
    bool send(const protocol::ArgsOf<C> &args, const QString &clientId = {})
    {
        return sendCall(C, protocol::toFields(args), clientId);
    }
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
    // The server of this link said what it is (serverFeatures() answers from now on).
    void serverFeaturesLearned();
    // The server asks for a password before it says who we are: call authenticate().
    void passwordRequired();
    // The server requires an account (and no stored device token resumed one): call
    // registerAccount() or login().
    void accountRequired();
    // This user now has an account (uuid, name and history kept).
    void registered(const chalk::protocol::User &user);
    // This connection is the account's user now (it left the room it was in).
    void loggedIn(const chalk::protocol::User &user);
    // This device's token is revoked; the server gives a new anonymous identity (ready()
    // again), or where accounts are required, none until the next login.
    void loggedOut();
    // The password changed; every other device of the account was signed out.
    void passwordChanged();
    void userBlocked(const QString &userUuid);
    void userUnblocked(const QString &userUuid);
    // A page of list_users: name, registered, online and last seen of each user.
    void usersListed(const QList<chalk::protocol::UserPresence> &users, bool hasMore);
    // Users who came online or went offline since the last one (those sharing a room or a
    // direct conversation with this user only); last seen set for those who went offline.
    void presenceChanged(const QList<chalk::protocol::UserPresence> &users);
    // The server's unread count of a room for this user changed (its own mark_read, another
    // device's). Counts in rooms_listed / room_changed come with the rooms (Room::unread).
    void unreadChanged(const QString &roomUuid, qint64 unread);
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
    // A message was edited (its new body and editedAt) by its author.
    void messageChanged(const chalk::protocol::Message &message);
    // A message was deleted by its author: it is a tombstone now.
    void messageDeleted(const QString &roomUuid, const QString &messageUuid);
    void drawingGot(const chalk::protocol::Drawing &drawing);
    // After the drawingGot of a reset_drawing, from a server that says who cleared the board.
    void boardCleared(const chalk::protocol::User &by, bool byMe);
    void drawLineChanged(const chalk::protocol::Line &line);
    void drawLineRemoved(const QString &uuid);
    void userTyping(const chalk::protocol::User &user);
    // Every error statement by its names (for the log and tests) ...
    void errorReceived(const QString &error, const QString &detail, const QString &call);
    // ... and, for an error this client knows, typed: the UI switches on error.error.
    void callErrorReceived(const chalk::protocol::CallError &error);
    // Every statement, both ways, for the log. rawJson is the frame as sent/received.
    void statementLogged(chalk::client::ChatClient::Direction direction, const QString &type,
                         const QString &name, const QString &rawJson, const QDateTime &time);
    // Every decoded incoming statement (after the typed signal).
    void envelopeReceived(const chalk::protocol::Envelope &envelope);
#ifndef QT_NO_SSL
    void sslErrors(const QList<QSslError> &errors);
#endif

private:
    void resetSession();
    void onFrame(const IncomingFrame &frame);
    void handleError(const protocol::Envelope &env);
    // One handler per result of the statement table (std::visit over decodeAnswer): a result
    // added to the table without a handler here does not compile.
    void on(protocol::Answer<protocol::Result::UserCreated> a);
    void on(protocol::Answer<protocol::Result::RoomsListed> a);
    void on(protocol::Answer<protocol::Result::RoomCreated> a);
    void on(protocol::Answer<protocol::Result::RoomEntered> a);
    void on(protocol::Answer<protocol::Result::RoomLeft> a);
    void on(protocol::Answer<protocol::Result::RoomDeleted> a);
    void on(protocol::Answer<protocol::Result::RoomChanged> a);
    void on(protocol::Answer<protocol::Result::UserChanged> a);
    void on(protocol::Answer<protocol::Result::MessageCreated> a);
    void on(protocol::Answer<protocol::Result::MessagesListed> a);
    void on(protocol::Answer<protocol::Result::DrawingGot> a);
    void on(protocol::Answer<protocol::Result::DrawLineChanged> a);
    void on(protocol::Answer<protocol::Result::UserTyping> a);
    void on(protocol::Answer<protocol::Result::DrawLineRemoved> a);
    void on(protocol::Answer<protocol::Result::Resumed> a);
    void on(protocol::Answer<protocol::Result::Authenticated> a);
    void on(protocol::Answer<protocol::Result::Registered> a);
    void on(protocol::Answer<protocol::Result::LoggedIn> a);
    void on(protocol::Answer<protocol::Result::LoggedOut> a);
    void on(protocol::Answer<protocol::Result::PasswordChanged> a);
    void on(protocol::Answer<protocol::Result::UserBlocked> a);
    void on(protocol::Answer<protocol::Result::UserUnblocked> a);
    void on(protocol::Answer<protocol::Result::UsersListed> a);
    void on(protocol::Answer<protocol::Result::PresenceChanged> a);
    void on(protocol::Answer<protocol::Result::UnreadChanged> a);
    void on(protocol::Answer<protocol::Result::MessageChanged> a);
    void on(protocol::Answer<protocol::Result::MessageDeleted> a);
    // Rooms from the server: those with `unread` say it keeps the counts. A count of a room
    // whose mark_read is still on its way is stale: dropped (the answer brings the new one).
    void learnUnread(QList<protocol::Room> &rooms);
    // Forgets the room this connection was in (the server left it: login, logout).
    void forgetRoom();
    void onSettled(const protocol::User &user, bool resumed);
    void flushOutbox();
    void dropOutboxFor(const QString &roomUuid, const QString &reason);
    QString roomToSendTo() const;
    void saveOutbox();

    std::shared_ptr<SettingsStore> m_settings;
    ClientOptions m_options;
    Connection m_connection;
    ServerFeatures m_features;
    SessionAuth m_session;
    RequestRouter m_router;
    Outbox *m_outbox;
    OutboxStore m_outboxStore;
    protocol::User m_user;
    QString m_currentRoom;
    QString m_wantedRoom;
    QString m_enteringRoom; // the last enter_room sent (the original's answer names no room)
    QDateTime m_lastTyping;
    QString m_lastTypingRoom;
    // On the Connection's clock (ClientOptions::clock).
    std::unique_ptr<ClientTimer> m_retryTimer; // outbox retry after rate_limited or storage_failed
    OutboxPacer m_pacer;
    std::unique_ptr<ClientTimer> m_paceTimer; // refills m_pacer while the outbox waits for it
    // After resumed, the server's own re-entering gets this long.
    std::unique_ptr<ClientTimer> m_resumeEnterTimer;
    std::unique_ptr<ReadTracker> m_reads; // when to send mark_read
    PresenceBook m_presence;
    RoomPager m_roomPages; // a paged rooms_listed, collected
};

} // namespace chalk::client
