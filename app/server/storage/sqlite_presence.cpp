// SqliteStorage's presence: when a user's last device left (users.last_seen), and the paged,
// searchable list of users (list_users) over users.search_key. The keys are written with the
// user (sqlite_accounts.cpp); the schema is v5 (sqlite_schema.cpp).
#include "sqlite_storage.h"
#include "sqlite_worker.h"
#include "storage_rules.h"

namespace chalk::server {

using protocol::UserPresence;

QCoro::Task<bool> SqliteStorage::setLastSeen(QString userUuid, QDateTime when)
{
    SqliteWorker *w = d.get();
    const qint64 ms = storage_rules::normalizedTime(when).toMSecsSinceEpoch();
    return awaitResult(w->write<bool>(
        [w, userUuid, ms] {
            QSqlQuery &q =
                w->query(QStringLiteral("UPDATE users SET last_seen = ? WHERE uuid = ?"));
            q.bindValue(0, ms);
            q.bindValue(1, userUuid);
            return w->execChangingRow(q,
                                      [&] { return QStringLiteral("no user %1").arg(userUuid); });
        },
        false));
}

QCoro::Task<std::optional<QHash<QString, QDateTime>>>
SqliteStorage::lastSeenOf(QStringList userUuids)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, userUuids]() -> std::optional<QHash<QString, QDateTime>> {
        // One primary-key lookup each: a user has a few direct partners, at most
        // presenceBatchMax are asked for.
        QSqlQuery &q = w->query(
            QStringLiteral("SELECT last_seen FROM users WHERE uuid = ? AND last_seen IS NOT NULL"));
        QHash<QString, QDateTime> seen;
        for (const QString &uuid : userUuids) {
            q.bindValue(0, uuid);
            if (!w->exec(q))
                return std::nullopt;
            if (q.next())
                seen.insert(uuid, QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong(), Qt::UTC));
            q.finish();
        }
        return seen;
    }));
}

QCoro::Task<std::optional<UserPage>> SqliteStorage::listUsers(QString query, QString afterUuid,
                                                              int limit)
{
    SqliteWorker *w = d.get();
    const QString needle = protocol::searchKey(query);
    limit = storage_rules::clampLimit(limit);
    return awaitResult(w->read([w, needle, afterUuid, limit]() -> std::optional<UserPage> {
        // The cursor is the last user of the previous page, placed by its key as it is now.
        QString afterKey;
        if (!afterUuid.isEmpty()) {
            QSqlQuery &k = w->query(QStringLiteral("SELECT search_key FROM users WHERE uuid = ?"));
            k.bindValue(0, afterUuid);
            if (!w->exec(k))
                return std::nullopt;
            if (!k.next()) {
                k.finish();
                return UserPage{{}, false, true};
            }
            afterKey = k.value(0).toString();
            k.finish();
        }
        // instr(), not LIKE: both sides are folded already, and a query's % or _ is text.
        QSqlQuery &q = w->query(QStringLiteral(
            "SELECT users.uuid, users.name, users.last_seen, accounts.user_uuid IS NOT NULL"
            " FROM users LEFT JOIN accounts ON accounts.user_uuid = users.uuid"
            " WHERE instr(users.search_key, ?) > 0 AND (users.search_key, users.uuid) > (?, ?)"
            " ORDER BY users.search_key, users.uuid LIMIT ?"));
        q.bindValue(0, needle.isNull() ? QStringLiteral("") : needle);
        q.bindValue(1, afterKey.isNull() ? QStringLiteral("") : afterKey);
        q.bindValue(2, afterUuid.isNull() ? QStringLiteral("") : afterUuid);
        q.bindValue(3, limit + 1);
        if (!w->exec(q))
            return std::nullopt;
        UserPage page;
        while (q.next()) {
            if (page.users.size() == limit) {
                page.hasMore = true;
                break;
            }
            UserPresence p;
            p.user.uuid = q.value(0).toString();
            p.user.name = q.value(1).toString();
            if (!q.value(2).isNull())
                p.lastSeen = QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC);
            p.user.registered = q.value(3).toBool();
            page.users.append(p);
        }
        q.finish();
        return page;
    }));
}

} // namespace chalk::server
