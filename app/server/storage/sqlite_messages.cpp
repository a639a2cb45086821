// SqliteStorage's messages: storing one (deduplicated by the sender's client_id), pages of
// history newest first, and bulk imports.
#include "sqlite_storage.h"
#include "sqlite_worker.h"
#include "storage_rules.h"

#include <algorithm>
#include <limits>

namespace chalk::server {

using protocol::Message;
using protocol::User;
using sqlite_detail::textOrNull;

namespace {

Message messageFromRow(const QSqlQuery &q, const QString &roomUuid)
{
    // Columns: seq, uuid, user_uuid, user_name, body, created, client_id
    Message m;
    m.seq = q.value(0).toLongLong();
    m.uuid = q.value(1).toString();
    m.roomUuid = roomUuid;
    m.user = User{q.value(2).toString(), q.value(3).toString(), roomUuid};
    m.body = q.value(4).toString();
    m.created = QDateTime::fromMSecsSinceEpoch(q.value(5).toLongLong(), Qt::UTC);
    m.clientId = q.value(6).toString();
    return m;
}

} // namespace

std::optional<StoredMessage> SqliteWorker::addMessage(Message m)
{
    if (!m.clientId.isEmpty()) {
        QSqlQuery &q = query(QStringLiteral(
            "SELECT seq, uuid, user_uuid, user_name, body, created, client_id, room_uuid"
            " FROM messages WHERE user_uuid = ? AND client_id = ?"));
        q.bindValue(0, m.user.uuid);
        q.bindValue(1, m.clientId);
        if (!exec(q))
            return std::nullopt;
        if (q.next()) {
            StoredMessage stored{messageFromRow(q, q.value(7).toString()), true};
            q.finish();
            return stored;
        }
        q.finish();
    }
    storage_rules::normalizeNewMessage(m);
    QSqlQuery &q = query(QStringLiteral(
        "INSERT INTO messages (uuid, room_uuid, user_uuid, user_name, body, created, client_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.bindValue(0, m.uuid);
    q.bindValue(1, m.roomUuid);
    q.bindValue(2, m.user.uuid);
    q.bindValue(3, m.user.name);
    q.bindValue(4, m.body);
    q.bindValue(5, m.created.toMSecsSinceEpoch());
    q.bindValue(6, textOrNull(m.clientId));
    // Fails (and stores nothing) for an unknown room (foreign key) or a reused uuid.
    if (!exec(q))
        return std::nullopt;
    m.seq = q.lastInsertId().toLongLong();
    return StoredMessage{m, false};
}

std::optional<MessagePage> SqliteWorker::listMessages(const QString &room, const QString &before,
                                                      int limit)
{
    limit = storage_rules::clampLimit(limit);
    qint64 beforeSeq = std::numeric_limits<qint64>::max();
    if (!before.isEmpty()) {
        QSqlQuery &q =
            query(QStringLiteral("SELECT seq FROM messages WHERE uuid = ? AND room_uuid = ?"));
        q.bindValue(0, before);
        q.bindValue(1, room);
        if (!exec(q))
            return std::nullopt;
        if (!q.next()) {
            q.finish();
            setError(QStringLiteral("no message %1 in room %2").arg(before, room));
            return std::nullopt;
        }
        beforeSeq = q.value(0).toLongLong();
        q.finish();
    }
    // Newest first through the (room_uuid, seq) index; one row more tells has_more.
    QSqlQuery &q = query(
        QStringLiteral("SELECT seq, uuid, user_uuid, user_name, body, created, client_id"
                       " FROM messages WHERE room_uuid = ? AND seq < ? ORDER BY seq DESC LIMIT ?"));
    q.bindValue(0, room);
    q.bindValue(1, beforeSeq);
    q.bindValue(2, limit + 1);
    if (!exec(q))
        return std::nullopt;
    MessagePage page;
    page.messages.reserve(limit);
    while (q.next()) {
        if (page.messages.size() == limit) {
            page.hasMore = true;
            break;
        }
        page.messages.append(messageFromRow(q, room));
    }
    q.finish();
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

bool SqliteWorker::importMessages(const QList<Message> &messages)
{
    // Runs alone in its transaction: a failure rolls all of it back (see write()).
    for (const Message &m : messages) {
        Message copy = m;
        copy.clientId.clear();
        if (!addMessage(copy))
            return false;
    }
    return true;
}

QCoro::Task<std::optional<StoredMessage>> SqliteStorage::addMessage(Message message)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<std::optional<StoredMessage>>(
        [w, message] { return w->addMessage(message); }, std::nullopt));
}

QCoro::Task<std::optional<MessagePage>> SqliteStorage::listMessages(QString roomUuid,
                                                                    QString beforeUuid, int limit)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read(
        [w, roomUuid, beforeUuid, limit] { return w->listMessages(roomUuid, beforeUuid, limit); }));
}

QCoro::Task<bool> SqliteStorage::importMessages(QList<Message> messages)
{
    SqliteWorker *w = d.get();
    return awaitResult(
        w->write<bool>([w, messages] { return w->importMessages(messages); }, false, true));
}

} // namespace chalk::server
