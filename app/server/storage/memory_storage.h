// Storage kept in process memory: for tests and throw-away servers. Same semantics as
// SqliteStorage (the conformance test runs against both), nothing survives the process.
#pragma once

#include "storage.h"

#include <QHash>
#include <QMap>
#include <QSet>

namespace chalk::server {

class MemoryStorage : public Storage {
public:
    MemoryStorage() = default;

    QCoro::Task<bool> open() override;
    QCoro::Task<void> flush() override;
    QString lastError() const override { return m_error; }
    QString describe() const override { return QStringLiteral("memory"); }

    QCoro::Task<std::optional<QList<protocol::Room>>> listRooms() override;
    QCoro::Task<bool> createRoom(protocol::Room room) override;
    QCoro::Task<bool> updateRoom(protocol::Room room) override;
    QCoro::Task<bool> deleteRoom(QString roomUuid) override;

    QCoro::Task<std::optional<StoredMessage>> addMessage(protocol::Message message) override;
    QCoro::Task<std::optional<MessagePage>> listMessages(QString roomUuid, QString beforeUuid,
                                                         int limit) override;
    QCoro::Task<MessageLookup> messageByUuid(QString messageUuid) override;
    QCoro::Task<ChangedMessage> editMessage(QString messageUuid, QString authorUuid, QString body,
                                            QDateTime when) override;
    QCoro::Task<ChangedMessage> deleteMessage(QString messageUuid, QString authorUuid) override;

    QCoro::Task<std::optional<QList<protocol::Line>>> lines(QString roomUuid) override;
    QCoro::Task<bool> upsertLine(QString roomUuid, protocol::Line line) override;
    QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) override;
    QCoro::Task<bool> resetDrawing(QString roomUuid) override;

    QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) override;
    QCoro::Task<std::optional<protocol::User>> userByTokenHash(QByteArray tokenHash) override;

    QCoro::Task<AccountCreated> createAccount(protocol::User user, QString loginName,
                                              QByteArray passwordHash,
                                              QByteArray tokenHash) override;
    QCoro::Task<AccountLookup> accountByName(QString loginName) override;
    QCoro::Task<AccountLookup> accountOf(QString userUuid) override;
    QCoro::Task<bool> updateUser(protocol::User user) override;
    QCoro::Task<bool> addToken(QString userUuid, QByteArray tokenHash) override;
    QCoro::Task<bool> revokeToken(QByteArray tokenHash) override;
    QCoro::Task<bool> changePassword(QString userUuid, QByteArray passwordHash,
                                     QByteArray keepTokenHash) override;
    QCoro::Task<std::optional<QString>> registeredNameOwner(QString name,
                                                            QString exceptUuid) override;
    QCoro::Task<bool> setBlocked(QString blocker, QString blocked, bool on) override;
    QCoro::Task<std::optional<bool>> isBlocked(QString blocker, QString blocked) override;
    QCoro::Task<bool> setLastSeen(QString userUuid, QDateTime when) override;
    QCoro::Task<std::optional<QHash<QString, QDateTime>>>
    lastSeenOf(QStringList userUuids) override;
    QCoro::Task<std::optional<UserPage>> listUsers(QString query, QString afterUuid,
                                                   int limit) override;
    QCoro::Task<bool> followRoom(QString userUuid, QString roomUuid) override;
    QCoro::Task<ReadMarked> markRead(QString userUuid, QString roomUuid,
                                     QString messageUuid) override;
    QCoro::Task<std::optional<QList<UnreadCount>>> unreadCounts(QString userUuid,
                                                                QString roomUuid) override;

private:
    struct RoomData {
        protocol::Room room;
        QList<protocol::Message> messages; // ascending seq
        QList<protocol::Line> lines;       // drawing order
    };
    RoomData *findRoom(const QString &uuid);
    protocol::Message *findMessage(const QString &uuid);
    // The message with its reply quote filled in from the replied-to message as it is now.
    protocol::Message withQuote(protocol::Message m);
    // edit (newBody) or delete (none) by the author.
    ChangedMessage changeMessage(const QString &uuid, const QString &author,
                                 const std::optional<QString> &newBody, const QDateTime &when);

    QList<RoomData> m_rooms;               // creation order, like ORDER BY created, rowid
    QHash<QString, QString> m_lineRoom;    // line uuid -> room uuid (uuids are global)
    QHash<QString, QString> m_messageRoom; // message uuid -> room uuid
    QHash<QPair<QString, QString>, QString> m_clientIds; // (user, client_id) -> message uuid
    struct AccountRow {
        QString loginName;
        QByteArray passwordHash;
    };
    // The registered user (other than exceptUuid) whose names have this key, or empty.
    QString nameOwner(const QString &key, const QString &exceptUuid) const;
    QHash<QString, protocol::User> m_users; // by uuid (registered kept false here)
    QHash<QByteArray, QString> m_tokens;    // token hash -> user uuid
    QHash<QString, AccountRow> m_accounts;  // by user uuid
    QHash<QString, QString> m_accountByKey; // nameKey(login name) -> user uuid
    QSet<QPair<QString, QString>> m_blocks; // (blocker, blocked)
    QHash<QString, qint64> m_lastSeen;      // user uuid -> ms since the epoch, UTC
    // user uuid -> room uuid -> the seq of the last message read (0: before the first)
    QHash<QString, QHash<QString, qint64>> m_markers;
    qint64 m_nextSeq = 1;
    QString m_error;
};

} // namespace chalk::server
