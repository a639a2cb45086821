// SqliteStorage's messages: storing one (deduplicated by the sender's client_id), pages of
// history newest first, bulk imports, and their authors' edits and deletes (schema v7).
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

// Every read of a message names these columns, in this order (messageFromRow): the message,
// then its reply quote by a join on uuid (as the replied-to message is now), then its room.
const QString kSelectMessage = QStringLiteral(
    "SELECT m.seq, m.uuid, m.user_uuid, m.user_name, m.body, m.created, m.client_id,"
    " m.edited_at, m.deleted, m.reply_to, r.user_name, r.body, r.deleted, m.room_uuid"
    " FROM messages m LEFT JOIN messages r ON r.uuid = m.reply_to");

Message messageFromRow(const QSqlQuery &q)
{
    Message m;
    m.seq = q.value(0).toLongLong();
    m.uuid = q.value(1).toString();
    m.roomUuid = q.value(13).toString();
    m.user = User{q.value(2).toString(), q.value(3).toString(), m.roomUuid};
    m.body = q.value(4).toString();
    m.created = QDateTime::fromMSecsSinceEpoch(q.value(5).toLongLong(), Qt::UTC);
    m.clientId = q.value(6).toString();
    if (!q.value(7).isNull())
        m.editedAt = QDateTime::fromMSecsSinceEpoch(q.value(7).toLongLong(), Qt::UTC);
    m.deleted = q.value(8).toBool();
    m.replyTo = q.value(9).toString();
    if (!m.replyTo.isEmpty())
        storage_rules::setQuote(m, q.value(10).toString(), q.value(11).toString(),
                                q.value(12).toBool());
    return m;
}

} // namespace

std::optional<StoredMessage> SqliteWorker::addMessage(Message m)
{
    if (!m.clientId.isEmpty()) {
        QSqlQuery &q =
            query(kSelectMessage + QStringLiteral(" WHERE m.user_uuid = ? AND m.client_id = ?"));
        q.bindValue(0, m.user.uuid);
        q.bindValue(1, m.clientId);
        if (!exec(q))
            return std::nullopt;
        if (q.next()) {
            StoredMessage stored{messageFromRow(q), true};
            q.finish();
            return stored;
        }
        q.finish();
    }
    storage_rules::normalizeNewMessage(m);
    QSqlQuery &q = query(QStringLiteral("INSERT INTO messages (uuid, room_uuid, user_uuid, "
                                        "user_name, body, created, client_id, reply_to)"
                                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bindValue(0, m.uuid);
    q.bindValue(1, m.roomUuid);
    q.bindValue(2, m.user.uuid);
    q.bindValue(3, m.user.name);
    q.bindValue(4, m.body);
    q.bindValue(5, m.created.toMSecsSinceEpoch());
    q.bindValue(6, textOrNull(m.clientId));
    q.bindValue(7, textOrNull(m.replyTo));
    // Fails (and stores nothing) for an unknown room (foreign key) or a reused uuid.
    if (!exec(q))
        return std::nullopt;
    m.seq = q.lastInsertId().toLongLong();
    if (!m.replyTo.isEmpty()) {
        // The quote as stored messages give it (read back through the same join).
        const MessageLookup read = messageByUuid(m.uuid);
        if (read.failed || !read.message)
            return std::nullopt;
        m = *read.message;
    }
    return StoredMessage{m, false};
}

MessageLookup SqliteWorker::messageByUuid(const QString &uuid)
{
    QSqlQuery &q = query(kSelectMessage + QStringLiteral(" WHERE m.uuid = ?"));
    q.bindValue(0, uuid);
    if (!exec(q))
        return {true, std::nullopt};
    MessageLookup found;
    if (q.next())
        found.message = messageFromRow(q);
    q.finish();
    return found;
}

ChangedMessage SqliteWorker::changeMessage(const QString &uuid, const QString &author,
                                           const std::optional<QString> &newBody, qint64 editedAtMs)
{
    const MessageLookup before = messageByUuid(uuid);
    if (before.failed)
        return {};
    if (!before.message)
        return {MessageChange::NoSuchMessage, {}};
    if (before.message->user.uuid != author)
        return {MessageChange::NotYours, {}};
    if (before.message->deleted)
        return {MessageChange::Deleted, *before.message};
    // A tombstone keeps nothing of what was said: body, edit time and reply go.
    QSqlQuery &q = query(
        newBody ? QStringLiteral("UPDATE messages SET body = ?, edited_at = ? WHERE uuid = ?")
                : QStringLiteral("UPDATE messages SET body = '', edited_at = NULL, deleted = 1,"
                                 " reply_to = NULL WHERE uuid = ?"));
    if (newBody) {
        q.bindValue(0, *newBody);
        q.bindValue(1, editedAtMs);
        q.bindValue(2, uuid);
    } else {
        q.bindValue(0, uuid);
    }
    if (!exec(q))
        return {};
    const MessageLookup after = messageByUuid(uuid);
    if (after.failed || !after.message)
        return {};
    return {MessageChange::Changed, *after.message};
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
    QSqlQuery &q = query(kSelectMessage + QStringLiteral(" WHERE m.room_uuid = ? AND m.seq < ?"
                                                         " ORDER BY m.seq DESC LIMIT ?"));
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
        page.messages.append(messageFromRow(q));
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

QCoro::Task<MessageLookup> SqliteStorage::messageByUuid(QString messageUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, messageUuid] { return w->messageByUuid(messageUuid); }));
}

QCoro::Task<ChangedMessage> SqliteStorage::editMessage(QString messageUuid, QString authorUuid,
                                                       QString body, QDateTime when)
{
    SqliteWorker *w = d.get();
    const qint64 ms = storage_rules::normalizedTime(when).toMSecsSinceEpoch();
    return awaitResult(w->write<ChangedMessage>(
        [w, messageUuid, authorUuid, body, ms] {
            return w->changeMessage(messageUuid, authorUuid, body, ms);
        },
        ChangedMessage{}));
}

QCoro::Task<ChangedMessage> SqliteStorage::deleteMessage(QString messageUuid, QString authorUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<ChangedMessage>(
        [w, messageUuid, authorUuid] {
            return w->changeMessage(messageUuid, authorUuid, std::nullopt, 0);
        },
        ChangedMessage{}));
}

QCoro::Task<bool> SqliteStorage::importMessages(QList<Message> messages)
{
    SqliteWorker *w = d.get();
    return awaitResult(
        w->write<bool>([w, messages] { return w->importMessages(messages); }, false, true));
}

} // namespace chalk::server
