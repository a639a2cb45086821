// SqliteStorage's users, their tokens (one per device) and accounts. Writes that touch several
// rows check first and then write, so a refused call leaves nothing behind in the group
// commit it shares with other callers.
#include "sqlite_storage.h"
#include "sqlite_worker.h"
#include "storage_rules.h"

#include <QDateTime>

namespace chalk::server {

using protocol::User;
using sqlite_detail::textOrNull;

namespace {

// Storage thread only. The user a token belongs to: empty for none, nullopt on error.
std::optional<QString> tokenOwner(SqliteWorker *w, const QByteArray &tokenHash)
{
    QSqlQuery &q = w->query(QStringLiteral("SELECT user_uuid FROM tokens WHERE token_hash = ?"));
    q.bindValue(0, tokenHash);
    if (!w->exec(q))
        return std::nullopt;
    const QString owner = q.next() ? q.value(0).toString() : QString();
    q.finish();
    return owner;
}

// The registered user other than exceptUuid whose login or display name has `key`.
std::optional<QString> nameOwner(SqliteWorker *w, const QString &key, const QString &exceptUuid)
{
    QSqlQuery &q = w->query(QStringLiteral("SELECT user_uuid FROM accounts"
                                           " WHERE (login_key = ? OR name_key = ?)"
                                           " AND user_uuid != ? LIMIT 1"));
    q.bindValue(0, key);
    q.bindValue(1, key);
    // Never NULL: "user_uuid != NULL" would match no row at all.
    q.bindValue(2, exceptUuid.isNull() ? QStringLiteral("") : exceptUuid);
    if (!w->exec(q))
        return std::nullopt;
    const QString owner = q.next() ? q.value(0).toString() : QString();
    q.finish();
    return owner;
}

bool updateNameKey(SqliteWorker *w, const User &user);

bool upsertUser(SqliteWorker *w, const User &user)
{
    QSqlQuery &q = w->query(
        QStringLiteral("INSERT INTO users (uuid, name, room_uuid, search_key) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (uuid) DO UPDATE SET name = excluded.name,"
                       " room_uuid = excluded.room_uuid, search_key = excluded.search_key"));
    q.bindValue(0, user.uuid);
    q.bindValue(1, user.name);
    q.bindValue(2, textOrNull(user.roomUuid));
    q.bindValue(3, protocol::searchKey(user.name));
    return w->exec(q) && updateNameKey(w, user);
}

// A registered user's display name stays protected under its new key (no-op for others).
bool updateNameKey(SqliteWorker *w, const User &user)
{
    QSqlQuery &k = w->query(QStringLiteral("UPDATE accounts SET name_key = ? WHERE user_uuid = ?"));
    k.bindValue(0, protocol::nameKey(user.name));
    k.bindValue(1, user.uuid);
    return w->exec(k);
}

// The user's tokens become {tokenHash}.
bool replaceTokens(SqliteWorker *w, const QString &userUuid, const QByteArray &tokenHash)
{
    QSqlQuery &d = w->query(QStringLiteral("DELETE FROM tokens WHERE user_uuid = ?"));
    d.bindValue(0, userUuid);
    if (!w->exec(d))
        return false;
    QSqlQuery &q =
        w->query(QStringLiteral("INSERT INTO tokens (token_hash, user_uuid) VALUES (?, ?)"));
    q.bindValue(0, tokenHash);
    q.bindValue(1, userUuid);
    return w->exec(q);
}

} // namespace

QCoro::Task<bool> SqliteStorage::saveUser(User user, QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, user, tokenHash] {
            if (user.uuid.isEmpty() || tokenHash.isEmpty()) {
                w->setError(QStringLiteral("a user needs a uuid and a token hash"));
                return false;
            }
            const auto owner = tokenOwner(w, tokenHash);
            if (!owner)
                return false;
            if (!owner->isEmpty() && *owner != user.uuid) {
                w->setError(QStringLiteral("token hash already belongs to another user"));
                return false;
            }
            return upsertUser(w, user) && replaceTokens(w, user.uuid, tokenHash);
        },
        false));
}

QCoro::Task<std::optional<User>> SqliteStorage::userByTokenHash(QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, tokenHash]() -> std::optional<User> {
        QSqlQuery &q = w->query(QStringLiteral(
            "SELECT users.uuid, users.name, users.room_uuid, accounts.user_uuid IS NOT NULL"
            " FROM tokens JOIN users ON users.uuid = tokens.user_uuid"
            " LEFT JOIN accounts ON accounts.user_uuid = users.uuid"
            " WHERE tokens.token_hash = ?"));
        q.bindValue(0, tokenHash);
        if (!w->exec(q) || !q.next()) {
            q.finish();
            return std::nullopt;
        }
        User u{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
               q.value(3).toBool()};
        q.finish();
        return u;
    }));
}

QCoro::Task<AccountCreated> SqliteStorage::createAccount(User user, QString loginName,
                                                         QByteArray passwordHash,
                                                         QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<AccountCreated>(
        [w, user, loginName, passwordHash, tokenHash]() -> AccountCreated {
            if (user.uuid.isEmpty() || loginName.isEmpty() || passwordHash.isEmpty() ||
                tokenHash.isEmpty()) {
                w->setError(
                    QStringLiteral("an account needs a uuid, a name, a password and a token"));
                return AccountCreated::Failed;
            }
            QSqlQuery &a = w->query(QStringLiteral("SELECT 1 FROM accounts WHERE user_uuid = ?"));
            a.bindValue(0, user.uuid);
            if (!w->exec(a))
                return AccountCreated::Failed;
            const bool registered = a.next();
            a.finish();
            if (registered)
                return AccountCreated::AlreadyRegistered;
            const QString key = protocol::nameKey(loginName);
            const auto byLogin = nameOwner(w, key, user.uuid);
            const auto byName = nameOwner(w, protocol::nameKey(user.name), user.uuid);
            if (!byLogin || !byName)
                return AccountCreated::Failed;
            if (!byLogin->isEmpty() || !byName->isEmpty())
                return AccountCreated::NameTaken;
            const auto owner = tokenOwner(w, tokenHash);
            if (!owner)
                return AccountCreated::Failed;
            if (!owner->isEmpty() && *owner != user.uuid) {
                w->setError(QStringLiteral("token hash already belongs to another user"));
                return AccountCreated::Failed;
            }
            QSqlQuery &q = w->query(
                QStringLiteral("INSERT INTO accounts (user_uuid, login_name, login_key, name_key,"
                               " password_hash, created) VALUES (?, ?, ?, ?, ?, ?)"));
            q.bindValue(0, user.uuid);
            q.bindValue(1, loginName);
            q.bindValue(2, key);
            q.bindValue(3, protocol::nameKey(user.name));
            q.bindValue(4, passwordHash);
            q.bindValue(5, QDateTime::currentMSecsSinceEpoch());
            if (!w->exec(q) || !upsertUser(w, user) || !replaceTokens(w, user.uuid, tokenHash))
                return AccountCreated::Failed;
            return AccountCreated::Created;
        },
        AccountCreated::Failed));
}

namespace {
// Storage thread only: the account whose `column` (accounts.login_key or accounts.user_uuid)
// is `value`.
AccountLookup findAccount(SqliteWorker *w, const QString &sql, const QString &value)
{
    QSqlQuery &q = w->query(sql);
    q.bindValue(0, value);
    if (!w->exec(q))
        return AccountLookup{true, std::nullopt};
    if (!q.next()) {
        q.finish();
        return AccountLookup{};
    }
    Account a{User{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), true},
              q.value(3).toString(), q.value(4).toByteArray()};
    q.finish();
    return AccountLookup{false, a};
}

#define CHALK_ACCOUNT_SELECT                                                                       \
    "SELECT users.uuid, users.name, users.room_uuid, accounts.login_name, accounts.password_hash"  \
    " FROM accounts JOIN users ON users.uuid = accounts.user_uuid "
} // namespace

QCoro::Task<AccountLookup> SqliteStorage::accountByName(QString loginName)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, key = protocol::nameKey(loginName)] {
        return findAccount(w, QStringLiteral(CHALK_ACCOUNT_SELECT "WHERE accounts.login_key = ?"),
                           key);
    }));
}

QCoro::Task<AccountLookup> SqliteStorage::accountOf(QString userUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, userUuid] {
        return findAccount(w, QStringLiteral(CHALK_ACCOUNT_SELECT "WHERE accounts.user_uuid = ?"),
                           userUuid);
    }));
}

QCoro::Task<bool> SqliteStorage::updateUser(User user)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, user] {
            QSqlQuery &q = w->query(QStringLiteral(
                "UPDATE users SET name = ?, room_uuid = ?, search_key = ? WHERE uuid = ?"));
            q.bindValue(0, user.name);
            q.bindValue(1, textOrNull(user.roomUuid));
            q.bindValue(2, protocol::searchKey(user.name));
            q.bindValue(3, user.uuid);
            if (!w->execChangingRow(q, [&] { return QStringLiteral("no user %1").arg(user.uuid); }))
                return false;
            return updateNameKey(w, user);
        },
        false));
}

QCoro::Task<bool> SqliteStorage::addToken(QString userUuid, QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, userUuid, tokenHash] {
            if (tokenHash.isEmpty()) {
                w->setError(QStringLiteral("a token needs a hash"));
                return false;
            }
            QSqlQuery &u = w->query(QStringLiteral("SELECT 1 FROM users WHERE uuid = ?"));
            u.bindValue(0, userUuid);
            if (!w->exec(u))
                return false;
            const bool known = u.next();
            u.finish();
            if (!known) {
                w->setError(QStringLiteral("no user %1").arg(userUuid));
                return false;
            }
            // A hash of another user violates the primary key and fails.
            QSqlQuery &q = w->query(
                QStringLiteral("INSERT INTO tokens (token_hash, user_uuid) VALUES (?, ?)"
                               " ON CONFLICT (token_hash) DO UPDATE SET user_uuid = user_uuid"
                               " WHERE user_uuid = excluded.user_uuid"));
            q.bindValue(0, tokenHash);
            q.bindValue(1, userUuid);
            if (!w->exec(q))
                return false;
            const auto owner = tokenOwner(w, tokenHash);
            if (owner && *owner != userUuid)
                w->setError(QStringLiteral("token hash already belongs to another user"));
            return owner && *owner == userUuid;
        },
        false));
}

QCoro::Task<bool> SqliteStorage::revokeToken(QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, tokenHash] {
            QSqlQuery &q = w->query(QStringLiteral("DELETE FROM tokens WHERE token_hash = ?"));
            q.bindValue(0, tokenHash);
            return w->exec(q);
        },
        false));
}

QCoro::Task<bool> SqliteStorage::changePassword(QString userUuid, QByteArray passwordHash,
                                                QByteArray keepTokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, userUuid, passwordHash, keepTokenHash] {
            if (passwordHash.isEmpty()) {
                w->setError(QStringLiteral("no password hash"));
                return false;
            }
            QSqlQuery &q = w->query(
                QStringLiteral("UPDATE accounts SET password_hash = ? WHERE user_uuid = ?"));
            q.bindValue(0, passwordHash);
            q.bindValue(1, userUuid);
            if (!w->execChangingRow(q,
                                    [&] { return QStringLiteral("no account %1").arg(userUuid); }))
                return false;
            QSqlQuery &d = w->query(
                QStringLiteral("DELETE FROM tokens WHERE user_uuid = ? AND token_hash != ?"));
            d.bindValue(0, userUuid);
            d.bindValue(1, keepTokenHash);
            return w->exec(d);
        },
        false));
}

QCoro::Task<std::optional<QString>> SqliteStorage::registeredNameOwner(QString name,
                                                                       QString exceptUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, name, exceptUuid]() -> std::optional<QString> {
        return nameOwner(w, protocol::nameKey(name), exceptUuid);
    }));
}

} // namespace chalk::server
