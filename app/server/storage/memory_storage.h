// Storage kept in process memory: for tests and throw-away servers. Same semantics as
// SqliteStorage (the conformance test runs against both), nothing survives the process.
#pragma once

#include "storage.h"

#include <QHash>
#include <QMap>

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

    QCoro::Task<std::optional<QList<protocol::Line>>> lines(QString roomUuid) override;
    QCoro::Task<bool> upsertLine(QString roomUuid, protocol::Line line) override;
    QCoro::Task<bool> removeLine(QString roomUuid, QString lineUuid) override;
    QCoro::Task<bool> resetDrawing(QString roomUuid) override;

    QCoro::Task<bool> saveUser(protocol::User user, QByteArray tokenHash) override;
    QCoro::Task<std::optional<protocol::User>> userByTokenHash(QByteArray tokenHash) override;

private:
    struct RoomData {
        protocol::Room room;
        QList<protocol::Message> messages; // ascending seq
        QList<protocol::Line> lines;       // drawing order
    };
    RoomData *findRoom(const QString &uuid);

    QList<RoomData> m_rooms;               // creation order, like ORDER BY created, rowid
    QHash<QString, QString> m_lineRoom;    // line uuid -> room uuid (uuids are global)
    QHash<QString, QString> m_messageRoom; // message uuid -> room uuid
    QHash<QPair<QString, QString>, QString> m_clientIds; // (user, client_id) -> message uuid
    struct UserRow {
        protocol::User user;
        QByteArray tokenHash;
    };
    QHash<QString, UserRow> m_users; // by uuid
    qint64 m_nextSeq = 1;
    QString m_error;
};

} // namespace chalk::server
