// SQLite storage (the default). One storage thread owns the connection; callers on the
// socket thread only await QFutures. Writes are group-committed: every write that arrives
// while a transaction runs goes into the next one, and each caller's task completes only
// after the transaction holding its write has committed.
// Unlike MemoryStorage, it may be called from several threads (each awaits on its own).
#pragma once

#include "storage.h"

#include <QThread>
#include <memory>

namespace chalk::server {

class SqliteWorker;

class SqliteStorage : public Storage {
public:
    explicit SqliteStorage(QString path);
    // Waits for queued work to finish, then closes the connection.
    ~SqliteStorage() override;

    QCoro::Task<bool> open() override;
    QCoro::Task<void> flush() override;
    QString lastError() const override;
    QString describe() const override;

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

    // Stores many new messages in one transaction (imports, benchmarks). No client_id
    // deduplication; all or nothing.
    QCoro::Task<bool> importMessages(QList<protocol::Message> messages);

    QString path() const;
    // The thread that last ran SQL (nullptr before open). Tests assert it is not theirs.
    QThread *sqlThread() const;
    // Number of transactions committed by the group committer (for tests and benchmarks).
    qint64 commitCount() const;

private:
    std::unique_ptr<SqliteWorker> d;
};

} // namespace chalk::server
