#include "memory_storage.h"

#include "storage_rules.h"

#include <algorithm>

namespace chalk::server {

using protocol::Line;
using protocol::Message;
using protocol::Room;
using protocol::User;

QCoro::Task<bool> MemoryStorage::open()
{
    co_return true;
}

QCoro::Task<void> MemoryStorage::flush()
{
    co_return;
}

MemoryStorage::RoomData *MemoryStorage::findRoom(const QString &uuid)
{
    for (RoomData &r : m_rooms)
        if (r.room.uuid == uuid)
            return &r;
    return nullptr;
}

QCoro::Task<std::optional<QList<Room>>> MemoryStorage::listRooms()
{
    QList<Room> rooms;
    rooms.reserve(m_rooms.size());
    for (const RoomData &r : m_rooms) {
        Room room = r.room;
        room.sum = r.messages.size();
        rooms.append(room);
    }
    // Like ORDER BY created, rowid: by creation time, then in the order they were stored.
    std::stable_sort(rooms.begin(), rooms.end(),
                     [](const Room &a, const Room &b) { return a.created < b.created; });
    co_return rooms;
}

QCoro::Task<bool> MemoryStorage::createRoom(Room room)
{
    if (room.uuid.isEmpty() || findRoom(room.uuid)) {
        m_error = QStringLiteral("room %1 exists or has no uuid").arg(room.uuid);
        co_return false;
    }
    room.users.clear();
    room.sum = 0;
    room.created = storage_rules::normalizedTime(room.created);
    m_rooms.append({room, {}, {}});
    for (const QString &member : std::as_const(room.members))
        m_markers[member].insert(room.uuid, 0); // a direct conversation counts from its start
    co_return true;
}

QCoro::Task<bool> MemoryStorage::updateRoom(Room room)
{
    RoomData *r = findRoom(room.uuid);
    if (!r) {
        m_error = QStringLiteral("no room %1").arg(room.uuid);
        co_return false;
    }
    r->room.name = room.name;
    r->room.color = room.color;
    co_return true;
}

QCoro::Task<bool> MemoryStorage::deleteRoom(QString roomUuid)
{
    const auto it = std::find_if(m_rooms.begin(), m_rooms.end(),
                                 [&](const RoomData &r) { return r.room.uuid == roomUuid; });
    if (it == m_rooms.end()) {
        m_error = QStringLiteral("no room %1").arg(roomUuid);
        co_return false;
    }
    for (const Message &m : it->messages) {
        m_messageRoom.remove(m.uuid);
        if (!m.clientId.isEmpty())
            m_clientIds.remove({m.user.uuid, m.clientId});
    }
    for (const Line &l : it->lines)
        m_lineRoom.remove(l.uuid);
    for (auto &markers : m_markers)
        markers.remove(roomUuid);
    m_rooms.erase(it);
    co_return true;
}

QCoro::Task<std::optional<QList<Line>>> MemoryStorage::lines(QString roomUuid)
{
    RoomData *r = findRoom(roomUuid);
    co_return r ? r->lines : QList<Line>{};
}

QCoro::Task<bool> MemoryStorage::upsertLine(QString roomUuid, Line line)
{
    RoomData *r = findRoom(roomUuid);
    const QString owner = m_lineRoom.value(line.uuid);
    if (!r || line.uuid.isEmpty() || (!owner.isEmpty() && owner != roomUuid)) {
        m_error = QStringLiteral("line %1 cannot be stored in room %2").arg(line.uuid, roomUuid);
        co_return false;
    }
    if (!owner.isEmpty()) {
        for (Line &l : r->lines) {
            if (l.uuid == line.uuid) {
                // An update keeps the stroke's place in the drawing order, and its author.
                l.points = line.points;
                l.tool = line.tool;
                l.color = line.color;
                l.width = line.width;
                co_return true;
            }
        }
    }
    r->lines.append(line);
    m_lineRoom.insert(line.uuid, roomUuid);
    co_return true;
}

QCoro::Task<bool> MemoryStorage::removeLine(QString roomUuid, QString lineUuid)
{
    RoomData *r = findRoom(roomUuid);
    if (!r || m_lineRoom.value(lineUuid) != roomUuid) {
        m_error = QStringLiteral("no line %1 in room %2").arg(lineUuid, roomUuid);
        co_return false;
    }
    r->lines.removeIf([&](const Line &l) { return l.uuid == lineUuid; });
    m_lineRoom.remove(lineUuid);
    co_return true;
}

QCoro::Task<bool> MemoryStorage::resetDrawing(QString roomUuid)
{
    RoomData *r = findRoom(roomUuid);
    if (!r) {
        m_error = QStringLiteral("no room %1").arg(roomUuid);
        co_return false;
    }
    for (const Line &l : r->lines)
        m_lineRoom.remove(l.uuid);
    r->lines.clear();
    co_return true;
}

QCoro::Task<bool> MemoryStorage::saveUser(User user, QByteArray tokenHash)
{
    if (user.uuid.isEmpty() || tokenHash.isEmpty()) {
        m_error = QStringLiteral("a user needs a uuid and a token hash");
        co_return false;
    }
    const QString owner = m_tokens.value(tokenHash);
    if (!owner.isEmpty() && owner != user.uuid) {
        m_error = QStringLiteral("token hash already belongs to another user");
        co_return false;
    }
    user.registered = false;
    m_users.insert(user.uuid, user);
    m_tokens.removeIf([&](const auto &it) { return it.value() == user.uuid; });
    m_tokens.insert(tokenHash, user.uuid);
    co_return true;
}

QCoro::Task<std::optional<User>> MemoryStorage::userByTokenHash(QByteArray tokenHash)
{
    const auto token = m_tokens.constFind(tokenHash);
    if (token == m_tokens.cend())
        co_return std::nullopt;
    User u = m_users.value(*token);
    u.registered = m_accounts.contains(u.uuid);
    co_return u;
}

QString MemoryStorage::nameOwner(const QString &key, const QString &exceptUuid) const
{
    const QString byLogin = m_accountByKey.value(key);
    if (!byLogin.isEmpty() && byLogin != exceptUuid)
        return byLogin;
    for (auto it = m_accounts.cbegin(); it != m_accounts.cend(); ++it) {
        if (it.key() != exceptUuid && protocol::nameKey(m_users.value(it.key()).name) == key)
            return it.key();
    }
    return {};
}

QCoro::Task<AccountCreated> MemoryStorage::createAccount(User user, QString loginName,
                                                         QByteArray passwordHash,
                                                         QByteArray tokenHash)
{
    if (user.uuid.isEmpty() || loginName.isEmpty() || passwordHash.isEmpty() ||
        tokenHash.isEmpty()) {
        m_error = QStringLiteral("an account needs a uuid, a name, a password and a token");
        co_return AccountCreated::Failed;
    }
    if (m_accounts.contains(user.uuid))
        co_return AccountCreated::AlreadyRegistered;
    const QString key = protocol::nameKey(loginName);
    if (!nameOwner(key, user.uuid).isEmpty() ||
        !nameOwner(protocol::nameKey(user.name), user.uuid).isEmpty())
        co_return AccountCreated::NameTaken;
    const QString tokenOwner = m_tokens.value(tokenHash);
    if (!tokenOwner.isEmpty() && tokenOwner != user.uuid) {
        m_error = QStringLiteral("token hash already belongs to another user");
        co_return AccountCreated::Failed;
    }
    user.registered = false;
    m_users.insert(user.uuid, user);
    m_tokens.removeIf([&](const auto &it) { return it.value() == user.uuid; });
    m_tokens.insert(tokenHash, user.uuid);
    m_accounts.insert(user.uuid, {loginName, passwordHash});
    m_accountByKey.insert(key, user.uuid);
    co_return AccountCreated::Created;
}

QCoro::Task<AccountLookup> MemoryStorage::accountByName(QString loginName)
{
    return accountOf(m_accountByKey.value(protocol::nameKey(loginName)));
}

QCoro::Task<AccountLookup> MemoryStorage::accountOf(QString uuid)
{
    if (!m_accounts.contains(uuid))
        co_return AccountLookup{};
    User u = m_users.value(uuid);
    u.registered = true;
    const AccountRow &row = m_accounts[uuid];
    co_return AccountLookup{false, Account{u, row.loginName, row.passwordHash}};
}

QCoro::Task<bool> MemoryStorage::updateUser(User user)
{
    const auto it = m_users.find(user.uuid);
    if (it == m_users.end()) {
        m_error = QStringLiteral("no user %1").arg(user.uuid);
        co_return false;
    }
    user.registered = false;
    *it = user;
    co_return true;
}

QCoro::Task<bool> MemoryStorage::addToken(QString userUuid, QByteArray tokenHash)
{
    if (!m_users.contains(userUuid) || tokenHash.isEmpty()) {
        m_error = QStringLiteral("a token needs a known user and a hash");
        co_return false;
    }
    const QString owner = m_tokens.value(tokenHash);
    if (!owner.isEmpty() && owner != userUuid) {
        m_error = QStringLiteral("token hash already belongs to another user");
        co_return false;
    }
    m_tokens.insert(tokenHash, userUuid);
    co_return true;
}

QCoro::Task<bool> MemoryStorage::revokeToken(QByteArray tokenHash)
{
    m_tokens.remove(tokenHash);
    co_return true;
}

QCoro::Task<bool> MemoryStorage::changePassword(QString userUuid, QByteArray passwordHash,
                                                QByteArray keepTokenHash)
{
    const auto account = m_accounts.find(userUuid);
    if (account == m_accounts.end() || passwordHash.isEmpty()) {
        m_error = QStringLiteral("no account %1").arg(userUuid);
        co_return false;
    }
    account->passwordHash = passwordHash;
    m_tokens.removeIf(
        [&](const auto &it) { return it.value() == userUuid && it.key() != keepTokenHash; });
    co_return true;
}

QCoro::Task<std::optional<QString>> MemoryStorage::registeredNameOwner(QString name,
                                                                       QString exceptUuid)
{
    co_return nameOwner(protocol::nameKey(name), exceptUuid);
}

QCoro::Task<bool> MemoryStorage::setBlocked(QString blocker, QString blocked, bool on)
{
    if (on)
        m_blocks.insert({blocker, blocked});
    else
        m_blocks.remove({blocker, blocked});
    co_return true;
}

QCoro::Task<std::optional<bool>> MemoryStorage::isBlocked(QString blocker, QString blocked)
{
    co_return m_blocks.contains({blocker, blocked});
}

QCoro::Task<bool> MemoryStorage::setLastSeen(QString userUuid, QDateTime when)
{
    if (!m_users.contains(userUuid)) {
        m_error = QStringLiteral("no user %1").arg(userUuid);
        co_return false;
    }
    m_lastSeen.insert(userUuid, storage_rules::normalizedTime(when).toMSecsSinceEpoch());
    co_return true;
}

QCoro::Task<std::optional<QHash<QString, QDateTime>>>
MemoryStorage::lastSeenOf(QStringList userUuids)
{
    QHash<QString, QDateTime> seen;
    for (const QString &uuid : std::as_const(userUuids)) {
        if (const auto it = m_lastSeen.constFind(uuid); it != m_lastSeen.cend())
            seen.insert(uuid, QDateTime::fromMSecsSinceEpoch(*it, Qt::UTC));
    }
    co_return seen;
}

QCoro::Task<std::optional<UserPage>> MemoryStorage::listUsers(QString query, QString afterUuid,
                                                              int limit)
{
    // (search key, uuid) as UTF-8 bytes: the order SQLite's BINARY collation gives.
    using Key = std::pair<QByteArray, QByteArray>;
    const auto keyOf = [](const User &u) {
        return Key{protocol::searchKey(u.name).toUtf8(), u.uuid.toUtf8()};
    };
    std::optional<Key> after;
    if (!afterUuid.isEmpty()) {
        const auto it = m_users.constFind(afterUuid);
        if (it == m_users.cend())
            co_return UserPage{{}, false, true};
        after = keyOf(*it);
    }
    const QByteArray needle = protocol::searchKey(query).toUtf8();
    QList<std::pair<Key, QString>> found;
    for (const User &u : std::as_const(m_users)) {
        Key k = keyOf(u);
        if ((after && !(*after < k)) || !k.first.contains(needle))
            continue;
        found.append({std::move(k), u.uuid});
    }
    std::sort(found.begin(), found.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    limit = storage_rules::clampLimit(limit);
    UserPage page;
    page.hasMore = found.size() > limit;
    for (qsizetype i = 0; i < std::min<qsizetype>(limit, found.size()); ++i) {
        protocol::UserPresence p;
        p.user = m_users.value(found[i].second);
        p.user.roomUuid.clear();
        p.user.registered = m_accounts.contains(p.user.uuid);
        if (const auto seen = m_lastSeen.constFind(p.user.uuid); seen != m_lastSeen.cend())
            p.lastSeen = QDateTime::fromMSecsSinceEpoch(*seen, Qt::UTC);
        page.users.append(p);
    }
    co_return page;
}

QCoro::Task<bool> MemoryStorage::followRoom(QString userUuid, QString roomUuid)
{
    const RoomData *r = findRoom(roomUuid);
    if (!r || userUuid.isEmpty()) {
        m_error = QStringLiteral("no room %1").arg(roomUuid);
        co_return false;
    }
    QHash<QString, qint64> &markers = m_markers[userUuid];
    if (!markers.contains(roomUuid))
        markers.insert(roomUuid, r->messages.isEmpty() ? 0 : r->messages.last().seq);
    co_return true;
}

QCoro::Task<ReadMarked> MemoryStorage::markRead(QString userUuid, QString roomUuid,
                                                QString messageUuid)
{
    const RoomData *r = findRoom(roomUuid);
    if (!r || m_messageRoom.value(messageUuid) != roomUuid)
        co_return ReadMarked::NoSuchMessage;
    const auto m = std::find_if(r->messages.cbegin(), r->messages.cend(),
                                [&](const Message &x) { return x.uuid == messageUuid; });
    qint64 &marker = m_markers[userUuid][roomUuid]; // a new marker starts at 0
    if (m->seq <= marker)
        co_return ReadMarked::Kept;
    marker = m->seq;
    co_return ReadMarked::Moved;
}

QCoro::Task<std::optional<QList<UnreadCount>>> MemoryStorage::unreadCounts(QString userUuid,
                                                                           QString roomUuid)
{
    QList<UnreadCount> counts;
    const QHash<QString, qint64> markers = m_markers.value(userUuid);
    for (auto it = markers.cbegin(); it != markers.cend(); ++it) {
        const RoomData *r = findRoom(it.key());
        if (!r || (!roomUuid.isEmpty() && it.key() != roomUuid))
            continue;
        UnreadCount c{it.key(), 0, r->messages.isEmpty() ? 0 : r->messages.last().seq};
        for (auto m = r->messages.crbegin(); m != r->messages.crend() && m->seq > it.value(); ++m)
            c.unread += m->user.uuid != userUuid && !m->deleted ? 1 : 0;
        counts.append(c);
    }
    co_return counts;
}

} // namespace chalk::server
